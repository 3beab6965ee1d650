/*
 * test_shop_table.c - analyzers/shop_table.c: shop keys become dense
 * indexes 0, 1, 2, ... in order of first appearance, the same key always
 * gets the same index, and keys are bytes (NUL and non-UTF-8 included).
 * Growth (the key arena, the offsets, the hash slots) keeps every key and
 * index, and running out of memory leaves the table as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/shop_table.h"

static int64_t intern_str(struct shop_table *t, const char *s)
{
	return shop_table_intern(t, s, strlen(s));
}

static int64_t find_str(const struct shop_table *t, const char *s)
{
	return shop_table_find(t, s, strlen(s));
}

static void assert_key(const struct shop_table *t, size_t idx, const void *want,
		       size_t want_len)
{
	size_t len = 12345;
	const char *k = shop_table_key(t, idx, &len);

	assert_non_null(k);
	assert_int_equal(len, want_len);
	if (want_len)
		assert_memory_equal(k, want, want_len);
	assert_int_equal(k[len], '\0');
}

static void test_empty_table(void **state)
{
	(void)state;
	struct shop_table *t = shop_table_new();

	assert_non_null(t);
	assert_int_equal(shop_table_count(t), 0);
	assert_int_equal(find_str(t, "店铺A"), -1);
	assert_int_equal(shop_table_find(t, "", 0), -1);
	shop_table_free(t);
	shop_table_free(NULL);
}

static void test_dense_in_order_of_first_appearance(void **state)
{
	(void)state;
	static const char *const rows[] = {
		"旗舰店", "专卖店", "旗舰店", "旗舰店", "outlet", "专卖店", "outlet",
		"小店", "旗舰店",
	};
	static const int64_t want[] = {0, 1, 0, 0, 2, 1, 2, 3, 0};
	struct shop_table *t = shop_table_new();

	assert_non_null(t);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(intern_str(t, rows[i]), want[i]);
		/* Interning never changes what find answers for earlier keys. */
		assert_int_equal(find_str(t, rows[i]), want[i]);
	}
	assert_int_equal(shop_table_count(t), 4);
	assert_key(t, 0, "旗舰店", strlen("旗舰店"));
	assert_key(t, 1, "专卖店", strlen("专卖店"));
	assert_key(t, 2, "outlet", 6);
	assert_key(t, 3, "小店", strlen("小店"));
	assert_int_equal(find_str(t, "旗舰"), -1);       /* a prefix is another key */
	assert_int_equal(find_str(t, "旗舰店 "), -1);    /* no trimming */
	assert_int_equal(find_str(t, "OUTLET"), -1);    /* no case folding */
	/* find never adds. */
	assert_int_equal(shop_table_count(t), 4);
	shop_table_free(t);
}

static void test_key_is_copied(void **state)
{
	(void)state;
	struct shop_table *t = shop_table_new();
	char buf[16];

	assert_non_null(t);
	/* The caller's buffer is reused for every row, as the CSV reader does. */
	snprintf(buf, sizeof(buf), "shop-1");
	assert_int_equal(shop_table_intern(t, buf, strlen(buf)), 0);
	snprintf(buf, sizeof(buf), "shop-2");
	assert_int_equal(shop_table_intern(t, buf, strlen(buf)), 1);
	snprintf(buf, sizeof(buf), "shop-1");
	assert_int_equal(shop_table_intern(t, buf, strlen(buf)), 0);
	memset(buf, 'x', sizeof(buf));
	assert_key(t, 0, "shop-1", 6);
	assert_key(t, 1, "shop-2", 6);
	/* A key handed back by the table can be interned again. */
	size_t len;
	const char *k = shop_table_key(t, 1, &len);
	assert_int_equal(shop_table_intern(t, k, len), 1);
	/* Only len bytes count, whatever follows them. */
	assert_int_equal(shop_table_intern(t, "shop-1trailing", 6), 0);
	assert_int_equal(shop_table_count(t), 2);
	shop_table_free(t);
}

static void test_binary_keys(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		size_t len;
	} keys[] = {
		{"", 0},
		{"\0", 1},
		{"\0\0", 2},
		{"a\0b", 3},
		{"a\0c", 3},
		{"a", 1},
		{"a\0", 2},
		{"\xff\xfe\x80", 3},            /* not UTF-8 */
		{"\xb5\xea\xc6\xcc", 4},        /* GBK 店铺 before transcoding */
		{"\xe5\xba\x97\xe9\x93\xba", 6}, /* UTF-8 店铺 */
	};
	const size_t n = sizeof(keys) / sizeof(keys[0]);
	struct shop_table *t = shop_table_new();

	assert_non_null(t);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(shop_table_intern(t, keys[i].bytes, keys[i].len), (int64_t)i);
	/* Again, in reverse so the last-hit shortcut is not what answers. */
	for (size_t i = n; i-- > 0;) {
		assert_int_equal(shop_table_intern(t, keys[i].bytes, keys[i].len), (int64_t)i);
		assert_int_equal(shop_table_find(t, keys[i].bytes, keys[i].len), (int64_t)i);
	}
	assert_int_equal(shop_table_count(t), n);
	for (size_t i = 0; i < n; i++)
		assert_key(t, i, keys[i].bytes, keys[i].len);
	assert_int_equal(shop_table_find(t, "b", 1), -1);
	assert_int_equal(shop_table_find(t, "a\0d", 3), -1);
	assert_int_equal(shop_table_find(t, "\0\0\0", 3), -1);
	shop_table_free(t);
}

