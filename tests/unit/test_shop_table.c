/*
 * test_shop_table.c - analyzers/shop_table.c: shop keys become dense
 * indexes 0, 1, 2, ... in order of first appearance, the same key always
 * gets the same index, and keys are bytes (NUL and non-UTF-8 included).
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_table),
		cmocka_unit_test(test_dense_in_order_of_first_appearance),
		cmocka_unit_test(test_key_is_copied),
		cmocka_unit_test(test_binary_keys),
		cmocka_unit_test(test_repeated_and_alternating),
		cmocka_unit_test(test_many_keys),
	};
	return cmocka_run_group_tests_name("shop_table", tests, NULL, NULL);
}
