cd "$FIXTURES"
"$TOUSU" inspect --kind complaints missing_column.csv
