#include "analyzers/textfold.h"

#include <string.h>

#include "analyzers/hanzi.h"
#include "formats/encoding.h"

static int is_han(uint32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x20000 && cp <= 0x2FFFF);
}

static inline size_t encode(uint32_t cp, char *o)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* The character-level mapping shared by text and patterns; 0 drops it. */
static inline uint32_t fold_cp(uint32_t cp)
{
	if (cp < 0x80)
		return cp;
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return cp - 0xFEE0;
	if (cp == 0x3000)
		return ' ';
	if ((cp >= 0x200B && cp <= 0x200D) || cp == 0xFEFF)
		return 0;
	/* Fix: PCRE2's caseless matching takes the Kelvin sign for k and the
	 * long s for s; folded here, a trigger "ok" is found wherever the
	 * pattern would match. */
	if (cp == 0x212A)
		return 'k';
	if (cp == 0x17F)
		return 's';
	return hanzi_to_simplified(cp);
}

static int is_pinyin_letter(uint32_t cp)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == ' ')
		return 1;
	/* Tone-marked vowels: āáǎà ēéěè īíǐì ōóǒò ūúǔù ǖǘǚǜü. */
	switch (cp) {
	case 0x101: case 0xE1: case 0x1CE: case 0xE0:
	case 0x113: case 0xE9: case 0x11B: case 0xE8:
	case 0x12B: case 0xED: case 0x1D0: case 0xEC:
	case 0x14D: case 0xF3: case 0x1D2: case 0xF2:
	case 0x16B: case 0xFA: case 0x1D4: case 0xF9:
	case 0x1D6: case 0x1D8: case 0x1DA: case 0x1DC: case 0xFC:
		return 1;
	}
	return 0;
}

/*
 * If s[i..) is a run of spaces (ASCII or U+3000) followed by a Chinese
 * character, the offset of that character, else 0. Fix: only ASCII spaces
 * were dropped between Chinese characters, but U+3000 is the space Chinese
 * text uses ("发　货" stayed "发 货" and missed "发货").
 */
static size_t spaces_before_han(const unsigned char *s, size_t i, size_t len)
{
	uint32_t next;
	size_t k;

	while (i < len) {
		if (s[i] == ' ') {
			i++;
			continue;
		}
		/* Zero-width characters are dropped anyway; stopping at them
		 * kept "发 \u200b货" as "发 货", which folds again to "发货". */
		k = utf8_decode(s + i, len - i, &next);
		if (k && (next == 0x3000 || fold_cp(next) == 0)) {
			i += k;
			continue;
		}
		break;
	}
	if (i < len && s[i] >= 0x80 && utf8_decode(s + i, len - i, &next) &&
	    is_han(hanzi_to_simplified(next)))
		return i;
	return 0;
}

/*
 * Length of a "(pinyin)" group at s (ASCII or full-width parentheses, 1 to
 * 24 letters), or 0. Only called right after a Chinese character.
 */
static size_t pinyin_group(const unsigned char *s, size_t left)
{
	size_t i;
	uint32_t cp;

	if (left >= 1 && s[0] == '(')
		i = 1;
	else if (left >= 3 && s[0] == 0xEF && s[1] == 0xBC && s[2] == 0x88)
		i = 3;
	else
		return 0;
	size_t letters = 0;
	while (i < left) {
		if (s[i] == ')')
			return letters ? i + 1 : 0;
		if (left - i >= 3 && s[i] == 0xEF && s[i + 1] == 0xBC && s[i + 2] == 0x89)
			return letters ? i + 3 : 0;
		size_t k = s[i] < 0x80 ? (cp = s[i], 1) : utf8_decode(s + i, left - i, &cp);
		if (k == 0)
			return 0;
		/* Fix: judge the character as it folds, so "（ｆａ）" is pinyin
		 * too and a zero-width character inside is no obstacle;
		 * otherwise the folded "(fa)" would be dropped by a second
		 * fold, and folding must be idempotent. */
		cp = fold_cp(cp);
		if (cp && (!is_pinyin_letter(cp) || ++letters > 24))
			return 0;
		i += k;
	}
	return 0;
}

/*
 * textfold_text() and textfold_chars(), chars[] written when list is set.
 * Always inlined, so that each caller has its copy with origin and list
 * constant when they are: the two tests of them for each character are
 * gone from the classifier's copy (measured: 138 instructions a row fewer).
 */
