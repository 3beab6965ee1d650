#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/encoding.h"

/* "订单编号,店铺名称" in GB18030, written out so the test needs no encoder. */
static const char GB_HEADER[] =
	"\xb6\xa9\xb5\xa5\xb1\xe0\xba\xc5,\xb5\xea\xc6\xcc\xc3\xfb\xb3\xc6";
static const char UTF8_HEADER[] = "订单编号,店铺名称";
#define FFFD "\xEF\xBF\xBD"

struct buf {
	char *data;
	size_t len;
	size_t cap;  /* grown geometrically: realloc per add is quadratic under ASan */
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = realloc(b->data, cap);
		b->cap = cap;
	}
	assert_non_null(b->data);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* UTF-8 -> GB18030 with glibc's iconv, for building samples. */
static struct buf to_gb18030(const char *s, size_t n)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	struct buf b = { malloc(n * 2 + 16), 0, n * 2 + 16 };
	char *ip = (char *)s, *op = b.data;
	size_t il = n, ol = n * 2 + 16;

	assert_true(cd != (iconv_t)-1);
	assert_non_null(b.data);
	assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
	iconv_close(cd);
	b.len = (size_t)(op - b.data);
	return b;
}

/* Runs in[0..n) through a fresh transcoder in chunks of `step` (0: whole). */
static struct buf transcode(enum encoding from, const char *in, size_t n,
			    size_t step, uint64_t *invalid)
{
	struct error err;
	struct transcoder *t = transcoder_new(from, &err);
	struct buf b = { NULL, 0, 0 };
	const char *out;
	size_t out_len, off = 0;

	assert_non_null(t);
	buf_add(&b, "", 0);
	do {
		size_t k = step && n - off > step ? step : n - off;
		int eof = off + k == n;

		assert_int_equal(transcoder_convert(t, in + off, k, eof, &out,
						    &out_len, &err), 0);
		buf_add(&b, out, out_len);
		off += k;
	} while (off < n);
	if (invalid)
		*invalid = transcoder_invalid(t);
	transcoder_free(t);
	return b;
}

static void expect_transcode(enum encoding from, const char *in, size_t n,
			     const char *want, uint64_t want_invalid)
{
	uint64_t invalid;
	struct buf b = transcode(from, in, n, 0, &invalid);

	assert_string_equal(b.data, want);
	assert_int_equal(b.len, strlen(want));
	assert_int_equal(invalid, want_invalid);
	free(b.data);
}

/* Reads the shared sample of real reviews, or skips the test. */
static struct buf read_shared(const char *rel)
{
	const char *dir = getenv("TOUSU_SHARED_DATA");
	char path[1024];
	struct buf b = { NULL, 0, 0 };
	char chunk[65536];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir && *dir ? dir : "../shared/data",
		 rel);
	f = fopen(path, "rb");
	if (!f) {
		print_message("no %s, skipping\n", path);
		skip();
	}
	buf_add(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	assert_false(ferror(f));
	fclose(f);
	return b;
}

#define SHOPPING "online_shopping_10_cats/online_shopping_10_cats.csv"

