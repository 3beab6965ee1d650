# tousu report --shop ID on the bundled samples as of 2026-10-31 (the 30-day
# window 2026-10-02..31, in the default --tz +08:00). The card a shop owner
# reads, shop-ID.html with shop-ID-types.tsv and shop-ID-days.tsv, is checked
# against the shop's rows in the samples, counted here in Python apart from
# tousu: its orders (created in the window), its complaints (its own shop_id
# or, without one, its order's; filed in the window; not more than 15 days
# after the order finished), so the rate and 95% Wilson interval on the page,
# the median and 90th percentile shop, each day's orders and complaints, its
# name, the types adding up to its complaints, and every example text being
# one of the complaints counted (filed in the window, not late), so that no
# type with 0 complaints shows one: the examples of a type are the first 3
# complaints counted of that primary type (tousu classify's), in the export's
# order, those whose shop comes from their order included. 214014039 has a
# complaint without a shop_id (its order's shop counts) and a late one;
# 571720213 a comma in its name. An id that no export has still gets a card,
# which says so, as does a message on stderr; the report is written (exit 0).
# A shop keyed by its name (no shop_id column) is named once in the title.
o="$REPO/samples/orders.csv" c="$REPO/samples/complaints.csv"
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} '
# card NAME SHOP: tousu report --shop SHOP into NAME/, its exit status and
# stderr without the stamps
card() {
	rc=0
	"$TOUSU" report --out "$1" --date 2026-10-31 --orders "$o" --complaints "$c" \
		--shop "$2" > "$1.out" 2> "$1.err" || rc=$?
	echo "--shop $2: exit $rc, $(wc -c < "$1.out") bytes on stdout"
	sed -E "s/$stamp//; s/^/  /" "$1.err"
	echo "  shop files: $(ls "$1/2026-10-31" | grep '^shop-' | tr '\n' ' ')"
}

