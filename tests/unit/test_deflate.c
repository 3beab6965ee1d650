/*
 * test_deflate.c - formats/deflate.h against zlib, the reference: every
 * stream zlib writes (each level and strategy, text-like, repetitive and
 * random data) decodes to the same bytes, fed in pieces of any size into
 * output of any room; a damaged stream is an error for one exactly when it
 * is for the other, and decodes the same when neither objects; where a
 * stream ends, and zlib's words for what is wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "formats/deflate.h"
#include "tests/unit/rng.h"

#define OUT_CAP (4u << 20)

/* How a decode ended, and what it wrote. */
struct result {
	enum deflate_status st;     /* STREAM_END, TRUNCATED or ERROR */
	const char *msg;
	size_t used;                /* input bytes up to the stream's end */
	size_t len;
	unsigned char *out;         /* OUT_CAP bytes */
};

/*
 * Decodes src[0..n) with input arriving in pieces of 1..max_piece bytes
 * (0: all at once) and output room growing by 1..max_room bytes at a time
 * (0: all of it), as a streaming caller would give them.
 */
static void decode(const unsigned char *src, size_t n, size_t max_piece,
		   size_t max_room, uint64_t *rng, struct result *r)
{
	struct deflate_decoder *d = deflate_decoder_new();
	unsigned char *in = malloc(n + 1);
	size_t have = 0, at = 0, room;
	struct deflate_stream s;

	assert_non_null(d);
	assert_non_null(in);
	memset(&s, 0, sizeof(s));
	s.next_out = r->out;
	s.history = r->out;
	room = max_room ? 0 : OUT_CAP;
	for (;;) {
		size_t used = (size_t)(s.next_in - in);

		/* Keep what is unread at the front, as source.c does. */
		if (s.next_in && used) {
			memmove(in, in + used, have - used);
			have -= used;
		}
		s.next_in = in;
		s.end_in = in + have;
		s.in_last = at == n;
		s.end_out = r->out + (room < OUT_CAP ? room : OUT_CAP);
		r->st = deflate_decode(d, &s);
		if (r->st == DEFLATE_NEED_INPUT) {
			size_t k = max_piece ? 1 + rng_below(rng, max_piece) : n;

			assert_false(s.in_last);
			if (k > n - at)
				k = n - at;
			memcpy(in + have, src + at, k);
			have += k;
			at += k;
			continue;
		}
		if (r->st == DEFLATE_OUTPUT_FULL) {
			assert_true(s.end_out - s.next_out < DEFLATE_MAX_MATCH);
			if (room >= OUT_CAP)
				break;  /* more output than any test stream holds */
			room += 1 + rng_below(rng, max_room);
			continue;
		}
		break;
	}
	r->msg = s.msg;
	r->len = (size_t)(s.next_out - r->out);
	r->used = at - (size_t)(s.end_in - s.next_in);
	deflate_decoder_free(d);
	free(in);
}

/* zlib's raw inflate of the same bytes: Z_STREAM_END, or the error. */
static int zlib_decode(const unsigned char *src, size_t n, unsigned char *out,
		       size_t *len, size_t *used, char *msg, size_t msg_cap)
{
	z_stream z;
	int ret;

	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, -15), Z_OK);
	z.next_in = (unsigned char *)src;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = OUT_CAP;
	ret = inflate(&z, Z_FINISH);
	*len = OUT_CAP - z.avail_out;
	*used = n - z.avail_in;
	snprintf(msg, msg_cap, "%s", z.msg ? z.msg : "");
	inflateEnd(&z);
	return ret;
}

static size_t zlib_encode(const unsigned char *src, size_t n, int level,
			  int strategy, unsigned char *dst, size_t cap)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, level, Z_DEFLATED, -15, 8, strategy), Z_OK);
	z.next_in = (unsigned char *)src;
	z.avail_in = (uInt)n;
	z.next_out = dst;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	n = cap - z.avail_out;
	deflateEnd(&z);
	return n;
}

/* Complaint-like text: words from a small vocabulary, some long runs. */
static size_t make_text(unsigned char *buf, size_t n, uint64_t *rng, int kind)
{
	static const char *words[] = {
		"2026-11-0", "shop_", "发货", "质量问题", ",", "\n", "退款",
		"\"quoted, field\"", "客服态度很差", "ok", "12.50", "物流",
	};
	size_t i = 0;

	switch (kind) {
	case 0:  /* random bytes: stored blocks and literal-only codes */
		for (; i < n; i++)
			buf[i] = (unsigned char)rng_next(rng);
		return n;
	case 1:  /* one byte repeated: distance 1 */
		memset(buf, 'a', n);
		return n;
	case 2:  /* a short pattern: distances under a word */
		for (; i < n; i++)
			buf[i] = (unsigned char)("abcdefg"[i % (2 + (n % 5))]);
		return n;
	default:
		while (i < n) {
			const char *w = words[rng_below(rng, sizeof(words) / sizeof(*words))];
			size_t k = strlen(w);

			if (k > n - i)
				k = n - i;
			memcpy(buf + i, w, k);
			i += k;
		}
		return n;
	}
}

