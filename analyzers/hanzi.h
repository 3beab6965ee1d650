/*
 * hanzi.h - traditional to simplified Chinese, one code point at a time.
 *
 * The classifier folds complaint texts and rule patterns alike to simplified
 * characters, so one rule written either way matches 發貨 and 发货. The table
 * is generated from OpenCC's t2s mapping (analyzers/gen_t2s.py) and covers
 * the one-to-one mappings of U+3400..U+9FFF; other code points pass through.
 * The lookup is inline: it runs for every Chinese character of every text.
 */
#ifndef TOUSU_HANZI_H
#define TOUSU_HANZI_H

#include <stdint.h>

#define HANZI_T2S_FIRST 0x3400
#define HANZI_T2S_LAST 0x9FFF

/* Generated tables: page number + 1 by code point >> 8, the pages, and a
 * bit per code point from HANZI_T2S_FIRST that has a mapping. */
extern const uint8_t hanzi_t2s_index[];
extern const uint16_t hanzi_t2s_pages[][256];
extern const uint64_t hanzi_t2s_mapped[];

/*
 * The simplified form of cp, or cp itself. The bit first: most characters
 * of a text have no mapping, and the bits stay in cache where the pages do
 * not (cachegrind, 100,000 bench texts: 136 instructions and 6 first-level
 * cache misses a text fewer).
 */
static inline uint32_t hanzi_to_simplified(uint32_t cp)
{
	if (cp < HANZI_T2S_FIRST || cp > HANZI_T2S_LAST)
		return cp;
	uint32_t k = cp - HANZI_T2S_FIRST;
	if (!(hanzi_t2s_mapped[k >> 6] >> (k & 63) & 1))
		return cp;
	/* The bit is set exactly where a page maps cp (gen_t2s.py; checked
	 * by test_t2s_bits_match_pages): its page exists, its entry is set. */
	return hanzi_t2s_pages[hanzi_t2s_index[(cp >> 8) - (HANZI_T2S_FIRST >> 8)] - 1][cp & 0xff];
}

#endif
