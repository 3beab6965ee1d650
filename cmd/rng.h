/*
 * rng.h - a small, fast, seeded random number generator: xoshiro256**
 * seeded by splitmix64 (Vigna's recommended pairing).
 *
 * Every use of randomness in tousu must be reproducible from a seed:
 * `tousu sample` writes the same data for the same --seed, and `rules test
 * --bootstrap` prints the same interval on every run. So the generator is
 * explicit state, owned by the caller, never the C library's rand().
 * rng_seed(r, seed, stream) gives unrelated sequences for different streams
 * of one seed, one per thread or per file. Not for anything secret.
 */
#ifndef TOUSU_RNG_H
#define TOUSU_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static inline void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ULL);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n) for n <= 2^32 (Lemire's multiply; the bias is < 2^-32). */
static inline uint32_t rng_below(struct rng *r, uint64_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [0, 1). */
static inline double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static inline int rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

#endif
