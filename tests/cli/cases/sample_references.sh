# Every complaint belongs to a generated order of the same shop and buyer
# and is filed after the trade finished, within 15 days except about 2%;
# about 1% leave order_id empty. On top of that, the planted edge cases for
# `tousu rates` are there, and only they: order ids of no order, complaints
# and orders without a shop, complaints filed exactly 15 days after, orders
# written twice (the complaints on them late by the earlier finished_at only).
"$TOUSU" sample -q --orders 20000 --seed 17 --out s
"$TOUSU" sample -q --orders 1000 --seed 38 --zh-headers --out zh
python3 - s zh <<'PY'
import csv, sys
from collections import Counter, defaultdict
from datetime import datetime as dt

def check(d, fmt, n_orders):
    read = lambda n: list(csv.reader(open(f"{d}/{n}", newline="", encoding="utf-8")))[1:]
    T = lambda s: dt.strptime(s, fmt)
    rows = defaultdict(list)
    for r in read("orders.csv"):
        rows[r[0]].append(r)
    orders = {k: v[0] for k, v in rows.items()}
    comps = read("complaints.csv")
    assert len(rows) == n_orders, len(rows)
    k = Counter()
    for oid, rs in rows.items():
        if len(rs) > 1:
            k["dup_orders"] += 1
            assert len(rs) == 2 and len({r[10] for r in rs}) == 2, rs
            assert len({tuple(r[:7] + r[8:10]) for r in rs}) == 1, rs  # only status, finished_at differ
        k["orders_no_shop"] += not rs[0][1]
        assert bool(rs[0][1]) == bool(rs[0][2]), rs
    for c in comps:
        assert bool(c[2]) == bool(c[3]), c
        if not c[1]:
            k["no_order_id" if c[2] else "no_shop_no_order_id"] += 1
            continue
        if c[1] not in orders:
            assert len(c[1]) == 19 and c[1].isdigit(), c
            k["orphan" if c[2] else "no_shop_orphan"] += 1
            continue
        o = orders[c[1]]
        assert o[3] == c[4], (c, o)
        if c[2] and o[1]:
            assert (o[1], o[2]) == (c[2], c[3]), (c, o)
        k["no_shop_id"] += not c[2]
        finished = [T(r[10]) for r in rows[c[1]]]
        assert all(finished), ("complaint on an unfinished order", c, o)
        days = [(T(c[5]) - f).total_seconds() / 86400 for f in finished]
        assert min(days) > 0, (c, o)
        if len(rows[c[1]]) > 1:
            assert max(days) > 15 >= min(days), (c, rows[c[1]])
            k["late_by_earliest"] += 1
        else:
            k["late"] += days[0] > 15
            k["at_15_days"] += days[0] == 15
    return len(comps), k

n, k = check(sys.argv[1], "%Y-%m-%d %H:%M:%S", 20000)
assert 500 <= n <= 700, n
comps = list(csv.reader(open(sys.argv[1] + "/complaints.csv", newline="", encoding="utf-8")))[1:]
types = {c[6] for c in comps}
assert types == set("虚假发货 延迟发货 质量问题 描述不符 破损丢件 物流问题 假货 售后 退款 运费 服务态度 恶意骚扰".split()), types
assert {c[8] for c in comps} <= {"成立", "不成立", "处理中"}
assert 0 < k["no_order_id"] < n * 0.04, k
assert 0 < k["late"] < n * 0.06, k
for kind in ("orphan", "no_shop_id", "at_15_days"):
    assert 0 < k[kind] < n * 0.02, k
assert 0 < k["no_shop_no_order_id"] + k["no_shop_orphan"] < n * 0.01, k
assert 2 <= k["dup_orders"] <= 30 and 2 <= k["late_by_earliest"] <= k["dup_orders"] + 4, k
assert 5 <= k["orders_no_shop"] <= 50, k
# the small set (the bundled samples' arguments, in the spreadsheet format):
# every kind at least once
n, k = check(sys.argv[2], "%Y/%m/%d %H:%M", 1000)
for kind in ("late", "at_15_days", "orphan", "no_shop_id", "late_by_earliest",
             "dup_orders", "orders_no_shop"):
    assert k[kind] >= 1, (kind, k)
assert k["no_shop_no_order_id"] + k["no_shop_orphan"] >= 1, k
print("ok")
PY
