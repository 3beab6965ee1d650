# Refusals every reader shares: standard input named twice is a usage error
# (exit 2) for inspect and classify as for the other commands; the rejects
# file keeps the rejected record; a labelled set that cannot be opened is
# named; --max-field 0 is refused.
c="$REPO/samples/complaints.csv"
for cmd in inspect classify; do
	st=0; "$TOUSU" $cmd - - < "$c" > /dev/null 2> err.txt || st=$?
	echo "$cmd - -: exit $st"; cat err.txt
done
printf 'complaint_id,filed_at,text,shop_id\nK1,2026-10-01,short row\nK2,2026-10-01,质量差,S1\n' > bad.csv
"$TOUSU" inspect --rejects rejects.csv bad.csv > /dev/null 2> err.txt
cat rejects.csv err.txt
st=0; "$TOUSU" rules test no-such-set.tsv 2> err.txt || st=$?
echo "rules test: exit $st"; cat err.txt
# --max-field 0 meant the default (1M), silently; it is a usage error.
st=0; "$TOUSU" inspect --max-field 0 "$c" > /dev/null 2> err.txt || st=$?
echo "--max-field 0: exit $st"; cat err.txt
