# tousu report's usage errors are exit 2, said before any input is read (the
# exports named do not exist) and before the folder is made; an --out that
# cannot be made fails at once with exit 1 (the orders export is a FIFO no
# one writes: a run that read first would hang, and timeout says so). Without
# --date the report is yesterday's in --tz, and the log lines are stamped in
# --tz too. Stamps are shown as TIME.
o="$REPO/samples/orders.csv" c="$REPO/samples/complaints.csv"
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} '
try() {
	rc=0
	timeout 20 "$TOUSU" report "$@" > out 2> err || rc=$?
	echo "tousu report $*: exit $rc, $(wc -c < out) bytes out"
	sed -E "s/$stamp/TIME /; s/^/  /" err
}
try --orders missing.csv --complaints missing.csv
try --out rep --complaints missing.csv
try --out rep --orders missing.csv
try --out rep
for d in 2026-13-01 2026-02-30 20261001 2026-10-1 2026-10-01x yesterday ''; do
	try --out rep --orders missing.csv --complaints missing.csv --date "$d"
done
for w in 0d -3d 30days d 4000d ''; do
	try --out rep --orders missing.csv --complaints missing.csv --window "$w"
done
for t in 1.5 p101 p0 p0.0 p-1 p abc -0.1 inf 0.05x ''; do
	try --out rep --orders missing.csv --complaints missing.csv --threshold "$t"
done
try --out rep --orders missing.csv --complaints missing.csv --jump x
try --out rep --orders missing.csv --complaints missing.csv --min-orders x
try --out rep --orders missing.csv --complaints missing.csv --no-such-option
test ! -e rep
echo "no rep folder made"

# unwritable: under a file, and a file
mkfifo never.fifo
: > file
cp "$c" complaints.csv
try --out file/rep --orders never.fifo --complaints complaints.csv --date 2026-10-30
try --out file --orders never.fifo --complaints complaints.csv --date 2026-10-30

# the default --date: yesterday in --tz (-05:00, the stamps' offset too);
# the day is read before and after, in case the run spans midnight there
a=$(TZ=UTC+5 date -d '1 day ago' +%F)
"$TOUSU" report --out rep --orders "$o" --complaints "$c" --tz -05:00 2> err
b=$(TZ=UTC+5 date -d '1 day ago' +%F)
d=$(readlink rep/latest)
[ "$d" = "$a" ] || [ "$d" = "$b" ] || { echo "default --date: $d, not $a"; exit 1; }
test "$(grep -Ec '^[0-9T:-]{19}-05:00 tousu: ' err)" = "$(wc -l < err)"
echo "no --date: the report is yesterday's in --tz -05:00, $(wc -l < err) log lines stamped -05:00"
sed -E "s/$stamp/TIME /; s/$d/DATE/g; s/^/  /" err
# latest only moves forward: rerunning an older night (a backfill) leaves it
o="$REPO/samples/orders.csv" c="$REPO/samples/complaints.csv"
for d in 2026-10-30 2026-10-31 2026-10-30; do
	"$TOUSU" report --out back --date "$d" --orders "$o" --complaints "$c" 2>/dev/null
done
echo "after a backfill of 2026-10-30, latest -> $(readlink back/latest)"
for bad in "--threshold nan" "--threshold pnan" "--jump -1" "--jump nan"; do
	rc=0
	"$TOUSU" report --out back --date 2026-10-31 --orders "$o" --complaints "$c" $bad \
		> /dev/null 2> err.txt || rc=$?
	echo "$bad: exit $rc"
done
# Standard input is read once: with --chats the complaints are read twice
# (rates, then the chats' evidence), so "-" there would lose the evidence.
rc=0
"$TOUSU" report --out stdin --date 2026-10-31 --orders "$o" --complaints - \
	--chats "$REPO/samples/chats.csv" < "$c" > /dev/null 2> err.txt || rc=$?
echo "complaints on stdin with --chats: exit $rc: $(cat err.txt)"
test ! -e stdin/2026-10-31 && echo "no report written"
rc=0
"$TOUSU" chats --chats - --complaints - < /dev/null > /dev/null 2> err.txt || rc=$?
echo "chats and complaints both on stdin: exit $rc: $(cat err.txt)"
