# A rejects file that cannot be written is an error (exit 1), not a note on
# stderr: the rows said to be kept there are not.
[ -c /dev/full ] && [ -w /dev/full ] || { echo "skip: no writable /dev/full" >&2; exit 77; }
printf 'complaint_id,filed_at,text,shop_id\nK1,2026-10-01,short row\nK2,2026-10-01,质量差,S1\n' > bad.csv
for cmd in inspect classify; do
	st=0; "$TOUSU" $cmd --rejects /dev/full bad.csv > /dev/null 2> err.txt || st=$?
	echo "$cmd --rejects /dev/full: exit $st"; grep 'rejects file' err.txt
done
