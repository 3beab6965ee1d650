#include "analyzers/shop_table.h"

#include <stdlib.h>
#include <string.h>

/*
 * Layout, per shop: the key and its NUL in the arena, one 8-byte offset,
 * and one 8-byte slot at a load factor between 0.35 and 0.7. Key i is
 * arena[offsets[i] .. offsets[i + 1] - 1), its NUL at offsets[i + 1] - 1;
 * offsets[count] is the arena's used length.
 *
 * A slot holds index + 1 (0: empty) and 32 bits of the key's hash that the
 * slot's position does not use, so a probe compares keys only when those
 * agree: almost always the right key. Slots are linearly probed from
 * hash & mask. Growing rebuilds the slots from the arena, in place, so the
 * old table need not be kept beside the new one.
 */
struct shop_slot {
	uint32_t index1;
	uint32_t tag;
};

struct shop_table {
	char *arena;
	size_t used, arena_cap;
	uint64_t *offsets;  /* count + 1 entries once a key is in */
	size_t count, offsets_cap;
	struct shop_slot *slots;
	size_t nslots;  /* 0 or a power of two */
	/* Exports are often grouped by shop: the last hit saves a lookup. */
	size_t last1;  /* its index + 1, 0 for none */
	void *(*realloc_fn)(void *, size_t);
};

/* A slot holds index + 1 in 32 bits, and 0 means empty. */
#define SHOP_MAX_COUNT ((size_t)UINT32_MAX - 1)

/* 64x64 -> 128-bit multiply, both halves folded together: every output
 * bit depends on every input bit (the idea of wyhash's "mum"). */
static uint64_t shop_fold_mul(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
	unsigned __int128 r = (unsigned __int128)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
	uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
	uint64_t lo = (mid << 32) | (uint32_t)ll;
	return lo ^ (hh + (lh >> 32) + (hl >> 32) + (mid >> 32));
#endif
}

/*
 * The hash. Shop ids are short (~10 bytes), so it reads 8 bytes at a time
 * with one folded multiply per word, where FNV-1a would loop per byte and
 * leave its low bits, the ones a power-of-two table uses, poorly mixed. The
 * last, zero-padded word is multiplied with the length mixed in, so "a" and
 * "a\0" differ. Not keyed: the input is the user's own exports, not an
 * adversary's, and a fixed hash keeps runs reproducible. The constants are
 * 2^64 / golden ratio and one of wyhash's odd, bit-balanced secrets.
 */
static uint64_t shop_hash(const char *key, size_t len)
{
	const uint64_t k0 = 0x9e3779b97f4a7c15u, k1 = 0xe7037ed1a0b428dbu;
	uint64_t h = k0, w, n = len;

	for (; len > 8; key += 8, len -= 8) {
		memcpy(&w, key, 8);
		h = shop_fold_mul(h ^ w, k1);
	}
	w = 0;
	if (len)
		memcpy(&w, key, len);
	return shop_fold_mul(h ^ w, k1 ^ n);
}

static const char *shop_key_at(const struct shop_table *t, size_t idx, size_t *len)
{
	*len = (size_t)(t->offsets[idx + 1] - t->offsets[idx] - 1);
	return t->arena + t->offsets[idx];
}

static int shop_key_is(const struct shop_table *t, size_t idx, const char *key, size_t len)
{
	size_t klen;
	const char *k = shop_key_at(t, idx, &klen);
	return klen == len && (len == 0 || !memcmp(k, key, len));
}

/* The slot holding key, or the empty slot where it belongs; the table has
 * slots and at least one of them is empty. */
static size_t shop_probe(const struct shop_table *t, const char *key, size_t len, uint64_t h)
{
	const size_t mask = t->nslots - 1;
	const uint32_t tag = (uint32_t)(h >> 32);

	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		const struct shop_slot *s = &t->slots[i];
		if (!s->index1 || (s->tag == tag && shop_key_is(t, s->index1 - 1, key, len)))
			return i;
	}
}

/* p (an array of *cap elements of elem bytes) grown to at least need
 * elements, doubling from first; NULL, with p and *cap untouched, if out of
 * memory. */
static void *shop_grow(const struct shop_table *t, void *p, size_t *cap, size_t need,
		       size_t elem, size_t first)
{
	if (need <= *cap)
		return p;
	size_t n = *cap ? *cap : first;
	while (n < need)
		n = n > SIZE_MAX / 2 ? need : 2 * n;
	if (n > SIZE_MAX / elem)
		return NULL;
	void *q = t->realloc_fn(p, n * elem);
	if (q)
		*cap = n;
	return q;
}

/* Resizes the slots to nslots (a power of two, more than count / 0.7) and
 * puts every key back; 0, or -1 with the table unchanged. */