static void check_same(const unsigned char *z, size_t zn, uint64_t *rng,
		       const unsigned char *want, size_t want_len, struct result *r)
{
	static const size_t pieces[] = { 0, 1, 7, 700, 70000 };
	static const size_t rooms[] = { 0, 1, 300, 5000 };

	for (size_t p = 0; p < sizeof(pieces) / sizeof(*pieces); p++) {
		size_t room = rooms[p % (sizeof(rooms) / sizeof(*rooms))];

		decode(z, zn, pieces[p], room, rng, r);
		assert_int_equal(r->st, DEFLATE_STREAM_END);
		assert_int_equal(r->len, want_len);
		assert_memory_equal(r->out, want, want_len);
		assert_int_equal(r->used, zn);
	}
}

static void test_decodes_what_zlib_writes(void **state)
{
	(void)state;
	static const int strategies[] = {
		Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED,
	};
	static const size_t sizes[] = { 0, 1, 2, 257, 5000, 70000, 300000 };
	size_t cap = compressBound(300000) + 64;
	unsigned char *src = malloc(300000), *z = malloc(cap);
	struct result r = { .out = malloc(OUT_CAP) };
	uint64_t rng = 0x243F6A8885A308D3ull;

	assert_non_null(src);
	assert_non_null(z);
	assert_non_null(r.out);
	for (int kind = 0; kind < 4; kind++)
		for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
			size_t n = make_text(src, sizes[i], &rng, kind);

			for (int level = 0; level <= 9; level += 3)
				for (size_t st = 0; st < sizeof(strategies) / sizeof(*strategies); st++) {
					size_t zn = zlib_encode(src, n, level, strategies[st], z, cap);

					check_same(z, zn, &rng, src, n, &r);
				}
		}
	free(src);
	free(z);
	free(r.out);
}

/*
 * Streams as pigz, bgzip and log writers make them: flushed (empty stored
 * blocks, byte-aligned restarts), the level and strategy changed midway
 * (block types mixed), small windows, and a full flush that forgets the
 * history.
 */
static void test_flushed_and_mixed_streams(void **state)
{
	(void)state;
	static const int flushes[] = { Z_NO_FLUSH, Z_SYNC_FLUSH, Z_FULL_FLUSH, Z_BLOCK, Z_PARTIAL_FLUSH };
	size_t n = 200000, cap = compressBound(200000) * 2 + 4096;
	unsigned char *src = malloc(n), *z = malloc(cap);
	struct result r = { .out = malloc(OUT_CAP) };
	uint64_t rng = 0xA4093822299F31D0ull;

	assert_non_null(src);
	assert_non_null(z);
	assert_non_null(r.out);
	make_text(src, n, &rng, 3);
	for (int round = 0; round < 24; round++) {
		z_stream zs;
		size_t at = 0;

		memset(&zs, 0, sizeof(zs));
		assert_int_equal(deflateInit2(&zs, (int)rng_below(&rng, 10), Z_DEFLATED,
					      -(9 + (int)rng_below(&rng, 7)), 8,
					      (int)rng_below(&rng, 5)), Z_OK);
		zs.next_out = z;
		zs.avail_out = (uInt)cap;
		while (at < n) {
			size_t k = 1 + rng_below(&rng, 20000);

			if (k > n - at)
				k = n - at;
			zs.next_in = src + at;
			zs.avail_in = (uInt)k;
			assert_int_not_equal(deflate(&zs, flushes[rng_below(&rng, 5)]), Z_STREAM_ERROR);
			assert_int_equal(zs.avail_in, 0);
			at += k;
			if (rng_below(&rng, 3) == 0)
				assert_int_equal(deflateParams(&zs, (int)rng_below(&rng, 10),
							       (int)rng_below(&rng, 5)), Z_OK);
		}
		assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
		check_same(z, cap - zs.avail_out, &rng, src, n, &r);
		deflateEnd(&zs);
	}
	free(src);
	free(z);
	free(r.out);
}

/*
 * Damaged streams: random bits flipped, bytes overwritten, cuts. Both
 * decoders must call the same streams bad, and agree on what the good ones
 * hold and where they end.
 */
