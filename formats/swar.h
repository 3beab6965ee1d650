/*
 * swar.h - looking at 8 bytes at a time in an ordinary register.
 *
 * The CSV reader, the tsv writer and the classifier's trigger compare look
 * at long runs of bytes for a few special ones (delimiter, quote, CR, TAB,
 * LF, backslash) or compare them with known ones; a 64-bit word at once is
 * several times faster than a byte loop and needs no SIMD. Where SSE2 is
 * (every x86-64), the CSV reader and the tsv writer look at 16 bytes at
 * once instead, and these words are their portable path (make check runs
 * their unit tests without SSE2 too).
 */
#ifndef TOUSU_SWAR_H
#define TOUSU_SWAR_H

#include <stdint.h>
#include <string.h>

/* The 8 bytes at p, in memory order, wherever p points. */
static inline uint64_t swar_load(const void *p)
{
	uint64_t x;
	memcpy(&x, p, sizeof(x));
	return x;
}

/* Stores the 8 bytes of x at p, in memory order, wherever p points. */
static inline void swar_store(void *p, uint64_t x)
{
	memcpy(p, &x, sizeof(x));
}

/* The same for 4 bytes: the tsv writer's cells of 4 to 7 bytes. */
static inline uint32_t swar_load32(const void *p)
{
	uint32_t x;
	memcpy(&x, p, sizeof(x));
	return x;
}

static inline void swar_store32(void *p, uint32_t x)
{
	memcpy(p, &x, sizeof(x));
}

/*
 * Non-zero when one of the 8 bytes of x is c. The lowest set bit marks the
 * first such byte (in memory order on a little-endian machine), so
 * __builtin_ctzll(m) >> 3 is its index; higher bits may be false alarms.
 */
static inline uint64_t swar_has_byte(uint64_t x, unsigned char c)
{
	uint64_t y = x ^ (0x0101010101010101ull * c);
	return (y - 0x0101010101010101ull) & ~y & 0x8080808080808080ull;
}

/*
 * Non-zero when one of the 8 bytes of x is below n (n <= 128), with the
 * same first-byte and false-alarm rules as swar_has_byte().
 */
static inline uint64_t swar_has_less(uint64_t x, unsigned char n)
{
	return (x - 0x0101010101010101ull * n) & ~x & 0x8080808080808080ull;
}

#endif
