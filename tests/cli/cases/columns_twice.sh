# A role that two columns name (a file joined from two exports repeats
# shop_id; 店铺ID beside 卖家ID): the canonical name before an alias, then
# the leftmost, is read, and every command says which column it read and
# which it left, with the --col that reads the other; inspect lists the
# unread one. --col chooses, and then nothing is said.
printf 'order_id,shop_id,shop_id,created_at\n1,A,B,2026-10-01 10:00:00\n2,A,B,2026-10-01 11:00:00\n' > twice.csv
printf '订单编号,卖家ID,店铺ID,下单时间\n1,B,A,2026-10-01 10:00:00\n' > alias.csv
printf 'complaint_id,order_id,shop_id,filed_at,text\nC1,1,A,2026-10-02 10:00:00,要求退款\n' > c.csv
echo "== rates"
"$TOUSU" rates --orders twice.csv alias.csv --complaints c.csv | cut -f1-4
echo "== inspect"
"$TOUSU" inspect alias.csv | sed -n '/columns/,$p'
echo "== inspect --col shop_id=卖家ID"
"$TOUSU" inspect --col shop_id=卖家ID alias.csv | sed -n '/columns/,$p'