static void test_names(void **state)
{
	enum encoding e = ENCODING_UTF8;

	(void)state;
	assert_string_equal(encoding_name(ENCODING_UTF8), "utf-8");
	assert_string_equal(encoding_name(ENCODING_GB18030), "gb18030");
	assert_int_equal(encoding_parse_name("gbk", &e), 0);
	assert_int_equal(e, ENCODING_GB18030);
	assert_int_equal(encoding_parse_name("UTF-8", &e), 0);
	assert_int_equal(e, ENCODING_UTF8);
	static const char *gb[] = { "gb18030", "GB18030", "GBK", "gb2312",
				    "GB2312", "cp936" };
	for (size_t i = 0; i < sizeof(gb) / sizeof(gb[0]); i++) {
		e = ENCODING_UTF8;
		assert_int_equal(encoding_parse_name(gb[i], &e), 0);
		assert_int_equal(e, ENCODING_GB18030);
	}
	static const char *u8[] = { "utf-8", "utf8", "UTF8", "Utf-8" };
	for (size_t i = 0; i < sizeof(u8) / sizeof(u8[0]); i++) {
		e = ENCODING_GB18030;
		assert_int_equal(encoding_parse_name(u8[i], &e), 0);
		assert_int_equal(e, ENCODING_UTF8);
	}
	static const char *bad[] = { "", "latin1", "utf-16", "gb", "utf-8 ",
				     "big5" };
	e = ENCODING_GB18030;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(encoding_parse_name(bad[i], &e), -1);
	assert_int_equal(encoding_parse_name(NULL, &e), -1);
	assert_int_equal(e, ENCODING_GB18030);
}

static void expect_prefix(const char *s, size_t n, size_t want)
{
	assert_int_equal(utf8_valid_prefix(s, n), want);
	assert_int_equal(utf8_is_valid(s, n), want == n);
}

static void test_utf8_prefix(void **state)
{
	(void)state;
	expect_prefix("", 0, 0);
	expect_prefix("abc", 3, 3);
	expect_prefix("订单", 6, 6);
	expect_prefix("\xEF\xBB\xBF" "a", 4, 4);		/* BOM */
	expect_prefix("\xC2\x80", 2, 2);			/* U+0080 */
	expect_prefix("\xDF\xBF", 2, 2);			/* U+07FF */
	expect_prefix("\xE0\xA0\x80", 3, 3);			/* U+0800 */
	expect_prefix("\xED\x9F\xBF", 3, 3);			/* U+D7FF */
	expect_prefix("\xEE\x80\x80", 3, 3);			/* U+E000 */
	expect_prefix("\xEF\xBF\xBF", 3, 3);			/* U+FFFF */
	expect_prefix("\xF0\x90\x80\x80", 4, 4);		/* U+10000 */
	expect_prefix("\xF0\x9F\x98\x80", 4, 4);		/* 😀 */
	expect_prefix("\xF4\x8F\xBF\xBF", 4, 4);		/* U+10FFFF */

	/* overlongs */
	expect_prefix("a\xC0\x80", 3, 1);
	expect_prefix("a\xC1\xBF", 3, 1);
	expect_prefix("a\xE0\x80\x80", 4, 1);
	expect_prefix("a\xE0\x9F\xBF", 4, 1);
	expect_prefix("a\xF0\x8F\xBF\xBF", 5, 1);
	/* surrogates */
	expect_prefix("a\xED\xA0\x80", 4, 1);
	expect_prefix("a\xED\xBF\xBF", 4, 1);
	/* beyond U+10FFFF and bytes that never occur */
	expect_prefix("a\xF4\x90\x80\x80", 5, 1);
	expect_prefix("a\xF5\x80\x80\x80", 5, 1);
	expect_prefix("a\xF8\x88\x80\x80\x80", 6, 1);
	expect_prefix("a\xFF", 2, 1);
	expect_prefix("a\xFE", 2, 1);
	/* stray continuation, bad continuation */
	expect_prefix("a\x80", 2, 1);
	expect_prefix("ab\xE4\xB8\x41", 5, 2);
	expect_prefix("ab\xE4\x41\x41", 5, 2);
	/* truncated at the end */
	expect_prefix("ab\xE4\xB8", 4, 2);
	expect_prefix("ab\xE4", 3, 2);
	expect_prefix("ab\xF0\x9F\x98", 5, 2);
	expect_prefix("ab\xC2", 3, 2);
	/* NUL is valid UTF-8 */
	expect_prefix("a\0b", 3, 3);
}

