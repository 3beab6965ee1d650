# What the analyzers will be tested against is really in the data: skewed
# shops and rates, evidence for fake shipments and harassment (contact
# bursts, night calls) as DOMAIN.md defines them, and noisy mixed texts.
"$TOUSU" sample -q --orders 20000 --seed 4 --out s
python3 - s <<'PY'
import csv, sys, statistics
from collections import Counter, defaultdict
from datetime import datetime as dt, timedelta
d = sys.argv[1]
read = lambda n: list(csv.reader(open(f"{d}/{n}", newline="", encoding="utf-8")))[1:]
T = lambda s: dt.strptime(s, "%Y-%m-%d %H:%M:%S")
orders, comps, chats = read("orders.csv"), read("complaints.csv"), read("chats.csv")
by_id = {o[0]: o for o in orders}

sizes = Counter(o[1] for o in orders)
med = statistics.median(sizes.values())
assert max(sizes.values()) >= 4 * med, sizes          # a few big shops, a long tail
cs = Counter(c[2] for c in comps)
rates = [cs[s] / n for s, n in sizes.items()]
assert max(rates) >= 3 * statistics.median(rates), rates

# fake shipments: complaints against orders with no or a reused tracking number
uses = Counter(o[8] for o in orders if o[8])
fake = [by_id[c[1]] for c in comps if c[6] == "虚假发货" and c[1] in by_id]
assert any(not o[8] or uses[o[8]] > 1 for o in fake)

# seller-initiated contacts, per DOMAIN.md, then harassment evidence
sess = defaultdict(list)
for r in chats:
    sess[r[0]].append((T(r[5]), r[3], r[4], r[1], r[2]))
contacts = defaultdict(list)
out_of_order = 0
for rows in sess.values():
    out_of_order += any(a[0] > b[0] for a, b in zip(rows, rows[1:]))
    rows.sort(key=lambda m: m[0])
    for i, m in enumerate(rows):
        if m[1] != "seller":
            continue
        if m[2] == "旺旺":
            if i and rows[i - 1][1] == "buyer":
                continue
            if any(b[1] == "buyer" and timedelta(0) <= m[0] - b[0] <= timedelta(minutes=30) for b in rows[:i]):
                continue
        contacts[(m[3], m[4])].append(m[0])
assert out_of_order > 0
def burst(ts):
    ts = sorted(ts)
    return any(ts[i + 4] - ts[i] <= timedelta(days=1) for i in range(len(ts) - 4))
night = lambda t: t.hour >= 22 or t.hour < 8
evidence = Counter()
for c in comps:
    if c[6] != "恶意骚扰":
        continue
    F = T(c[5])
    win = [t for t in contacts[(c[2], c[4])] if F - timedelta(days=7) <= t <= F]
    evidence["supported" if burst(win) or any(map(night, win)) else "other"] += 1
assert evidence["supported"] >= 3 and evidence["other"] >= 1, evidence
assert {r[4] for r in chats} == {"旺旺", "电话", "短信"}
assert {r[3] for r in chats} == {"buyer", "seller"}

texts = [c[7] for c in comps]
has = lambda f: sum(1 for t in texts if f(t))
assert has(lambda t: "發貨" in t or "貨" in t) >= 10          # traditional
assert has(lambda t: t.isascii()) >= 10                      # English
assert has(lambda t: "(" in t and ")" in t) >= 5             # stray pinyin
assert has(lambda t: "\n" in t) >= 3
assert has(lambda t: '"' in t) >= 3
assert has(lambda t: any(ord(ch) > 0xFFFF for ch in t)) >= 20  # emoji
# filed as harassment, written about rudeness
assert any(c[6] == "恶意骚扰" and ("骂" in c[7] or "罵" in c[7] or "态度" in c[7] or "rude" in c[7]) for c in comps)
print("ok")
PY
