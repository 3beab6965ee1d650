#!/bin/sh
# `make demo`: run tousu on the bundled samples and write a report folder:
# what the readers say about each export (inspect), the complaint types
# (classify), complaint rates per shop, day and type (rates), and the four
# charts as PNG and SVG, on one HTML page with the charts inline. The nightly
# `tousu report` will make the full dated folder.
set -eu
cd "$(dirname "$0")/.."
out=${TOUSU_DEMO_OUT:-demo-report}
tmp="$out.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM
o=samples/orders.csv c=samples/complaints.csv

./tousu inspect $o $c samples/chats.csv > "$tmp/inspect.txt"
./tousu inspect --format tsv $o $c samples/chats.csv > "$tmp/inspect.tsv"
./tousu inspect --format json $o $c samples/chats.csv > "$tmp/inspect.json"
./tousu classify $c > "$tmp/complaints-classified.tsv"
./tousu classify --summary $c > "$tmp/type-agreement.tsv"
./tousu rates --orders $o --complaints $c > "$tmp/rates.tsv" 2> "$tmp/rates-notes.txt"
./tousu rates --orders $o --complaints $c --format csv > "$tmp/rates.csv" 2> /dev/null
./tousu rates --orders $o --complaints $c --by day > "$tmp/rates-by-day.tsv" 2> /dev/null
./tousu rates --orders $o --complaints $c --by type > "$tmp/rates-by-type.tsv" 2> /dev/null
for chart in top types trend distribution; do
	for term in png svg; do
		./tousu rates --orders $o --complaints $c --chart $chart --terminal $term \
			$( [ $chart = types ] && echo --by day ) 2> /dev/null |
			gnuplot > "$tmp/$chart.$term"
	done
done

esc() { sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' "$@"; }
# A tsv as an HTML table: the '#' header row, then the rows, cells escaped.
table() {
	esc "$1" | awk -F'\t' 'NR == 1 { sub(/^#/, ""); printf "<table><tr>";
		for (i = 1; i <= NF; i++) printf "<th>%s</th>", $i; print "</tr>"; next }
		{ printf "<tr>"; for (i = 1; i <= NF; i++) printf "<td>%s</td>", $i; print "</tr>" }
		END { print "</table>" }'
}
img() { printf '<img alt="%s" src="data:image/png;base64,' "$1"; base64 -w0 "$tmp/$1.png"; echo '">'; }
{
	echo '<!doctype html><html lang="en"><head><meta charset="utf-8">'
	echo '<title>tousu demo</title>'
	echo '<style>body{font:14px/1.4 sans-serif;margin:2em}pre{background:#f6f6f6;padding:1em}'
	echo 'table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}'
	echo 'img{max-width:100%}</style>'
	echo '</head><body><h1>tousu demo: the bundled sample exports</h1>'
	echo '<h2>Complaint rates, worst shops first</h2>'
	echo '<p>From <code>tousu rates</code>: orders, complaints (by primary type), the rate with'
	echo 'its 95% Wilson interval, and what was left out:</p><pre>'
	esc "$tmp/rates-notes.txt"
	echo '</pre>'
	table "$tmp/rates.tsv"
	img top; img types; img trend; img distribution
	echo '<h2>By type</h2>'
	table "$tmp/rates-by-type.tsv"
	echo '<h2>Complaint types: the text against the platform type</h2>'
	table "$tmp/type-agreement.tsv"
	echo '<h2>The exports</h2><p>What <code>tousu inspect</code> reads from each export in <code>samples/</code>.</p><pre>'
	esc "$tmp/inspect.txt"
	echo '</pre></body></html>'
} > "$tmp/index.html"

rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT INT TERM
cat "$out/rates-notes.txt"
head -n 6 "$out/rates.tsv" | cut -f1-8
echo
echo "tousu demo: report written to $(pwd)/$out/ (index.html; rates.tsv, rates.csv,"
echo "rates-by-day.tsv, rates-by-type.tsv; top, types, trend, distribution as .png and"
echo ".svg; inspect.txt/.tsv/.json, complaints-classified.tsv, type-agreement.tsv)"
