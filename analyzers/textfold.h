/*
 * textfold.h - folds complaint text into the one form rules are matched on.
 *
 * Buyers write the same thing many ways: 發貨 and 发货, ＦＡＫＥ and fake,
 * 發(fā)貨 with stray pinyin from scraped pages, 发 货 with spaces from word
 * segmenters. textfold_text() maps all of these to one form:
 *   - traditional ideographs to simplified (analyzers/hanzi.h)
 *   - full-width ASCII (U+FF01..U+FF5E) to ASCII, U+3000 to a space
 *   - ASCII letters to lower case, and the Kelvin sign and long s to k and s
 *     (PCRE2 matches them caselessly; triggers compare bytes)
 *   - parenthesised pinyin right after a Chinese character is dropped
 *   - spaces (ASCII or U+3000) between two Chinese characters are dropped
 *   - zero-width characters (U+200B..U+200D, U+FEFF) are dropped
 *   - every invalid UTF-8 sequence becomes U+FFFD and is counted
 * so the output is always valid UTF-8, safe for PCRE2 without a UTF check.
 * Folding is idempotent: folding folded text changes nothing.
 *
 * textfold_pattern() applies the same character mapping to a PCRE2 pattern
 * without touching its syntax (escapes are copied, a full-width character
 * that folds to an ASCII metacharacter is escaped), so a rule written in
 * traditional characters matches folded text. Letters keep their case:
 * patterns are compiled caseless.
 *
 * Buffers are the caller's. Output is never longer than 3 * input + 3 bytes
 * (an invalid byte becomes a 3-byte U+FFFD); size out for that.
 */
#ifndef TOUSU_TEXTFOLD_H
#define TOUSU_TEXTFOLD_H

#include <stddef.h>
#include <stdint.h>

/* Bytes the output of either function may need for len input bytes. */
#define TEXTFOLD_MAX_OUT(len) (3 * (len) + 3)

/*
 * Folds text[0..len) into out; returns the output length. When origin is not
 * NULL, origin[i] is the input offset of output byte i (origin[n] = len), so
 * a match in folded text can be shown in the original. *invalid (may be
 * NULL) gets the number of invalid sequences replaced.
 */
size_t textfold_text(const char *text, size_t len, char *out, uint32_t *origin,
		     size_t *invalid);

/* A character of folded text: its code point and its output offset. */
struct textfold_char {
	uint32_t cp, at;
};

/*
 * As textfold_text(), and lists the folded text's characters in order in
 * chars (room for TEXTFOLD_MAX_OUT(len) entries: at most one per output
 * byte); *n_chars gets how many. The classifier needs them and would
 * otherwise decode the folded text again.
 */
size_t textfold_chars(const char *text, size_t len, char *out, uint32_t *origin,
		      size_t *invalid, struct textfold_char *chars, size_t *n_chars);

/* Folds a pattern into out (NUL-terminated); returns its length. */
size_t textfold_pattern(const char *pat, size_t len, char *out);

/* Decodes one UTF-8 code point at s (valid input assumed); returns its length. */
static inline size_t textfold_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xE0) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] < 0xF0) {
		*cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return 3;
	}
	*cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
	      ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	return 4;
}

#endif
