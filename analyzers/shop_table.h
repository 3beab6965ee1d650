/*
 * shop_table.h - interns shop ids into dense indexes.
 *
 * Every analyzer keys its per-shop state by the index this table hands out
 * (0, 1, 2, ... in order of first appearance), so memory grows with the
 * number of shops and never with the number of rows. Keys are arbitrary
 * bytes (an id or a shop name, NUL bytes and the empty key included),
 * copied on first sight.
 *
 * The table is compact, because commands keep one entry per shop of
 * exports with millions of shops: the keys sit back to back in one byte
 * arena (no allocation per key), an array of 8-byte offsets finds key i,
 * and an open-addressing hash table of 8-byte slots, at most 70% full, maps
 * keys to indexes. With the slack of doubling, that is 34-48 bytes per
 * shop allocated for 10-byte ids (42 at a million shops).
 *
 * Ownership and lifetimes: the table owns its keys; shop_table_free()
 * releases everything. A pointer returned by shop_table_key() stays valid
 * only until the next shop_table_intern() that adds a key (the arena may
 * move) or shop_table_free(): copy the key, or call shop_table_key() again,
 * rather than keep the pointer across an intern. Passing such a pointer to
 * shop_table_intern() itself is fine.
 *
 * Errors: functions that can fail return -1 (or NULL) when out of memory or
 * past UINT32_MAX - 1 shops; the table is then unchanged and still usable.
 * Nothing here exits or prints.
 */
#ifndef TOUSU_SHOP_TABLE_H
#define TOUSU_SHOP_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct shop_table;

/* Returns NULL if out of memory. */
struct shop_table *shop_table_new(void);

/* The shop's index, adding it when new; -1 if out of memory or full. */
int64_t shop_table_intern(struct shop_table *t, const char *key, size_t len);

/* The shop's index, or -1 if it was never interned. */
int64_t shop_table_find(const struct shop_table *t, const char *key, size_t len);

size_t shop_table_count(const struct shop_table *t);

/* The key of shop idx (< count), NUL-terminated; *len gets its length.
 * Valid until the next intern of a new key (see above). */
const char *shop_table_key(const struct shop_table *t, size_t idx, size_t *len);

/* For tests: every later allocation of t goes through fn, which has
 * realloc's contract (it may return NULL to simulate running out of
 * memory); NULL restores realloc. */
void shop_table_set_realloc(struct shop_table *t, void *(*fn)(void *, size_t));

/* Orders shops a and b (< count) by their keys' bytes (a shorter key that is
 * a prefix first): the order every output uses, whatever the input order. */
int shop_table_cmp(const struct shop_table *t, size_t a, size_t b);

void shop_table_free(struct shop_table *t);

#endif
