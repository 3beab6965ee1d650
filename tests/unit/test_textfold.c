/*
 * test_textfold.c - analyzers/textfold.c: complaint text and rule patterns
 * folded to one form (simplified characters, half-width ASCII, lower case,
 * no stray pinyin, no spaces between Chinese characters, no zero-width
 * characters), invalid UTF-8 replaced and counted, and origin[] mapping the
 * folded text back to the input. A property test over random byte strings
 * checks what the classifier relies on: the output is valid UTF-8 (PCRE2
 * runs on it without a UTF check), fits TEXTFOLD_MAX_OUT, origin[] is
 * monotonic and within the input, and textfold_chars() lists the output's
 * characters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/hanzi.h"
#include "analyzers/textfold.h"
#include "formats/encoding.h"
#include "tests/unit/rng.h"

#define FFFD "\xEF\xBF\xBD"

struct folded {
	char *s;            /* NUL-terminated copy of the output */
	size_t len;
	uint32_t *origin;   /* len + 1 entries */
	size_t invalid;
};

/*
 * Folds in[0..len) into buffers of exactly the documented sizes, so ASan
 * reports any write past them, and checks the invariants every call must
 * keep.
 */
static struct folded fold_n(const char *in, size_t len)
{
	size_t cap = TEXTFOLD_MAX_OUT(len);
	char *out = malloc(cap);
	uint32_t *origin = malloc((cap + 1) * sizeof(*origin));
	struct textfold_char *chars = malloc(cap * sizeof(*chars));
	struct folded f = {NULL, 0, NULL, 12345};

	assert_non_null(out);
	assert_non_null(origin);
	assert_non_null(chars);
	f.len = textfold_text(in, len, out, origin, &f.invalid);
	assert_true(f.len <= cap);
	assert_true(utf8_is_valid(out, f.len));
	assert_int_equal(origin[f.len], len);
	for (size_t i = 0; i < f.len; i++) {
		assert_true(origin[i] < len);
		if (i)
			assert_true(origin[i - 1] <= origin[i]);
	}
	/* textfold_chars() folds the same and lists the output's characters
	 * as decoding it would. */
	char *again = malloc(cap);
	size_t n_chars = 99999, invalid = 12345, k = 0;
	assert_non_null(again);
	assert_int_equal(textfold_chars(in, len, again, NULL, &invalid, chars, &n_chars), f.len);
	assert_memory_equal(again, out, f.len);
	assert_int_equal(invalid, f.invalid);
	for (size_t at = 0; at < f.len; k++) {
		uint32_t cp;
		assert_true(k < n_chars);
		assert_int_equal(chars[k].at, at);
		at += textfold_decode((const unsigned char *)out + at, &cp);
		assert_int_equal(chars[k].cp, cp);
	}
	assert_int_equal(n_chars, k);
	/* And with origin[] (a copy of its own, see textfold.c). */
	uint32_t *origin2 = malloc((cap + 1) * sizeof(*origin2));
	assert_non_null(origin2);
	assert_int_equal(textfold_chars(in, len, again, origin2, NULL, chars, &n_chars), f.len);
	assert_memory_equal(again, out, f.len);
	assert_memory_equal(origin2, origin, (f.len + 1) * sizeof(*origin));
	assert_int_equal(n_chars, k);
	free(origin2);
	free(again);
	free(chars);
	f.s = malloc(f.len + 1);
	assert_non_null(f.s);
	memcpy(f.s, out, f.len);
	f.s[f.len] = '\0';
	f.origin = origin;
	free(out);
	return f;
}

static struct folded fold(const char *in)
{
	return fold_n(in, strlen(in));
}

static void folded_free(struct folded *f)
{
	free(f->s);
	free(f->origin);
}

/* Asserts that in folds to want with no invalid sequences. */
static void assert_folds(const char *in, const char *want)
{
	struct folded f = fold(in);
	if (strcmp(f.s, want))
		print_error("fold(\"%s\") = \"%s\", want \"%s\"\n", in, f.s, want);
	assert_string_equal(f.s, want);
	assert_int_equal(f.invalid, 0);
	folded_free(&f);
}

static size_t count_fffd(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i + 3 <= len; i++)
		if (!memcmp(s + i, FFFD, 3))
			n++;
	return n;
}

