# An empty export or a header alone is an empty result and exit 0; a full disk is exit 1, said on stderr.
: > empty.csv
"$TOUSU" classify empty.csv | wc -l
head -n 1 "$FIXTURES/complaints_zh.csv" > header-only.csv
"$TOUSU" classify header-only.csv | wc -l
st=0; "$TOUSU" classify "$FIXTURES/complaints_zh.csv" > /dev/full 2> err.txt || st=$?
echo "full disk: exit $st"
grep -c 'error writing output' err.txt
st=0; "$TOUSU" inspect . 2> err.txt > /dev/null || st=$?
echo "a directory: exit $st"
st=0; "$TOUSU" classify --kind orders "$FIXTURES/complaints_zh.csv" 2> err.txt > /dev/null || st=$?
echo "--kind orders: exit $st"
