# A header the CSV reader rejects (a name over --max-field, more than 4096
# columns) makes the file unreadable (exit 1, naming line 1). It used to be
# counted as a rejected row, the next line taken for the header, and the run
# succeeded with every row rejected or read against the wrong columns.
printf 'complaint_id,filed_at,text,shop_id\nK1,2026-10-01,质量差,S1\nK2,2026-10-01,发货慢,S2\n' > c.csv
printf 'order_id,shop_id,created_at\nO1,S1,2026-10-01\n' > o.csv
st=0; "$TOUSU" inspect --max-field 10 c.csv > out.txt 2> err.txt || st=$?
echo "inspect: exit $st, $(wc -l < out.txt) lines out"; cat err.txt
st=0; "$TOUSU" classify --max-field 10 c.csv > out.txt 2> err.txt || st=$?
echo "classify: exit $st, $(wc -l < out.txt) lines out"; cat err.txt
st=0; "$TOUSU" rates --orders o.csv --complaints c.csv --max-field 10 > out.txt 2> err.txt || st=$?
echo "rates: exit $st, $(wc -l < out.txt) lines out"; cat err.txt
# More columns than a record may have: the header line is the error.
{ i=0; while [ $i -lt 4100 ]; do printf 'c%d,' $i; i=$((i + 1)); done; echo text; echo 'x'; } > wide.csv
st=0; "$TOUSU" classify wide.csv > /dev/null 2> err.txt || st=$?
echo "wide header: exit $st"; cat err.txt