static void test_traditional_to_simplified(void **state)
{
	(void)state;
	assert_folds("發貨", "发货");
	assert_folds("質量", "质量");
	assert_folds("騷擾", "骚扰");
	assert_folds("這個質量太差了，還沒發貨", "这个质量太差了,还没发货");
	/* Simplified text and other scripts pass through. */
	assert_folds("质量问题", "质量问题");
	assert_folds("にほんご 한국어", "にほんご 한국어");
	assert_folds("\xF0\x9F\x98\xAD", "\xF0\x9F\x98\xAD");  /* U+1F62D, 4 bytes */
}

static void test_fullwidth_ascii(void **state)
{
	(void)state;
	assert_folds("ＦＡＫＥ　ｓｈｉｐｍｅｎｔ！", "fake shipment!");
	assert_folds("订单号１２３４５", "订单号12345");
	/* The ends of the range: U+FF01 and U+FF5E; U+FF5F is not ASCII. */
	assert_folds("！～｟", "!~｟");
	/* U+3000 is a space; between non-Chinese text it stays one. */
	assert_folds("ok　ok", "ok ok");
	/* Full-width punctuation becomes ASCII punctuation. */
	assert_folds("退款（全额）", "退款(全额)");
}

static void test_ascii_lower_case(void **state)
{
	(void)state;
	assert_folds("FAKE Tracking Number", "fake tracking number");
	assert_folds("@#[]AZaz09", "@#[]azaz09");
	/* PCRE2 matches k and s caselessly with the Kelvin sign and the long
	 * s, so they fold to ASCII too: a trigger "ok" is then found. */
	assert_folds("o\xE2\x84\xAA \xC5\xBF" "ent", "ok sent");
}

static void test_pinyin_dropped(void **state)
{
	(void)state;
	assert_folds("發(fā)貨", "发货");
	assert_folds("发（fa）货", "发货");
	assert_folds("质量(zhì liàng)太差", "质量太差");
	assert_folds("发(FA)货", "发货");
	assert_folds("发（fa)货", "发货");
	assert_folds("發(fā)(huò)", "发");
	/* Full-width letters are pinyin too once folded. */
	assert_folds("发（ｆａ）货", "发货");
}

static void test_parentheses_kept(void **state)
{
	(void)state;
	assert_folds("(很差)", "(很差)");
	assert_folds("质量(很差)", "质量(很差)");
	assert_folds("质量（很差）", "质量(很差)");
	/* Only right after a Chinese character. */
	assert_folds("abc(fa)", "abc(fa)");
	assert_folds("(fa)货", "(fa)货");
	assert_folds("发 (fa)", "发 (fa)");
	/* Not pinyin: empty, digits, unclosed, too long. */
	assert_folds("发()", "发()");
	assert_folds("发(fa1)", "发(fa1)");
	assert_folds("发(fa", "发(fa");
	assert_folds("发(abcdefghijklmnopqrstuvwxy)", "发(abcdefghijklmnopqrstuvwxy)");
}

static void test_spaces_between_chinese(void **state)
{
	(void)state;
	assert_folds("发 货", "发货");
	assert_folds("发    货", "发货");
	assert_folds("發 貨", "发货");
	/* U+3000 is the space Chinese text uses. */
	assert_folds("发　货", "发货");
	assert_folds("发 　 货", "发货");
	/* Kept anywhere else. */
	assert_folds("hello world", "hello world");
	assert_folds("发 abc", "发 abc");
	assert_folds("abc 货", "abc 货");
	assert_folds("发货 ", "发货 ");
	assert_folds(" 发货", " 发货");
	assert_folds("发 1 货", "发 1 货");
}

static void test_zero_width_dropped(void **state)
{
	(void)state;
	assert_folds("发\xE2\x80\x8B货", "发货");        /* U+200B */
	assert_folds("发\xE2\x80\x8C货", "发货");        /* U+200C */
	assert_folds("发\xE2\x80\x8D货", "发货");        /* U+200D */
	assert_folds("\xEF\xBB\xBF质量", "质量");        /* U+FEFF, a BOM */
	assert_folds("fa\xE2\x80\x8Bke", "fake");
	/* U+200E (LRM) is not in the list. */
	assert_folds("a\xE2\x80\x8E", "a\xE2\x80\x8E");
}

