# rules test --bootstrap N adds a 95% interval of the macro F1 from N resamples
# of the texts: it holds the set's own figure, it is the same on every run (the
# seed is fixed), a set scored perfectly has nothing to vary, and N must be 2
# or more.
printf '#text\ttypes\n坏了\tquality\n发货太慢还没发货\tlate_shipment\n挺好的\tother\n骂人\tattitude\n退款\trefund,quality\n坏了\tother\n挺好的\tquality\n骂人\tattitude\n' > l.tsv
"$TOUSU" rules test --rules "$FIXTURES/test.rules" --bootstrap 500 l.tsv > a.txt
"$TOUSU" rules test --rules "$FIXTURES/test.rules" --bootstrap 500 l.tsv > b.txt
cmp a.txt b.txt && echo "same on every run"
grep -E '^(texts|macro F1 95%)' a.txt
macro=$(sed -n 's/^texts [0-9]*, macro F1 \([0-9.]*\) .*/\1/p' a.txt)
sed -n 's/^macro F1 95% interval \([0-9.]*\)-\([0-9.]*\) .*/\1 \2/p' a.txt |
	awk -v m="$macro" '{ print ($1 <= m && m <= $2 && $1 < $2) ? "interval holds the figure and is not a point" : "bad interval " $0 }'
printf '坏了\tquality\n挺好的\tother\n' > right.tsv
"$TOUSU" rules test --rules "$FIXTURES/test.rules" --bootstrap 100 right.tsv | grep '^macro F1 95%'
st=0; "$TOUSU" rules test --rules "$FIXTURES/test.rules" --bootstrap 1 right.tsv > /dev/null 2> err.txt || st=$?
echo "exit $st"; cat err.txt
