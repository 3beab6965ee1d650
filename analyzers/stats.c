#include "analyzers/stats.h"

#include <math.h>
#include <stdlib.h>

void stats_wilson(uint64_t k, uint64_t n, double z, double *low, double *high)
{
	/* k > n: complaints of orders outside the orders export. The interval
	 * is for a share, which this is not; say nothing rather than let a
	 * negative variance make NaN. */
	if (n == 0 || k > n) {
		*low = 0.0;
		*high = 1.0;
		return;
	}
	double nn = (double)n, p = (double)k / nn, z2 = z * z;
	double denom = 1.0 + z2 / nn;
	double center = (p + z2 / (2.0 * nn)) / denom;
	double half = z * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denom;
	/* At k = 0 and k = n the ends are exactly 0 and 1; computed, rounding
	 * leaves them a hair off (3e-18 instead of 0). */
	*low = k == 0 ? 0.0 : fmax(0.0, center - half);
	*high = k >= n ? 1.0 : fmin(1.0, center + half);
}

double stats_median(const double *sorted, size_t n)
{
	if (n == 0)
		return NAN;
	if (n % 2)
		return sorted[n / 2];
	return (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

double stats_nearest_rank(const double *sorted, size_t n, double p)
{
	if (n == 0 || !(p > 0.0) || p > 100.0)
		return NAN;
	/* ceil(p/100 * n), computed so that 90% of 10 is rank 9, not 10. */
	double r = ceil(p / 100.0 * (double)n - 1e-9);
	size_t rank = r < 1.0 ? 1 : (size_t)r;
	return sorted[(rank > n ? n : rank) - 1];
}

double stats_percent_rank(const double *sorted, size_t n, double x)
{
	if (n == 0)
		return NAN;
	size_t lo = 0, hi = n;  /* the count of values <= x, by bisection */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sorted[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 100.0 * (double)lo / (double)n;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	if (isnan(x) || isnan(y))
		return isnan(x) - isnan(y);
	return (x > y) - (x < y);
}

void stats_sort(double *values, size_t n)
{
	qsort(values, n, sizeof(*values), by_value);
}
