# tousu report on two dates of the bundled samples, split into daily exports
# (orders by created_at, complaints by filed_at). The first run, 2026-10-20,
# catches up on 2026-10-01..20 at once; the second, 2026-10-31, is given the
# exports since (10-21..31). Checked: the folder's files, `latest`, the alerts
# (shops over --threshold and one that jumped, each with its previous rate,
# the change and the types that grew, all recomputed from the two rates.tsv;
# the same rows on the page), the deltas (summary.json's previous_report),
# --fail-on-alert (exit 0 without alerts, 3 with them, the report still put in
# place), and that every stderr line starts with a timestamp of when it was
# written (ISO 8601 with the offset of --tz): stripped, stderr is golden.
python3 "$REPO/tests/report/split_days.py" "$REPO/samples" day 2026-10-01 2026-10-31

# exports KIND FIRST LAST: the daily KIND.csv files of FIRST..LAST
exports() {
	ls day | awk -v k="$1" -v a="$2" -v b="$3" '$0 >= a && $0 <= b { print "day/" $0 "/" k ".csv" }'
}
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} '
# report NAME ARGS...: runs tousu report, prints its exit status and its
# stderr without the stamps, after checking them: each line has one, and it
# lies between the run's start and end (to the second) in the offset asked
report() {
	name=$1; shift
	before=$(date +%s)
	rc=0; "$TOUSU" report "$@" > "$name.out" 2> "$name.err" || rc=$?
	after=$(date +%s)
	echo "$name: exit $rc, $(wc -c < "$name.out") bytes on stdout"
	if grep -Evq "$stamp" "$name.err"; then
		echo "$name: stderr lines without a timestamp:"; grep -Ev "$stamp" "$name.err"; exit 1
	fi
	cut -d' ' -f1 "$name.err" | while read -r t; do
		s=$(date -d "$t" +%s)
		[ "$s" -ge "$before" ] && [ "$s" -le "$after" ] || { echo "$name: stamp $t not in the run"; exit 1; }
		case $t in *"$tz") ;; *) echo "$name: stamp $t not in $tz"; exit 1 ;; esac
	done
	sed -E "s/$stamp//; s/^/  /" "$name.err"
}

tz=+08:00   # the default --tz
report first --out rep --date 2026-10-20 --min-orders 20 --fail-on-alert \
	--orders $(exports orders 2026-10-01 2026-10-20) \
	--complaints $(exports complaints 2026-10-01 2026-10-20)
report second --out rep --date 2026-10-31 --min-orders 20 --threshold 0.05 --fail-on-alert \
	--orders $(exports orders 2026-10-21 2026-10-31) \
	--complaints $(exports complaints 2026-10-21 2026-10-31)

echo "rep: $(ls -A rep | tr '\n' ' ')"
echo "rep/latest -> $(readlink rep/latest)"
echo "rep/state/partials: $(ls rep/state/partials | tr '\n' ' ')"
for d in 2026-10-20 2026-10-31; do
	echo "rep/$d: $(ls rep/$d | tr '\n' ' ')"
	for f in rates.tsv rates.csv trend.tsv types.tsv alerts.tsv worst.tsv summary.json index.html \
		top.png top.svg types.png types.svg trend.png trend.svg distribution.png distribution.svg; do
		test -s "rep/$d/$f" || { echo "rep/$d/$f: missing or empty"; exit 1; }
	done
	for c in top types trend distribution; do
		head -c 8 "rep/$d/$c.png" | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a' ||
			{ echo "rep/$d/$c.png: not a PNG"; exit 1; }
		grep -q '<svg' "rep/$d/$c.svg" || { echo "rep/$d/$c.svg: not an SVG"; exit 1; }
	done
done
echo "all files there, charts are PNG and SVG"

echo "first summary.json:"
cat rep/2026-10-20/summary.json
echo "second summary.json:"
cat rep/2026-10-31/summary.json
grep -q '"previous_report":null' rep/2026-10-20/summary.json
grep -q '"previous_report":"2026-10-20"' rep/2026-10-31/summary.json
echo "first alerts.tsv:"
cat rep/2026-10-20/alerts.tsv
echo "second alerts.tsv:"
cat rep/2026-10-31/alerts.tsv

# The alerts of the second date, recomputed from the two rates.tsv: a shop
# with at least --min-orders orders alerts for "threshold" when its rate is
# 0.05 or more, for "jump" when it rose by --jump (0.01) or more and its
# Wilson interval lies above the previous rate; previous_rate is its rate in
# the first report, change the difference, types_grown the types whose count
# rose, with how much. Every alert row is checked, and no shop is missing.
awk -F'\t' '
	FNR == 1 { file++ }
	# the type columns: from the 9th to "other"
	file == 1 && FNR == 1 { for (i = 9; i <= NF; i++) { type[i] = $i; if ($i == "other") break }; last = i }
	/^#/ { next }
	file == 1 { rate0[$1] = $5; for (i = 9; i <= last; i++) before[$1, i] = $i }
	file == 2 && $3 >= 20 && $5 != "" {
		over = $5 >= 0.05
		jumped = ($1 in rate0) && rate0[$1] != "" && $5 - rate0[$1] >= 0.01 && $7 > rate0[$1]
		if (!over && !jumped) next
		want[$1] = over && jumped ? "threshold,jump" : over ? "threshold" : "jump"
		g = ""
		for (i = 9; i <= last && ($1 in rate0); i++)
			if ($i > before[$1, i]) g = g (g == "" ? "" : ",") type[i] "+" $i - before[$1, i]
		grown[$1] = g; rate1[$1] = $5
	}
	file == 3 {
		if (!($1 in want)) { print "alert for " $1 ", not expected"; bad = 1; next }
		if ($3 != want[$1] || $6 != rate1[$1]) { print $1 ": " $3 " " $6 ", expected " want[$1] " " rate1[$1]; bad = 1 }
		if ($9 != rate0[$1]) { print $1 ": previous_rate " $9 ", the first report has " rate0[$1]; bad = 1 }
		d = $6 - $9; if (d - $10 > 1e-6 || $10 - d > 1e-6) { print $1 ": change " $10 ", not " d; bad = 1 }
		if ($11 != grown[$1]) { print $1 ": types_grown " $11 ", not " grown[$1]; bad = 1 }
		delete want[$1]; n++
	}
	END {
		for (s in want) { print "no alert for " s " (" want[s] ")"; bad = 1 }
		if (bad) exit 1
		print n " alerts, as recomputed from the two rates.tsv (reason, previous_rate, change, types_grown)"
	}' rep/2026-10-20/rates.tsv rep/2026-10-31/rates.tsv rep/2026-10-31/alerts.tsv
# the page lists the alerts: each alerting shop is a row of its first table
sed -n '/<section class="table" id="table-1">/,/<\/section>/p' rep/2026-10-31/index.html > alerts.html
grep -q '<h2>Alerts</h2>' alerts.html
cut -f1 rep/2026-10-31/alerts.tsv | grep -v '^#' | while read -r shop; do
	grep -q "^<tr><td class=\"num\">$shop</td>" alerts.html || { echo "page: no alert row for $shop"; exit 1; }
done
echo "page: $(grep -c '^<tr><td' alerts.html) alert rows, one per line of alerts.tsv"
