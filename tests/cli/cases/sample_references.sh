# Every complaint belongs to a generated order of the same shop and buyer
# (about 1% leave order_id empty) and is filed after the trade finished,
# within 15 days except about 2%.
"$TOUSU" sample -q --orders 20000 --seed 17 --out s
python3 - s <<'PY'
import csv, sys
from datetime import datetime as dt
d = sys.argv[1]
read = lambda n: list(csv.reader(open(f"{d}/{n}", newline="", encoding="utf-8")))[1:]
orders = {r[0]: r for r in read("orders.csv")}
comps = read("complaints.csv")
T = lambda s: dt.strptime(s, "%Y-%m-%d %H:%M:%S")
empty = late = 0
for c in comps:
    if not c[1]:
        empty += 1
        continue
    o = orders[c[1]]
    assert (o[1], o[2], o[3]) == (c[2], c[3], c[4]), (c, o)
    assert o[10], ("complaint on an unfinished order", c, o)
    days = (T(c[5]) - T(o[10])).total_seconds() / 86400
    assert days > 0, (c, o)
    late += days > 15
n = len(comps)
assert 500 <= n <= 700, n
assert 0 < empty < n * 0.04, empty
assert 0 < late < n * 0.06, late
types = {c[6] for c in comps}
assert types == set("虚假发货 延迟发货 质量问题 描述不符 破损丢件 物流问题 假货 售后 退款 运费 服务态度 恶意骚扰".split()), types
assert {c[8] for c in comps} <= {"成立", "不成立", "处理中"}
print("ok")
PY
