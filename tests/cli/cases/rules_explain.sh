# rules explain shows the folded text, the types and each hit with its rule.
cd "$FIXTURES"
"$TOUSU" rules explain --rules test.rules "没有质量问题，就是發貨太慢，客服態度很差"
printf '卖家一直打电话\n寄了冥币\n' | "$TOUSU" rules explain --rules test.rules -
