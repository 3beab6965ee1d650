/*
 * test_join.c - analyzers/join.c, the bounded-memory join of complaints
 * (lefts) to orders (rights) by order id, against a brute-force join: every
 * left comes back exactly once, with the best right of its id (as the
 * caller's `better` ranks them, whatever order the rights came in) or NULL;
 * the same pairs whether the budget takes one pass or many; the order the
 * lefts come back in depends only on what was added (joins fed alike agree);
 * keys are bytes; keep_all keeps every right; join_each_left/right read back
 * everything that was added.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/join.h"
#include "formats/error.h"
#include "tests/unit/rng.h"

#define RIGHT_BYTES 12               /* like an order: rank (8) and serial (4) */
#define LEFT_BYTES 25                /* like a complaint */
#define KEY_BYTES 20

static void put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* A right: its rank, then a serial that breaks ties (unique per right). */
static void make_right(unsigned char *out, uint64_t rank, uint32_t serial)
{
	put_u64(out, rank);
	put_u32(out + 8, serial);
}

/* The smaller (rank, serial) is better; a is the kept right, b the new one. */
static int better_smaller(void *ctx, const void *a, const void *b)
{
	const unsigned char *x = a, *y = b;
	uint64_t rx = get_u64(x), ry = get_u64(y);
	(void)ctx;
	return ry < rx || (ry == rx && get_u32(y + 8) < get_u32(x + 8));
}

/* An order id of 20 bytes, different for every k, not in k's order. */
static void make_key(char *out, uint64_t k)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%06llu%014llu", (unsigned long long)((k * 7919) % 999983),
		 (unsigned long long)k);
	memcpy(out, buf, KEY_BYTES);
}

static void make_left(unsigned char *out, uint32_t index, uint64_t key)
{
	put_u32(out, index);
	for (int i = 4; i < LEFT_BYTES; i++)
		out[i] = (unsigned char)(key * 31 + (uint64_t)i * 7);
}

/* ---- the brute-force reference ---- */

struct world {
	size_t n_keys;               /* key indexes 0..n_keys-1 may have lefts */
	size_t n_lefts, n_rights;
	uint64_t *left_key;          /* key index of left i */
	uint64_t *right_key;
	unsigned char (*right)[RIGHT_BYTES];
	long *best;                  /* per key index: the best right, -1 if none */
	unsigned char *announced;    /* per key index: some left has it */
};

static struct world make_world(uint64_t seed, size_t n_lefts, size_t n_keys)
{
	struct world w = {0};
	uint64_t rng = seed;
	size_t cap;

	w.n_keys = n_keys;
	w.n_lefts = n_lefts;
	w.left_key = malloc(n_lefts * sizeof(*w.left_key));
	assert_non_null(w.left_key);
	for (size_t i = 0; i < n_lefts; i++)
		w.left_key[i] = rng_below(&rng, n_keys);  /* duplicates: several per id */
	/* Ids 0..n_keys-1: most have 1-4 orders, some none (no order found).
	 * Ids above: orders no complaint is about. */
	cap = 4 * n_keys + n_keys / 2;
	w.right_key = malloc(cap * sizeof(*w.right_key));
	w.right = malloc(cap * sizeof(*w.right));
	w.best = malloc((n_keys + n_keys / 2) * sizeof(*w.best));
	w.announced = calloc(n_keys + n_keys / 2, 1);
	assert_true(w.right_key && w.right && w.best && w.announced);
	for (size_t i = 0; i < n_lefts; i++)
		w.announced[w.left_key[i]] = 1;
	for (size_t k = 0; k < n_keys + n_keys / 2; k++) {
		size_t n = k >= n_keys ? 1 : rng_below(&rng, 10) < 2 ? 0 : 1 + rng_below(&rng, 4);
		for (size_t r = 0; r < n; r++) {
			size_t i = w.n_rights++;
			w.right_key[i] = k;
			/* Few ranks, so that the serial often decides. */
			make_right(w.right[i], rng_below(&rng, 3), (uint32_t)rng_next(&rng));
		}
	}
	/* The orders arrive in any order. */
	for (size_t i = w.n_rights; i > 1; i--) {
		size_t j = (size_t)rng_below(&rng, i);
		unsigned char tmp[RIGHT_BYTES];
		uint64_t tk = w.right_key[i - 1];
		memcpy(tmp, w.right[i - 1], RIGHT_BYTES);
		memcpy(w.right[i - 1], w.right[j], RIGHT_BYTES);
		memcpy(w.right[j], tmp, RIGHT_BYTES);
		w.right_key[i - 1] = w.right_key[j];
		w.right_key[j] = tk;
	}
	/* The brute-force join: the best right of each id, by looking at all. */
	for (size_t k = 0; k < n_keys + n_keys / 2; k++)
		w.best[k] = -1;
	for (size_t i = 0; i < w.n_rights; i++) {
		long *b = &w.best[w.right_key[i]];
		if (*b < 0 || better_smaller(NULL, w.right[*b], w.right[i]))
			*b = (long)i;
	}
	return w;
}