/* The last-hit shortcut must not answer for a key that only shares a prefix. */
static void test_repeated_and_alternating(void **state)
{
	(void)state;
	struct shop_table *t = shop_table_new();

	assert_non_null(t);
	assert_int_equal(shop_table_intern(t, "abc", 3), 0);
	assert_int_equal(shop_table_intern(t, "abc", 3), 0);
	assert_int_equal(shop_table_intern(t, "ab", 2), 1);
	assert_int_equal(shop_table_intern(t, "abc", 2), 1);
	assert_int_equal(shop_table_intern(t, "abcd", 4), 2);
	assert_int_equal(shop_table_intern(t, "abcd", 3), 0);
	assert_int_equal(shop_table_intern(t, "abd", 3), 3);
	assert_int_equal(shop_table_intern(t, "abc", 3), 0);
	assert_int_equal(shop_table_count(t), 4);
	shop_table_free(t);
}

static void test_many_keys(void **state)
{
	(void)state;
	const size_t n = 100000;
	struct shop_table *t = shop_table_new();
	char key[64];

	assert_non_null(t);
	for (size_t i = 0; i < n; i++) {
		int len = snprintf(key, sizeof(key), "店铺-%zu", i * 7919 % 1000003);
		int64_t idx = shop_table_intern(t, key, (size_t)len);
		if (idx != (int64_t)i)
			fail_msg("key %zu (%s) got index %lld", i, key, (long long)idx);
	}
	assert_int_equal(shop_table_count(t), n);
	/* Everything is still there, under its first index. */
	for (size_t i = n; i-- > 0;) {
		int len = snprintf(key, sizeof(key), "店铺-%zu", i * 7919 % 1000003);
		assert_int_equal(shop_table_find(t, key, (size_t)len), (int64_t)i);
		assert_int_equal(shop_table_intern(t, key, (size_t)len), (int64_t)i);
		assert_key(t, i, key, (size_t)len);
	}
	assert_int_equal(shop_table_count(t), n);
	for (size_t i = 0; i < 1000; i++) {
		int len = snprintf(key, sizeof(key), "店铺-%zu", 2000000 + i);
		assert_int_equal(shop_table_find(t, key, (size_t)len), -1);
	}
	assert_int_equal(shop_table_count(t), n);
	shop_table_free(t);
}

/* A million ids like real exports', through many doublings of every array. */
static void test_million_keys(void **state)
{
	(void)state;
	const size_t n = 1000000;
	struct shop_table *t = shop_table_new();
	char key[32];

	assert_non_null(t);
	for (size_t i = 0; i < n; i++) {
		int len = snprintf(key, sizeof(key), "s%09zu", (i * 611953) % 1000003);
		int64_t idx = shop_table_intern(t, key, (size_t)len);
		if (idx != (int64_t)i)
			fail_msg("key %zu (%s) got index %lld", i, key, (long long)idx);
	}
	assert_int_equal(shop_table_count(t), n);
	for (size_t i = 0; i < n; i++) {
		int len = snprintf(key, sizeof(key), "s%09zu", (i * 611953) % 1000003);
		size_t klen;
		const char *k = shop_table_key(t, i, &klen);
		if (klen != (size_t)len || memcmp(k, key, klen) || k[klen] != '\0')
			fail_msg("index %zu: key %.*s, want %s", i, (int)klen, k, key);
		if (shop_table_find(t, key, (size_t)len) != (int64_t)i)
			fail_msg("find %s: not %zu", key, i);
	}
	/* Interning again, out of order, adds nothing. */
	for (size_t i = n; i-- > 0;) {
		int len = snprintf(key, sizeof(key), "s%09zu", (i * 611953) % 1000003);
		if (shop_table_intern(t, key, (size_t)len) != (int64_t)i)
			fail_msg("re-intern %s: not %zu", key, i);
	}
	assert_int_equal(shop_table_count(t), n);
	/* The three residues the sequence above never reaches, and near misses. */
	for (size_t i = n; i < 1000003; i++) {
		int len = snprintf(key, sizeof(key), "s%09zu", (i * 611953) % 1000003);
		assert_int_equal(shop_table_find(t, key, (size_t)len), -1);
	}
	assert_int_equal(shop_table_find(t, "s00000000", 9), -1);
	assert_int_equal(shop_table_find(t, "s0000000000", 11), -1);
	assert_int_equal(shop_table_find(t, "s000000000", 11), -1);  /* with its NUL */
	assert_int_equal(shop_table_count(t), n);
	shop_table_free(t);
}

