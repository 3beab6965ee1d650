# Record and column counts, read with a real CSV parser (texts hold quoted
# commas, quotes and line breaks, so `wc -l` would be wrong), and the headers.
"$TOUSU" sample -q --orders 2000 --shops 12 --seed 5 --out s
python3 - s <<'PY'
import csv, sys
d = sys.argv[1]
def read(name):
    with open(f"{d}/{name}", newline="", encoding="utf-8") as f:
        return list(csv.reader(f))
want = {
    "orders.csv": "order_id,shop_id,shop_name,buyer_id,created_at,paid_at,amount,status,tracking_no,shipped_at,finished_at",
    "complaints.csv": "complaint_id,order_id,shop_id,shop_name,buyer_id,filed_at,complaint_type,text,outcome",
    "chats.csv": "session_id,shop_id,buyer_id,sender,channel,sent_at,text",
}
rows = {}
for name, header in want.items():
    r = read(name)
    assert ",".join(r[0]) == header, (name, r[0])
    widths = {len(x) for x in r[1:]}
    assert widths == {len(r[0])}, (name, widths)
    rows[name] = r[1:]
o, c, ch = rows["orders.csv"], rows["complaints.csv"], rows["chats.csv"]
ids = {x[0] for x in o}
assert len(ids) == 2000, len(ids)           # --orders distinct orders,
assert 2000 < len(o) <= 2010, len(o)        # and a few written twice (planted)
assert len(ch) == 4000, len(ch)            # --chats defaults to 2x orders, exactly
assert 40 <= len(c) <= 80, len(c)           # about 3%
assert all(len(x[0]) == 19 and x[0].isdigit() for x in o)
names = {x[1]: x[2] for x in o if x[1]}     # a few planted orders have no shop
assert len(names) == 12, len(names)
assert len(set(names.values())) == 12       # one name per shop
assert sum("`" in n and "$(" in n for n in names.values()) == 1
for ch_ in ",\"_":
    assert any(ch_ in n for n in names.values()), ch_
assert {x[7] for x in o} <= {"交易成功", "交易关闭", "已发货", "等待发货"}
print(len(ids), len(ch))
PY
