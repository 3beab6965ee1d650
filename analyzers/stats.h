/*
 * stats.h - the few statistics the reports need, in one place.
 *
 * - stats_wilson(): the Wilson score interval for k events in n trials, the
 *   honest uncertainty for small shops (1 complaint in 3 orders is not a 33%
 *   shop: its 95% interval is about 6% to 79%).
 * - stats_median(): the mean of the two middle values when the count is even
 *   (DOMAIN.md's definition for first-response times).
 * - stats_nearest_rank(): the P-th percentile by nearest rank: the smallest
 *   value with at least P% of the values at or below it.
 * - stats_percent_rank(): the share of values at or below x, in percent
 *   (a shop's percentile among shops).
 * Functions that take values want them sorted ascending and do not copy
 * them; an empty input gives NaN. Nothing here allocates.
 */
#ifndef TOUSU_STATS_H
#define TOUSU_STATS_H

#include <stddef.h>
#include <stdint.h>

/* z for a two-sided 95% interval. */
#define STATS_Z95 1.959963984540054

/* Sets *low and *high to the Wilson interval of k in n at z; [0, 1] for
 * n = 0 and for k > n (not a share). */
void stats_wilson(uint64_t k, uint64_t n, double z, double *low, double *high);

double stats_median(const double *sorted, size_t n);

/* p in (0, 100]. */
double stats_nearest_rank(const double *sorted, size_t n, double p);

double stats_percent_rank(const double *sorted, size_t n, double x);

/* Sorts values ascending in place (qsort; NaN last). */
void stats_sort(double *values, size_t n);

#endif