/* The word-at-a-time path must stop exactly at a bad byte wherever it is. */
static void test_utf8_fast_path(void **state)
{
	char s[80];

	(void)state;
	for (size_t pos = 0; pos < 64; pos++) {
		for (size_t len = pos + 1; len <= sizeof(s); len += 7) {
			memset(s, 'x', sizeof(s));
			s[pos] = '\x80';
			assert_int_equal(utf8_valid_prefix(s, len), pos);
			s[pos] = '\xE4';	/* truncated or followed by ASCII */
			assert_int_equal(utf8_valid_prefix(s, len), pos);
		}
		memset(s, 'x', sizeof(s));
		memcpy(s + pos, "中", 3);
		assert_int_equal(utf8_valid_prefix(s, sizeof(s)), sizeof(s));
		assert_int_equal(utf8_valid_prefix(s, pos + 2), pos);
	}
	/* unaligned starts */
	memset(s, 'y', sizeof(s));
	for (size_t off = 0; off < 16; off++)
		assert_int_equal(utf8_valid_prefix(s + off, sizeof(s) - off),
				 sizeof(s) - off);
}

/*
 * Reference: decode by the bit patterns alone, then reject overlongs,
 * surrogates and values past U+10FFFF. Returns 1 if s[0..n) is one valid
 * character.
 */
static int ref_one_char(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t need;

	if (s[0] < 0x80)
		return n == 1;
	if ((s[0] & 0xE0) == 0xC0) {
		need = 2;
		cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		need = 3;
		cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		need = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n != need)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((need == 2 && cp < 0x80) || (need == 3 && cp < 0x800) ||
	    (need == 4 && cp < 0x10000))
		return 0;
	return !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF;
}

static void test_utf8_exhaustive(void **state)
{
	unsigned char s[4];

	(void)state;
	for (unsigned a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		assert_int_equal(utf8_is_valid((char *)s, 1), ref_one_char(s, 1));
		for (unsigned b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			assert_int_equal(utf8_is_valid((char *)s, 2),
					 ref_one_char(s, 2) ||
					 (a < 0x80 && b < 0x80));
			if (a < 0xE0 || a > 0xF4)
				continue;
			for (unsigned c = 0x70; c < 0xD0; c++) {
				s[2] = (unsigned char)c;
				if (a < 0xF0) {
					assert_int_equal(
						utf8_is_valid((char *)s, 3),
						ref_one_char(s, 3));
					continue;
				}
				static const unsigned char last[] = {
					0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0
				};
				for (size_t i = 0; i < sizeof(last); i++) {
					s[3] = last[i];
					assert_int_equal(
						utf8_is_valid((char *)s, 4),
						ref_one_char(s, 4));
				}
			}
		}
	}
}

static void test_utf8_real_data(void **state)
{
	struct buf b = read_shared(SHOPPING);
	size_t lines = 0, start = 0;

	(void)state;
	for (size_t i = 0; i <= b.len; i++) {
		if (i < b.len && b.data[i] != '\n')
			continue;
		if (!utf8_is_valid(b.data + start, i - start))
			fail_msg("line %zu is not valid UTF-8", lines + 1);
		lines++;
		start = i + 1;
	}
	assert_true(lines > 60000);
	assert_true(utf8_is_valid(b.data, b.len));
	assert_int_equal(encoding_detect(b.data, b.len, 1), ENCODING_UTF8);
	free(b.data);
}

