# A text that starts with a quoted phrase, from a writer that quotes nothing
# ("好评"返现是骗人的), is read as it is: every record after it is still a
# record (libcsv alone made records 2 to 51 part of the first one's text).
{
	echo 'complaint_id,filed_at,text,shop_id'
	echo 'K1,2026-10-01,"好评"返现是骗人的,S1'
	i=2
	while [ $i -le 60 ]; do
		if [ $i = 51 ]; then echo "K$i,2026-10-01,\"质量太差\",S1"
		else echo "K$i,2026-10-01,质量太差,S1"; fi
		i=$((i + 1))
	done
} > q.csv
"$TOUSU" inspect --format tsv q.csv | cut -f6-8
"$TOUSU" classify q.csv | cut -f1,8 | sed -n '2p;51,52p;61p'
