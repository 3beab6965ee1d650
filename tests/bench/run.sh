#!/bin/sh
# make bench: tousu against the floor of this machine, the bare zlib read loop
# (tests/bench/zread.c) over the same file, measured alternately in the same
# run so that drift and a busy machine hit both alike. Prints each ratio.
#
# Data comes from `tousu sample` into bench-data/ (git-ignored), made once:
#   small:      about 200 MB of orders CSV uncompressed
#   large:      over 2 GB of orders CSV uncompressed
#   complaints: over 2 million complaint rows
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
mkdir -p "$DIR"

make_data() {  # NAME ORDERS [MORE SAMPLE OPTIONS]
	name=$1 orders=$2
	shift 2
	if [ ! -f "$DIR/$name/orders.csv.gz" ]; then
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
		measure $ZREAD "$f" | cut -d' ' -f1 >> "$DIR/.z"
		r=$(measure "$@" "$f")
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
