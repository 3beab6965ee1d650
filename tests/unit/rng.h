#ifndef TOUSU_TESTS_UNIT_RNG_H
#define TOUSU_TESTS_UNIT_RNG_H

/* The unit tests' random numbers: xorshift64*, fixed seeds, the same numbers
 * on every machine. A state must not be 0. */

#include <stdint.h>
#include <stdlib.h>

static inline uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* A number below n; 0 when n is 0. */
static inline uint64_t rng_below(uint64_t *s, uint64_t n)
{
	return n ? rng_next(s) % n : 0;
}

/*
 * How many rounds a property test runs: TOUSU_TEST_ITERATIONS, else dflt;
 * TOUSU_TEST_SEED, when set, seeds *state. So a test runs longer or
 * elsewhere by hand, while `make check` stays fast and repeatable.
 */
static inline int rng_iterations(int dflt, uint64_t *state)
{
	const char *n = getenv("TOUSU_TEST_ITERATIONS");
	const char *seed = getenv("TOUSU_TEST_SEED");
	if (seed && *seed)
		*state = strtoull(seed, NULL, 0) | 1;
	return n && atoi(n) > 0 ? atoi(n) : dflt;
}

#endif
