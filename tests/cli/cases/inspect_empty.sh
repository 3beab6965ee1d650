# An empty export is not an error: zero rows, exit 0.
: > empty.csv
"$TOUSU" inspect --format tsv empty.csv
head -n 1 "$FIXTURES/orders_small.csv" > header-only.csv
"$TOUSU" inspect --format tsv header-only.csv | tail -n 1
