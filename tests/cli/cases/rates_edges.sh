# Edges of `tousu rates`: exports with a header alone (or nothing) give a
# header-only table and exit 0; a missing file is exit 1 and no table; GB18030
# gzip exports with Chinese headers and spreadsheet times give the same table
# as the UTF-8 English ones of the same seed; rejected records are reported
# with file and line (and --rejects keeps them; --max-errors makes them fatal);
# rows without a shop or a needed time are left out and counted; the 15-day
# window and the shop name follow the README, row by row (also when the
# name is the shop key); --memory changes nothing but speed.
S=$REPO/samples
# show FIELDS ARGS...: stderr, then the table's FIELDS (cut -f), of `tousu rates ARGS`
show() {
	f=$1; shift
	"$TOUSU" rates "$@" > out 2> err
	cat err
	cut -f "$f" out
}
head -n 1 "$S/orders.csv" > orders-header.csv
head -n 1 "$S/complaints.csv" > complaints-header.csv
: > empty.csv
echo "== header only"
show 1- --orders orders-header.csv --complaints complaints-header.csv
show 1- --orders orders-header.csv --complaints complaints-header.csv --format csv
echo "json: $("$TOUSU" rates --orders orders-header.csv --complaints complaints-header.csv --format json | wc -c) bytes"
show 1- --orders orders-header.csv --complaints complaints-header.csv --by type | head -n 3
show 1- --orders orders-header.csv --complaints complaints-header.csv --by day
echo "== empty files"
show 1-4 --orders empty.csv --complaints empty.csv

echo "== a missing file"
for args in "--orders missing.csv --complaints $S/complaints.csv" "--orders $S/orders.csv --complaints missing.csv"; do
	st=0; "$TOUSU" rates $args > out 2> err || st=$?
	echo "exit $st, $(wc -c < out) bytes out"
	grep -v '^tousu: rates: left out\|have no order\|were filed more' err || true
done

echo "== gb18030, Chinese headers, gzip = utf-8, English headers"
"$TOUSU" sample -q --orders 3000 --seed 38 --chats 0 --zh-headers --encoding gb18030 --gzip --out zh
"$TOUSU" sample -q --orders 3000 --seed 38 --chats 0 --out en
test "$(gzip -dc zh/orders.csv.gz | head -c 12 | od -An -tx1 | tr -d ' \n')" != "$(head -c 12 en/orders.csv | od -An -tx1 | tr -d ' \n')"
for by in shop day type shop,type; do
	"$TOUSU" rates --orders zh/orders.csv.gz --complaints zh/complaints.csv.gz --by "$by" > zh.tsv 2> zh.err
	"$TOUSU" rates --orders en/orders.csv --complaints en/complaints.csv --by "$by" > en.tsv 2> en.err
	cmp zh.tsv en.tsv
	cmp zh.err en.err
	echo "--by $by: $(($(wc -l < en.tsv) - 1)) rows, same bytes"
done

echo "== rejected records"
printf 'order_id,shop_id,shop_name,created_at,finished_at\n1,7,A,2026-10-01 10:00:00,2026-10-02 10:00:00\n2,7,A,2026-10-01 10:00:00\n3,7,A,2026-10-01 10:00:00,2026-10-02 10:00:00,extra\n4,8,B,2026-10-01 10:00:00,\n' > o.csv
printf 'complaint_id,order_id,shop_id,filed_at,text,outcome\nC1,1,,2026-10-03 10:00:00,要求退款,成立\nC2,1\nC3,4,,2026-10-03 10:00:00,"质量太差,坏了",不成立\nC4,9,9,2026-10-03 10:00:00,"not closed\n' > c.csv
show 1-4,22-27 --orders o.csv --complaints c.csv --rejects rejects.csv
cat rejects.csv
st=0; "$TOUSU" rates --orders o.csv --complaints c.csv --max-errors 1 > out 2> err || st=$?
echo "--max-errors 1: exit $st, $(wc -c < out) bytes out"
cat err

echo "== no shop, times that do not parse"
printf 'order_id,shop_id,shop_name,created_at,finished_at\n1,7,A,2026-10-01 10:00:00,2026-10-02 10:00:00\n2,7,A,yesterday,\n3,,,2026-10-01 10:00:00,\n' > t.csv
printf 'complaint_id,order_id,shop_id,filed_at,text,outcome\nC1,1,,soon,要求退款,成立\nC2,1,,2026-10-03 10:00:00,要求退款,成立\nC3,3,,2026-10-03 10:00:00,要求退款,成立\n' > tc.csv
show 1-4 --orders t.csv --complaints tc.csv
show 1-4 --orders t.csv --complaints tc.csv --by day
show 1-4 --orders t.csv --complaints tc.csv --from 2026-10-01 --to 2026-10-31