static void test_detect_basic(void **state)
{
	struct buf gb = to_gb18030(UTF8_HEADER, strlen(UTF8_HEADER));

	(void)state;
	assert_int_equal(encoding_detect("", 0, 1), ENCODING_UTF8);
	assert_int_equal(encoding_detect(NULL, 0, 1), ENCODING_UTF8);
	assert_int_equal(encoding_detect("order_id,shop\n1,a\n", 18, 1),
			 ENCODING_UTF8);
	assert_int_equal(encoding_detect(UTF8_HEADER, strlen(UTF8_HEADER), 1),
			 ENCODING_UTF8);
	assert_int_equal(encoding_detect("\xEF\xBB\xBF", 3, 1), ENCODING_UTF8);

	assert_int_equal(gb.len, sizeof(GB_HEADER) - 1);
	assert_memory_equal(gb.data, GB_HEADER, gb.len);
	assert_int_equal(encoding_detect(GB_HEADER, sizeof(GB_HEADER) - 1, 1),
			 ENCODING_GB18030);
	assert_int_equal(encoding_detect(GB_HEADER, sizeof(GB_HEADER) - 1, 0),
			 ENCODING_GB18030);
	/* a GB18030 sample cut after a lead byte */
	assert_int_equal(encoding_detect(GB_HEADER, 3, 0), ENCODING_GB18030);

	/* UTF-8 cut mid-character: fine while more input follows */
	for (size_t cut = 1; cut < 3; cut++) {
		size_t n = strlen(UTF8_HEADER) - cut;
		assert_int_equal(encoding_detect(UTF8_HEADER, n, 0),
				 ENCODING_UTF8);
	}
	assert_int_equal(encoding_detect("ab\xF0\x9F\x98", 5, 0), ENCODING_UTF8);

	/* neither: UTF-8, and the caller counts the bad rows */
	assert_int_equal(encoding_detect("a\xFF\xFF\xFF b", 6, 1), ENCODING_UTF8);
	assert_int_equal(encoding_detect("a\x80\x80\x80", 4, 1), ENCODING_UTF8);
	/* GB18030 lead followed by a comma is not GB18030 either */
	assert_int_equal(encoding_detect("\xB6,\xB6,\xB6,", 6, 1), ENCODING_UTF8);
	free(gb.data);
}

static void test_detect_real_data(void **state)
{
	struct buf u = read_shared(SHOPPING);
	size_t n = u.len < (1u << 20) ? u.len : (1u << 20);
	struct buf g;

	(void)state;
	/* the first megabyte, cut wherever it falls */
	n = utf8_valid_prefix(u.data, n);
	g = to_gb18030(u.data, n);
	for (size_t cut = 0; cut < 4; cut++) {
		assert_int_equal(encoding_detect(u.data, n - cut, 0),
				 ENCODING_UTF8);
		assert_int_equal(encoding_detect(g.data, g.len - cut, 0),
				 ENCODING_GB18030);
	}

	/*
	 * One corrupt byte does not flip a megabyte either way. 0xB8 in place
	 * of an ASCII byte is a stray UTF-8 continuation, but a fine GB18030
	 * lead byte.
	 */
	for (size_t i = n / 2; i < n; i++) {
		if ((unsigned char)u.data[i] < 0x80) {
			u.data[i] = '\xB8';
			break;
		}
	}
	assert_false(utf8_is_valid(u.data, n));
	assert_int_equal(encoding_detect(u.data, n, 1), ENCODING_UTF8);
	g.data[g.len / 2] = '\xFF';
	assert_int_equal(encoding_detect(g.data, g.len, 1), ENCODING_GB18030);

	/*
	 * And not in a small sample either: a few dozen Chinese characters with
	 * one bad byte. Allowing one bad sequence per 100 characters rounded to
	 * none here, and such a GB18030 export was read as UTF-8, every Chinese
	 * text turned to U+FFFD (an audit's find).
	 */
	size_t small = 0, chars = 0;
	while (chars < 40 && small < n)
		chars += (unsigned char)u.data[small++] >= 0xC0;
	while (small < n && ((unsigned char)u.data[small] & 0xC0) == 0x80)
		small++;  /* end on a whole character */
	struct buf sg = to_gb18030(u.data, small);
	assert_int_equal(encoding_detect(sg.data, sg.len, 1), ENCODING_GB18030);
	for (size_t i = 0; i < sg.len; i++)
		if ((unsigned char)sg.data[i] < 0x80 && sg.data[i] != '\n') {
			sg.data[i] = '\xFF';
			break;
		}
	assert_int_equal(encoding_detect(sg.data, sg.len, 1), ENCODING_GB18030);
	/* The same few dozen characters in UTF-8, one byte corrupt: UTF-8. */
	char *su = malloc(small);
	assert_non_null(su);
	memcpy(su, u.data, small);
	for (size_t i = 0; i < small; i++)
		if ((unsigned char)su[i] < 0x80 && su[i] != '\n') {
			su[i] = '\xB8';
			break;
		}
	assert_false(utf8_is_valid(su, small));
	assert_int_equal(encoding_detect(su, small, 1), ENCODING_UTF8);
	free(su);
	free(sg.data);
	free(u.data);
	free(g.data);
}

