cd "$FIXTURES"
"$TOUSU" inspect orders_small.csv
