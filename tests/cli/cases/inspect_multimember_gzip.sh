# Split-and-joined exports are several gzip members: every one must be read.
head -n 3 "$FIXTURES/orders_small.csv" | gzip -c > orders.csv.gz
tail -n +4 "$FIXTURES/orders_small.csv" | gzip -c >> orders.csv.gz
"$TOUSU" inspect --format tsv orders.csv.gz "$FIXTURES/orders_small.csv" | cut -f2-
