# A report killed mid-way (SIGKILL) leaves the previous report, its partial
# and `latest` as they were, byte for byte; the next run cleans the killed
# run's leftover folder and succeeds. While a run holds the folder's lock a
# second run is refused (exit 1, saying so). A run that fails (a truncated
# gzip export) exits 1 and leaves every earlier report and `latest` alone.
#
# No timing races: the killed run's orders export is a FIFO that the test
# writes 200 rows into and never closes, so the run is stopped reading it
# (its lock taken, its .DATE.tmp.PID folder made) until it is killed.
o="$REPO/samples/orders.csv" c="$REPO/samples/complaints.csv"
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} '
# snap: every file and link under rep with its checksum or target, but the
# lock file and leftovers of killed runs
snap() {
	(cd rep && find . -name .lock -prune -o -name '.*.tmp.*' -prune -o \( -type f -o -type l \) -print |
		sort | while read -r f; do
			if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else cksum "$f"; fi
		done)
}
# try NAME ARGS...: tousu report, its exit status and stderr without the stamps
try() {
	name=$1; shift
	rc=0; "$TOUSU" report "$@" > "$name.out" 2> "$name.err" || rc=$?
	echo "$name: exit $rc, $(wc -c < "$name.out") bytes on stdout"
	sed -E "s/$stamp//; s/^/  /" "$name.err"
}

try good --out rep --date 2026-10-30 --orders "$o" --complaints "$c"
snap > before.snap
echo "rep: $(ls -A rep | tr '\n' ' '), latest -> $(readlink rep/latest), $(wc -l < before.snap) files and links"

mkfifo orders.fifo
{ head -n 200 "$o"; : > wrote; exec sleep 300; } > orders.fifo &
writer=$!
"$TOUSU" report --out rep --date 2026-10-31 --orders orders.fifo --complaints "$c" 2> killed.err &
pid=$!
trap 'kill -9 $pid $writer 2>/dev/null || :' EXIT
i=0
until [ -e wrote ] && ls -d rep/.2026-10-31.tmp.$pid > /dev/null 2>&1; do
	i=$((i + 1))
	[ $i -le 600 ] || { echo "the report never got to reading the FIFO"; cat killed.err; exit 1; }
	sleep 0.1
done
echo "the run for 2026-10-31 is reading the FIFO; its folder: $(ls -A rep | grep tmp | sed 's/tmp\.[0-9]*$/tmp.PID/')"

# its lock holds off a second run on the same folder
try locked --out rep --date 2026-10-29 --orders "$o" --complaints "$c"

kill -9 $pid
rc=0; wait $pid 2> /dev/null || rc=$?  # 2> /dev/null: no "Killed" from the shell
kill $writer
wait $writer 2> /dev/null || :
echo "killed: exit $rc"
snap > after.snap
cmp before.snap after.snap
echo "after the kill: the same $(wc -l < after.snap) files and links, latest -> $(readlink rep/latest); rep: $(ls -A rep | sed 's/tmp\.[0-9]*$/tmp.PID/' | tr '\n' ' ')"

# a rerun of 2026-10-30 whose orders export is a truncated gzip fails and
# changes nothing (nor does it clean what it should not)
gzip -c "$o" > orders.csv.gz
head -c $(($(wc -c < orders.csv.gz) / 2)) orders.csv.gz > cut.csv.gz
try cut --out rep --date 2026-10-30 --orders cut.csv.gz --complaints "$c"
snap > after-cut.snap
cmp before.snap after-cut.snap
echo "after the failed run: the same files and links, latest -> $(readlink rep/latest)"

# the next run succeeds, and the killed run's folder is gone
try next --out rep --date 2026-10-31 --orders "$o" --complaints "$c"
echo "rep: $(ls -A rep | tr '\n' ' '), latest -> $(readlink rep/latest)"
grep '"previous_report"' rep/2026-10-31/summary.json | grep -o '"previous_report":[^,}]*'
snap > now.snap
grep -v -e ' ./2026-10-31/' -e ' ./state/partials/2026-10-31.part$' -e '^./latest ' now.snap > kept.snap
grep -v '^./latest ' before.snap > was.snap
cmp was.snap kept.snap
echo "the 2026-10-30 report and partial untouched by it"