static void world_free(struct world *w)
{
	free(w->left_key);
	free(w->right_key);
	free(w->right);
	free(w->best);
	free(w->announced);
}

struct check {
	const struct world *w;
	size_t calls;
	size_t found, missing;
	unsigned char *seen;         /* per left */
	uint32_t *order;             /* the lefts in the order they came back */
};

static int check_pair(void *ctx, const void *left, size_t left_len, const void *right)
{
	struct check *ck = ctx;
	const struct world *w = ck->w;
	unsigned char want[LEFT_BYTES];
	size_t i;

	assert_int_equal(left_len, LEFT_BYTES);
	/* Each left once. */
	i = get_u32(left);
	assert_true(i < w->n_lefts);
	assert_false(ck->seen[i]);
	ck->seen[i] = 1;
	assert_true(ck->calls < w->n_lefts);
	ck->order[ck->calls++] = (uint32_t)i;
	make_left(want, (uint32_t)i, w->left_key[i]);
	assert_memory_equal(left, want, LEFT_BYTES);
	long b = w->best[w->left_key[i]];
	if (b < 0) {
		assert_null(right);
		ck->missing++;
	} else {
		assert_non_null(right);
		assert_memory_equal(right, w->right[b], RIGHT_BYTES);
		ck->found++;
	}
	return 0;
}

/*
 * Feeds the world to a join: every id announced, half the lefts, every
 * right, the other half of the lefts (lefts may come after the rights, once
 * every id is announced).
 */
static struct join *feed(const struct world *w, size_t budget, int keep_all)
{
	struct error err;
	struct join *j = join_new(budget, keep_all, &err);
	char key[KEY_BYTES];
	unsigned char left[LEFT_BYTES];

	assert_non_null(j);
	for (size_t i = 0; i < w->n_lefts; i++) {
		make_key(key, w->left_key[i]);
		join_expect(j, key, KEY_BYTES);
	}
	for (size_t i = 0; i < w->n_lefts / 2; i++) {
		make_key(key, w->left_key[i]);
		make_left(left, (uint32_t)i, w->left_key[i]);
		assert_int_equal(join_add_left(j, key, KEY_BYTES, left, LEFT_BYTES, &err), 0);
	}
	for (size_t i = 0; i < w->n_rights; i++) {
		make_key(key, w->right_key[i]);
		assert_int_equal(join_add_right(j, key, KEY_BYTES, w->right[i], RIGHT_BYTES, &err), 0);
	}
	for (size_t i = w->n_lefts / 2; i < w->n_lefts; i++) {
		make_key(key, w->left_key[i]);
		make_left(left, (uint32_t)i, w->left_key[i]);
		assert_int_equal(join_add_left(j, key, KEY_BYTES, left, LEFT_BYTES, &err), 0);
	}
	assert_int_equal(join_lefts(j), w->n_lefts);
	return j;
}

/* Runs the join, checks every pair; the order the lefts came in goes to
 * *order when not NULL (the caller frees it). */
static unsigned run_and_check(struct join *j, const struct world *w, uint32_t **order)
{
	struct error err;
	struct check ck = {w, 0, 0, 0, calloc(w->n_lefts, 1), malloc(w->n_lefts * sizeof(uint32_t))};
	unsigned passes = 0;

	assert_true(ck.seen && ck.order);
	error_clear(&err);
	assert_int_equal(join_run(j, better_smaller, check_pair, &ck, &passes, &err), 0);
	assert_int_equal(ck.calls, w->n_lefts);
	/* The world has both kinds, or the test proves little. */
	assert_true(ck.found > w->n_lefts / 2 && ck.missing > w->n_lefts / 20);
	free(ck.seen);
	if (order)
		*order = ck.order;
	else
		free(ck.order);
	return passes;
}

