# A truncated download must fail loudly, naming the byte offset, never pass for a short export.
seq 1 20000 | awk 'BEGIN{print "order_id,shop_id,created_at"} {printf "%d,%d,2026-10-01 10:00:00\n", $1, $1 % 7}' | gzip -c > full.csv.gz
size=$(wc -c < full.csv.gz)
head -c $((size / 2)) full.csv.gz > cut.csv.gz
"$TOUSU" inspect cut.csv.gz > out.txt 2> err.txt && exit 1
grep -q 'cut.csv.gz: truncated gzip stream at byte [0-9]*' err.txt || { cat err.txt; exit 1; }
grep -q 'rows were read before the error' err.txt
# the full file reads all 20000 rows
"$TOUSU" inspect --format tsv full.csv.gz | cut -f7 | tail -n 1