cat > check_card.py <<'PY'
import csv, datetime, html, math, os, re, sys
from collections import Counter, defaultdict
samples, folder, shop, classified = sys.argv[1:5]
first, last = "2026-10-02", "2026-10-31"
def rows(name):
    with open(os.path.join(samples, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
def at(s):
    return datetime.datetime.fromisoformat(s)
orders, complaints = rows("orders.csv"), rows("complaints.csv")
finished = {}   # an order id's earliest finished_at (none: not finished, last)
for r in orders:
    t = at(r["finished_at"]) if r["finished_at"] else datetime.datetime.max
    finished[r["order_id"]] = min(t, finished.get(r["order_id"], t))
shop_of = {r["order_id"]: r["shop_id"] for r in orders}

per_day, per_shop = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
names = []   # (time, name) of the shop's rows
texts = set()   # the texts of the complaints counted for the shop
# Its examples: the first 3 complaints counted for it per primary type (as
# `tousu classify` gives it), in input order; joined: of them, those whose
# shop comes from their order (no shop_id on the row).
with open(classified, encoding="utf-8") as f:
    lines = [l.rstrip("\n").split("\t") for l in f]
primary = {l[lines[0].index("#complaint_id")]: l[lines[0].index("primary")] for l in lines[1:]}
picked, joined = defaultdict(list), 0
for r in orders:
    if r["shop_id"] == shop:
        names.append((at(r["created_at"]), r["shop_name"]))
    if first <= r["created_at"][:10] <= last:
        per_shop[r["shop_id"]][0] += 1
        if r["shop_id"] == shop:
            per_day[r["created_at"][:10]][0] += 1
for r in complaints:
    s = r["shop_id"] or shop_of.get(r["order_id"], "")
    if s == shop:
        names.append((at(r["filed_at"]), r["shop_name"]))
    late = r["order_id"] in finished and \
        at(r["filed_at"]) - finished[r["order_id"]] > datetime.timedelta(days=15)
    if first <= r["filed_at"][:10] <= last and not late:
        per_shop[s][1] += 1
        if s == shop:
            per_day[r["filed_at"][:10]][1] += 1
            texts.add(r["text"])
            if len(picked[primary[r["complaint_id"]]]) < 3:
                picked[primary[r["complaint_id"]]].append(r["text"])
                joined += not r["shop_id"]
n_orders, n_complaints = per_shop[shop] if shop in per_shop else (0, 0)

def wilson(k, n, z=1.959963984540054):
    p, d = k / n, 1 + z * z / n
    mid, half = (p + z * z / (2 * n)) / d, z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return mid - half, mid + half
rates = sorted(k / n for s, (n, k) in per_shop.items() if s and n)  # rows without a shop: left out
m = len(rates)
median = rates[m // 2] if m % 2 else (rates[m // 2 - 1] + rates[m // 2]) / 2
p90 = rates[math.ceil(0.9 * m) - 1]
if n_orders:
    lo, hi = wilson(n_complaints, n_orders)
    rate = f"{1000 * n_complaints / n_orders:.2f}\u2030 (95%: {1000 * lo:.2f}-{1000 * hi:.2f})"
else:
    rate = "no orders in the window"
name = min(names, key=lambda tn: (-tn[0].timestamp(), tn[1]))[1] if names else ""

with open(os.path.join(folder, f"shop-{shop}.html"), encoding="utf-8") as f:
    page = f.read()
shown = {html.unescape(l): html.unescape(v) for v, l in
         re.findall(r'<span class="value">(.*?)</span><span class="label">(.*?)</span>', page)}
title = html.unescape(re.search(r"<title>(.*?)</title>", page).group(1))
def unescape(cell):
    """A TSV cell as tousu writes it (\\t \\n \\r \\\\) back to its text."""
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m[1], m[1]), cell)
def tsv(suffix):
    with open(os.path.join(folder, f"shop-{shop}-{suffix}.tsv"), encoding="utf-8") as f:
        lines = [[unescape(v) for v in l.rstrip("\n").split("\t")] for l in f]
    return lines[0], lines[1:]
head, days = tsv("days")
col = {h.lstrip("#"): i for i, h in enumerate(head)}
_, types = tsv("types")

bad = []
def want(what, got, expected):
    if got != expected:
        bad.append(f"{what}: {got!r}, counted {expected!r}")
want("title", title, f"{shop}{' ' + name if name else ''}: complaints, {last}")
want("Orders", shown.get("Orders"), str(n_orders))
want("Complaints per 1,000 orders", shown.get("Complaints per 1,000 orders"), rate)
want("Median shop", shown.get("Median shop"), f"{1000 * median:.2f}\u2030")
want("90th percentile shop", shown.get("90th percentile shop"), f"{1000 * p90:.2f}\u2030")
want("days", {d[col["day"]]: [int(d[col["orders"]]), int(d[col["complaints"]])] for d in days},
     dict(per_day))
want("shop_id of the days", {d[col["shop_id"]] for d in days}, {shop} if days else set())
want("types' complaints", sum(int(t[1]) for t in types), n_complaints)
def split(cell):
    """The cell as the shop's texts joined by commas (a text may hold a
    comma too), or None when it is not."""
    if cell == "":
        return []
    for x in texts:
        if cell == x:
            return [x]
        rest = split(cell[len(x) + 1:]) if cell.startswith(x + ",") else None
        if rest is not None:
            return [x] + rest
    return None
examples = 0
for t in types:
    ex = split(t[2])
    if ex is None or len(ex) > 3:
        bad.append(f"{t[0]}: examples {t[2]!r} are not up to 3 of the complaints counted "
                   f"for the shop in the window")
    elif ex and t[1] == "0":
        bad.append(f"{t[0]}: 0 complaints, but examples {t[2]!r}")
    elif ex != picked[t[0]]:
        bad.append(f"{t[0]}: examples {ex!r}, but the first counted are {picked[t[0]]!r}")
    else:
        examples += len(ex)
if bad:
    print("\n".join(bad))
    sys.exit(1)
print(f"  {title}: {n_orders} orders and {n_complaints} complaints in the window, as counted; "
      f"rate {shown['Complaints per 1,000 orders']}, median shop {shown['Median shop']}, "
      f"90th percentile {shown['90th percentile shop']}, as computed")
print(f"  days: {len(days)} rows, orders and complaints as counted per day")
print(f"  types: " + ", ".join(f"{t[0]} {t[1]}" for t in types) +
      f" (sum {n_complaints}); {examples} examples, the first 3 counted of each type, "
      f"{joined} of them with the shop of their order")
PY

"$TOUSU" classify "$c" > classified.tsv 2> /dev/null
card known 214014039
python3 check_card.py "$REPO/samples" known/2026-10-31 214014039 classified.tsv
card comma 571720213
python3 check_card.py "$REPO/samples" comma/2026-10-31 571720213 classified.tsv
card unknown 000000000
python3 check_card.py "$REPO/samples" unknown/2026-10-31 000000000 classified.tsv
grep -o '<p class="subtitle">[^<]*' unknown/2026-10-31/shop-000000000.html | sed 's/^<p class="subtitle">/  subtitle: /'
# the rest of the report is the same with or without a card
"$TOUSU" report --out plain --date 2026-10-31 --orders "$o" --complaints "$c" 2> /dev/null
for f in rates.tsv rates.csv worst.tsv trend.tsv types.tsv alerts.tsv summary.json; do
	cmp plain/2026-10-31/$f unknown/2026-10-31/$f
	cmp plain/2026-10-31/$f known/2026-10-31/$f
done
echo "rates, worst, trend, types, alerts and summary the same as without --shop"

# A larger export (tousu sample; samples/ has at most 3 complaints of a type
# for a shop): the busiest shop has hundreds of complaints of a type, and
# with --memory 1M the card's join splits them into parts by order id and
# hands them on part by part, far from the export's order (as do the
# classifier's batches of 2048 rows, which the workers may finish in either
# order); its examples are still the first 3 counted of each type in the
# export's order.
"$TOUSU" sample --out big --orders 100000 --complaints 20000 --shops 8 --chats 0 2> /dev/null
o=big/orders.csv c=big/complaints.csv
shop=$(awk -F, 'NR > 1 && $3 { n[$3]++ } END { for (s in n) print n[s], s }' "$c" |
	sort -k1,1nr -k2 | head -1 | cut -d' ' -f2)
"$TOUSU" classify "$c" > big.tsv 2> /dev/null
rc=0
"$TOUSU" report --out big --date 2026-10-31 --orders "$o" --complaints "$c" --shop "$shop" \
	--memory 1M > /dev/null 2>&1 || rc=$?
echo "tousu sample, --shop $shop --memory 1M: exit $rc"
python3 check_card.py big big/2026-10-31 "$shop" big.tsv

# Exports with no shop_id column: the shop name is the shop key, and the
# card's title says it once.
printf 'order_id,shop_name,created_at\n1,甲店,2026-10-30 10:00:00\n' > k.csv
printf 'complaint_id,order_id,shop_name,filed_at,text\nC1,1,甲店,2026-10-30 12:00:00,要求退款\n' > kc.csv
"$TOUSU" report --out keyed --date 2026-10-31 --orders k.csv --complaints kc.csv --shop 甲店 2> /dev/null
grep -o '<title>[^<]*' keyed/2026-10-31/shop-*.html
cut -f1-4 keyed/2026-10-31/rates.tsv
# The card's file names keep whole UTF-8 characters, letters, digits, '-'
# and '_' of the id; anything else ('/', '.', quotes) is '_'.
ls keyed/2026-10-31 | grep '^shop-'
"$TOUSU" report --out slash --date 2026-10-31 --orders k.csv --complaints kc.csv --shop '../a/b"c' 2> /dev/null
ls slash/2026-10-31 | grep '^shop-'
rc=0
"$TOUSU" report --out empty --date 2026-10-31 --orders k.csv --complaints kc.csv --shop '' 2> /dev/null || rc=$?
echo "--shop '': exit $rc"