/* ---- tests ---- */

static void test_many_passes_same_pairs(void **state)
{
	(void)state;
	struct world w = make_world(0x1234abcdULL, 60000, 30000);

	/* 1 MiB (the least): many passes. */
	struct join *small = feed(&w, 0, 0);
	uint32_t *order1, *order2;
	unsigned passes = run_and_check(small, &w, &order1);
	print_message("%u passes at 1 MiB for %zu lefts\n", passes, w.n_lefts);
	if (passes < 4) {
		print_error("%u passes at 1 MiB for %zu lefts\n", passes, w.n_lefts);
		fail();
	}
	/* Every right whose id was announced was kept; the filter dropped
	 * nearly all of the others (a few false positives are allowed). */
	size_t announced = 0;
	for (size_t i = 0; i < w.n_rights; i++)
		announced += w.announced[w.right_key[i]];
	assert_true(join_rights(small) >= announced);
	assert_true(join_rights(small) - announced < (w.n_rights - announced) / 100 + 5);
	join_free(small);

	/* Fed alike, a second join gives the lefts in the same order. */
	small = feed(&w, 0, 0);
	assert_int_equal(run_and_check(small, &w, &order2), passes);
	assert_memory_equal(order1, order2, w.n_lefts * sizeof(*order1));
	join_free(small);
	free(order1);
	free(order2);

	/* 256 MiB: one pass, the same pairs. */
	struct join *large = feed(&w, 256u << 20, 0);
	assert_int_equal(run_and_check(large, &w, NULL), 1);
	join_free(large);

	/* keep_all: every right kept, the same pairs. */
	struct join *all = feed(&w, 0, 1);
	assert_int_equal(join_rights(all), w.n_rights);
	assert_true(run_and_check(all, &w, NULL) >= 4);
	join_free(all);
	world_free(&w);
}

/* The better right wins whatever order the rights come in. */
struct one {
	unsigned char want[RIGHT_BYTES];
	size_t calls;
};

static int one_pair(void *ctx, const void *left, size_t left_len, const void *right)
{
	struct one *o = ctx;
	(void)left, (void)left_len;
	o->calls++;
	assert_non_null(right);
	assert_memory_equal(right, o->want, RIGHT_BYTES);
	return 0;
}

static void test_better_whatever_the_order(void **state)
{
	(void)state;
	static const uint64_t ranks[] = {5, 3, 9, 3, 1, 7, 1, 4};
	const size_t n = sizeof(ranks) / sizeof(ranks[0]);
	uint64_t rng = 99;
	struct error err;

	for (int round = 0; round < 30; round++) {
		size_t order[sizeof(ranks) / sizeof(ranks[0])];
		for (size_t i = 0; i < n; i++)
			order[i] = i;
		for (size_t i = n; i > 1; i--) {
			size_t k = (size_t)rng_below(&rng, i), t = order[i - 1];
			order[i - 1] = order[k];
			order[k] = t;
		}
		struct join *j = join_new(0, round & 1, &err);
		assert_non_null(j);
		join_expect(j, "id", 2);
		unsigned char left[3] = {1, 2, 3};
		assert_int_equal(join_add_left(j, "id", 2, left, 3, &err), 0);
		for (size_t i = 0; i < n; i++) {
			unsigned char r[RIGHT_BYTES];
			make_right(r, ranks[order[i]], (uint32_t)(100 + order[i]));
			assert_int_equal(join_add_right(j, "id", 2, r, RIGHT_BYTES, &err), 0);
		}
		/* Rank 1 twice: serial 104 beats 106. */
		struct one o = {{0}, 0};
		make_right(o.want, 1, 104);
		assert_int_equal(join_run(j, better_smaller, one_pair, &o, NULL, &err), 0);
		assert_int_equal(o.calls, 1);
		join_free(j);
	}
}

/* Keys are bytes: NUL, prefixes, non-UTF-8, long ones. */
struct byte_keys {
	size_t calls;
	unsigned char seen[64];
};

