# The formats of `tousu rates` on the bundled samples: tsv, csv (RFC 4180,
# quotes doubled) and JSON Lines, whose keys are the tsv header's names in its
# order, whose numbers are the tsv's cells as written and whose empty cells
# are null; then --top, --sort wilson, --min-orders (percentile among the
# shops shown), --window/--asof and --by shop,type, as small goldens. The
# goldens classify with tests/fixtures/test.rules, so that tuning the built-in
# rules does not move them; the built-in types are the header's.
S=$REPO/samples
# cols NAME...: those columns of a tsv table, by their names
cols() { awk -f "$REPO/tests/rates/columns.awk" -v cols="$(echo "$*" | tr ' ' '\t')"; }
r() { "$TOUSU" rates --rules "$FIXTURES/test.rules" --orders "$S/orders.csv" --complaints "$S/complaints.csv" "$@" 2> /dev/null; }

echo "== the built-in rules' columns and types, in order"
"$TOUSU" rates --orders "$S/orders.csv" --complaints "$S/complaints.csv" 2> /dev/null | head -n 1
"$TOUSU" rates --orders "$S/orders.csv" --complaints "$S/complaints.csv" --by type 2> /dev/null | cut -f1 | tr '\n' ' '
echo

echo "== tsv, csv, json --top 3"
r --top 3
r --top 3 --format csv
r --top 3 --format json
echo "== --sort wilson --top 4"
r --sort wilson --top 4 | cols shop_id orders complaints complaint_rate wilson_low wilson_high
echo "== --min-orders 60"
r --min-orders 60 | cols shop_id shop_name orders complaints percentile
echo "== --window 7d --asof 2026-10-20"
r --window 7d --asof 2026-10-20 | cols shop_id orders complaints complaint_rate wilson_low wilson_high percentile
echo "== --by shop,type --top 4"
r --by shop,type --top 4

# complaints without an outcome column: established and points are empty (null)
python3 - "$S/complaints.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
drop = rows[0].index("outcome")
with open("no-outcome.csv", "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\n").writerows([c for i, c in enumerate(r) if i != drop] for r in rows)
PY
echo "== no outcome column --top 2"
"$TOUSU" rates --orders "$S/orders.csv" --complaints no-outcome.csv --top 2 2> /dev/null |
	cols shop_id orders complaints established not_established penalty_points late_complaints no_order percentile

# json = tsv, cell for cell, for every grouping, a shop with complaints and no
# orders in the window (empty rates and percentile), and no outcome column
n=0
check() {
	c=$1; shift
	n=$((n + 1))
	"$TOUSU" rates --orders "$S/orders.csv" --complaints "$c" "$@" > "t$n.tsv" 2> /dev/null
	"$TOUSU" rates --orders "$S/orders.csv" --complaints "$c" "$@" --format json > "t$n.json" 2> /dev/null
	"$TOUSU" rates --orders "$S/orders.csv" --complaints "$c" "$@" --format csv > "t$n.csv" 2> /dev/null
	printf '%s\t%s\n' "t$n" "$*" >> runs.tsv
}
for by in shop day week month type shop,day shop,week shop,month shop,type; do
	check "$S/complaints.csv" --by "$by"
done
check "$S/complaints.csv" --window 7d --asof 2026-11-05
check no-outcome.csv
check no-outcome.csv --by type
echo "== json and csv against tsv"
python3 - <<'PY'
import csv, json
num = lambda s: ("num", s)
keys = {"shop_id", "shop_name", "day", "week", "month", "type"}
for run in open("runs.tsv", encoding="utf-8"):
    t, args = run.rstrip("\n").split("\t")
    tsv = [l.rstrip("\n").split("\t") for l in open(t + ".tsv", encoding="utf-8")]
    head = tsv[0]
    assert head[0].startswith("#"), head
    head[0] = head[0][1:]
    rows = [json.loads(l, parse_float=num, parse_int=num) for l in open(t + ".json", encoding="utf-8")]
    assert len(rows) == len(tsv) - 1, (args, len(rows), len(tsv))
    nulls = 0
    for obj, cells in zip(rows, tsv[1:]):
        assert list(obj) == head, (args, list(obj), head)
        for k, cell in zip(head, cells):
            v = obj[k]
            if k in keys:
                assert v == cell, (args, k, v, cell)
            elif cell == "":
                assert v is None, (args, k, v)
                nulls += 1
            else:
                assert v == ("num", cell), (args, k, v, cell)
    assert list(csv.reader(open(t + ".csv", newline="", encoding="utf-8"))) == [head] + tsv[1:], args
    print(f"{args or '(default)'}: json and csv = tsv, {len(rows)} rows, {nulls} nulls")
PY
