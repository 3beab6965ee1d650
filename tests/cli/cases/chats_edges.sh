# `tousu chats` on awkward inputs: an export with only its header (a table
# with only its header, exit 0; in evidence mode every complaint has
# no_chats or n/a), rows left out for having no shop, a sent_at that does not
# parse or a sender that is neither buyer nor seller (counted on stderr, the
# rest still counted), a file that does not exist (exit 1, no output), and
# no --chats at all (usage, exit 2).
h=session_id,shop_id,buyer_id,sender,channel,sent_at,text
echo "$h" > empty.csv
cat > complaints.csv << 'EOF'
complaint_id,shop_id,buyer_id,filed_at,text
c1,s1,b1,2026-10-12 10:00:00,卖家一直打电话骚扰我
c2,s1,b1,2026-10-12 10:00:00,客服骂人，态度极差
c3,s1,b1,2026-10-12 10:00:00,发货太慢了
EOF
cat > rows.csv << 'EOF'
session_id,shop_id,buyer_id,sender,channel,sent_at,text
1,s1,b1,buyer,旺旺,2026-10-10 10:00:00,在吗
1,s1,b1,seller,旺旺,2026-10-10 10:00:30,在的
2,s1,b1,robot,旺旺,2026-10-10 10:00:30,自动回复
3,s1,b1,,旺旺,2026-10-10 10:00:30,没有发送方
4,s1,b1,seller,电话,2026-13-10 10:00:30,十三月
5,s1,b1,seller,电话,昨天,呼出 未接
6,,b1,seller,电话,2026-10-10 23:00:00,没有店铺
7,s2,b2,SELLER,短信,2026-10-10 23:00:00,大写的发送方
8,s2,b2,卖家,电话,2026-10-11 07:59:59,中文的发送方
EOF

run() {
	echo "\$ tousu chats $*"
	status=0
	"$TOUSU" chats "$@" > out 2> err || status=$?
	cat out err
	echo "exit $status"
}

run --chats empty.csv
run --chats empty.csv --complaints complaints.csv
gzip -c empty.csv > empty.csv.gz
run --chats empty.csv.gz
run --chats rows.csv
run --chats rows.csv --complaints complaints.csv
run --chats missing.csv
run --chats rows.csv --complaints missing.csv
run --chats rows.csv missing.csv
run --complaints complaints.csv
# Two buyers in one session, seller rows in the same second: which buyer a
# contact goes to must not follow the input's order.
printf 'session_id,shop_id,buyer_id,sender,channel,sent_at,text\n1,s0,b0,buyer,旺旺,2026-10-21 08:29:58,x\n1,s0,b0,seller,旺旺,2026-10-21 14:29:58,y\n1,s0,b9,seller,旺旺,2026-10-21 14:29:58,y\n' > tie1.csv
printf 'session_id,shop_id,buyer_id,sender,channel,sent_at,text\n1,s0,b0,buyer,旺旺,2026-10-21 08:29:58,x\n1,s0,b9,seller,旺旺,2026-10-21 14:29:58,y\n1,s0,b0,seller,旺旺,2026-10-21 14:29:58,y\n' > tie2.csv
printf 'complaint_id,shop_id,buyer_id,filed_at,text\nc1,s0,b0,2026-10-21 21:30:00,半夜打电话骚扰\nc2,s0,b9,2026-10-21 21:30:00,半夜打电话骚扰\n' > tie_c.csv
"$TOUSU" chats --chats tie1.csv --complaints tie_c.csv > tie1.out
"$TOUSU" chats --chats tie2.csv --complaints tie_c.csv > tie2.out
cmp tie1.out tie2.out && echo "same-second seller rows to two buyers: the same either order"
