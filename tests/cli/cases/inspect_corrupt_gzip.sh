# A corrupt member (bad deflate data or CRC) is an error naming the compressed byte offset.
f="$DATA/gzip_edge_cases/flate2-rs/corrupt-gz-file.bin"
[ -f "$f" ] || { echo "skip: $f missing" >&2; exit 77; }
st=0; "$TOUSU" inspect "$f" 2> err.txt || st=$?
[ $st = 1 ]
# Flip bytes in the middle of a gzip CSV: the data error must be reported with its offset.
seq 1 5000 | awk 'BEGIN{print "order_id,shop_id,created_at"} {printf "%d,%d,2026-10-01 10:00:00\n", $1, $1 % 7}' | gzip -c > ok.csv.gz
cp ok.csv.gz bad.csv.gz
printf 'XXXXXXXX' | dd of=bad.csv.gz bs=1 seek=2000 conv=notrunc 2>/dev/null
st=0; "$TOUSU" inspect bad.csv.gz > /dev/null 2> err.txt || st=$?
[ $st = 1 ] || { echo "exit $st"; exit 1; }
sed 's/byte [0-9]*/byte N/' err.txt
