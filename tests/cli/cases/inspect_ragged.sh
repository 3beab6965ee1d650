cd "$FIXTURES"
# Ragged rows are rejected with their line, counted, kept in --rejects; the rest is read.
"$TOUSU" inspect --rejects "$OLDPWD/rejects.csv" ragged.csv
cat "$OLDPWD/rejects.csv"