static void test_damage_like_zlib(void **state)
{
	(void)state;
	uint64_t rng = 0x13198A2E03707344ull;
	int rounds = rng_iterations(3000, &rng);
	size_t cap = compressBound(20000) + 64;
	unsigned char *src = malloc(20000), *z = malloc(cap);
	unsigned char *zout = malloc(OUT_CAP);
	struct result r = { .out = malloc(OUT_CAP) };
	int bad = 0;

	assert_non_null(src);
	assert_non_null(z);
	assert_non_null(zout);
	assert_non_null(r.out);
	for (int round = 0; round < rounds; round++) {
		size_t n = make_text(src, 1 + rng_below(&rng, 20000), &rng,
				     (int)rng_below(&rng, 4));
		size_t zn = zlib_encode(src, n, (int)rng_below(&rng, 10),
					(int)rng_below(&rng, 5), z, cap);
		size_t zlen, zused;
		char zmsg[128];
		int zret, flips = 1 + (int)rng_below(&rng, 4);

		for (int f = 0; f < flips; f++) {
			size_t at = rng_below(&rng, zn);

			if (rng_below(&rng, 2))
				z[at] ^= (unsigned char)(1u << rng_below(&rng, 8));
			else
				z[at] = (unsigned char)rng_next(&rng);
		}
		if (rng_below(&rng, 4) == 0)
			zn = rng_below(&rng, zn + 1);
		zret = zlib_decode(z, zn, zout, &zlen, &zused, zmsg, sizeof(zmsg));
		decode(z, zn, rng_below(&rng, 2) ? 0 : 1 + rng_below(&rng, 3000),
		       rng_below(&rng, 2) ? 0 : 1 + rng_below(&rng, 3000), &rng, &r);
		if (zret == Z_STREAM_END) {
			assert_int_equal(r.st, DEFLATE_STREAM_END);
			assert_int_equal(r.len, zlen);
			assert_memory_equal(r.out, zout, zlen);
			assert_int_equal(r.used, zused);
		} else if (zret == Z_BUF_ERROR && zlen < OUT_CAP) {
			/* zlib ran out of input: a cut stream. */
			assert_int_equal(r.st, DEFLATE_TRUNCATED);
			bad++;
		} else if (zret == Z_DATA_ERROR) {
			assert_int_equal(r.st, DEFLATE_ERROR);
			assert_string_equal(r.msg, zmsg);
			bad++;
		}
	}
	/* The damage must have made bad streams, or this tested nothing. */
	assert_true(bad > rounds / 4);
	free(src);
	free(z);
	free(zout);
	free(r.out);
}

/* Hand-made streams for each of zlib's complaints, in zlib's words. */
static void test_errors_in_zlib_words(void **state)
{
	(void)state;
	static const struct {
		unsigned char bytes[8];
		size_t n;
		const char *msg;
	} cases[] = {
		{ { 0x07 }, 1, "invalid block type" },                 /* BTYPE 3 */
		{ { 0x01, 0x05, 0x00, 0x00, 0x00 }, 5, "invalid stored block lengths" },
		/* A fixed block whose first symbol is a match of distance 1. */
		{ { 0x03, 0x02 }, 2, "invalid distance too far back" },
		/* Fixed code 286 (11000110): a length code that does not exist. */
		{ { 0x1b, 0x03 }, 2, "invalid literal/length code" },
	};
	struct result r = { .out = malloc(OUT_CAP) };
	uint64_t rng = 1;

	assert_non_null(r.out);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		unsigned char zout[16];
		z_stream z;

		decode(cases[i].bytes, cases[i].n, 0, 0, &rng, &r);
		assert_int_equal(r.st, DEFLATE_ERROR);
		assert_string_equal(r.msg, cases[i].msg);
		/* zlib says the same of the same bytes. */
		memset(&z, 0, sizeof(z));
		assert_int_equal(inflateInit2(&z, -15), Z_OK);
		z.next_in = (unsigned char *)cases[i].bytes;
		z.avail_in = (uInt)cases[i].n;
		z.next_out = zout;
		z.avail_out = sizeof(zout);
		assert_int_equal(inflate(&z, Z_FINISH), Z_DATA_ERROR);
		assert_string_equal(z.msg, cases[i].msg);
		inflateEnd(&z);
	}
	free(r.out);
}

/* The stream's end is exact: bytes after it are left for the caller. */
static void test_stops_at_stream_end(void **state)
{
	(void)state;
	unsigned char src[3000], z[4000];
	struct result r = { .out = malloc(OUT_CAP) };
	uint64_t rng = 7;
	size_t n = make_text(src, sizeof(src), &rng, 3);
	size_t zn = zlib_encode(src, n, 6, Z_DEFAULT_STRATEGY, z, sizeof(z) - 16);

	assert_non_null(r.out);
	memcpy(z + zn, "\x1f\x8b trailing", 10);
	for (size_t piece = 0; piece < 40; piece += 13) {
		decode(z, zn + 10, piece, 0, &rng, &r);
		assert_int_equal(r.st, DEFLATE_STREAM_END);
		assert_int_equal(r.used, zn);
		assert_int_equal(r.len, n);
	}
	free(r.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decodes_what_zlib_writes),
		cmocka_unit_test(test_flushed_and_mixed_streams),
		cmocka_unit_test(test_damage_like_zlib),
		cmocka_unit_test(test_errors_in_zlib_words),
		cmocka_unit_test(test_stops_at_stream_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