static void test_transcode_gb_header(void **state)
{
	(void)state;
	expect_transcode(ENCODING_GB18030, GB_HEADER, sizeof(GB_HEADER) - 1,
			 UTF8_HEADER, 0);
	expect_transcode(ENCODING_GB18030, "", 0, "", 0);
	expect_transcode(ENCODING_GB18030, "plain,ascii\r\n", 13,
			 "plain,ascii\r\n", 0);
	expect_transcode(ENCODING_GB18030, "\x94\x39\xfc\x36", 4, "😀", 0);
	expect_transcode(ENCODING_GB18030, "\xa2\xe3", 2, "€", 0);
	expect_transcode(ENCODING_GB18030, "\x84\x31\xa4\x39", 4, "\xEF\xBF\xBF",
			 0);	/* U+FFFF, the last of the BMP */
}

/* Every way to cut the GB18030 header into two chunks gives the same text. */
static void test_transcode_split(void **state)
{
	const size_t n = sizeof(GB_HEADER) - 1;
	struct error err;

	(void)state;
	for (size_t cut = 0; cut <= n; cut++) {
		struct transcoder *t = transcoder_new(ENCODING_GB18030, &err);
		struct buf b = { NULL, 0, 0 };
		const char *out;
		size_t out_len;

		assert_non_null(t);
		buf_add(&b, "", 0);
		assert_int_equal(transcoder_convert(t, GB_HEADER, cut, 0, &out,
						    &out_len, &err), 0);
		buf_add(&b, out, out_len);
		assert_int_equal(transcoder_convert(t, GB_HEADER + cut, n - cut,
						    1, &out, &out_len, &err),
				 0);
		buf_add(&b, out, out_len);
		assert_string_equal(b.data, UTF8_HEADER);
		assert_int_equal(transcoder_invalid(t), 0);
		transcoder_free(t);
		free(b.data);
	}

	/* one byte per call, the empty final call carrying the EOF */
	struct transcoder *t = transcoder_new(ENCODING_GB18030, &err);
	struct buf b = { NULL, 0, 0 };
	const char *out;
	size_t out_len;

	buf_add(&b, "", 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(transcoder_convert(t, GB_HEADER + i, 1, 0, &out,
						    &out_len, &err), 0);
		buf_add(&b, out, out_len);
	}
	assert_int_equal(transcoder_convert(t, NULL, 0, 1, &out, &out_len,
					    &err), 0);
	assert_int_equal(out_len, 0);
	assert_string_equal(b.data, UTF8_HEADER);
	transcoder_free(t);
	free(b.data);
}

