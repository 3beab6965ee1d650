# Checks the derived columns of `tousu rates --format tsv` against its own
# counts, from the README's formulas (the counts themselves are checked
# against tests/rates/reference.sh):
#
#   complaint_rate   complaints / orders, to 6 decimals
#   rate_per_1000    1000 x that, to 3 decimals
#   wilson_low/high  the 95% Wilson score interval of complaints in orders,
#                    within 1e-6: with z = 1.959963984540054,
#                    center = (k + z^2/2) / (n + z^2),
#                    half = z sqrt(k (n - k) / n + z^2 / 4) / (n + z^2),
#                    clamped to [0, 1]
#   percentile       (with -v percentile=1; only for a run without --top)
#                    the share of rows, in percent to 1 decimal, whose rate
#                    is at or below the row's, among the rows with a rate
#
# A row with no orders must have all of these empty. Columns are found by
# their header names (the first line, '#'-prefixed), so any grouping works.
#
# usage: tousu rates ... | awk -f tests/rates/check_rates.awk [-v percentile=1]
# Prints each wrong cell and a summary line; exits 1 if any cell is wrong.
BEGIN {
	FS = "\t"
	z = 1.959963984540054
	bad = 0
}

function fail(line, what, got, want) {
	if (++bad <= 20)
		printf "check_rates: line %d: %s is '%s', expected %s\n", line, what, got, want
}

function near(col, want, tol,    got) {
	if (!(col in c))
		return
	got = $c[col]
	if (got !~ /^-?[0-9]+(\.[0-9]+)?$/ || (got - want > tol || want - got > tol))
		fail(NR, col, got, sprintf("%.9f (within %g)", want, tol))
}

function empty(col) {
	if ((col in c) && $c[col] != "")
		fail(NR, col, $c[col], "empty (no orders)")
}

NR == 1 {
	sub(/^#/, "")
	for (i = 1; i <= NF; i++)
		c[$i] = i
	if (!("orders" in c) || !("complaints" in c)) {
		print "check_rates: no orders or complaints column in the header"
		no_header = 1
		exit 2
	}
	next
}

{
	n = $c["orders"] + 0
	k = $c["complaints"] + 0
	if (n == 0) {
		empty("complaint_rate"); empty("rate_per_1000")
		empty("wilson_low"); empty("wilson_high"); empty("percentile")
		next
	}
	near("complaint_rate", k / n, 0.5e-6 + 1e-12)
	near("rate_per_1000", 1000 * k / n, 0.5e-3 + 1e-9)
	z2 = z * z
	center = (k + z2 / 2) / (n + z2)
	half = z * sqrt(k * (n - k) / n + z2 / 4) / (n + z2)
	lo = center - half
	hi = center + half
	near("wilson_low", lo < 0 ? 0 : lo > 1 ? 1 : lo, 1e-6)
	near("wilson_high", hi < 0 ? 0 : hi > 1 ? 1 : hi, 1e-6)
	rows++
	rk[rows] = k
	rn[rows] = n
	line[rows] = NR
	pc[rows] = ("percentile" in c) ? $c["percentile"] : ""
}

END {
	if (no_header)
		exit 2
	if (percentile && ("percentile" in c)) {
		for (i = 1; i <= rows; i++) {
			below = 0
			for (j = 1; j <= rows; j++)
				below += rk[j] * rn[i] <= rk[i] * rn[j]  # rate j <= rate i, exactly
			want = 100 * below / rows
			got = pc[i]
			if (got !~ /^[0-9]+(\.[0-9]+)?$/ || got - want > 0.05 + 1e-9 || want - got > 0.05 + 1e-9)
				fail(line[i], "percentile", got, sprintf("%.3f (within 0.05)", want))
		}
	}
	if (bad > 20)
		printf "check_rates: ... and %d more\n", bad - 20
	printf "check_rates: %d rows with orders, %d wrong cells\n", rows, bad
	exit (bad > 0)
}
