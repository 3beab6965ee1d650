#!/bin/sh
# Golden CLI tests, one case per file (after zstd's tests/cli-tests):
#
#   tests/cli/cases/NAME.sh              the commands, run by sh -eu in a fresh
#                                        temporary directory
#   tests/cli/cases/NAME.exit            expected exit status (0 when absent)
#   tests/cli/cases/NAME.stdout.exact    expected stdout (not compared when absent)
#   tests/cli/cases/NAME.stderr.exact    expected stderr (not compared when absent)
#
# A case sees $TOUSU (the binary under test), $REPO, $FIXTURES (tests/fixtures)
# and $DATA (../shared/data, or $TOUSU_SHARED_DATA). A case whose data is
# missing prints "skip: REASON" on stderr and exits 77.
#
# usage: tests/cli/run.sh BINARY [CASE...]     TOUSU_UPDATE=1 rewrites expectations
set -u
bin=$1; shift
REPO=$(cd "$(dirname "$0")/../.." && pwd)
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
export TOUSU="$bin" REPO FIXTURES="$REPO/tests/fixtures"
export DATA="${TOUSU_SHARED_DATA:-$REPO/../shared/data}"
case $DATA in /*) ;; *) DATA=$PWD/$DATA ;; esac
export LC_ALL=C.UTF-8 TZ=UTC

cases=${*:-$(ls "$REPO"/tests/cli/cases/*.sh)}
pass=0 fail=0 skip=0
for c in $cases; do
	name=$(basename "$c" .sh)
	dir="$REPO/tests/cli/cases/$name"
	work=$(mktemp -d)
	(cd "$work" && sh -eu "$dir.sh" >"$work/.stdout" 2>"$work/.stderr" </dev/null)
	status=$?
	if [ "$status" -eq 77 ]; then
		skip=$((skip + 1)); echo "SKIP $name: $(tail -n1 "$work/.stderr")"
		rm -rf "$work"; continue
	fi
	want=0; [ -f "$dir.exit" ] && want=$(cat "$dir.exit")
	if [ "${TOUSU_UPDATE:-}" = 1 ]; then
		echo "$status" > "$dir.exit"
		cp "$work/.stdout" "$dir.stdout.exact"
		[ -s "$work/.stderr" ] && cp "$work/.stderr" "$dir.stderr.exact"
	fi
	ok=1
	[ "$status" = "$want" ] || { ok=0; echo "FAIL $name: exit $status, expected $want"; }
	for s in stdout stderr; do
		if [ -f "$dir.$s.exact" ] && ! diff -u "$dir.$s.exact" "$work/.$s" >"$work/.diff"; then
			ok=0; echo "FAIL $name: $s differs"; head -n 40 "$work/.diff"
		fi
	done
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		[ -f "$dir.stderr.exact" ] || { echo "  stderr:"; head -n 20 "$work/.stderr"; }
	fi
	rm -rf "$work"
done
echo "cli: $pass passed, $fail failed, $skip skipped"
[ -n "${TOUSU_CHECK_LOG:-}" ] && echo "cli: $pass passed, $fail failed, $skip skipped" >> "$TOUSU_CHECK_LOG"
[ $fail -eq 0 ]
