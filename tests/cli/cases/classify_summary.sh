# --summary: how the texts agree with the platform's type (filed as harassment, about rudeness),
# one row per platform type, the most complaints first, whatever -j is.
"$TOUSU" classify --rules "$FIXTURES/test.rules" --summary "$FIXTURES/complaints_mixed.csv"
# About 12,000 complaints, six batches: workers meet the types in different orders.
"$TOUSU" sample --out s --orders 400000 --chats 0 --seed 5 2>/dev/null
"$TOUSU" classify -j 1 --summary s/complaints.csv > j1.tsv
"$TOUSU" classify -j 4 --summary s/complaints.csv > j4.tsv
cmp j1.tsv j4.tsv && echo "the same with -j 1 and -j 4"
