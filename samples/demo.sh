#!/bin/sh
# `make demo`: run tousu on the bundled samples and write a report folder.
# Today that is what the readers can say about each export (inspect) and the
# complaint types (classify); rate tables, charts and the full page come with
# `tousu report`.
set -eu
cd "$(dirname "$0")/.."
out=${TOUSU_DEMO_OUT:-demo-report}
tmp="$out.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM

./tousu inspect samples/orders.csv samples/complaints.csv samples/chats.csv > "$tmp/inspect.txt"
./tousu inspect --format tsv samples/orders.csv samples/complaints.csv samples/chats.csv > "$tmp/inspect.tsv"
./tousu inspect --format json samples/orders.csv samples/complaints.csv samples/chats.csv > "$tmp/inspect.json"
./tousu classify samples/complaints.csv > "$tmp/complaints-classified.tsv"
./tousu classify --summary samples/complaints.csv > "$tmp/type-agreement.tsv"

{
	echo '<!doctype html><html lang="en"><head><meta charset="utf-8">'
	echo '<title>tousu demo</title>'
	echo '<style>body{font:14px/1.4 sans-serif;margin:2em}pre{background:#f6f6f6;padding:1em}</style>'
	echo '</head><body><h1>tousu demo: the bundled sample exports</h1>'
	echo '<p>What <code>tousu inspect</code> reads from each export in <code>samples/</code>.</p><pre>'
	sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' "$tmp/inspect.txt"
	echo '</pre><h2>Complaint types: the text against the platform type</h2><pre>'
	sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' "$tmp/type-agreement.tsv"
	echo '</pre></body></html>'
} > "$tmp/index.html"

rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT INT TERM
cat "$out/inspect.txt"
echo
echo "tousu demo: report written to $(pwd)/$out/ (index.html, inspect.tsv, inspect.json, complaints-classified.tsv, type-agreement.tsv)"
