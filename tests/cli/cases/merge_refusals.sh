# merge refuses what would give numbers no single run gives: partials made
# with other rules (same types, other patterns), the same partial twice, and
# stdin (a partial is read twice). Each: exit status, and what it says.
o="$REPO/samples/orders.csv" c="$REPO/samples/complaints.csv"
printf '[harassment]\ninclude = 的\n' > more.rules
"$TOUSU" rates --orders "$o" --complaints "$c" --by type --partial a.part 2>/dev/null
"$TOUSU" rates --orders "$o" --complaints "$c" --by type --extra-rules more.rules \
	--partial b.part 2>/dev/null
"$TOUSU" rates --orders "$o" --complaints "$c" --by type --extra-rules more.rules \
	--partial c.part 2>/dev/null
try() {
	rc=0
	"$TOUSU" "$@" > out.tsv 2> err.txt || rc=$?
	echo "tousu $*: exit $rc, $(wc -l < out.tsv) lines out"
	sed 's/^/  /' err.txt
}
try merge a.part b.part
try merge b.part c.part
try merge a.part a.part
ln -s a.part link.part
try merge a.part link.part
try merge - < a.part
try merge
mkdir adir
try merge adir
