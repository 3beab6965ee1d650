# --explain's hits: each the original text it matched, ending with the last
# original character of the match (a space between ideographs or a
# zero-width character that folding drops after it is not part of it), and
# every hit however many (a 4 KiB buffer cut the list short, unmarked).
printf 'complaint_id,shop_id,filed_at,text\n' > c.csv
printf '1,S,2026-10-01,电池真不耐用 性价比差\n' >> c.csv
printf '2,S,2026-10-01,一直打电话\342\200\213骚扰\n' >> c.csv
printf '3,S,2026-10-01,質量(zhì liàng)太差\n' >> c.csv
printf '4,S,2026-10-01,ＱＵＡＬＩＴＹ ＩＳ ＰＯＯＲ\n' >> c.csv
printf '5,S,2026-10-01,坏了\377\n' >> c.csv
"$TOUSU" classify --explain --rules "$FIXTURES/test.rules" c.csv 2> /dev/null | cut -f1,18
"$TOUSU" classify --explain c.csv 2> /dev/null | cut -f1,18
{
	echo 'complaint_id,shop_id,filed_at,text'
	printf '6,S,2026-10-01,'
	i=0; while [ $i -lt 400 ]; do printf '质量太差，'; i=$((i + 1)); done
	echo
} > long.csv
"$TOUSU" classify --explain long.csv | cut -f18 | tail -n 1 | tr ';' '\n' | sed -n '1p;$p;$='