echo "== the 15-day window: complaints, late_complaints, no_order of each complaint alone"
# O1 finished 10-01 10:00; O2 not finished; O3 written twice, finished 10-20 and 10-01
printf 'order_id,shop_id,shop_name,created_at,finished_at\nO1,1,S,2026-09-28 10:00:00,2026-10-01 10:00:00\nO2,1,S,2026-09-28 10:00:00,\nO3,1,S,2026-09-28 10:00:00,2026-10-20 10:00:00\nO3,1,S,2026-09-28 10:00:00,2026-10-01 10:00:00\n' > w.csv
{
	echo 'complaint_id,order_id,shop_id,filed_at,finished_at,text'
	echo 'exactly-15-days,O1,1,2026-10-16 10:00:00,,要求退款'
	echo 'one-second-late,O1,1,2026-10-16 10:00:01,,要求退款'
	echo 'order-not-finished,O2,1,2026-12-01 10:00:00,,要求退款'
	echo 'no-order-late-by-own-column,O9,1,2026-10-20 10:00:00,2026-10-01 10:00:00,要求退款'
	echo 'no-order-no-column,O8,1,2026-12-01 10:00:00,,要求退款'
	echo 'late-by-earliest-of-two,O3,1,2026-10-20 10:00:00,,要求退款'
	echo 'own-column-ignored-when-order-found,O1,1,2026-10-20 10:00:00,2026-10-15 10:00:00,要求退款'
} > wc.csv
tail -n +2 wc.csv | while IFS=, read -r id rest; do
	{ head -n 1 wc.csv; grep "^$id," wc.csv; } > one.csv
	printf '%s\t%s\n' "$id" "$("$TOUSU" rates --orders w.csv --complaints one.csv 2> /dev/null < /dev/null | tail -n 1 | cut -f4,25,26)"
done
show 1-4,25,26 --orders w.csv --complaints wc.csv

echo "== shop_name: the latest row's (orders or complaints), ties by the smallest name, however split"
printf 'order_id,shop_id,shop_name,created_at,finished_at\n1,1,Alpha,2026-10-01 10:00:00,\n2,1,Beta,2026-10-05 10:00:00,\n3,2,Zzz,2026-10-01 10:00:00,\n4,2,Zed,2026-10-03 10:00:00,\n5,2,Ann,2026-10-03 10:00:00,\n6,3,甲,2026-10-09 10:00:00,\n' > n.csv
printf 'complaint_id,order_id,shop_id,shop_name,filed_at,text\nC1,1,1,Gamma,2026-10-07 10:00:00,要求退款\nC2,6,3,乙,2026-10-08 10:00:00,要求退款\n' > nc.csv
show 1-4 --orders n.csv --complaints nc.csv
{ head -n 1 n.csv; sed -n '2p;5p;7p' n.csv; } > na.csv
{ head -n 1 n.csv; sed -n '3p;4p;6p' n.csv; } > nb.csv
{ head -n 1 nc.csv; sed -n 3p nc.csv; } > nca.csv
{ head -n 1 nc.csv; sed -n 2p nc.csv; } > ncb.csv
"$TOUSU" rates --orders na.csv --complaints nca.csv --partial a.p
"$TOUSU" rates --orders nb.csv --complaints ncb.csv --partial b.p
"$TOUSU" rates --orders n.csv --complaints nc.csv > whole.tsv 2> /dev/null
for parts in "a.p b.p" "b.p a.p"; do
	"$TOUSU" merge $parts 2> /dev/null | cmp - whole.tsv
done
"$TOUSU" rates --orders nb.csv na.csv --complaints ncb.csv nca.csv 2> /dev/null | cmp - whole.tsv
echo "split and merged, or listed in another order: same names"
echo "== shop_name when the name is the shop key (no shop_id column): the name, not empty"
printf 'order_id,shop_name,created_at\n1,甲店,2026-10-01 10:00:00\n2,Beta,2026-10-02 10:00:00\n' > k.csv
printf 'complaint_id,order_id,shop_name,filed_at,text\nC1,1,甲店,2026-10-03 10:00:00,要求退款\n' > kc.csv
show 1-4 --orders k.csv --complaints kc.csv

echo "== --memory"
"$TOUSU" rates --orders en/orders.csv --complaints en/complaints.csv > big.tsv 2> /dev/null
"$TOUSU" rates --orders en/orders.csv --complaints en/complaints.csv --memory 16K > small.tsv 2> /dev/null
cmp big.tsv small.tsv && echo "--memory 16K: same table"