static const struct {
	const char *key;
	size_t len;
	int has_right;
} byte_keys[] = {
	{"a", 1, 1},          {"a\0", 2, 1},     {"a\0b", 3, 0},    {"\0", 1, 1},
	{"ab", 2, 1},         {"abc", 3, 0},     {"\xff\xfe", 2, 1}, {"A", 1, 0},
	{"12345678", 8, 1},   {"123456789", 9, 1}, {"1234567", 7, 1},
};
#define N_BYTE_KEYS (sizeof(byte_keys) / sizeof(byte_keys[0]))

static int byte_pair(void *ctx, const void *left, size_t left_len, const void *right)
{
	struct byte_keys *bk = ctx;
	const unsigned char *l = left;
	/* Left i has a payload of i bytes, each i (the first left, none). */
	size_t i = left_len;
	bk->calls++;
	assert_true(i < 3 * N_BYTE_KEYS);
	assert_false(bk->seen[i]);
	bk->seen[i] = 1;
	if (i)
		assert_int_equal(l[0], i);
	size_t k = i % N_BYTE_KEYS;
	if (byte_keys[k].has_right) {
		assert_non_null(right);
		assert_int_equal(get_u64(right), k);
	} else {
		assert_null(right);
	}
	return 0;
}

static void test_binary_keys(void **state)
{
	(void)state;
	struct error err;
	struct join *j = join_new(0, 0, &err);
	char longkey[1000];
	unsigned char payload[64];

	assert_non_null(j);
	memset(longkey, 'k', sizeof(longkey));
	for (size_t k = 0; k < N_BYTE_KEYS; k++)
		join_expect(j, byte_keys[k].key, byte_keys[k].len);
	join_expect(j, longkey, sizeof(longkey));
	for (size_t i = 0; i < 3 * N_BYTE_KEYS; i++) {
		size_t k = i % N_BYTE_KEYS;
		memset(payload, (int)i, sizeof(payload));
		assert_int_equal(join_add_left(j, byte_keys[k].key, byte_keys[k].len, payload, i, &err), 0);
	}
	for (size_t k = 0; k < N_BYTE_KEYS; k++) {
		unsigned char r[RIGHT_BYTES];
		if (!byte_keys[k].has_right)
			continue;
		make_right(r, k, 0);
		assert_int_equal(join_add_right(j, byte_keys[k].key, byte_keys[k].len, r,
						 RIGHT_BYTES, &err), 0);
	}
	/* A right for a long id with no left, and one for an id never announced. */
	unsigned char r[RIGHT_BYTES];
	make_right(r, 77, 0);
	assert_int_equal(join_add_right(j, longkey, sizeof(longkey), r, RIGHT_BYTES, &err), 0);
	assert_int_equal(join_add_right(j, "zz", 2, r, RIGHT_BYTES, &err), 0);
	struct byte_keys bk = {0, {0}};
	assert_int_equal(join_run(j, better_smaller, byte_pair, &bk, NULL, &err), 0);
	assert_int_equal(bk.calls, 3 * N_BYTE_KEYS);
	join_free(j);
}

/*
 * An id never announced: its right may be dropped (the header says so), so
 * the left gets either nothing or its own right, never another's; with
 * keep_all nothing is dropped.
 */
struct unannounced {
	size_t calls;
	int keep_all;
};

static int unannounced_pair(void *ctx, const void *left, size_t left_len, const void *right)
{
	struct unannounced *u = ctx;
	const unsigned char *l = left;
	u->calls++;
	assert_int_equal(left_len, 1);
	if (l[0] == 'x') {           /* announced */
		assert_non_null(right);
		assert_int_equal(get_u64(right), 1);
	} else if (right) {          /* not announced: its own right, or none */
		assert_int_equal(get_u64(right), 2);
	} else {
		assert_false(u->keep_all);
	}
	return 0;
}

static void test_unannounced_id(void **state)
{
	(void)state;
	struct error err;

	for (int keep_all = 0; keep_all < 2; keep_all++) {
		struct join *j = join_new(0, keep_all, &err);
		unsigned char r[RIGHT_BYTES];
		assert_non_null(j);
		join_expect(j, "announced", 9);
		assert_int_equal(join_add_left(j, "announced", 9, "x", 1, &err), 0);
		assert_int_equal(join_add_left(j, "secret", 6, "y", 1, &err), 0);
		make_right(r, 1, 0);
		assert_int_equal(join_add_right(j, "announced", 9, r, RIGHT_BYTES, &err), 0);
		make_right(r, 2, 0);
		assert_int_equal(join_add_right(j, "secret", 6, r, RIGHT_BYTES, &err), 0);
		if (keep_all)
			assert_int_equal(join_rights(j), 2);
		struct unannounced u = {0, keep_all};
		assert_int_equal(join_run(j, better_smaller, unannounced_pair, &u, NULL, &err), 0);
		assert_int_equal(u.calls, 2);
		join_free(j);
	}
}

