/*
 * test_hash.c - formats/hash.h: the hash depends on the bytes, their
 * length and the seed, never on where the bytes lie; a trailing NUL is a
 * byte like another; the low bits that a power-of-two table uses spread
 * keys that differ in one byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "formats/hash.h"

static void test_alignment(void **state)
{
	(void)state;
	char a[80], b[96];
	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = (char)(i * 37 + 11);
	for (size_t len = 0; len <= sizeof(a); len++)
		for (size_t off = 1; off < 16; off++) {
			memcpy(b + off, a, len);
			assert_true(hash_bytes(HASH_SEED, a, len) ==
				    hash_bytes(HASH_SEED, b + off, len));
		}
}

static void test_length_and_seed(void **state)
{
	(void)state;
	static const char zeros[16];
	/* "a" and "a\0" pad to one last word: the length tells them apart. */
	assert_true(hash_bytes(HASH_SEED, "a", 1) != hash_bytes(HASH_SEED, "a", 2));
	for (size_t len = 0; len < sizeof(zeros); len++)
		assert_true(hash_bytes(HASH_SEED, zeros, len) !=
			    hash_bytes(HASH_SEED, zeros, len + 1));
	assert_true(hash_bytes(HASH_SEED, "tb5713229852", 12) !=
		    hash_bytes(HASH_SEED + 1, "tb5713229852", 12));
	assert_true(hash_bytes(0, "", 0) != hash_bytes(1, "", 0));
}

/* 4,096 ids that differ in their last two bytes, in 256 slots by the low
 * 8 bits: no slot stays empty or takes over four times its share. */
static void test_low_bits_spread(void **state)
{
	(void)state;
	unsigned count[256] = {0};
	char id[20] = "6305179832269130-00";
	for (unsigned i = 0; i < 4096; i++) {
		id[17] = (char)('0' + i % 64);
		id[18] = (char)('0' + i / 64);
		count[hash_bytes(HASH_SEED, id, sizeof(id) - 1) & 255]++;
	}
	for (unsigned s = 0; s < 256; s++) {
		assert_true(count[s] > 0);
		assert_true(count[s] <= 64);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_length_and_seed),
		cmocka_unit_test(test_low_bits_spread),
	};
	return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}