static int shop_rehash(struct shop_table *t, size_t nslots)
{
	if (nslots > SIZE_MAX / sizeof(struct shop_slot))
		return -1;
	struct shop_slot *s = t->realloc_fn(t->slots, nslots * sizeof(*s));
	if (!s)
		return -1;
	memset(s, 0, nslots * sizeof(*s));
	t->slots = s;
	t->nslots = nslots;
	/* Rehashing from the arena reads it in order and needs no second table;
	 * the keys are distinct, so no comparisons either. */
	for (size_t idx = 0; idx < t->count; idx++) {
		size_t len;
		const char *key = shop_key_at(t, idx, &len);
		uint64_t h = shop_hash(key, len);
		size_t i = (size_t)h & (nslots - 1);
		while (s[i].index1)
			i = (i + 1) & (nslots - 1);
		s[i].index1 = (uint32_t)(idx + 1);
		s[i].tag = (uint32_t)(h >> 32);
	}
	return 0;
}

struct shop_table *shop_table_new(void)
{
	struct shop_table *t = calloc(1, sizeof(*t));
	if (t)
		t->realloc_fn = realloc;
	return t;
}

void shop_table_set_realloc(struct shop_table *t, void *(*fn)(void *, size_t))
{
	t->realloc_fn = fn ? fn : realloc;
}

int64_t shop_table_find(const struct shop_table *t, const char *key, size_t len)
{
	if (!t->count)
		return -1;
	size_t i = shop_probe(t, key, len, shop_hash(key, len));
	return (int64_t)t->slots[i].index1 - 1;
}

int64_t shop_table_intern(struct shop_table *t, const char *key, size_t len)
{
	if (t->last1 && shop_key_is(t, t->last1 - 1, key, len))
		return (int64_t)t->last1 - 1;

	uint64_t h = shop_hash(key, len);
	size_t i = 0;
	if (t->count) {
		i = shop_probe(t, key, len, h);
		if (t->slots[i].index1) {
			t->last1 = t->slots[i].index1;
			return (int64_t)t->last1 - 1;
		}
	}
	if (t->count >= SHOP_MAX_COUNT || len >= SIZE_MAX - t->used)
		return -1;

	/* Make room for everything first: a failure then leaves only spare
	 * capacity behind. The key may be one of ours (shop_table_key's
	 * pointer), which the arena's realloc would move. */
	size_t alias = SIZE_MAX;
	if (len && t->used && (uintptr_t)key >= (uintptr_t)t->arena &&
	    (uintptr_t)key < (uintptr_t)t->arena + t->used)
		alias = (size_t)((uintptr_t)key - (uintptr_t)t->arena);

	uint64_t *offsets = shop_grow(t, t->offsets, &t->offsets_cap, t->count + 2,
				      sizeof(*offsets), 64);
	if (!offsets)
		return -1;
	t->offsets = offsets;
	char *arena = shop_grow(t, t->arena, &t->arena_cap, t->used + len + 1, 1, 1024);
	if (!arena)
		return -1;
	t->arena = arena;
	if (alias != SIZE_MAX)
		key = arena + alias;
	/* Load factor at most 0.7: short probes, and 8-byte slots keep even
	 * that at ~11-23 bytes per shop. */
	if ((uint64_t)(t->count + 1) * 10 > (uint64_t)t->nslots * 7) {
		if (t->nslots > SIZE_MAX / 2 ||
		    shop_rehash(t, t->nslots ? 2 * t->nslots : 16) < 0)
			return -1;
		i = shop_probe(t, key, len, h);
	}

	if (!t->count)
		offsets[0] = 0;
	if (len)
		memcpy(arena + t->used, key, len);
	arena[t->used + len] = '\0';
	t->used += len + 1;
	offsets[t->count + 1] = t->used;
	t->slots[i].index1 = (uint32_t)(t->count + 1);
	t->slots[i].tag = (uint32_t)(h >> 32);
	t->last1 = ++t->count;
	return (int64_t)t->count - 1;
}

size_t shop_table_count(const struct shop_table *t)
{
	return t->count;
}

const char *shop_table_key(const struct shop_table *t, size_t idx, size_t *len)
{
	return shop_key_at(t, idx, len);
}

int shop_table_cmp(const struct shop_table *t, size_t a, size_t b)
{
	size_t la, lb;
	const char *ka, *kb;
	if (a == b)
		return 0;
	ka = shop_key_at(t, a, &la);
	kb = shop_key_at(t, b, &lb);
	int c = memcmp(ka, kb, la < lb ? la : lb);
	return c ? c : (la > lb) - (la < lb);
}

void shop_table_free(struct shop_table *t)
{
	if (!t)
		return;
	free(t->arena);
	free(t->offsets);
	free(t->slots);
	free(t);
}
