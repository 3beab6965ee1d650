#!/bin/sh
# `make demo`: the main job, the nightly report, on the bundled samples:
# orders, complaints and chats of October 2026, reported as of 2026-10-31
# with alerts for shops over the 90th percentile and a card for the worst
# shop. Writes demo-report/2026-10-31/ (tables, charts, index.html) and
# demo-report/latest, and says where. Running it again gives the same folder.
set -eu
cd "$(dirname "$0")/.."
out=${TOUSU_DEMO_OUT:-demo-report}
date=2026-10-31
s=samples
# The worst shop by rate among those with 30 orders or more, for its card.
worst=$(./tousu rates --orders $s/orders.csv --complaints $s/complaints.csv \
	--window 30d --asof $date --min-orders 30 --top 1 2>/dev/null | sed -n '2s/\t.*//p')
./tousu report --orders $s/orders.csv --complaints $s/complaints.csv --chats $s/chats.csv \
	--out "$out" --date $date --threshold p90 --shop "$worst"
echo
echo "tousu demo: the report for $date is in $(pwd)/$out/$date/ (also $out/latest):"
echo "  index.html (open it in a browser), rates.tsv, rates.csv, worst.tsv, trend.tsv,"
echo "  types.tsv, alerts.tsv, chats.tsv, evidence.tsv, summary.json, the charts top,"
echo "  types, trend and distribution as .png and .svg, and shop-$worst.html"
