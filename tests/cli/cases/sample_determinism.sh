# The same arguments give the same bytes; another seed gives other bytes; the
# number of compression threads never changes a gzip file.
"$TOUSU" sample -q --orders 3000 --seed 42 --out a
"$TOUSU" sample -q --orders 3000 --seed 42 --out b
"$TOUSU" sample -q --orders 3000 --seed 43 --out c
for f in orders complaints chats; do
	cmp a/$f.csv b/$f.csv
	if cmp -s a/$f.csv c/$f.csv; then echo "seed 43 wrote the same $f.csv"; exit 1; fi
done
# --complaints and --chats draw from their own streams: orders stay the same
"$TOUSU" sample -q --orders 3000 --seed 42 --complaints 500 --chats 0 --out d
cmp a/orders.csv d/orders.csv
"$TOUSU" sample -q --orders 3000 --seed 42 --gzip --gzip-member-size 32K --threads 1 --out m1
"$TOUSU" sample -q --orders 3000 --seed 42 --gzip --gzip-member-size 32K --threads 3 --out m3
for f in orders complaints chats; do
	cmp m1/$f.csv.gz m3/$f.csv.gz
done
echo ok
