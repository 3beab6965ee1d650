/*
 * test_crc32.c - formats/crc32.h: crc32_update() is zlib's crc32() for any
 * bytes, length, alignment and starting value, fed whole or in pieces; the
 * folding path (64 bytes and more) and the bytes it leaves to zlib alike.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <zlib.h>

#include "formats/crc32.h"
#include "tests/unit/rng.h"

static void test_check_value(void **state)
{
	(void)state;
	/* The CRC-32 catalogue's check value, and the empty input. */
	assert_int_equal(crc32_update(0, (const unsigned char *)"123456789", 9), 0xCBF43926u);
	assert_int_equal(crc32_update(0, (const unsigned char *)"", 0), 0);
	/* 64 bytes and more: the folding path, against a value from zlib. */
	unsigned char zeros[256] = {0};
	assert_int_equal(crc32_update(0, zeros, sizeof(zeros)),
			 (uint32_t)crc32_z(0, zeros, sizeof(zeros)));
}

/* Every length from 0 to 300 at every alignment from 0 to 15, then long
 * random runs, from random starting values: the same as zlib. */
static void test_same_as_zlib(void **state)
{
	(void)state;
	static unsigned char buf[1 << 17];
	uint64_t s = 0x9E3779B97F4A7C15ull;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rng_next(&s);
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n <= 300; n++) {
			uint32_t c0 = (uint32_t)rng_next(&s);
			uint32_t want = (uint32_t)crc32_z(c0, buf + off, n);
			if (crc32_update(c0, buf + off, n) != want) {
				print_error("offset %zu length %zu\n", off, n);
				fail();
			}
		}
	int rounds = rng_iterations(2000, &s);
	for (int r = 0; r < rounds; r++) {
		size_t off = (size_t)rng_below(&s, 4096);
		size_t n = (size_t)rng_below(&s, sizeof(buf) - 4096);
		uint32_t c0 = (uint32_t)rng_next(&s);
		assert_int_equal(crc32_update(c0, buf + off, n), (uint32_t)crc32_z(c0, buf + off, n));
	}
}

/* Fed in random pieces, as inflate's output comes, the same as at once. */
static void test_pieces(void **state)
{
	(void)state;
	static unsigned char buf[1 << 16];
	uint64_t s = 42;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)rng_next(&s);
	uint32_t whole = crc32_update(0, buf, sizeof(buf));
	assert_int_equal(whole, (uint32_t)crc32_z(0, buf, sizeof(buf)));
	int rounds = rng_iterations(200, &s);
	for (int r = 0; r < rounds; r++) {
		uint32_t c = 0;
		for (size_t at = 0; at < sizeof(buf);) {
			size_t n = 1 + (size_t)rng_below(&s, r % 2 ? 300 : 9000);
			if (n > sizeof(buf) - at)
				n = sizeof(buf) - at;
			c = crc32_update(c, buf + at, n);
			at += n;
		}
		assert_int_equal(c, whole);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_value),
		cmocka_unit_test(test_same_as_zlib),
		cmocka_unit_test(test_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
