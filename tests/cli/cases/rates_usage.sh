# Usage errors of `tousu rates` and `tousu merge` are exit 2 with a message and
# no output, found before any input is read (the orders file named here does
# not exist and is never looked at); so is an unwritable --partial, exit 1. A
# failed run leaves no partial behind.
cp "$REPO/samples/orders.csv" o.csv
cp "$REPO/samples/complaints.csv" c.csv
run() {
	st=0; "$TOUSU" "$@" > out 2> err || st=$?
	echo "$*: exit $st, $(wc -c < out) bytes out"
	sed 's/^/  /' err
}
run rates --orders o.csv
run rates --complaints c.csv
run rates
run rates --orders missing.csv --complaints c.csv --chart trend --by shop
run rates --orders missing.csv --complaints c.csv --chart top --by day
run rates --orders missing.csv --complaints c.csv --chart types --by type
run rates --orders missing.csv --complaints c.csv --window 7d --from 2026-10-01
run rates --orders missing.csv --complaints c.csv --window 7d --to 2026-10-01
run rates --orders missing.csv --complaints c.csv --window 0d
run rates --orders missing.csv --complaints c.csv --window 7w
run rates --orders missing.csv --complaints c.csv --window -3d
run rates --orders missing.csv --complaints c.csv --asof 2026-10-20
run rates --orders missing.csv --complaints c.csv --from 2026-13-01
run rates --orders missing.csv --complaints c.csv --from 2026-10-20 --to 2026-10-01
run rates --orders missing.csv --complaints c.csv --by bogus
run rates --orders missing.csv --complaints c.csv --kind orders
run rates --orders missing.csv --complaints c.csv --top 3 extra.csv
run rates extra.csv --orders o.csv --complaints c.csv
run rates --orders missing.csv --complaints c.csv --partial p --chart top
run rates --orders missing.csv --complaints c.csv --partial p --format gnuplot
run rates --orders missing.csv --complaints c.csv --output chart.png
run rates --orders missing.csv --complaints c.csv --partial no-such-dir/p
run rates --orders missing.csv --complaints c.csv --partial p
test ! -e p && echo "no partial left after a failed run"
"$TOUSU" rates --orders o.csv --complaints c.csv --partial shop.p 2> /dev/null
run merge
run merge --by shop shop.p
run merge --partial q --chart top shop.p
run merge --partial no-such-dir/q shop.p
run merge --output chart.png shop.p
run merge --chart trend shop.p
test ! -e q && echo "no partial q"
