/*
 * swar.h - looking at 8 bytes at a time in an ordinary register.
 *
 * The CSV reader and the tsv writer both scan long runs of bytes for a few
 * special ones (delimiter, quote, CR, TAB, LF, backslash); testing a 64-bit
 * word at once is several times faster than a byte loop and needs no SIMD.
 */
#ifndef TOUSU_SWAR_H
#define TOUSU_SWAR_H

#include <stdint.h>

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

#endif
