# The output does not depend on the number of threads (batches are written in
# input order), nor on whether the reader classified a batch itself: with
# 13 batches of gzip input and one or three workers, the reader falls ahead
# and helps (checked with a counter when this was written).
"$TOUSU" sample --orders 20000 --complaints 40000 --shops 50 --seed 5 --chats 0 --gzip --quiet --out s
"$TOUSU" classify -j 0 s/complaints.csv.gz > one.tsv
"$TOUSU" classify -j 1 s/complaints.csv.gz > two.tsv
"$TOUSU" classify -j 3 s/complaints.csv.gz > four.tsv
cmp one.tsv two.tsv
cmp one.tsv four.tsv
test "$(wc -l < one.tsv)" -gt 20000
"$TOUSU" classify -j 0 --summary s/complaints.csv.gz > sum-one.tsv
"$TOUSU" classify -j 1 --summary s/complaints.csv.gz > sum-two.tsv
"$TOUSU" classify -j 3 --summary s/complaints.csv.gz > sum-four.tsv
cmp sum-one.tsv sum-two.tsv
cmp sum-one.tsv sum-four.tsv
