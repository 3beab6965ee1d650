# 31 nights of tousu report, one per day of daily exports (the bundled samples
# split by day: orders by created_at, complaints by filed_at), in order. Each
# night's 30-day figures per shop (rates.tsv), merged from the saved nights'
# partials, equal one `tousu rates --window 30d --asof NIGHT` over every
# export so far, byte for byte, and the last night's trend.tsv the same with
# --by day. The 31st night's window leaves the first night out. Re-running a
# middle night and then the last changes nothing, and --rebuild with all the
# exports at once gives the same tables again (the saved nights are
# forgotten, not counted twice).
#
# The charts are not what is checked here, and 31 nights of eight real gnuplot
# runs take over 30 s: a stand-in gnuplot on PATH writes a 1x1 PNG to the
# script's `set output` (the page needs a PNG). report_two_dates and
# report_page use the real one.
python3 "$REPO/tests/report/split_days.py" "$REPO/samples" day 2026-10-01 2026-10-31
mkdir bin
python3 - <<'PY'
import struct, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b""))
# shell builtins only: it runs 8 times a night
stub = r"""#!/bin/sh
out=
while IFS= read -r line; do
	case $line in "set output '"*"'") out=${line#"set output '"}; out=${out%"'"} ;; esac
done
test -n "$out" || exit 1
printf 'PNG' > "$out"
""".replace("PNG", "".join("\\%03o" % b for b in png))
with open("bin/gnuplot", "w") as f:
    f.write(stub)
PY
chmod +x bin/gnuplot
PATH=$PWD/bin:$PATH

# exports KIND LAST: the daily KIND.csv files up to LAST
exports() {
	ls day | awk -v k="$1" -v b="$2" '$0 <= b { print "day/" $0 "/" k ".csv" }'
}
night() {
	"$TOUSU" report --out rep --date "$1" --orders "day/$1/orders.csv" \
		--complaints "day/$1/complaints.csv" 2>> log
}
# rates BY NIGHT: tousu rates --by BY over the window ending NIGHT, over
# every export up to NIGHT
rates() {
	"$TOUSU" rates --by "$1" --window 30d --asof "$2" --orders $(exports orders "$2") \
		--complaints $(exports complaints "$2") 2> /dev/null
}
for d in $(ls day); do
	night "$d"
	rates shop "$d" > want.tsv
	cmp want.tsv "rep/$d/rates.tsv" || { echo "night $d: rates.tsv differs from tousu rates"; exit 1; }
done
rates day 2026-10-31 > want.tsv
cmp want.tsv rep/2026-10-31/trend.tsv
echo "$(ls day | wc -l) nights: each night's rates.tsv = tousu rates --window 30d --asof NIGHT over every export so far; the last night's trend.tsv = the same --by day"
test "$(grep -c ': written to ' log)" = 31
echo "last night's summary.json:"
cat rep/2026-10-31/summary.json
echo "last night's rates.tsv:"
cat rep/2026-10-31/rates.tsv

# reruns: the middle night, then the last; every file of both reports and
# both partials stay the same
cp -R rep before
night 2026-10-15
night 2026-10-31
diff -r before/2026-10-15 rep/2026-10-15
diff -r before/2026-10-31 rep/2026-10-31
cmp before/state/partials/2026-10-15.part rep/state/partials/2026-10-15.part
cmp before/state/partials/2026-10-31.part rep/state/partials/2026-10-31.part
echo "rerun of 2026-10-15 then 2026-10-31: $(ls rep/2026-10-31 | wc -l) files of each report and their partials unchanged; latest -> $(readlink rep/latest)"
test "$(ls rep/state/partials | wc -l)" = 31

# --rebuild: every export at once, in the same folder
"$TOUSU" report --rebuild --out rep --date 2026-10-31 --orders $(exports orders 2026-10-31) \
	--complaints $(exports complaints 2026-10-31) 2>> log
for f in rates.tsv rates.csv trend.tsv types.tsv worst.tsv; do
	cmp before/2026-10-31/$f rep/2026-10-31/$f
done
echo "--rebuild with every export: rates.tsv rates.csv trend.tsv types.tsv worst.tsv the same; state/partials: $(ls rep/state/partials | tr '\n' ' ')"
grep -o '"nights_merged":[0-9]*' rep/2026-10-31/summary.json
