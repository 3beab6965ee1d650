cd "$FIXTURES"
# --max-errors lets a cron job stop before a bad export poisons a report.
# ragged.csv has 4 data records, 2 of them rejected.
run() { st=0; "$TOUSU" inspect --format tsv --max-errors "$1" ragged.csv > /dev/null 2> "$OLDPWD/err.txt" || st=$?; echo "$1 -> $st"; }
run 2
run 50%
run 1
run 10%
run 0
cat "$OLDPWD/err.txt"