static void test_transcode_gb_invalid(void **state)
{
	(void)state;
	expect_transcode(ENCODING_GB18030, "a\x80" "b", 3, "a" FFFD "b", 1);
	expect_transcode(ENCODING_GB18030, "a\xFF" "b", 3, "a" FFFD "b", 1);
	expect_transcode(ENCODING_GB18030, "\xFF\xFF", 2, FFFD FFFD, 2);
	/* a lead byte before ASCII: the ASCII survives */
	expect_transcode(ENCODING_GB18030, "\xB6,x", 3, FFFD ",x", 1);
	expect_transcode(ENCODING_GB18030, "\xB6\n", 2, FFFD "\n", 1);
	expect_transcode(ENCODING_GB18030, "\x81\x30\x20z", 4, FFFD "0 z", 1);
	/* cut at EOF: one U+FFFD for the whole start of a character */
	expect_transcode(ENCODING_GB18030, "ok\xB6", 3, "ok" FFFD, 1);
	expect_transcode(ENCODING_GB18030, "ok\x81\x30", 4, "ok" FFFD, 1);
	expect_transcode(ENCODING_GB18030, "ok\x81\x30\x81", 5, "ok" FFFD, 1);
	/* well-formed but past U+10FFFF: one character, one U+FFFD */
	expect_transcode(ENCODING_GB18030, "\xFE\x39\xFE\x39z", 5, FFFD "z", 1);
	/* the rest after an error is intact */
	expect_transcode(ENCODING_GB18030, "\xB6\xA9\x80\xB5\xA5", 5,
			 "订" FFFD "单", 1);
}

static void test_transcode_utf8(void **state)
{
	(void)state;
	expect_transcode(ENCODING_UTF8, UTF8_HEADER, strlen(UTF8_HEADER),
			 UTF8_HEADER, 0);
	expect_transcode(ENCODING_UTF8, "\xEF\xBB\xBF" "a", 4,
			 "\xEF\xBB\xBF" "a", 0);
	/* maximal subparts: one U+FFFD each */
	expect_transcode(ENCODING_UTF8, "ab\xE4\xB8" "A", 5, "ab" FFFD "A", 1);
	expect_transcode(ENCODING_UTF8, "\xC0\x80", 2, FFFD FFFD, 2);
	expect_transcode(ENCODING_UTF8, "\xED\xA0\x80", 3, FFFD FFFD FFFD, 3);
	expect_transcode(ENCODING_UTF8, "\xF4\x90\x80\x80", 4,
			 FFFD FFFD FFFD FFFD, 4);
	expect_transcode(ENCODING_UTF8, "\xF0\x9F\x98", 3, FFFD, 1);
	expect_transcode(ENCODING_UTF8, "x\xFF" "y", 3, "x" FFFD "y", 1);
	/* GB18030 read as UTF-8: garbage, but every byte is accounted for */
	expect_transcode(ENCODING_UTF8, GB_HEADER, sizeof(GB_HEADER) - 1,
			 FFFD FFFD FFFD FFFD FFFD FFFD FFFD ","
			 FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD, 15);
}

/*
 * Random bytes, weighted towards the ones that matter to both decoders:
 * whatever the chunking, the output and the count are the same, and the
 * output is valid UTF-8.
 */
static void test_transcode_chunking_invariant(void **state)
{
	static const unsigned char pick[] = {
		'a', ',', '\n', 0x30, 0x35, 0x39, 0x40, 0x7E, 0x80, 0x81, 0x84,
		0x8F, 0x90, 0x9F, 0xA0, 0xA5, 0xB6, 0xBF, 0xC0, 0xC2, 0xDF,
		0xE0, 0xE4, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFE, 0xFF,
	};
	unsigned seed = 12345;
	char in[96];

	(void)state;
	for (int round = 0; round < 1500; round++) {
		size_t n = (size_t)(round % (int)sizeof(in));

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (char)pick[(seed >> 16) % sizeof(pick)];
		}
		for (int e = 0; e < 2; e++) {
			enum encoding enc = e ? ENCODING_GB18030 : ENCODING_UTF8;
			uint64_t inv0, inv;
			struct buf whole = transcode(enc, in, n, 0, &inv0);

			assert_true(utf8_is_valid(whole.data, whole.len));
			for (size_t step = 1; step <= 9; step++) {
				struct buf b = transcode(enc, in, n, step, &inv);
				assert_int_equal(b.len, whole.len);
				assert_memory_equal(b.data, whole.data, b.len);
				assert_int_equal(inv, inv0);
				free(b.data);
			}
			free(whole.data);
		}
	}
}

