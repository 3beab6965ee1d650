# --shop shapes the card, never the state: the partial that tousu report keeps
# for later nights (DIR/state/partials/DATE.part) is byte for byte the one a
# run without --shop keeps, whether the id is in the exports or not, and an id
# no export has is nowhere in it (so `tousu merge` of the state is the same
# too: it reads the same bytes). And the card still works for a shop with no
# rows tonight: on the bundled samples split by day, 755110135 has nothing on
# 2026-10-31 (no order at all is created that day); after the night of 10-30
# (exports 10-01..30), the night of 10-31 (its exports only) with --shop
# 755110135 gives the card's figures of its rates.tsv row and the days of a
# single run over every export.
o="$REPO/samples/orders.csv" c="$REPO/samples/complaints.csv"
# night DIR DATE ORDERS COMPLAINTS [ARGS...]: tousu report, quiet
night() {
	dir=$1 date=$2 orders=$3 complaints=$4; shift 4
	"$TOUSU" report --out "$dir" --date "$date" --orders $orders --complaints $complaints \
		"$@" 2> "$dir.err" || { echo "$dir: exit $?"; cat "$dir.err"; exit 1; }
}

night plain 2026-10-31 "$o" "$c"
for id in 000000000 214014039; do
	night "shop-$id" 2026-10-31 "$o" "$c" --shop "$id"
	cmp plain/state/partials/2026-10-31.part "shop-$id/state/partials/2026-10-31.part"
	echo "--shop $id: the partial kept is the one without --shop"
done
if gzip -dc shop-000000000/state/partials/2026-10-31.part | grep -aq 000000000; then
	echo "000000000 is in the partial kept"; exit 1
fi
echo "000000000 is nowhere in its partial"

# a shop with no rows tonight, known from the saved nights
python3 "$REPO/tests/report/split_days.py" "$REPO/samples" day 2026-10-01 2026-10-31
shop=755110135
test "$(grep -c ",$shop," day/2026-10-31/orders.csv day/2026-10-31/complaints.csv | cut -d: -f2 | tr '\n' ' ')" = "0 0 "
days_before=$(ls day | awk '$0 <= "2026-10-30"')
night two 2026-10-30 "$(printf 'day/%s/orders.csv ' $days_before)" \
	"$(printf 'day/%s/complaints.csv ' $days_before)"
night two 2026-10-31 day/2026-10-31/orders.csv day/2026-10-31/complaints.csv --shop $shop
night one 2026-10-31 "$o" "$c" --shop $shop
cmp one/2026-10-31/shop-$shop-days.tsv two/2026-10-31/shop-$shop-days.tsv
row=$(grep "^$shop	" two/2026-10-31/rates.tsv)
orders=$(echo "$row" | cut -f3) complaints=$(echo "$row" | cut -f4)
shown=$(grep -o '<span class="value">[^<]*</span><span class="label">Orders<' two/2026-10-31/shop-$shop.html |
	sed 's/<span class="value">//; s/<.*//')
test "$shown" = "$orders"
rate=$(grep -o '<span class="value">[^<]*</span><span class="label">Complaints per 1,000' \
	two/2026-10-31/shop-$shop.html | sed 's/<span class="value">//; s/<.*//')
case $rate in "$(awk -v k="$complaints" -v n="$orders" 'BEGIN { printf "%.2f", 1000 * k / n }')‰ "*) ;;
	*) echo "card's rate $rate is not $complaints in $orders"; exit 1 ;;
esac
echo "night of 2026-10-31, --shop $shop (nothing tonight): card shows $shown orders, $rate" \
	"(rates.tsv: $orders orders, $complaints complaints); its days = a single run's, $(grep -vc '^#' two/2026-10-31/shop-$shop-days.tsv) rows"
echo "no line about an unknown shop: $(grep -c 'no orders or complaints' two.err || :); its types (no texts tonight):"
cat two/2026-10-31/shop-$shop-types.tsv