/* in[0..len) must fold to want[0..want_len) with `invalid` replacements. */
static void assert_invalid(const char *in, size_t len, const char *want, size_t invalid)
{
	struct folded f = fold_n(in, len);
	assert_int_equal(f.len, strlen(want));
	assert_memory_equal(f.s, want, f.len);
	assert_int_equal(f.invalid, invalid);
	folded_free(&f);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* A lone continuation byte. */
	assert_invalid("a\x80z", 3, "a" FFFD "z", 1);
	/* Bytes that never occur in UTF-8. */
	assert_invalid("\xFF", 1, FFFD, 1);
	assert_invalid("\xF5\x80\x80\x80", 4, FFFD FFFD FFFD FFFD, 4);
	/* Overlong NUL: must not become a NUL byte. */
	assert_invalid("\xC0\x80", 2, FFFD FFFD, 2);
	assert_invalid("\xE0\x80\xAF", 3, FFFD FFFD FFFD, 3);
	/* A surrogate, and a code point past U+10FFFF. */
	assert_invalid("\xED\xA0\x80", 3, FFFD FFFD FFFD, 3);
	assert_invalid("\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD, 4);
	/* A genuine U+FFFD is not an error. */
	assert_invalid(FFFD, 3, FFFD, 0);

	/* A sequence cut short: the text around it survives, whatever the
	 * number of replacement characters. */
	static const char *const cut[] = {
		"质量\xE5\x8F", "质量\xE5", "\xE5\x8F" "a", "\xF0\x9F\x98" "发货", "x\xC3",
	};
	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		struct folded f = fold(cut[i]);
		size_t n = count_fffd(f.s, f.len);
		assert_true(f.invalid >= 1);
		assert_int_equal(f.invalid, n);
		folded_free(&f);
	}
	struct folded f = fold("质量\xE5\x8F");
	assert_memory_equal(f.s, "质量" FFFD, strlen("质量" FFFD));
	folded_free(&f);
	f = fold("\xE5\x8F" "a");
	assert_true(f.len >= 4 && f.s[f.len - 1] == 'a');
	folded_free(&f);
	f = fold("\xF0\x9F\x98" "發貨");
	assert_true(f.len >= 6 && !strcmp(f.s + f.len - 6, "发货"));
	folded_free(&f);

	/* A NULL count pointer is allowed. */
	char out[TEXTFOLD_MAX_OUT(2)];
	assert_int_equal(textfold_text("\x80", 1, out, NULL, NULL), 3);
}

static void test_origin_maps_back(void **state)
{
	(void)state;
	const char *in = "發(fā)貨 ＦＡＫＥ\xE2\x80\x8B!";
	struct folded f = fold(in);

	assert_string_equal(f.s, "发货 fake!");
	/* 发 comes from 發 at 0, 货 from 貨 after "(fā)". */
	assert_int_equal(f.origin[0], 0);
	assert_int_equal(f.origin[2], 0);
	assert_int_equal(f.origin[3], strstr(in, "貨") - in);
	assert_int_equal(f.origin[5], strstr(in, "貨") - in);
	/* Each full-width letter maps to its own 3 input bytes. */
	const char *F = strstr(in, "Ｆ");
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(f.origin[7 + i], (F - in) + 3 * i);
	/* '!' comes after the dropped U+200B. */
	assert_int_equal(f.origin[11], strlen(in) - 1);
	assert_int_equal(f.origin[12], strlen(in));
	folded_free(&f);

	/* A span of folded text maps to the span of input it came from. */
	f = fold("我的包裹 發 貨 太慢");
	const char *hit = strstr(f.s, "发货");
	assert_non_null(hit);
	size_t s = (size_t)(hit - f.s), e = s + strlen("发货");
	assert_int_equal(f.origin[s], strlen("我的包裹 "));
	/* The end maps to where the next kept character starts: the dropped
	 * space after 貨 falls inside the span. */
	assert_int_equal(f.origin[e], strlen("我的包裹 發 貨 "));
	folded_free(&f);

	/* Empty input. */
	char out[TEXTFOLD_MAX_OUT(0)];
	uint32_t origin[TEXTFOLD_MAX_OUT(0) + 1];
	size_t invalid = 99;
	assert_int_equal(textfold_text("", 0, out, origin, &invalid), 0);
	assert_int_equal(origin[0], 0);
	assert_int_equal(invalid, 0);
}

static void test_max_out(void **state)
{
	(void)state;
	/* The worst case: every byte invalid, 3 bytes out each. */
	char in[1000];
	memset(in, 0x80, sizeof(in));
	struct folded f = fold_n(in, sizeof(in));
	assert_int_equal(f.len, 3 * sizeof(in));
	assert_int_equal(f.invalid, sizeof(in));
	folded_free(&f);
	/* One byte. */
	f = fold_n("\xFE", 1);
	assert_int_equal(f.len, 3);
	folded_free(&f);
}