static inline __attribute__((always_inline)) size_t
fold_text(const char *text, size_t len, char *out, uint32_t *origin, size_t *invalid,
	  struct textfold_char *chars, size_t *n_chars, int list)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, o = 0, bad = 0;
	uint32_t prev = 0;  /* last code point written */
	struct textfold_char *ch = chars;

	while (i < len) {
		uint32_t cp;
		size_t k;

		if (s[i] < 0x80) {
			/* ASCII is the common case: no decoding. */
			unsigned char c = s[i];
			size_t j;
			if (c == ' ' && is_han(prev) && (j = spaces_before_han(s, i, len))) {
				i = j;
				continue;
			}
			if (c == '(' && is_han(prev) && (k = pinyin_group(s + i, len - i))) {
				i += k;
				continue;
			}
			if (origin)
				origin[o] = (uint32_t)i;
			c = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			if (list)
				*ch++ = (struct textfold_char){c, (uint32_t)o};
			out[o++] = (char)c;
			prev = c;
			i++;
			continue;
		}
		/* Chinese text is mostly CJK ideographs (3 bytes, U+3400 to
		 * U+9FFF), which only the traditional-to-simplified map changes:
		 * a run of them is folded without going round the outer loop. */
		size_t run = i;
		while (len - i >= 3 && s[i] >= 0xE3 && s[i] <= 0xE9 && (s[i + 1] & 0xC0) == 0x80 &&
		       (s[i + 2] & 0xC0) == 0x80) {
			cp = ((uint32_t)(s[i] & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
			     (s[i + 2] & 0x3F);
			if (cp < 0x3400)
				break;
			uint32_t f = hanzi_to_simplified(cp);
			size_t w = 3;
			if (f == cp) {
				out[o] = (char)s[i];
				out[o + 1] = (char)s[i + 1];
				out[o + 2] = (char)s[i + 2];
			} else {
				w = encode(f, out + o);
			}
			if (origin)
				for (size_t j = 0; j < w; j++)
					origin[o + j] = (uint32_t)i;
			if (list)
				*ch++ = (struct textfold_char){f, (uint32_t)o};
			o += w;
			prev = f;
			i += 3;
		}
		if (i != run)
			continue;
		k = utf8_decode(s + i, len - i, &cp);
		if (k == 0) {
			/* One U+FFFD for the bad byte; resync on the next one. */
			bad++;
			if (origin)
				origin[o] = origin[o + 1] = origin[o + 2] = (uint32_t)i;
			if (list)
				*ch++ = (struct textfold_char){0xFFFD, (uint32_t)o};
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			prev = 0xFFFD;
			i++;
			continue;
		}
		size_t n;
		if (cp == 0x3000 && is_han(prev) && (n = spaces_before_han(s, i, len))) {
			i = n;
			continue;
		}
		if (cp == 0xFF08 && is_han(prev) && (n = pinyin_group(s + i, len - i))) {
			i += n;
			continue;
		}
		uint32_t f = fold_cp(cp);
		if (f == 0) {
			i += k;
			continue;
		}
		if (f >= 'A' && f <= 'Z')
			f += 32;
		/* Most characters fold to themselves: copy, don't re-encode. */
		size_t w = f == cp ? (memcpy(out + o, s + i, k), k) : encode(f, out + o);
		if (origin)
			for (size_t j = 0; j < w; j++)
				origin[o + j] = (uint32_t)i;
		if (list)
			*ch++ = (struct textfold_char){f, (uint32_t)o};
		o += w;
		prev = f;
		i += k;
	}
	if (origin)
		origin[o] = (uint32_t)len;
	if (invalid)
		*invalid = bad;
	if (list)
		*n_chars = (size_t)(ch - chars);
	return o;
}

size_t textfold_text(const char *text, size_t len, char *out, uint32_t *origin,
		     size_t *invalid)
{
	return fold_text(text, len, out, origin, invalid, NULL, NULL, 0);
}

size_t textfold_chars(const char *text, size_t len, char *out, uint32_t *origin,
		      size_t *invalid, struct textfold_char *chars, size_t *n_chars)
{
	/* The classifier asks for origin[] only with --explain. */
	if (!origin)
		return fold_text(text, len, out, NULL, invalid, chars, n_chars, 1);
	return fold_text(text, len, out, origin, invalid, chars, n_chars, 1);
}

size_t textfold_pattern(const char *pat, size_t len, char *out)
{
	const unsigned char *s = (const unsigned char *)pat;
	size_t i = 0, o = 0;

	while (i < len) {
		if (s[i] == '\\' && i + 1 < len) {
			/* An escape is syntax: copy it with the character it escapes. */
			out[o++] = (char)s[i++];
			uint32_t cp;
			size_t k = s[i] >= 0x80 ? utf8_decode(s + i, len - i, &cp) : 1;
			if (k == 0)
				k = 1;
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		if (s[i] < 0x80) {
			out[o++] = (char)s[i++];
			continue;
		}
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (k == 0) {
			out[o++] = (char)s[i++];  /* PCRE2 will report it */
			continue;
		}
		uint32_t f = fold_cp(cp);
		i += k;
		if (f == 0)
			continue;
		if (f < 0x80 && strchr("\\^$.|?*+()[]{}#-", (int)f) && f != 0)
			out[o++] = '\\';
		o += encode(f, out + o);
	}
	out[o] = '\0';
	return o;
}