/*
 * Long ASCII runs skip iconv. Around them, GB18030 trail bytes that are
 * ASCII ('A', digits) must still pair with the lead before them, and a lead
 * cut off by the run must still be one U+FFFD: converting everything at
 * once (runs copied) and a byte at a time (no run ever long enough) agree.
 */
static void test_transcode_ascii_runs(void **state)
{
	static const char *tokens[] = {
		"\xb6\xa9", "\x94\x39\xfc\x36", "\xB6", "\x81\x30", "\x81\x30\x81",
		"\x80", "\xFF", "\xFE\x39\xFE\x39", "\xb6", "\x84",
	};
	static const char fill[] = "A5,z\n0";
	unsigned seed = 777;
	char in[1200];

	(void)state;
	for (int round = 0; round < 400; round++) {
		size_t n = 0;

		while (n < sizeof(in) - 200) {
			seed = seed * 1103515245u + 12345u;
			unsigned r = seed >> 16;
			if (r % 3 == 0) {
				size_t run = 40 + r % 100;
				char c = fill[(r >> 8) % (sizeof(fill) - 1)];
				memset(in + n, c, run);
				n += run;
			} else {
				const char *tok = tokens[r % (sizeof(tokens) /
							      sizeof(tokens[0]))];
				memcpy(in + n, tok, strlen(tok));
				n += strlen(tok);
			}
		}
		uint64_t inv0, inv;
		struct buf whole = transcode(ENCODING_GB18030, in, n, 0, &inv0);
		assert_true(utf8_is_valid(whole.data, whole.len));
		static const size_t steps[] = { 1, 3, 64, 100, 333 };
		for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
			struct buf b = transcode(ENCODING_GB18030, in, n,
						 steps[i], &inv);
			assert_int_equal(b.len, whole.len);
			assert_memory_equal(b.data, whole.data, b.len);
			assert_int_equal(inv, inv0);
			free(b.data);
		}
		free(whole.data);
	}
}

/* An ASCII-heavy export, as seller back-ends write it, survives GB18030. */
static void test_transcode_ascii_heavy(void **state)
{
	struct buf u = { NULL, 0, 0 }, g, back;
	char row[256];
	uint64_t inv;

	(void)state;
	static const char header[] = "订单编号,店铺名称,投诉时间,金额\r\n";
	buf_add(&u, header, sizeof(header) - 1);
	for (int i = 0; i < 20000; i++) {
		int k = snprintf(row, sizeof(row),
				 "%016d,%s,2023-01-%02d 10:45:%02d,\"¥1,%03d.00\",%s\r\n",
				 i * 7919, i % 5 ? "shop_a" : "好店😀", i % 28 + 1,
				 i % 60, i % 1000,
				 i % 3 ? "ok, shipped on time and well packed"
				       : "虚假发货 显示已发货但没收到");
		buf_add(&u, row, (size_t)k);
	}
	g = to_gb18030(u.data, u.len);
	for (size_t step = 1000; step <= (1u << 20); step *= 33) {
		back = transcode(ENCODING_GB18030, g.data, g.len, step, &inv);
		assert_int_equal(inv, 0);
		assert_int_equal(back.len, u.len);
		assert_memory_equal(back.data, u.data, u.len);
		free(back.data);
	}
	free(u.data);
	free(g.data);
}

/* Output for valid input from UTF-8 is the input itself. */
static void test_transcode_real_data(void **state)
{
	struct buf u = read_shared(SHOPPING);
	struct buf g = to_gb18030(u.data, u.len);
	uint64_t inv;
	struct buf back;

	(void)state;
	back = transcode(ENCODING_GB18030, g.data, g.len, 1 << 20, &inv);
	assert_int_equal(inv, 0);
	assert_int_equal(back.len, u.len);
	assert_memory_equal(back.data, u.data, u.len);
	free(back.data);

	back = transcode(ENCODING_GB18030, g.data, g.len, 4093, &inv);
	assert_int_equal(inv, 0);
	assert_int_equal(back.len, u.len);
	assert_memory_equal(back.data, u.data, u.len);
	free(back.data);

	back = transcode(ENCODING_UTF8, u.data, u.len, 1 << 20, &inv);
	assert_int_equal(inv, 0);
	assert_int_equal(back.len, u.len);
	assert_memory_equal(back.data, u.data, u.len);
	free(back.data);
	free(u.data);
	free(g.data);
}

