/* Statistics the reports rely on, against hand-computed values. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "analyzers/stats.h"

static void assert_near(double got, double want)
{
	if (fabs(got - want) > 5e-5) {
		print_error("got %.6f, want %.6f\n", got, want);
		fail();
	}
}

/* Expected values computed independently (Python, the textbook formula;
 * R's prop.test(correct = FALSE) gives the same). */
static void test_wilson(void **state)
{
	double lo, hi;
	(void)state;
	stats_wilson(1, 3, STATS_Z95, &lo, &hi);      /* 1 in 3 is not a 33% shop */
	assert_near(lo, 0.061492);
	assert_near(hi, 0.792340);
	stats_wilson(0, 10, STATS_Z95, &lo, &hi);
	assert_near(lo, 0.0);
	assert_near(hi, 0.277533);
	stats_wilson(10, 10, STATS_Z95, &lo, &hi);
	assert_near(lo, 0.722467);
	assert_near(hi, 1.0);
	stats_wilson(50, 1000, STATS_Z95, &lo, &hi);
	assert_near(lo, 0.038130);
	assert_near(hi, 0.065314);
	stats_wilson(0, 0, STATS_Z95, &lo, &hi);
	assert_near(lo, 0.0);
	assert_near(hi, 1.0);
	/* More complaints than orders (orders outside the export): no share,
	 * so no interval, and never NaN, at any n. */
	const uint64_t ks[][2] = {{2, 1}, {101, 100}, {1000001, 1000000}};
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		stats_wilson(ks[i][0], ks[i][1], STATS_Z95, &lo, &hi);
		assert_true(lo == 0.0 && hi == 1.0);
	}
	/* The interval always holds the observed rate and narrows with n. */
	double lo2, hi2;
	stats_wilson(5, 100, STATS_Z95, &lo, &hi);
	stats_wilson(500, 10000, STATS_Z95, &lo2, &hi2);
	assert_true(lo <= 0.05 && 0.05 <= hi && hi2 - lo2 < hi - lo);
}

static void test_median(void **state)
{
	const double odd[] = {1, 2, 9}, even[] = {1, 2, 4, 9};
	(void)state;
	assert_near(stats_median(odd, 3), 2);
	assert_near(stats_median(even, 4), 3);   /* the mean of the two middle */
	assert_true(isnan(stats_median(odd, 0)));
}

static void test_nearest_rank(void **state)
{
	const double v[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	(void)state;
	assert_near(stats_nearest_rank(v, 10, 90), 9);
	assert_near(stats_nearest_rank(v, 10, 91), 10);
	assert_near(stats_nearest_rank(v, 10, 100), 10);
	assert_near(stats_nearest_rank(v, 10, 1), 1);
	assert_near(stats_nearest_rank(v, 1, 90), 1);
	assert_true(isnan(stats_nearest_rank(v, 0, 90)));
	assert_true(isnan(stats_nearest_rank(v, 10, 0)));
}

static void test_percent_rank_and_sort(void **state)
{
	double v[] = {0.3, NAN, 0.1, 0.2, 0.2};
	(void)state;
	stats_sort(v, 5);
	assert_near(v[0], 0.1);
	assert_near(v[3], 0.3);
	assert_true(isnan(v[4]));
	assert_near(stats_percent_rank(v, 4, 0.2), 75);
	assert_near(stats_percent_rank(v, 4, 0.05), 0);
	assert_near(stats_percent_rank(v, 4, 0.3), 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_nearest_rank),
		cmocka_unit_test(test_percent_rank_and_sort),
	};
	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
