# The built-in rules on tests/rules/default_cases.tsv: texts whose types and
# primary type they must get exactly right (seller chat abuse and apologies,
# 滚 in product words, logistics suppressed by fake_shipment). Any miss is
# listed and the summary is below 1.000. rules explain names the dropped type.
"$TOUSU" rules test --misses "$REPO/tests/rules/default_cases.tsv" > report.txt
grep -E '^(miss|texts)' report.txt
"$TOUSU" rules explain "卖家显示已发货，但是快递公司说没有揽收记录，物流也太慢了" | grep -E '^(types|dropped)'
