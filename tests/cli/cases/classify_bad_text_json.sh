# JSON Lines stay valid UTF-8: each invalid sequence of a text is written as \ufffd.
cd "$FIXTURES"
"$TOUSU" classify --rules test.rules --format json complaints_bad_utf8.csv
