/*
 * shop_table.h - interns shop ids into dense indexes.
 *
 * Every analyzer keys its per-shop state by the index this table hands out
 * (0, 1, 2, ... in order of first appearance), so memory grows with the
 * number of shops and never with the number of rows. Keys are arbitrary
 * bytes (an id or a shop name), copied on first sight.
 *
 * The hash table is uthash (Debian's uthash-dev), keyed by the bytes.
 * The table owns its keys; shop_table_free() releases everything.
 */
#ifndef TOUSU_SHOP_TABLE_H
#define TOUSU_SHOP_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct shop_table;

/* Returns NULL if out of memory. */
struct shop_table *shop_table_new(void);

/* The shop's index, adding it when new; -1 if out of memory. */
int64_t shop_table_intern(struct shop_table *t, const char *key, size_t len);

/* The shop's index, or -1 if it was never interned. */
int64_t shop_table_find(const struct shop_table *t, const char *key, size_t len);

size_t shop_table_count(const struct shop_table *t);

/* The key of shop idx (< count), NUL-terminated; *len gets its length. */
const char *shop_table_key(const struct shop_table *t, size_t idx, size_t *len);

void shop_table_free(struct shop_table *t);

#endif
