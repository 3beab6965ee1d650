# A previous rates.tsv that cannot be read (mode 000) costs the night its
# jump alerts, as a damaged one does, and says which file and why; it used to
# fail every night with "cannot read the previous report" and no reason.
# The run must not be root (root reads a mode 000 file): as root it runs as
# nobody (setpriv), in a folder nobody owns.
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} '
"$TOUSU" sample --orders 2000 --shops 20 --seed 38 --out s > /dev/null 2>&1
"$TOUSU" report --orders s/orders.csv --complaints s/complaints.csv --out R --date 2026-10-10 2> /dev/null
chmod 000 R/2026-10-10/rates.tsv
as=
if [ "$(id -u)" = 0 ]; then
	command -v setpriv > /dev/null || { echo "skip: root, and no setpriv to run as nobody" >&2; exit 77; }
	chmod 755 .
	chown -R 65534:65534 R
	as="setpriv --reuid 65534 --regid 65534 --clear-groups"
fi
rc=0
$as "$TOUSU" report --orders s/orders.csv --complaints s/complaints.csv --out R --date 2026-10-31 \
	2> err.txt || rc=$?
echo "previous rates.tsv mode 000: exit $rc, jump alerts: $(grep -c jump R/2026-10-31/alerts.tsv)"
sed -E "s/$stamp//" err.txt | grep -v 'reading the night'
grep -o '"previous_report":[^,}]*' R/2026-10-31/summary.json
