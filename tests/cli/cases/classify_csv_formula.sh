# csv output is RFC 4180 and a cell a spreadsheet would run as a formula is neutralised.
cd "$FIXTURES"
"$TOUSU" classify --rules test.rules --format csv complaints_mixed.csv | grep '^K5,'
