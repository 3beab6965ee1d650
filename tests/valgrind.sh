#!/bin/sh
# The main commands under valgrind (memcheck: invalid reads and writes, use
# of uninitialised values, definite leaks) on the fixtures and samples. Part
# of make check; prints "valgrind: N passed, N failed" and appends it to
# $TOUSU_CHECK_LOG when set.
# usage: tests/valgrind.sh BINARY
set -u
bin=$1
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
run() {
	if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		"$bin" "$@" > /dev/null 2> "$work/err"; then
		pass=$((pass + 1))
	elif [ $? -eq 99 ]; then
		fail=$((fail + 1)); echo "FAIL valgrind: tousu $*"; head -n 30 "$work/err"
	else
		pass=$((pass + 1))  # a data error exit is not a memory error
	fi
}
run inspect samples/orders.csv samples/complaints.csv samples/chats.csv
run inspect --format json tests/fixtures/ragged.csv tests/fixtures/complaints_zh.csv
run classify -j 2 --explain --format json samples/complaints.csv
run classify --summary tests/fixtures/complaints_mixed.csv tests/fixtures/complaints_bad_utf8.csv
run rules explain "显示已發貨(fā huò)但是物流一直不动，客服態度很差"
run rules check analyzers/default.rules
run sample --orders 1500 --seed 2 --gzip --gzip-member-size 64K --threads 2 --quiet --out "$work/s"
run inspect "$work/s/orders.csv.gz"
run rates -j 2 --orders "$work/s/orders.csv.gz" --complaints "$work/s/complaints.csv.gz"
run rates --by shop,day --memory 1M --orders samples/orders.csv --complaints samples/complaints.csv
run rates --chart top --orders samples/orders.csv --complaints samples/complaints.csv
run rates --orders samples/orders.csv --complaints samples/complaints.csv --partial "$work/a.part"
run merge "$work/a.part" --format json
run chats -j 2 --chats samples/chats.csv
run chats --chats samples/chats.csv --complaints samples/complaints.csv --format json
run report --orders samples/orders.csv --complaints samples/complaints.csv --out "$work/r" \
	--date 2026-10-31 --shop 214014039 --threshold p90
echo "valgrind: $pass passed, $fail failed"
[ -n "${TOUSU_CHECK_LOG:-}" ] && echo "valgrind: $pass passed, $fail failed" >> "$TOUSU_CHECK_LOG"
[ $fail -eq 0 ]
