/*
 * encoding.h - which encoding an export is in, and turning it into UTF-8.
 *
 * Exports come as UTF-8 or as GB18030/GBK (GBK and GB2312 are decoded as
 * GB18030, their superset). Everything after this module sees UTF-8 only.
 *
 * Detection looks at a sample (the first megabyte, say) and tries strict
 * UTF-8 first: the other order silently turns UTF-8 into mojibake, because
 * most UTF-8 Chinese text is also well-formed GB18030 byte for byte. Only
 * when the sample is not UTF-8 and is plausible GB18030 is GB18030 chosen;
 * otherwise the answer is UTF-8 and invalid rows are the caller's to count.
 *
 * The UTF-8 checks are strict (RFC 3629): no overlong forms, no surrogates
 * (U+D800-U+DFFF), nothing above U+10FFFF. They have a word-at-a-time fast
 * path for ASCII, which is most of a CSV file.
 *
 * A transcoder turns a stream of chunks in one encoding into UTF-8. From
 * GB18030 it uses iconv, one call per chunk; from UTF-8 it validates and
 * copies. Either way its output is always valid UTF-8: each invalid
 * sequence becomes U+FFFD and is counted, and conversion always goes on.
 * A multi-byte character split across two chunks is carried over, so the
 * output does not depend on where the chunks were cut.
 *
 * Ownership: the transcoder owns its output buffer; what transcoder_convert()
 * lends stays valid until the next call or transcoder_free(). It keeps no
 * pointer into the caller's input.
 *
 * Errors: only transcoder_new() and transcoder_convert() can fail (iconv
 * unavailable, out of memory); they return NULL or -1 and fill a
 * caller-owned struct error (msg only; file, line and offset are the
 * caller's to add). Invalid input is not an error, only a count.
 */
#ifndef TOUSU_ENCODING_H
#define TOUSU_ENCODING_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/error.h"

enum encoding {
	ENCODING_UTF8 = 0,
	ENCODING_GB18030,
};

/* "utf-8" or "gb18030" ("unknown" for a value outside the enum). */
const char *encoding_name(enum encoding e);

/*
 * Parses a user's --encoding value, case-insensitively: "utf-8", "utf8" ->
 * UTF-8; "gb18030", "gbk", "gb2312", "cp936" -> GB18030. Returns 0, or -1
 * (and leaves *out alone) for anything else.
 */
int encoding_parse_name(const char *name, enum encoding *out);

/*
 * Decodes one strictly valid UTF-8 character at s (len > 0 bytes: no
 * overlong forms, no surrogates, nothing past U+10FFFF, not cut by len):
 * sets *cp and returns its length, or returns 0 if the bytes at s are not
 * one. The one decoder every module that meets untrusted text uses.
 */
static inline size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2 || c > 0xF4)
		return 0;
	if (c < 0xE0) {
		if (len < 2 || (s[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (c < 0xF0) {
		if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))
			return 0;
		*cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return 3;
	}
	if (len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
	    (s[3] & 0xC0) != 0x80 || (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
		return 0;
	*cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
	      ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	return 4;
}

/*
 * Where utf8_decode() failed at s (len >= 1): how many bytes one U+FFFD
 * stands for, the "maximal subpart" of Unicode's chapter 3 (a lead byte and
 * the continuation bytes that could still follow it, at least 1), as
 * Python's and the WHATWG decoders count them, so a cut 质 (E8 B4) is one
 * replacement, not two.
 */
static inline size_t utf8_invalid_span(const unsigned char *s, size_t len)
{
	size_t k = 1;
	/* s[0..k] still begins a character when, completed with continuation
	 * bytes, it decodes to one longer than itself: utf8_decode's rules,
	 * not a second copy of them. */
	while (k < len) {
		unsigned char whole[4] = {0x80, 0x80, 0x80, 0x80};
		uint32_t cp;
		memcpy(whole, s, k + 1);
		size_t need = utf8_decode(whole, sizeof(whole), &cp);
		if (!need || k + 1 >= need)
			break;
		k++;
	}
	return k;
}

/*
 * Length of the longest prefix of s[0..len) that is valid UTF-8. A multi-byte
 * character cut by len is not part of it.
 */
size_t utf8_valid_prefix(const char *s, size_t len);

/* 1 if s[0..len) is entirely valid UTF-8, else 0. */
int utf8_is_valid(const char *s, size_t len);

/*
 * Guesses the encoding of a sample from the start of an input. at_eof says
 * the sample is the whole input; when it is 0, a character cut at the end of
 * the sample is not held against either encoding.
 *   - valid UTF-8 (a BOM is valid UTF-8)            -> ENCODING_UTF8
 *   - else GB18030 when most of the non-ASCII sequences are malformed as
 *     UTF-8 and a smaller share as GB18030 (lead 0x81-0xFE with trail
 *     0x40-0x7E/0x80-0xFE, or 0x81-0xFE 0x30-0x39 0x81-0xFE 0x30-0x39)
 *                                                    -> ENCODING_GB18030
 *   - else                                           -> ENCODING_UTF8
 * Shares, not counts, so a few stray bytes never decide, however small the
 * sample: GB18030 text read as UTF-8 is malformed almost everywhere, UTF-8
 * with a corrupt byte almost nowhere. Only input that is mostly malformed
 * as UTF-8 can be taken for GB18030, so no readable UTF-8 is turned into
 * mojibake. A UTF-8 export with a corrupt byte
 * stays UTF-8 and a GB18030 export with one is still GB18030, in a sample of
 * a megabyte or of a few dozen characters (an earlier rule allowed one bad
 * sequence per 100 characters, which rounded to none in small samples).
 */
enum encoding encoding_detect(const char *buf, size_t len, int at_eof);

struct transcoder;

/*
 * Starts a stream from `from` to UTF-8. Returns NULL and fills err when
 * iconv has no converter or memory runs out.
 */
struct transcoder *transcoder_new(enum encoding from, struct error *err);

/*
 * Converts in[0..len) (len may be 0) and lends the UTF-8 result: *out and
 * *out_len, valid until the next call. Bytes of a character cut at the end
 * of in are kept and converted with the next call; at_eof says no more input
 * follows, so a cut character is invalid (one U+FFFD) and the stream is
 * reset, ready for a new input. Returns 0, or -1 and fills err only when
 * memory runs out or iconv fails in an unexpected way (then *out_len is 0
 * and the stream's state is unspecified).
 */
int transcoder_convert(struct transcoder *t, const char *in, size_t len,
		       int at_eof, const char **out, size_t *out_len,
		       struct error *err);

/*
 * Invalid sequences replaced by U+FFFD since transcoder_new(). From UTF-8,
 * each maximal ill-formed subpart counts once (Unicode's recommended
 * practice: "E4 B8 41" is U+FFFD then "A"); from GB18030, each byte that
 * cannot start a character counts once, and so does a structurally complete
 * 4-byte sequence that maps to nothing.
 */
uint64_t transcoder_invalid(const struct transcoder *t);

/* Releases t. Accepts NULL. */
void transcoder_free(struct transcoder *t);

#endif
