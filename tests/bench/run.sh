#!/bin/sh
# make bench: tousu against the floor of this machine, the bare zlib read loop
# (tests/bench/zread.c) over the same file, measured alternately in the same
# run so that drift and a busy machine hit both alike. Prints each ratio.
#
# Data comes from `tousu sample` into bench-data/ (git-ignored), made once:
#   small:      about 200 MB of orders CSV uncompressed
#   large:      over 2 GB of orders CSV uncompressed
#   complaints: over 2 million complaint rows
#   rates:      20 million orders and 2 million complaints (issue 4's job)
#   shops-1k, shops-1m: the same rows over a thousand and a million shops,
#               for the memory each shop costs
#   chats:      10 million chat rows (and 2 million orders, for the shops)
#   chats-2m5:  2.5 million chat rows made the same way, for memory
# BENCH_ROUNDS (default 3) runs of each; the best time of each is compared,
# and the largest peak RSS is shown.
set -eu
cd "$(dirname "$0")/../.."
TOUSU=./tousu
ZREAD=build/bench/zread
DIR=bench-data
ROUNDS=${BENCH_ROUNDS:-3}
SMALL_ORDERS=${BENCH_SMALL_ORDERS:-1200000}
LARGE_ORDERS=${BENCH_LARGE_ORDERS:-12500000}
COMPLAINTS=${BENCH_COMPLAINTS:-2200000}
RATES_ORDERS=${BENCH_RATES_ORDERS:-20000000}
RATES_COMPLAINTS=${BENCH_RATES_COMPLAINTS:-2000000}
CHATS_ROWS=${BENCH_CHATS_ROWS:-10000000}
BASELINES=${BENCH_BASELINES:-1}   # 0: skip Miller and sqlite3 (minutes each)
mkdir -p "$DIR"

make_data() {  # NAME ORDERS [MORE SAMPLE OPTIONS]
	name=$1 orders=$2
	shift 2
	if [ ! -f "$DIR/$name/complaints.csv.gz" ]; then
		echo "bench: writing $DIR/$name ($orders orders) with tousu sample..." >&2
		$TOUSU sample --orders "$orders" --shops 20000 --seed 7 --chats 0 \
			--gzip --gzip-member-size 64M --threads 2 --quiet "$@" --out "$DIR/$name"
	fi
}

# Seconds of wall time and peak RSS (KiB) of one command, as "SECS KIB".
measure() {
	/usr/bin/time -f '%e %M' -o "$DIR/.time" "$@" > /dev/null 2> "$DIR/.stderr" ||
		{ echo "bench: failed: $*" >&2; cat "$DIR/.stderr" >&2; exit 1; }
	cat "$DIR/.time"
}

best() { sort -n | head -n 1; }

# LABEL FILE COMMAND...: one table row, COMMAND run on FILE against zread.
bench() {
	label=$1 f=$2
	shift 2
	: > "$DIR/.z"; : > "$DIR/.t"; : > "$DIR/.m"
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		# Which goes first alternates too: on this machine the order
		# of a pair moved the result by a few % (see README).
		[ $((i % 2)) = 1 ] || measure $ZREAD "$f" | cut -d' ' -f1 >> "$DIR/.z"
		r=$(measure "$@" "$f")
		[ $((i % 2)) = 0 ] || measure $ZREAD "$f" | cut -d' ' -f1 >> "$DIR/.z"
		echo "$r" | cut -d' ' -f1 >> "$DIR/.t"
		echo "$r" | cut -d' ' -f2 >> "$DIR/.m"
		i=$((i + 1))
	done
	z=$(best < "$DIR/.z"); t=$(best < "$DIR/.t"); m=$(sort -n "$DIR/.m" | tail -n 1)
	raw=$($ZREAD "$f")
	printf '%-22s %8.0f MB %8.2f s %8.2f s %7.3f %9.1f MiB\n' "$label" \
		"$(echo "$raw / 1000000" | bc -l)" "$z" "$t" "$(echo "$t / $z" | bc -l)" \
		"$(echo "$m / 1024" | bc -l)"
}

