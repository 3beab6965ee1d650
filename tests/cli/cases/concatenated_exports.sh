# Exports joined together (cat day1.csv.gz day2.csv.gz, or two CSVs one after
# the other) carry the header again where each part starts. That line is no
# row: it was read as one (a shop called "shop_id", a time that does not
# parse). It is now a rejected line with its reason, counted and kept in
# --rejects, and every row of both parts is read.
c="$REPO/samples/complaints.csv"
gzip -c "$c" > joined.csv.gz
gzip -c "$c" >> joined.csv.gz
"$TOUSU" inspect --format tsv "$c" | cut -f7,8
"$TOUSU" inspect --format tsv --rejects rej.csv joined.csv.gz | cut -f4,7,8
cut -d, -f2,3 rej.csv
"$TOUSU" rates --orders "$REPO/samples/orders.csv" --complaints joined.csv.gz 2> err.txt | cut -f1 | grep -c '^shop_id$' || true
grep 'rejected' err.txt
