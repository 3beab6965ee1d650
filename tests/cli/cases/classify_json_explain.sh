# JSON Lines with a types array; --explain shows each hit in the original text.
cd "$FIXTURES"
"$TOUSU" classify --rules test.rules --format json --explain complaints_mixed.csv