make_data small "$SMALL_ORDERS"
make_data large "$LARGE_ORDERS"
make_data complaints "$((COMPLAINTS * 2))" --complaints "$COMPLAINTS"
command -v bc >/dev/null || sh tests/deps.sh bc

rows=$($TOUSU inspect --format tsv "$DIR/complaints/complaints.csv.gz" | awk -F'\t' 'NR==2 {print $7}')
echo "tousu against the bare zlib read loop over the same file (best of $ROUNDS; $(nproc) cores, $(uname -m))"
printf '%-22s %11s %10s %10s %7s %13s\n' job "csv size" zread tousu ratio "peak RSS"
bench "inspect orders, small" "$DIR/small/orders.csv.gz" $TOUSU inspect --format tsv
bench "inspect orders, large" "$DIR/large/orders.csv.gz" $TOUSU inspect --format tsv
bench "classify complaints" "$DIR/complaints/complaints.csv.gz" $TOUSU classify
echo "complaint rows: $rows"
echo "targets: inspect <= 1.15 on the large file with the same RSS for both sizes;"
echo "         classify <= 1.5"

# ---- rates: orders and complaints together, against zread over both ----

make_data rates "$RATES_ORDERS" --complaints "$RATES_COMPLAINTS"
make_data shops-1k 3000000 --complaints 300000 --shops 1000
make_data shops-1m 3000000 --complaints 300000 --shops 1000000
R=$DIR/rates
# LABEL COMMAND...: like bench, but the floor is zread over both files.
bench2() {
	label=$1
	shift
	: > "$DIR/.z"; : > "$DIR/.t"; : > "$DIR/.m"
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		[ $((i % 2)) = 1 ] || measure sh -c "$ZREAD $R/orders.csv.gz && $ZREAD $R/complaints.csv.gz" |
			cut -d' ' -f1 >> "$DIR/.z"
		r=$(measure "$@")
		[ $((i % 2)) = 0 ] || measure sh -c "$ZREAD $R/orders.csv.gz && $ZREAD $R/complaints.csv.gz" |
			cut -d' ' -f1 >> "$DIR/.z"
		echo "$r" | cut -d' ' -f1 >> "$DIR/.t"
		echo "$r" | cut -d' ' -f2 >> "$DIR/.m"
		i=$((i + 1))
	done
	z=$(best < "$DIR/.z"); t=$(best < "$DIR/.t"); m=$(sort -n "$DIR/.m" | tail -n 1)
	printf '%-22s %11s %8.2f s %8.2f s %7.3f %9.1f MiB\n' "$label" "both files" "$z" "$t" \
		"$(echo "$t / $z" | bc -l)" "$(echo "$m / 1024" | bc -l)"
}
echo
echo "rates: $(zcat $R/orders.csv.gz | wc -l) order lines, $(zcat $R/complaints.csv.gz | wc -l) complaint lines"
printf '%-22s %11s %10s %10s %7s %13s\n' job input zread tousu ratio "peak RSS"
bench2 "rates --by shop" $TOUSU rates --orders $R/orders.csv.gz --complaints $R/complaints.csv.gz
bench2 "rates --by shop,day" $TOUSU rates --by shop,day --orders $R/orders.csv.gz \
	--complaints $R/complaints.csv.gz

# Memory per shop: the same rows over 1,000 and 1,000,000 shops.
rss() {  # DIR: peak RSS in KiB of tousu rates over DIR's files
	measure $TOUSU rates --orders "$1/orders.csv.gz" --complaints "$1/complaints.csv.gz" |
		cut -d' ' -f2
}
shops() {  # DIR: distinct shops in the output
	$TOUSU rates --orders "$1/orders.csv.gz" --complaints "$1/complaints.csv.gz" \
		2>/dev/null | tail -n +2 | wc -l
}
k1=$(rss "$DIR/shops-1k"); m1=$(rss "$DIR/shops-1m")
s1=$(shops "$DIR/shops-1k"); s2=$(shops "$DIR/shops-1m")
echo "memory: $s1 shops ${k1} KiB, $s2 shops ${m1} KiB: \
$(echo "($m1 - $k1) * 1024 / ($s2 - $s1)" | bc) bytes per shop"
# Against rows: the join takes memory with the complaints until its budget
# (--memory, 64M) is reached, then none more; both sets here are past it.
mid=$(rss "$DIR/complaints")
large=$(rss "$R")
echo "memory against rows: $(zcat $DIR/complaints/orders.csv.gz | wc -l) order lines ${mid} KiB;" \
	"$(zcat $R/orders.csv.gz | wc -l) order lines ${large} KiB"

