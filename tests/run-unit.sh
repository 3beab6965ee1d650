#!/bin/sh
# Runs each cmocka test binary given; fails if any fails. Prints a closing
# "unit: N passed, N failed" (cmocka's own counts, summed) and appends it to
# $TOUSU_CHECK_LOG when set, for make check's total.
status=0 passed=0 failed=0
out=$(mktemp)
for t in "$@"; do
	# A test that hangs (a lost wake-up in the thread pool, say) must fail,
	# not stall the run: the slowest binary takes seconds, even under ASan.
	timeout 600 "$t" > "$out" 2>&1 || status=1
	cat "$out"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out")
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out")
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	# A binary that crashed before cmocka's summary still counts as a failure.
	[ -z "$p$f" ] && failed=$((failed + 1))
done
rm -f "$out"
echo "unit: $passed passed, $failed failed"
[ -n "${TOUSU_CHECK_LOG:-}" ] && echo "unit: $passed passed, $failed failed" >> "$TOUSU_CHECK_LOG"
exit $status
