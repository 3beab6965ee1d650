# Partials of shards merge to the single run's output byte for byte, in any
# order and as a tree of merges, when every complaint is in another shard than
# its order (and an order written twice has its two rows in two more shards):
# the join is across partials. The shards are cut by a real CSV parser, since
# some complaint texts hold quoted newlines. stderr is the same but for the
# command's name. Partials that do not fit are refused, naming the file.
"$TOUSU" sample -q --orders 20000 --seed 38 --shops 40 --chats 0 --out s
python3 - s <<'PY'
import csv, sys
src, n = sys.argv[1], 3
def rows(name):
    with open(f"{src}/{name}", newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        return next(r), list(r)
oh, orders = rows("orders.csv")
ch, comps = rows("complaints.csv")
oid, cid = oh.index("order_id"), ch.index("order_id")
home, out_o, out_c = {}, [[] for _ in range(n)], [[] for _ in range(n)]
twice = 0
for i, r in enumerate(orders):
    if r[oid] in home:          # written twice: the second row in the next shard
        s = (home[r[oid]] + 1) % n
        twice += 1
    else:
        s = home[r[oid]] = i % n
    out_o[s].append(r)
apart = 0
for i, r in enumerate(comps):
    if r[cid] in home:          # never beside its order, nor its second row
        s = (home[r[cid]] + 2) % n
        apart += 1
    else:
        s = i % n
    out_c[s].append(r)
for s in range(n):
    for name, h, rs in (("orders", oh, out_o[s]), ("complaints", ch, out_c[s])):
        with open(f"{name}{s}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(h)
            w.writerows(rs)
multi = sum(any("\n" in x for x in r) for r in comps)
assert multi > 0 and apart > 500 and twice > 0, (multi, apart, twice)
print("split: 3 shards; a complaint never beside its order; quoted newlines and orders written twice present")
PY

for by in shop shop,day type; do
	"$TOUSU" rates --orders s/orders.csv --complaints s/complaints.csv --by "$by" > one.out 2> one.err
	for i in 0 1 2; do
		"$TOUSU" rates --orders orders$i.csv --complaints complaints$i.csv --by "$by" --partial p$i > p$i.out
		test ! -s p$i.out
	done
	"$TOUSU" merge p2 p0 p1 > merged.out 2> merged.err
	sed 's/^tousu: merge: /tousu: rates: /' merged.err > merged.err.as-rates
	cmp one.out merged.out
	cmp one.err merged.err.as-rates
	# a tree: (p1 + p2) as a partial, then with p0; and that once more on its own
	"$TOUSU" merge --partial p12 p1 p2 > p12.out
	test ! -s p12.out
	"$TOUSU" merge p12 p0 > tree.out 2> tree.err
	cmp one.out tree.out
	cmp merged.err tree.err
	"$TOUSU" merge --partial p012 p0 p12
	"$TOUSU" merge p012 > tree2.out 2> /dev/null
	cmp one.out tree2.out
	cp p012 "p012-$by"
	echo "--by $by: $(($(wc -l < one.out) - 1)) rows, merge of shards = single run, merge of merges too"
done
# periods and zones travel in the partial
for args in "--window 7d --asof 2026-10-20" "--by week --from 2026-10-05 --to 2026-10-25" "--by month --tz +00:00"; do
	"$TOUSU" rates --orders s/orders.csv --complaints s/complaints.csv $args > one.out 2> /dev/null
	for i in 0 1 2; do
		"$TOUSU" rates --orders orders$i.csv --complaints complaints$i.csv $args --partial q$i
	done
	"$TOUSU" merge q1 q2 q0 > merged.out 2> /dev/null
	cmp one.out merged.out
	echo "$args: $(($(wc -l < one.out) - 1)) rows, merge of shards = single run"
done
# options after the merge act as on the single run
"$TOUSU" rates --orders s/orders.csv --complaints s/complaints.csv --top 5 --sort wilson --format json > one.json 2> /dev/null
"$TOUSU" merge --top 5 --sort wilson --format json p012-shop > merged.json 2> /dev/null
cmp one.json merged.json
echo "--top 5 --sort wilson --format json: same"

# refused: another --by, another --tz, another period, a cut partial, not a partial
"$TOUSU" rates --orders orders0.csv --complaints complaints0.csv --by shop --partial shop.p
"$TOUSU" rates --orders orders1.csv --complaints complaints1.csv --by type --partial type.p
"$TOUSU" rates --orders orders1.csv --complaints complaints1.csv --tz +00:00 --partial utc.p
"$TOUSU" rates --orders orders1.csv --complaints complaints1.csv --from 2026-10-03 --partial from.p
# refuse PARTIAL...: exit status, output size and the message
refuse() {
	st=0; "$TOUSU" merge "$@" > out 2> err || st=$?
	echo "merge $*: exit $st, $(wc -c < out) bytes out"
	cat err
}
# refuse_cut GOOD CUT: as refuse, but the message only has to name the file
# (what it says depends on where the cut falls in the format)
refuse_cut() {
	st=0; "$TOUSU" merge "$@" > out 2> err || st=$?
	named=no; grep -q "^tousu: $2: " err && named=yes
	echo "merge $*: exit $st, $(wc -c < out) bytes out, $(wc -l < err) line(s) on stderr naming $2: $named"
}
refuse shop.p type.p
refuse shop.p utc.p
refuse shop.p from.p
size=$(wc -c < shop.p)
head -c $((size - 4)) shop.p > cut-trailer.p
refuse_cut shop.p cut-trailer.p
head -c $((size / 2)) shop.p > cut-half.p
refuse_cut shop.p cut-half.p
gzip -dc shop.p | head -c 2000 | gzip > cut-inside.p
refuse_cut shop.p cut-inside.p
usize=$(gzip -dc shop.p | wc -c)
gzip -dc shop.p | head -c $((usize - 1)) | gzip > cut-end.p
refuse_cut shop.p cut-end.p
cat shop.p shop.p > twice.p
refuse_cut shop.p twice.p
refuse shop.p s/orders.csv
refuse shop.p one.out
: > empty.p
refuse empty.p
