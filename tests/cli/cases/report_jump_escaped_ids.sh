# Jump alerts for shop ids with a backslash, a tab or a newline: rates.tsv
# writes them escaped (\\ \t \n), and the previous report's ids must be read
# back unescaped to meet tonight's. They used to be compared escaped, so
# these shops never jumped. Each shop: 40 orders and no complaint on
# 2026-10-10, 40 orders and 10 complaints on 2026-10-31.
python3 - <<'PY'
import csv
shops = ["plain", "a\\b", "t\tx", "n\nx"]
for night, day, n_compl in (("n1", "2026-10-10", 0), ("n2", "2026-10-31", 10)):
    with open(f"{night}-orders.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["order_id", "shop_id", "created_at"])
        for s, shop in enumerate(shops):
            for i in range(40):
                w.writerow([f"{night}-{s}-{i}", shop, f"{day} 10:00:00"])
    with open(f"{night}-complaints.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["complaint_id", "order_id", "shop_id", "filed_at", "text"])
        for s, shop in enumerate(shops):
            for i in range(n_compl):
                w.writerow([f"{night}-C{s}-{i}", f"{night}-{s}-{i}", shop, f"{day} 12:00:00", "质量差"])
PY
"$TOUSU" report --out R --date 2026-10-10 --orders n1-orders.csv --complaints n1-complaints.csv 2> /dev/null
"$TOUSU" report --out R --date 2026-10-31 --orders n2-orders.csv --complaints n2-complaints.csv 2> /dev/null
echo "the previous report's ids, as written:"
grep -v '^#' R/2026-10-10/rates.tsv | cut -f1
echo "alerts of 2026-10-31 (shop_id reason previous_rate change):"
grep -v '^#' R/2026-10-31/alerts.tsv | cut -f1,3,9,10 | sort
