# Traditional script, full-width text and pinyin noise get the same types as plain simplified text.
printf 'complaint_id,shop_id,filed_at,text\n1,1,2026-10-01 10:00:00,显示已发货但是物流一直不动，要求退款\n2,1,2026-10-01 10:00:00,顯示已發貨但是物流一直不動，要求退款\n3,1,2026-10-01 10:00:00,顯示已發(fā)貨但是物流一直不動（bù dòng），要求退款！\n' > t.csv
"$TOUSU" classify --rules "$FIXTURES/test.rules" t.csv | cut -f11,12
"$TOUSU" classify t.csv | cut -f11 | sort -u | wc -l
