# Every chart kind, as PNG and SVG, through the real gnuplot: a valid file,
# exit 0, nothing on gnuplot's stderr; --output makes gnuplot write the file.
# Hostile shop names and ids (quotes, system(), backquotes, $(), the datablock
# end marker "EOD" at the start of a line, newlines, TAB, CR, a trailing
# backslash, enhanced-text markup, a comment sign, Chinese) render as text: the
# SVG shows each one, and nothing ran (no PWNED file).
command -v gnuplot > /dev/null || { echo "skip: no gnuplot" >&2; exit 77; }
python3 - <<'PY'
import csv
names = [
    "x'; system(\"touch PWNED\"); '",
    "`touch PWNED2`",
    "EOD",
    "EOD_0123456789abcdef",
    "EOD\nsystem('touch PWNED3')\nEOD",
    "back\\",
    "q\"; system(\"touch PWNED4\"); \"",
    "@PWN",
    "#hash $(touch PWNED5)",
    "上标^{x}_y 店",
    "tab\there\rcr",
    "张记数码旗舰店",
    "",  # shown by its id
]
ids = [str(100 + s) for s in range(len(names))]
ids[-1] = "`touch PWNED6`x'; system(\"touch PWNED7\"); '"
types = ["虚假发货", "质量问题", "恶意骚扰", "服务态度", "退款"]
texts = ["显示已发货但是物流一直不动", "质量太差了，坏了", "半夜一直打电话骚扰", "客服态度很差", "要求退款"]
with open("orders.csv", "w", newline="", encoding="utf-8") as fo, \
     open("complaints.csv", "w", newline="", encoding="utf-8") as fc:
    o = csv.writer(fo, lineterminator="\r\n")
    c = csv.writer(fc, lineterminator="\r\n")
    o.writerow("order_id shop_id shop_name buyer_id created_at paid_at amount status tracking_no shipped_at finished_at".split())
    c.writerow("complaint_id order_id shop_id shop_name buyer_id filed_at complaint_type text outcome".split())
    n = 0
    for s, name in enumerate(names):
        for k in range(10 + 3 * s):
            n += 1
            day = 1 + k % 9
            oid = f"9{s:02d}{k:04d}"
            o.writerow([oid, ids[s], name, f"tb{n}", f"2026-10-{day:02d} 10:00:00", f"2026-10-{day:02d} 10:01:00",
                        "10.00", "交易成功", "", f"2026-10-{day:02d} 12:00:00", f"2026-10-{day + 2:02d} 12:00:00"])
            if k % (2 + s % 3) == 0:
                t = (s + k) % len(types)
                c.writerow([f"C{n}", oid, ids[s], name, f"tb{n}", f"2026-10-{day + 3:02d} 09:00:00",
                            types[t], texts[t], "成立" if k % 2 else "不成立"])
# the labels as the SVG must show them: TAB, CR and LF become spaces
with open("labels.txt", "w", encoding="utf-8") as f:
    for s, name in enumerate(names):
        label = name or ids[s]
        for ch in "\t\r\n":
            label = label.replace(ch, " ")
        f.write(label + "\n")
PY

# valid FILE TERM: the file is a PNG (magic bytes) or an SVG
valid() {
	case $2 in
	png) test "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ;;
	svg) grep -q '<svg' "$1" && grep -q '</svg>' "$1" ;;
	esac
}
# render NAME ORDERS COMPLAINTS ARGS...: tousu's script through gnuplot, as png and svg
render() {
	name=$1 o=$2 c=$3; shift 3
	for term in png svg; do
		"$TOUSU" rates --orders "$o" --complaints "$c" --terminal "$term" "$@" > chart.gp 2> /dev/null
		st=0; gnuplot < chart.gp > "$name.$term" 2> gnuplot.err || st=$?
		if [ $st != 0 ] || [ -s gnuplot.err ] || ! valid "$name.$term" "$term"; then
			echo "$name $term: gnuplot exit $st"; head -n 5 gnuplot.err; exit 1
		fi
	done
	echo "$name: png and svg"
}
S=$REPO/samples
render samples-top "$S/orders.csv" "$S/complaints.csv" --chart top
render samples-top-horizontal "$S/orders.csv" "$S/complaints.csv" --chart top --horizontal
render samples-types-shop "$S/orders.csv" "$S/complaints.csv" --chart types --by shop
render samples-types-day "$S/orders.csv" "$S/complaints.csv" --chart types --by day
render samples-trend "$S/orders.csv" "$S/complaints.csv" --chart trend
render samples-trend-week "$S/orders.csv" "$S/complaints.csv" --chart trend --by week
render samples-distribution "$S/orders.csv" "$S/complaints.csv" --chart distribution
render samples-gnuplot-format "$S/orders.csv" "$S/complaints.csv" --format gnuplot
render hostile-top orders.csv complaints.csv --chart top
render hostile-top-horizontal orders.csv complaints.csv --chart top --horizontal
render hostile-types-shop orders.csv complaints.csv --chart types --by shop
render hostile-types-day orders.csv complaints.csv --chart types --by day
render hostile-trend orders.csv complaints.csv --chart trend
render hostile-distribution orders.csv complaints.csv --chart distribution

python3 - hostile-top.svg hostile-top-horizontal.svg hostile-types-shop.svg <<'PY'
import sys, xml.etree.ElementTree as ET
labels = open("labels.txt", encoding="utf-8").read().split("\n")[:-1]
for f in sys.argv[1:]:
    texts = {"".join(e.itertext()).strip() for e in ET.parse(f).iter() if e.tag.endswith("text")}
    missing = [l for l in labels if l not in texts]
    assert not missing, (f, missing)
    print(f"{f}: all {len(labels)} shop labels shown as text")
PY

# --output: gnuplot writes the file and prints nothing; odd file names are
# only names (a leading '|' would be a pipe to gnuplot)
for out in chart.png chart.svg "x'; system(\"touch PWNED8\"); '.png" '`touch PWNED9`.svg' '|touch PWNED10.png' '@GPVAL_PWD.svg'; do
	term=${out##*.}
	"$TOUSU" rates --orders orders.csv --complaints complaints.csv --chart top --terminal "$term" --output "$out" 2> /dev/null |
		gnuplot > gnuplot.out 2> gnuplot.err
	test ! -s gnuplot.out && test ! -s gnuplot.err
	valid "$out" "$term"
	echo "--output $out: written by gnuplot"
done

found=$(find . -name 'PWNED*' -o -name 'tousu-pwned*')
test -z "$found" || { echo "ran: $found"; exit 1; }
echo "nothing ran"
