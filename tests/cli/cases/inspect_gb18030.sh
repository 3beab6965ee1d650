# GB18030 exports with Chinese headers are recognised and read like their UTF-8 twin.
iconv -f UTF-8 -t GB18030 "$FIXTURES/complaints_zh.csv" > gb.csv
"$TOUSU" inspect gb.csv
"$TOUSU" inspect --encoding gb18030 --format tsv gb.csv | cut -f2-