/* ---- property test over random byte strings ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

/* TOUSU_TEST_ITERATIONS and TOUSU_TEST_SEED run the property test longer
 * or elsewhere; the defaults keep `make check` fast and repeatable. */
static int iterations(int dflt)
{
	return rng_iterations(dflt, &rng_state);
}

static uint64_t rng(void)
{
	return rng_next(&rng_state);
}

/* Pieces that exercise every rule of the folding, and some that break UTF-8. */
static const char *const pieces[] = {
	"發", "貨", "质", "量", "騷", "擾", "发", " ", "  ", "　", "(", ")", "（", "）",
	"fa", "ā", "zhì", "FA", "Ｆ", "ａ", "\xE2\x80\x8B", "\xEF\xBB\xBF", "\xE2\x84\xAA",
	"x", "1", "!", "很差", "\xF0\x9F\x98\xAD", FFFD, "\xC0\x80", "\xED\xA0\x80", "\x80",
	"\xE5\x8F", "\xF0\x9F", "\xF5", "\xFF", "\xC3", "é",
};

static size_t random_text(char *buf, size_t cap, int raw)
{
	size_t n = 0, want = (size_t)(rng() % 40);
	for (size_t i = 0; i < want; i++) {
		if (raw || rng() % 8 == 0) {
			if (n + 1 > cap)
				break;
			buf[n++] = (char)(rng() & 0xFF);
		} else {
			const char *p = pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
			size_t k = strlen(p);
			if (n + k > cap)
				break;
			memcpy(buf + n, p, k);
			n += k;
		}
	}
	return n;
}

static void test_property_random_bytes(void **state)
{
	(void)state;
	char in[256];

	int n = iterations(20000);
	for (int iter = 0; iter < n; iter++) {
		size_t len = random_text(in, sizeof(in), iter % 4 == 0);
		struct folded f = fold_n(in, len);  /* checks validity, bounds, origin */

		/* Replacement characters are the invalid count, plus the
		 * genuine U+FFFDs of the input. */
		size_t genuine = 0, replaced = 0;
		for (size_t i = 0; i + 3 <= f.len; i++) {
			if (memcmp(f.s + i, FFFD, 3))
				continue;
			size_t at = f.origin[i];
			if (at + 3 <= len && !memcmp(in + at, FFFD, 3))
				genuine++;
			else
				replaced++;
			i += 2;
		}
		(void)genuine;
		if (replaced != f.invalid)
			print_error("iteration %d: %zu replaced, %zu counted\n", iter, replaced,
				    f.invalid);
		assert_int_equal(replaced, f.invalid);
		/* Valid input has nothing to replace. */
		if (utf8_is_valid(in, len))
			assert_int_equal(f.invalid, 0);

		/* Folding is idempotent: folded text, as shown by --explain
		 * and pasted into a rule, folds to itself. */
		struct folded g = fold_n(f.s, f.len);
		if (g.len != f.len || memcmp(g.s, f.s, f.len))
			print_error("iteration %d: fold(\"%s\") = \"%s\" but folds again to \"%s\"\n",
				    iter, in, f.s, g.s);
		assert_int_equal(g.len, f.len);
		assert_memory_equal(g.s, f.s, f.len);
		folded_free(&g);
		folded_free(&f);
	}
}

/* ---- patterns ---- */

static void assert_pattern(const char *in, const char *want)
{
	size_t len = strlen(in);
	char *out = malloc(TEXTFOLD_MAX_OUT(len));
	assert_non_null(out);
	size_t n = textfold_pattern(in, len, out);
	if (strcmp(out, want))
		print_error("textfold_pattern(\"%s\") = \"%s\", want \"%s\"\n", in, out, want);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
	free(out);
}

static void test_pattern_escapes_untouched(void **state)
{
	(void)state;
	assert_pattern("\\D", "\\D");
	assert_pattern("\\x{4e00}", "\\x{4e00}");
	assert_pattern("\\d+天", "\\d+天");
	assert_pattern("\\bFAKE\\b", "\\bFAKE\\b");
	assert_pattern("a\\|b", "a\\|b");
	assert_pattern("\\\\", "\\\\");
	assert_pattern("\\p{Han}{2}", "\\p{Han}{2}");
	/* A trailing backslash is PCRE2's to report. */
	assert_pattern("a\\", "a\\");
}