/* A left bigger than the whole budget still joins ("never needed for
 * correctness"). */
struct big {
	size_t calls;
	int seen[3];
};

static int big_pair(void *ctx, const void *left, size_t left_len, const void *right)
{
	struct big *b = ctx;
	const unsigned char *l = left;
	size_t i = left_len - (3u << 19);
	b->calls++;
	assert_true(i < 3);
	assert_false(b->seen[i]);
	b->seen[i] = 1;
	assert_int_equal(l[0], 'a' + i);
	assert_int_equal(l[left_len - 1], 'a' + i);
	assert_non_null(right);
	assert_int_equal(get_u64(right), i);
	return 0;
}

static void test_left_bigger_than_budget(void **state)
{
	(void)state;
	struct error err;
	struct join *j = join_new(1u << 20, 0, &err);
	size_t len = (3u << 19) + 2;   /* 1.5 MiB */
	unsigned char *payload = malloc(len);
	char key[2] = "k";

	assert_non_null(j);
	assert_non_null(payload);
	for (size_t i = 0; i < 3; i++) {
		key[0] = (char)('a' + i);
		join_expect(j, key, 1);
	}
	for (size_t i = 0; i < 3; i++) {
		key[0] = (char)('a' + i);
		memset(payload, 'a' + (int)i, len);
		assert_int_equal(join_add_left(j, key, 1, payload, (3u << 19) + i, &err), 0);
	}
	for (size_t i = 0; i < 3; i++) {
		unsigned char r[RIGHT_BYTES];
		key[0] = (char)('a' + i);
		make_right(r, i, 0);
		assert_int_equal(join_add_right(j, key, 1, r, RIGHT_BYTES, &err), 0);
	}
	struct big b = {0, {0}};
	unsigned passes = 0;
	assert_int_equal(join_run(j, better_smaller, big_pair, &b, &passes, &err), 0);
	assert_int_equal(b.calls, 3);
	assert_true(passes >= 2);
	free(payload);
	join_free(j);
}

/*
 * More complaints than the split can spread within the budget (the parts
 * are capped): a part that does not fit takes more than one pass, with the
 * same pairs. Payloads of 1,000 bytes make 70 MB of lefts without many rows.
 */
#define FAT_BYTES 1000

struct fat {
	size_t calls;
	unsigned char *seen;
};

static uint64_t fat_key(size_t i)
{
	return (i * 2654435761u) % 50000;
}

static int fat_pair(void *ctx, const void *left, size_t left_len, const void *right)
{
	struct fat *f = ctx;
	const unsigned char *l = left;
	size_t i = get_u32(l);
	uint64_t k = fat_key(i);

	f->calls++;
	assert_int_equal(left_len, FAT_BYTES);
	assert_true(i < 70000);
	assert_false(f->seen[i]);
	f->seen[i] = 1;
	assert_int_equal(l[FAT_BYTES - 1], (unsigned char)i);
	if (k % 5 == 0) {
		assert_null(right);
	} else {
		/* Ids divisible by 3 have two orders: rank 0 beats rank 1. */
		assert_non_null(right);
		assert_int_equal(get_u64(right), 0);
		assert_int_equal(get_u32((const unsigned char *)right + 8), k);
	}
	return 0;
}

