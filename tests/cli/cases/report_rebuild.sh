# --rebuild forgets the saved nights up to and including its date, and only
# those: a rebuild of a backfill date keeps the later nights' partials (it
# used to delete every partial). And it forgets them only once the report is
# in place: a rebuild whose folder cannot be put in place (here DIR/DATE is a
# dangling symlink, which a folder cannot replace) exits 1 with the state as
# it was.
o="$REPO/samples/orders.csv" c="$REPO/samples/complaints.csv"
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} '
for d in 2026-10-28 2026-10-29 2026-10-30 2026-10-31; do
	"$TOUSU" report --out R --date $d --orders "$o" --complaints "$c" 2> /dev/null
done
echo "partials: $(ls R/state/partials | tr '\n' ' ')"
"$TOUSU" report --rebuild --out R --date 2026-10-29 --orders "$o" --complaints "$c" 2> /dev/null
echo "after --rebuild --date 2026-10-29: $(ls R/state/partials | tr '\n' ' '); latest -> $(readlink R/latest)"
grep -o '"nights_merged":[0-9]*' R/2026-10-29/summary.json
test ! -e R/2026-10-29/night.part

# a rebuild that fails to put its folder in place forgets nothing
"$TOUSU" report --out F --date 2026-10-30 --orders "$o" --complaints "$c" 2> /dev/null
ln -s nowhere F/2026-10-31
(cd F/state/partials && cksum *) > before.txt
rc=0
"$TOUSU" report --rebuild --out F --date 2026-10-31 --orders "$o" --complaints "$c" 2> err.txt || rc=$?
echo "--rebuild onto a dangling F/2026-10-31: exit $rc"
sed -E "s/$stamp//" err.txt | grep 'in place'
(cd F/state/partials && cksum *) > after.txt
cmp before.txt after.txt && echo "F/state/partials unchanged: $(ls F/state/partials); latest -> $(readlink F/latest)"
