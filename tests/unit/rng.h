#ifndef TOUSU_TESTS_UNIT_RNG_H
#define TOUSU_TESTS_UNIT_RNG_H

/* The unit tests' random numbers: xorshift64*, fixed seeds, the same numbers
 * on every machine. */

#include <stdint.h>

static inline uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static inline uint64_t rng_below(uint64_t *s, uint64_t n)
{
	return rng_next(s) % n;
}

#endif