# The same counts in other tools (per shop: orders, complaints, rate; no
# classification, no window, no join checks), once each: minutes, not seconds.
if [ "$BASELINES" = 1 ]; then
	command -v mlr >/dev/null && command -v sqlite3 >/dev/null || sh tests/deps.sh miller sqlite3
	t=$(measure sh -c "mlr --icsv --otsv --gzin count -g shop_id $R/orders.csv.gz > $DIR/.mo &&
		mlr --icsv --otsv --gzin count -g shop_id $R/complaints.csv.gz > $DIR/.mc &&
		mlr --tsv join -j shop_id --lp o_ --rp c_ -f $DIR/.mo $DIR/.mc" | cut -d' ' -f1)
	echo "Miller (mlr count per shop, both files, join): $t s"
	t=$(measure sh -c "rm -f $DIR/.db && zcat $R/orders.csv.gz > $DIR/.o.csv &&
		zcat $R/complaints.csv.gz > $DIR/.c.csv &&
		sqlite3 $DIR/.db '.mode csv' '.import $DIR/.o.csv o' '.import $DIR/.c.csv c' \
		'select o.shop_id, o.n, c.n, 1.0 * c.n / o.n from (select shop_id, count(*) n
		 from o group by shop_id) o left join (select shop_id, count(*) n from c group
		 by shop_id) c using (shop_id);'" | cut -d' ' -f1)
	rm -f "$DIR/.db" "$DIR/.o.csv" "$DIR/.c.csv" "$DIR/.mo" "$DIR/.mc"
	echo "sqlite3 (zcat, .import, group by, join): $t s"
fi
echo "targets: rates <= 1.2 x zread over both files; memory < 300 bytes per shop, not"
echo "         growing with rows"

# ---- chats: service signals, spooled by session and by buyer ----

make_data chats "$((CHATS_ROWS / 5))" --chats "$CHATS_ROWS"
make_data chats-2m5 "$((CHATS_ROWS / 20))" --chats "$((CHATS_ROWS / 4))"
C=$DIR/chats/chats.csv.gz
C4=$DIR/chats-2m5/chats.csv.gz
echo
echo "chats: $CHATS_ROWS and $((CHATS_ROWS / 4)) chat rows ($(du -m "$C" | cut -f1) and $(du -m "$C4" | cut -f1) MB gzipped)"
printf '%-22s %11s %10s %10s %7s %13s\n' job "csv size" zread tousu ratio "peak RSS"
bench "chats, $((CHATS_ROWS / 1000000))M rows" "$C" $TOUSU chats --chats
# Memory against rows: conversations (sessions) and rows both grow 4x.
conversations() {  # FILE: sessions over all shops
	$TOUSU chats --chats "$1" 2>/dev/null | awk -F '\t' 'NR > 1 { n += $2 } END { print n }'
}
m4=$(measure $TOUSU chats --chats "$C4" | cut -d' ' -f2)
m1=$(measure $TOUSU chats --chats "$C" | cut -d' ' -f2)
echo "memory against rows: $((CHATS_ROWS / 4)) rows, $(conversations "$C4") conversations:" \
	"$((m4 / 1024)) MiB; $CHATS_ROWS rows, $(conversations "$C") conversations: $((m1 / 1024)) MiB"
echo "targets: chats <= 1.3 x zread; memory growing with open conversations, not messages"
