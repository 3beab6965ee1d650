# A rejects file that cannot be written fails the report (exit 1) before
# anything is put in place: the earlier report, `latest` and the state stay
# as they were, and no report of the date is written. It used to publish the
# report, move `latest`, and only then exit 1.
[ -c /dev/full ] && [ -w /dev/full ] || { echo "skip: no /dev/full" >&2; exit 77; }
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} '
printf 'order_id,shop_id,created_at\n1,S1,2026-10-30 10:00:00\n2,S1\n' > o.csv
printf 'complaint_id,order_id,shop_id,filed_at,text\nC1,1,S1,2026-10-30 12:00:00,退款\n' > c.csv
"$TOUSU" report --orders o.csv --complaints c.csv --out R --date 2026-10-30 2> /dev/null
snap() { (cd R && find . -name .lock -prune -o -print | sort | xargs ls -ld --time-style=+ | awk '{ print $1, $NF }'); }
snap > before.txt
rc=0
"$TOUSU" report --orders o.csv --complaints c.csv --out R --date 2026-10-31 \
	--rejects /dev/full 2> err.txt || rc=$?
echo "--rejects /dev/full: exit $rc"
sed -E "s/$stamp//" err.txt
snap > after.txt
cmp before.txt after.txt && echo "R unchanged: latest -> $(readlink R/latest), $(ls R/state/partials)"
