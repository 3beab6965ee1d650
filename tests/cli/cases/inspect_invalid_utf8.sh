# A UTF-8 export with rows that are not UTF-8 (a cut character, a stray
# byte): inspect counts the rows and names the first line, in every format,
# so a user sees it before classify repairs the texts.
{
	printf 'complaint_id,shop_id,filed_at,text\n'
	i=0
	while [ $i -lt 50 ]; do i=$((i + 1)); printf 'C%d,S1,2026-10-01,质量很差的东西\n' $i; done
	printf 'C98,S\3771,2026-10-01,ok\n'
	printf 'C99,S1,2026-10-01,"cut\n\350\264"\n'
} > broken.csv
"$TOUSU" inspect broken.csv | sed -n 4p
"$TOUSU" inspect --format tsv broken.csv | cut -f 5,7,16
"$TOUSU" inspect --format json broken.csv | python3 -c 'import json, sys; print(json.load(sys.stdin)["invalid_utf8_rows"])'