static void test_more_than_the_parts_hold(void **state)
{
	(void)state;
	const size_t n = 70000;
	struct error err;
	struct join *j = join_new(1u << 20, 0, &err);
	unsigned char *payload = calloc(1, FAT_BYTES);
	char key[KEY_BYTES];

	assert_non_null(j);
	assert_non_null(payload);
	for (size_t i = 0; i < n; i++) {
		make_key(key, fat_key(i));
		join_expect(j, key, KEY_BYTES);
	}
	for (uint64_t k = 0; k < 50000; k++) {
		unsigned char r[RIGHT_BYTES];
		if (k % 5 == 0)
			continue;
		make_key(key, k);
		if (k % 3 == 0) {
			make_right(r, 1, (uint32_t)k + 1);
			assert_int_equal(join_add_right(j, key, KEY_BYTES, r, RIGHT_BYTES, &err), 0);
		}
		make_right(r, 0, (uint32_t)k);
		assert_int_equal(join_add_right(j, key, KEY_BYTES, r, RIGHT_BYTES, &err), 0);
	}
	for (size_t i = 0; i < n; i++) {
		make_key(key, fat_key(i));
		put_u32(payload, (uint32_t)i);
		payload[FAT_BYTES - 1] = (unsigned char)i;
		assert_int_equal(join_add_left(j, key, KEY_BYTES, payload, FAT_BYTES, &err), 0);
	}
	struct fat f = {0, calloc(n, 1)};
	unsigned passes = 0;
	assert_non_null(f.seen);
	assert_int_equal(join_run(j, better_smaller, fat_pair, &f, &passes, &err), 0);
	assert_int_equal(f.calls, n);
	/* 70 MB at half of 1 MiB a pass: well over a hundred passes. */
	assert_true(passes > 128);
	free(f.seen);
	free(payload);
	join_free(j);
}

/* ---- reading back ---- */

struct rec {                     /* no padding: compared with memcmp */
	char key[KEY_BYTES];
	uint32_t payload_len;
	unsigned char payload[28];
};

struct recs {
	struct rec *v;
	size_t n, cap;
};

static void recs_push(struct recs *rs, const char *key, size_t key_len, const void *payload,
		      size_t payload_len)
{
	assert_int_equal(key_len, KEY_BYTES);
	assert_true(payload_len <= LEFT_BYTES);
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 1024;
		rs->v = realloc(rs->v, rs->cap * sizeof(*rs->v));
		assert_non_null(rs->v);
	}
	struct rec *r = &rs->v[rs->n++];
	memset(r, 0, sizeof(*r));
	memcpy(r->key, key, KEY_BYTES);
	r->payload_len = (uint32_t)payload_len;
	memcpy(r->payload, payload, payload_len);
}

static int on_left(void *ctx, const char *key, size_t key_len, const void *payload,
		   size_t payload_len)
{
	recs_push(ctx, key, key_len, payload, payload_len);
	return 0;
}

static int on_right(void *ctx, const char *key, size_t key_len, const void *payload)
{
	recs_push(ctx, key, key_len, payload, RIGHT_BYTES);
	return 0;
}

static int cmp_rec(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct rec));
}

/* The records a world's lefts (or rights) are, sorted. */
static struct recs expected(const struct world *w, int lefts, int only_announced)
{
	struct recs rs = {0};
	char key[KEY_BYTES];
	unsigned char left[LEFT_BYTES];
	if (lefts) {
		for (size_t i = 0; i < w->n_lefts; i++) {
			make_key(key, w->left_key[i]);
			make_left(left, (uint32_t)i, w->left_key[i]);
			recs_push(&rs, key, KEY_BYTES, left, LEFT_BYTES);
		}
	} else {
		for (size_t i = 0; i < w->n_rights; i++) {
			if (only_announced && !w->announced[w->right_key[i]])
				continue;
			make_key(key, w->right_key[i]);
			recs_push(&rs, key, KEY_BYTES, w->right[i], RIGHT_BYTES);
		}
	}
	qsort(rs.v, rs.n, sizeof(*rs.v), cmp_rec);
	return rs;
}

static void assert_same_recs(struct recs *got, const struct recs *want)
{
	qsort(got->v, got->n, sizeof(*got->v), cmp_rec);
	assert_int_equal(got->n, want->n);
	for (size_t i = 0; i < want->n; i++)
		if (memcmp(&got->v[i], &want->v[i], sizeof(struct rec))) {
			print_error("record %zu of %zu differs\n", i, want->n);
			fail();
		}
	free(got->v);
	got->v = NULL;
	got->n = got->cap = 0;
}