/* A key the table handed back stays usable as an argument while the intern
 * that takes it moves the arena: here, prefixes of a long key become new
 * keys, so the source lies in the arena being grown. */
static void test_intern_own_key_across_growth(void **state)
{
	(void)state;
	struct shop_table *t = shop_table_new();
	char long_key[3000];

	assert_non_null(t);
	for (size_t i = 0; i < sizeof(long_key); i++)
		long_key[i] = (char)('a' + i % 26);
	assert_int_equal(shop_table_intern(t, long_key, sizeof(long_key)), 0);
	for (size_t len = 1; len < sizeof(long_key); len++) {
		size_t klen;
		const char *k = shop_table_key(t, 0, &klen);
		assert_int_equal(shop_table_intern(t, k, len), (int64_t)len);
	}
	assert_int_equal(shop_table_count(t), sizeof(long_key));
	assert_key(t, 0, long_key, sizeof(long_key));
	for (size_t len = 1; len < sizeof(long_key); len++) {
		assert_key(t, len, long_key, len);
		assert_int_equal(shop_table_find(t, long_key, len), (int64_t)len);
	}
	/* And from the middle of the arena, the empty key included. */
	size_t klen;
	const char *k = shop_table_key(t, 5, &klen);
	assert_int_equal(shop_table_intern(t, k + 1, 3), (int64_t)sizeof(long_key));
	assert_key(t, sizeof(long_key), "bcd", 3);
	k = shop_table_key(t, 5, &klen);
	assert_int_equal(shop_table_intern(t, k, 0), (int64_t)sizeof(long_key) + 1);
	assert_key(t, sizeof(long_key) + 1, "", 0);
	shop_table_free(t);
}

static size_t allocs_left;  /* how many more allocations failing_realloc grants */

static void *failing_realloc(void *p, size_t n)
{
	if (!allocs_left)
		return NULL;
	allocs_left--;
	return realloc(p, n);
}

static int oom_key(char *buf, size_t size, size_t i)
{
	/* Lengths 0 to 40, so the arena grows at uneven points. */
	return snprintf(buf, size, "%.*s%zu", (int)(i % 41), "shop-shop-shop-shop-shop-shop-shop-shop-s", i);
}

/* Every allocation in turn fails once: the intern says -1, the table keeps
 * what it had and takes the same key once memory is back. ASan and the
 * leak check in make check's asan run see that nothing leaks. */
static void test_out_of_memory(void **state)
{
	(void)state;
	const size_t n = 5000;
	char key[64];
	size_t budget;

	for (budget = 0;; budget++) {
		struct shop_table *t = shop_table_new();
		size_t i;

		assert_non_null(t);
		shop_table_set_realloc(t, failing_realloc);
		allocs_left = budget;
		for (i = 0; i < n; i++) {
			int len = oom_key(key, sizeof(key), i);
			int64_t idx = shop_table_intern(t, key, (size_t)len);
			if (idx < 0)
				break;
			assert_int_equal(idx, (int64_t)i);
		}
		if (i == n) {
			shop_table_free(t);
			break;
		}
		assert_int_equal(shop_table_count(t), i);
		for (size_t j = 0; j <= i; j++) {
			int len = oom_key(key, sizeof(key), j);
			assert_int_equal(shop_table_find(t, key, (size_t)len), j < i ? (int64_t)j : -1);
			if (j < i)
				assert_key(t, j, key, (size_t)len);
		}
		/* Known keys need no memory. */
		if (i) {
			int len = oom_key(key, sizeof(key), 0);
			assert_int_equal(shop_table_intern(t, key, (size_t)len), 0);
		}
		shop_table_set_realloc(t, NULL);
		for (; i < n; i++) {
			int len = oom_key(key, sizeof(key), i);
			assert_int_equal(shop_table_intern(t, key, (size_t)len), (int64_t)i);
		}
		for (size_t j = 0; j < n; j++) {
			int len = oom_key(key, sizeof(key), j);
			assert_int_equal(shop_table_find(t, key, (size_t)len), (int64_t)j);
		}
		shop_table_free(t);
	}
	/* Each of the three arrays grew several times under the budget. */
	assert_true(budget >= 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_table),
		cmocka_unit_test(test_dense_in_order_of_first_appearance),
		cmocka_unit_test(test_key_is_copied),
		cmocka_unit_test(test_binary_keys),
		cmocka_unit_test(test_repeated_and_alternating),
		cmocka_unit_test(test_many_keys),
		cmocka_unit_test(test_million_keys),
		cmocka_unit_test(test_intern_own_key_across_growth),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests_name("shop_table", tests, NULL, NULL);
}
