#include "analyzers/shop_table.h"

#include <stdlib.h>
#include <string.h>

/* uthash calls exit(-1) when it cannot allocate, by default; this library
 * must return -1 instead (see shop_table.h). Non-fatal mode leaves the entry
 * out of the table and clears its hh.tbl. */
#define HASH_NONFATAL_OOM 1
#include <uthash.h>

struct shop_entry {
	UT_hash_handle hh;
	size_t index;
	uint32_t len;
	char key[];  /* len bytes and a NUL */
};

struct shop_table {
	struct shop_entry *head;      /* uthash's handle on the set */
	struct shop_entry **by_index;
	size_t count, cap;
	/* Exports are often grouped by shop: the last hit saves a lookup. */
	struct shop_entry *last;
	size_t last_index;
};

struct shop_table *shop_table_new(void)
{
	return calloc(1, sizeof(struct shop_table));
}

int64_t shop_table_find(const struct shop_table *t, const char *key, size_t len)
{
	struct shop_entry *e = NULL;
	HASH_FIND(hh, t->head, key, len, e);
	return e ? (int64_t)e->index : -1;
}

int64_t shop_table_intern(struct shop_table *t, const char *key, size_t len)
{
	struct shop_entry *e = t->last;
	if (e && e->len == len && !memcmp(e->key, key, len))
		return (int64_t)t->last_index;

	HASH_FIND(hh, t->head, key, len, e);
	if (!e) {
		if (len > UINT32_MAX)
			return -1;
		if (t->count == t->cap) {
			size_t cap = t->cap ? 2 * t->cap : 256;
			struct shop_entry **v = realloc(t->by_index, cap * sizeof(*v));
			if (!v)
				return -1;
			t->by_index = v;
			t->cap = cap;
		}
		e = malloc(sizeof(*e) + len + 1);
		if (!e)
			return -1;
		e->index = t->count;
		e->len = (uint32_t)len;
		memcpy(e->key, key, len);
		e->key[len] = '\0';
		HASH_ADD_KEYPTR(hh, t->head, e->key, len, e);
		if (!e->hh.tbl) {
			free(e);
			return -1;
		}
		t->by_index[t->count++] = e;
	}
	t->last = e;
	t->last_index = e->index;
	return (int64_t)t->last_index;
}

size_t shop_table_count(const struct shop_table *t)
{
	return t->count;
}

const char *shop_table_key(const struct shop_table *t, size_t idx, size_t *len)
{
	*len = t->by_index[idx]->len;
	return t->by_index[idx]->key;
}

void shop_table_free(struct shop_table *t)
{
	if (!t)
		return;
	HASH_CLEAR(hh, t->head);
	for (size_t i = 0; i < t->count; i++)
		free(t->by_index[i]);
	free(t->by_index);
	free(t);
}