static void test_each_reads_everything(void **state)
{
	(void)state;
	struct world w = make_world(77, 20000, 12000);
	struct recs want_lefts = expected(&w, 1, 0), want_rights = expected(&w, 0, 0);
	struct recs got = {0};
	struct error err;

	/* keep_all (a partial's join): every left and every right, before and
	 * after the join ran. */
	struct join *j = feed(&w, 0, 1);
	assert_int_equal(join_each_left(j, on_left, &got, &err), 0);
	assert_same_recs(&got, &want_lefts);
	assert_int_equal(join_each_right(j, on_right, &got, &err), 0);
	assert_same_recs(&got, &want_rights);
	run_and_check(j, &w, NULL);
	assert_int_equal(join_each_right(j, on_right, &got, &err), 0);
	assert_same_recs(&got, &want_rights);
	assert_int_equal(join_each_left(j, on_left, &got, &err), 0);
	assert_same_recs(&got, &want_lefts);
	join_free(j);

	/* Filtered: every left, and at least every right of an announced id. */
	j = feed(&w, 0, 0);
	assert_int_equal(join_each_left(j, on_left, &got, &err), 0);
	assert_same_recs(&got, &want_lefts);
	assert_int_equal(join_each_right(j, on_right, &got, &err), 0);
	struct recs want_announced = expected(&w, 0, 1);
	assert_true(got.n >= want_announced.n);
	/* Drop the false positives of the filter, then compare. */
	size_t kept = 0;
	for (size_t i = 0; i < got.n; i++) {
		char digits[15];
		memcpy(digits, got.v[i].key + 6, 14);
		digits[14] = '\0';
		if (w.announced[strtoull(digits, NULL, 10)])
			memmove(&got.v[kept++], &got.v[i], sizeof(got.v[i]));
	}
	got.n = kept;
	assert_same_recs(&got, &want_announced);
	/* Reading back does not disturb the join. */
	run_and_check(j, &w, NULL);
	join_free(j);

	free(want_lefts.v);
	free(want_rights.v);
	free(want_announced.v);
	world_free(&w);
}

/* ---- edges ---- */

static int never_called(void *ctx, const void *left, size_t left_len, const void *right)
{
	(void)ctx, (void)left, (void)left_len, (void)right;
	fail();
	return 1;
}

static void test_no_lefts(void **state)
{
	(void)state;
	struct error err;
	struct join *j = join_new(0, 0, &err);
	unsigned char r[RIGHT_BYTES];
	unsigned passes = 99;

	assert_non_null(j);
	make_right(r, 1, 1);
	assert_int_equal(join_add_right(j, "order", 5, r, RIGHT_BYTES, &err), 0);
	assert_int_equal(join_run(j, better_smaller, never_called, NULL, &passes, &err), 0);
	assert_true(passes <= 1);
	assert_int_equal(join_lefts(j), 0);
	join_free(j);
	join_free(NULL);

	/* Lefts, no rights at all: each gets NULL. */
	j = join_new(0, 0, &err);
	assert_non_null(j);
	join_expect(j, "a", 1);
	assert_int_equal(join_add_left(j, "a", 1, "p", 1, &err), 0);
	assert_int_equal(join_add_left(j, "b", 1, "q", 1, &err), 0);
	struct unannounced u = {0, 0};
	assert_int_equal(join_run(j, better_smaller, unannounced_pair, &u, NULL, &err), 0);
	assert_int_equal(u.calls, 2);
	join_free(j);
}

static int stop_after_one(void *ctx, const void *left, size_t left_len, const void *right)
{
	(void)left, (void)left_len, (void)right;
	return ++*(int *)ctx >= 1;
}

static void test_on_pair_stops(void **state)
{
	(void)state;
	struct error err;
	struct join *j = join_new(0, 0, &err);
	int calls = 0;

	assert_non_null(j);
	for (int i = 0; i < 10; i++) {
		char key[16];
		snprintf(key, sizeof(key), "k%d", i);
		join_expect(j, key, strlen(key));
		assert_int_equal(join_add_left(j, key, strlen(key), "x", 1, &err), 0);
	}
	/* A non-zero on_pair makes the join fail. */
	assert_int_equal(join_run(j, better_smaller, stop_after_one, &calls, NULL, &err), -1);
	assert_true(calls >= 1);
	join_free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_passes_same_pairs),
		cmocka_unit_test(test_better_whatever_the_order),
		cmocka_unit_test(test_binary_keys),
		cmocka_unit_test(test_unannounced_id),
		cmocka_unit_test(test_left_bigger_than_budget),
		cmocka_unit_test(test_more_than_the_parts_hold),
		cmocka_unit_test(test_each_reads_everything),
		cmocka_unit_test(test_no_lefts),
		cmocka_unit_test(test_on_pair_stops),
	};
	return cmocka_run_group_tests_name("join", tests, NULL, NULL);
}