static void test_pattern_folds_characters(void **state)
{
	(void)state;
	assert_pattern("發貨", "发货");
	assert_pattern("(?:質量|騷擾)問題", "(?:质量|骚扰)问题");
	assert_pattern("[發貨]", "[发货]");
	/* Letters keep their case: patterns are compiled caseless. */
	assert_pattern("ＦＡＫＥ", "FAKE");
	assert_pattern("Fake", "Fake");
	/* A full-width metacharacter folds to an escaped ASCII one, so it
	 * matches the folded text literally instead of becoming syntax. */
	assert_pattern("（", "\\(");
	assert_pattern("退款（全额）", "退款\\(全额\\)");
	assert_pattern("a｜b", "a\\|b");
	assert_pattern("．＊", "\\.\\*");
	assert_pattern("发　货", "发 货");
	/* Zero-width characters are dropped. */
	assert_pattern("发\xE2\x80\x8B货", "发货");
}

static void test_pattern_bounds(void **state)
{
	(void)state;
	/* Every character escaped: 3 bytes in, 2 out. Invalid bytes are
	 * copied for PCRE2 to reject. The output and its NUL fit. */
	const char *in = "（）［］｛｝\x80\xFF";
	size_t len = strlen(in);
	char *out = malloc(TEXTFOLD_MAX_OUT(len));
	assert_non_null(out);
	size_t n = textfold_pattern(in, len, out);
	assert_true(n + 1 <= TEXTFOLD_MAX_OUT(len));
	assert_string_equal(out, "\\(\\)\\[\\]\\{\\}\x80\xFF");
	free(out);

	char tiny[TEXTFOLD_MAX_OUT(0)];
	assert_int_equal(textfold_pattern("", 0, tiny), 0);
	assert_int_equal(tiny[0], '\0');
}

/* Every ideograph's simplified form is final: OpenCC maps 薴 to 苧 and 苧 to
 * 苎, and a table that kept the first step folded 薴 twice differently
 * (found by tests/fuzz/fuzz_classify). */
static void test_t2s_is_a_fixed_point(void **state)
{
	(void)state;
	for (uint32_t cp = 0x3400; cp <= 0x9FFF; cp++) {
		uint32_t s = hanzi_to_simplified(cp);
		if (hanzi_to_simplified(s) != s) {
			print_error("U+%04X -> U+%04X -> U+%04X\n", (unsigned)cp, (unsigned)s,
				    (unsigned)hanzi_to_simplified(s));
			fail();
		}
	}
	assert_int_equal(hanzi_to_simplified(0x85B4), 0x82CE);  /* 薴 -> 苎 */
}

/* The bit that lets most characters skip the pages is set exactly for the
 * code points the pages map: a bit missing would leave a traditional
 * character unfolded. */
static void test_t2s_bits_match_pages(void **state)
{
	(void)state;
	size_t mapped = 0;
	for (uint32_t cp = HANZI_T2S_FIRST; cp <= HANZI_T2S_LAST; cp++) {
		unsigned page = hanzi_t2s_index[(cp >> 8) - (HANZI_T2S_FIRST >> 8)];
		int in_pages = page && hanzi_t2s_pages[page - 1][cp & 0xff];
		uint32_t k = cp - HANZI_T2S_FIRST;
		int bit = hanzi_t2s_mapped[k >> 6] >> (k & 63) & 1;
		if (in_pages != bit) {
			print_error("U+%04X: pages %d, bit %d\n", (unsigned)cp, in_pages, bit);
			fail();
		}
		mapped += bit;
	}
	assert_int_equal(mapped, 2956);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_traditional_to_simplified),
		cmocka_unit_test(test_t2s_is_a_fixed_point),
		cmocka_unit_test(test_t2s_bits_match_pages),
		cmocka_unit_test(test_fullwidth_ascii),
		cmocka_unit_test(test_ascii_lower_case),
		cmocka_unit_test(test_pinyin_dropped),
		cmocka_unit_test(test_parentheses_kept),
		cmocka_unit_test(test_spaces_between_chinese),
		cmocka_unit_test(test_zero_width_dropped),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_origin_maps_back),
		cmocka_unit_test(test_max_out),
		cmocka_unit_test(test_property_random_bytes),
		cmocka_unit_test(test_pattern_escapes_untouched),
		cmocka_unit_test(test_pattern_folds_characters),
		cmocka_unit_test(test_pattern_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