/* Output that outgrows the input: every byte invalid (3 bytes out each). */
static void test_transcode_growth(void **state)
{
	const size_t n = 1 << 20;
	char *in = malloc(n);
	uint64_t inv;

	(void)state;
	assert_non_null(in);
	for (int e = 0; e < 2; e++) {
		enum encoding enc = e ? ENCODING_GB18030 : ENCODING_UTF8;
		struct buf b;

		memset(in, '\xFF', n);
		b = transcode(enc, in, n, n, &inv);
		assert_int_equal(inv, n);
		assert_int_equal(b.len, 3 * n);
		for (size_t i = 0; i < b.len; i += 3)
			assert_memory_equal(b.data + i, FFFD, 3);
		free(b.data);

		memset(in, 'a', n);
		b = transcode(enc, in, n, n / 3, &inv);
		assert_int_equal(inv, 0);
		assert_int_equal(b.len, n);
		assert_memory_equal(b.data, in, n);
		free(b.data);
	}
	free(in);
}

/* After at_eof the stream starts afresh: no carry leaks into the next. */
static void test_transcode_reuse(void **state)
{
	struct error err;
	struct transcoder *t = transcoder_new(ENCODING_GB18030, &err);
	const char *out;
	size_t out_len;

	(void)state;
	assert_non_null(t);
	assert_int_equal(transcoder_convert(t, "x\xB6", 2, 0, &out, &out_len,
					    &err), 0);
	assert_int_equal(out_len, 1);
	assert_memory_equal(out, "x", 1);
	assert_int_equal(transcoder_convert(t, "", 0, 1, &out, &out_len, &err),
			 0);
	assert_int_equal(out_len, 3);
	assert_memory_equal(out, FFFD, 3);
	assert_int_equal(transcoder_convert(t, "\x80" "a", 2, 1, &out, &out_len,
					    &err), 0);
	assert_int_equal(out_len, 4);
	assert_memory_equal(out, FFFD "a", 4);
	assert_int_equal(transcoder_invalid(t), 2);
	transcoder_free(t);
	transcoder_free(NULL);
}

static void test_transcoder_new_errors(void **state)
{
	struct error err;

	(void)state;
	error_clear(&err);
	assert_null(transcoder_new((enum encoding)42, &err));
	assert_string_equal(err.msg, "unknown encoding 42");
	assert_null(transcoder_new((enum encoding)42, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_utf8_prefix),
		cmocka_unit_test(test_utf8_fast_path),
		cmocka_unit_test(test_utf8_exhaustive),
		cmocka_unit_test(test_utf8_real_data),
		cmocka_unit_test(test_detect_basic),
		cmocka_unit_test(test_detect_real_data),
		cmocka_unit_test(test_transcode_gb_header),
		cmocka_unit_test(test_transcode_split),
		cmocka_unit_test(test_transcode_gb_invalid),
		cmocka_unit_test(test_transcode_utf8),
		cmocka_unit_test(test_transcode_chunking_invariant),
		cmocka_unit_test(test_transcode_ascii_runs),
		cmocka_unit_test(test_transcode_ascii_heavy),
		cmocka_unit_test(test_transcode_real_data),
		cmocka_unit_test(test_transcode_growth),
		cmocka_unit_test(test_transcode_reuse),
		cmocka_unit_test(test_transcoder_new_errors),
	};
	return cmocka_run_group_tests_name("encoding", tests, NULL, NULL);
}
