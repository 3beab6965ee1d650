# --summary: how the texts agree with the platform's type (filed as harassment, about rudeness),
# one row per platform type, the most complaints first, whatever -j is.
"$TOUSU" classify --rules "$FIXTURES/test.rules" --summary "$FIXTURES/complaints_mixed.csv"
# About 12,000 complaints, six batches: workers meet the types in different orders.
"$TOUSU" sample --out s --orders 400000 --chats 0 --seed 5 2>/dev/null
"$TOUSU" classify -j 1 --summary s/complaints.csv > j1.tsv
"$TOUSU" classify -j 4 --summary s/complaints.csv > j4.tsv
cmp j1.tsv j4.tsv && echo "the same with -j 1 and -j 4"
# No platform type is an empty cell (a literal "(none)" is its own row), and
# agreement with a type the rules do not know, or with none, is unknown
# (empty; json null), not 0%.
printf 'complaint_id,shop_id,filed_at,complaint_type,text\nC1,S1,2026-10-01,(none),没发货\nC2,S1,2026-10-01,,没发货\nC4,S1,2026-10-01,自定义,没发货\nC5,S1,2026-10-01,虚假发货,没发货\n' > pn.csv
"$TOUSU" classify --summary pn.csv | cut -f1-4
"$TOUSU" classify --summary --format json pn.csv | cut -d, -f1-4
