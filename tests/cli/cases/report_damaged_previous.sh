# Jump alerts compare tonight's rates with the previous report's rates.tsv.
# When a line of that file is not what tousu writes (cut short, or a cell
# that is not a number), the night still succeeds, but says where and makes
# no jump alerts: rates read from a damaged file made up jumps and missed
# real ones, with no warning.
"$TOUSU" sample --orders 2000 --shops 20 --seed 38 --out s > /dev/null 2>&1
night() { "$TOUSU" report --orders s/orders.csv --complaints s/complaints.csv --out R --date "$1" 2> err.txt; }
night 2026-10-10
night 2026-10-31
echo "jump alerts against an intact previous report: $(grep -c jump R/2026-10-31/alerts.tsv)"
cp R/2026-10-31/alerts.tsv intact-alerts.tsv
# A rate cell that is not a number.
awk -F '\t' 'BEGIN { OFS = "\t" } NR == 3 { $5 = "0.0x1" } 1' R/2026-10-10/rates.tsv > t && mv t R/2026-10-10/rates.tsv
st=0; night 2026-10-31 || st=$?
echo "exit $st, jump alerts: $(grep -c jump R/2026-10-31/alerts.tsv)"
sed 's/^[^ ]* //' err.txt | grep 'not a line'
# Cut in the middle of a line.
night 2026-10-10
head -c 1500 R/2026-10-10/rates.tsv > t && mv t R/2026-10-10/rates.tsv
st=0; night 2026-10-31 || st=$?
echo "exit $st, jump alerts: $(grep -c jump R/2026-10-31/alerts.tsv)"
sed 's/^[^ ]* //' err.txt | grep 'not a line' | sed 's/rates.tsv:[0-9]*:/rates.tsv:N:/'
# Mended, the alerts are what they were.
night 2026-10-10
night 2026-10-31
cmp intact-alerts.tsv R/2026-10-31/alerts.tsv && echo "intact again: the same alerts"
