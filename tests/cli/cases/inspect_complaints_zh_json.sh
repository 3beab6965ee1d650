cd "$FIXTURES"
"$TOUSU" inspect --format json complaints_zh.csv
