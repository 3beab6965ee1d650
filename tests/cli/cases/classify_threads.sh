# The output does not depend on the number of threads (batches are written in input order).
"$TOUSU" sample --orders 20000 --shops 50 --seed 5 --chats 0 --quiet --out s
"$TOUSU" classify -j 0 s/complaints.csv > one.tsv
"$TOUSU" classify -j 3 s/complaints.csv > three.tsv
cmp one.tsv three.tsv
test "$(wc -l < one.tsv)" -gt 500
"$TOUSU" classify -j 0 --summary s/complaints.csv > sum-one.tsv
"$TOUSU" classify -j 3 --summary s/complaints.csv > sum-three.tsv
cmp sum-one.tsv sum-three.tsv
