# Which seller chat messages `tousu chats` counts as abusive (the rules'
# attitude type): a message that is only an insult (滚, 傻逼！, 神经病) or one
# aimed at the buyer (sb买家) is; a product word with 滚 (滚筒) is not, and
# neither is a seller apologising for its attitude (态度不好请见谅, 如果态度不好
# 还请见谅, 抱歉刚才态度不好), so shop s2's attitude complaint is not_supported.
cat > chats.csv << 'EOF'
session_id,shop_id,buyer_id,sender,channel,sent_at,text
1,s1,b1,buyer,旺旺,2026-10-10 10:00:00,怎么还不发货
1,s1,b1,seller,旺旺,2026-10-10 10:01:00,滚
1,s1,b1,buyer,旺旺,2026-10-10 10:02:00,你什么态度
1,s1,b1,seller,旺旺,2026-10-10 10:03:00,sb买家
1,s1,b1,seller,旺旺,2026-10-10 10:04:00,傻逼！
2,s1,b2,buyer,旺旺,2026-10-10 11:00:00,这个洗衣机是滚筒的吗
2,s1,b2,seller,旺旺,2026-10-10 11:01:00,是滚筒的亲
2,s1,b2,seller,旺旺,2026-10-10 11:02:00,神经病
3,s2,b3,buyer,旺旺,2026-10-10 12:00:00,客服态度不好
3,s2,b3,seller,旺旺,2026-10-10 12:01:00,抱歉刚才态度不好
3,s2,b3,seller,旺旺,2026-10-10 12:02:00,如果态度不好还请见谅
3,s2,b3,seller,旺旺,2026-10-10 12:03:00,态度不好请见谅，马上给您发货
EOF
cat > complaints.csv << 'EOF'
complaint_id,shop_id,buyer_id,filed_at,text
c1,s1,b1,2026-10-11 10:00:00,客服骂人，态度极差
c2,s1,b2,2026-10-11 10:00:00,卖家骂我神经病
c3,s2,b3,2026-10-11 10:00:00,客服态度不好
EOF
"$TOUSU" chats --chats chats.csv
"$TOUSU" chats --chats chats.csv --complaints complaints.csv
