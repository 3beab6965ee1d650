# --zh-headers: Chinese header names, amounts like "¥1,299.00", times like
# 2026/10/9 10:45, as a seller back-end writes them.
"$TOUSU" sample -q --orders 800 --seed 2 --zh-headers --out z
head -n 1 z/orders.csv z/complaints.csv z/chats.csv
python3 - z <<'PY'
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1] + "/orders.csv", newline="", encoding="utf-8")))[1:]
assert all(re.fullmatch(r"¥\d{1,3}(,\d{3})*\.\d\d", r[6]) for r in rows)
assert any("," in r[6] for r in rows)
assert all(re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d\d", r[4]) for r in rows)
print("formats ok")
PY
