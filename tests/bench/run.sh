#!/bin/sh
# make bench: tousu against the floor of this machine, the bare zlib read loop
# (tests/bench/zread.c) over the same file, measured alternately in the same
# run so that drift and a busy machine hit both alike. Prints each ratio.
#
# Data comes from `tousu sample` into bench-data/ (git-ignored), made once:
#   small: about 200 MB of orders CSV uncompressed
#   large: over 2 GB of orders CSV uncompressed
# BENCH_ROUNDS (default 3) runs of each; the best of each is compared.
set -eu
cd "$(dirname "$0")/../.."
TOUSU=./tousu
ZREAD=build/bench/zread
DIR=bench-data
ROUNDS=${BENCH_ROUNDS:-3}
SMALL_ORDERS=${BENCH_SMALL_ORDERS:-1200000}
LARGE_ORDERS=${BENCH_LARGE_ORDERS:-12500000}
mkdir -p "$DIR"

command -v /usr/bin/time >/dev/null || sh tests/deps.sh time

make_data() {  # NAME ORDERS
	if [ ! -f "$DIR/$1/orders.csv.gz" ]; then
		echo "bench: writing $DIR/$1 ($2 orders) with tousu sample..." >&2
		$TOUSU sample --orders "$2" --shops 20000 --seed 7 --chats 0 \
			--gzip --gzip-member-size 64M --threads 2 --quiet --out "$DIR/$1"
	fi
}

# Seconds of wall time and peak RSS (KiB) of one command, as "SECS KIB".
measure() {
	/usr/bin/time -f '%e %M' -o "$DIR/.time" "$@" > /dev/null 2> "$DIR/.stderr" ||
		{ echo "bench: failed: $*" >&2; cat "$DIR/.stderr" >&2; exit 1; }
	cat "$DIR/.time"
}

best() { sort -n | head -n 1; }

bench_file() {  # LABEL FILE -- prints one table row
	f=$2
	: > "$DIR/.z"; : > "$DIR/.t"; : > "$DIR/.m"
	i=0
	while [ $i -lt "$ROUNDS" ]; do
		measure $ZREAD "$f" | cut -d' ' -f1 >> "$DIR/.z"
		r=$(measure $TOUSU inspect --format tsv "$f")
		echo "$r" | cut -d' ' -f1 >> "$DIR/.t"
		echo "$r" | cut -d' ' -f2 >> "$DIR/.m"
		i=$((i + 1))
	done
	z=$(best < "$DIR/.z"); t=$(best < "$DIR/.t"); m=$(sort -n "$DIR/.m" | tail -n 1)
	raw=$($ZREAD "$f")
	printf '%-6s %9.0f MB %8.2f s %8.2f s %7.3f %9.1f MiB\n' "$1" \
		"$(echo "$raw / 1000000" | bc -l)" "$z" "$t" "$(echo "$t / $z" | bc -l)" \
		"$(echo "$m / 1024" | bc -l)"
}

make_data small "$SMALL_ORDERS"
make_data large "$LARGE_ORDERS"
command -v bc >/dev/null || sh tests/deps.sh bc

echo "tousu inspect vs bare zlib read loop (best of $ROUNDS, $(nproc) cores, $(uname -m))"
printf '%-6s %12s %10s %10s %7s %13s\n' input "csv size" zread inspect ratio "inspect RSS"
bench_file small "$DIR/small/orders.csv.gz"
bench_file large "$DIR/large/orders.csv.gz"
echo "target: ratio <= 1.15 on the large file; RSS the same for both sizes"
