# The integer columns of `tousu rates` equal tests/rates/reference.sh (sqlite3,
# no code shared) for every time and type grouping and a --from/--to range, on
# generated data with the planted edge cases (late, exactly 15 days, orphans,
# no shop, orders written twice) and on the bundled samples; the derived
# columns (rate, per 1000, Wilson, percentile) pass tests/rates/check_rates.awk.
# The rows left out for having no shop are the reference's count too.
command -v sqlite3 > /dev/null || { echo "skip: no sqlite3" >&2; exit 77; }
R=$REPO/tests/rates
"$TOUSU" sample -q --orders 20000 --seed 38 --shops 40 --chats 0 --out s
"$TOUSU" classify s/complaints.csv > s/classified.tsv
mkdir samples
cp "$REPO/samples/orders.csv" "$REPO/samples/complaints.csv" samples/
"$TOUSU" classify samples/complaints.csv > samples/classified.tsv

# compare DIR LABEL [ARGS...]: one line per run, "LABEL ARGS: N rows equal"
compare() {
	d=$1 label=$2; shift 2
	sh "$R/reference.sh" "$d/orders.csv" "$d/complaints.csv" "$d/classified.tsv" "$@" > want.tsv 2> ref.err
	"$TOUSU" rates --orders "$d/orders.csv" --complaints "$d/complaints.csv" "$@" > got-full.tsv 2> got.err
	awk -f "$R/columns.awk" -v cols="$(head -n 1 want.tsv)" got-full.tsv |
		{ IFS= read -r h; printf '%s\n' "$h"; LC_ALL=C sort; } > got.tsv
	diff want.tsv got.tsv
	pc=; case " $* " in *" --by "[!s]*) ;; *) pc=1 ;; esac
	awk -f "$R/check_rates.awk" -v percentile="$pc" got-full.tsv > check.out || { cat check.out; exit 1; }
	# "reference: left out: 21 orders and 1 complaints without a shop, ..."
	# against "tousu: rates: left out 21 orders without a shop, 1 complaint without a shop ..."
	want_out=$(sed -n 's/^reference: left out: \([0-9]*\) orders and \([0-9]*\) complaints without a shop.*/\1 \2/p' ref.err)
	got_out=$(sed -n 's/^tousu: rates: left out \([0-9]*\) orders\{0,1\} without a shop, \([0-9]*\) complaints\{0,1\} without a shop.*/\1 \2/p' got.err)
	[ "$want_out" = "$got_out" ] || { echo "left out: reference '$want_out', tousu '$got_out'"; cat got.err; exit 1; }
	echo "$label $*: $(($(wc -l < want.tsv) - 1)) rows equal, left out (orders, complaints): $got_out"
}

for by in shop day week month type; do
	compare s sample --by "$by"
done
compare s sample --by shop --from 2026-10-08 --to 2026-10-21
compare s sample --by day --from 2026-10-08 --to 2026-10-21
compare s sample --by type --from 2026-10-08 --to 2026-10-21
for by in shop day week month type; do
	compare samples samples/ --by "$by"
done
# the pairs have no reference, but their rates must agree with their counts
for by in shop,day shop,week shop,type; do
	"$TOUSU" rates --orders s/orders.csv --complaints s/complaints.csv --by "$by" 2> /dev/null |
		awk -f "$R/check_rates.awk"
done
