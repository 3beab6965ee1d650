# A UTF-8 BOM and CRLF line ends, as spreadsheet exports write them, read like the plain file.
printf '\357\273\277' > bom.csv
sed 's/$/\r/' "$FIXTURES/complaints_zh.csv" >> bom.csv
"$TOUSU" inspect --format tsv bom.csv "$FIXTURES/complaints_zh.csv" | cut -f2-
