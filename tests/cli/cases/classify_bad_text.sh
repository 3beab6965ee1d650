# Invalid UTF-8 is repaired before matching, counted and reported with its line; so are empty texts.
cd "$FIXTURES"
"$TOUSU" classify --rules test.rules complaints_bad_utf8.csv
