#include "analyzers/partial.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define END_MARK 0x2e444e45u     /* "END." */
#define MAX_STRING (1u << 20)
#define MAX_COUNTERS RATES_COUNTERS(RATES_MAX_TYPES)

/* ---- writing ---- */

struct writer {
	gzFile gz;
	int failed;
};

static void put_bytes(struct writer *w, const void *p, size_t n)
{
	if (!w->failed && n && gzwrite(w->gz, p, (unsigned)n) != (int)n)
		w->failed = 1;
}

static void put_varint(struct writer *w, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;
	while (v >= 0x80) {
		b[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (unsigned char)v;
	put_bytes(w, b, n);
}

/* Zigzag: small negative numbers (times before 1970, "none") stay short. */
static void put_signed(struct writer *w, int64_t v)
{
	put_varint(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_string(struct writer *w, const char *s, size_t len)
{
	put_varint(w, len);
	put_bytes(w, s, len);
}

static void put_config(struct writer *w, const struct rates_config *cfg,
		       const char *const *type_ids, uint64_t rules)
{
	put_varint(w, (uint64_t)cfg->by);
	put_signed(w, cfg->tz);
	put_signed(w, cfg->from_day);
	put_signed(w, cfg->to_day);
	put_varint(w, cfg->n_types);
	for (size_t t = 0; t < cfg->n_types; t++)
		put_string(w, type_ids[t], strlen(type_ids[t]));
	put_varint(w, rules);
}

static void put_totals(struct writer *w, const struct rates_totals *t)
{
	const uint64_t v[] = {
		t->orders, t->complaints, t->orders_no_shop, t->complaints_no_shop,
		t->orders_no_time, t->complaints_no_time, t->orders_outside,
		t->complaints_outside, t->late, t->no_order, t->orders_no_id,
		t->texts_invalid, t->texts_limited, (uint64_t)t->has_outcome,
	};
	put_varint(w, sizeof(v) / sizeof(v[0]));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		put_varint(w, v[i]);
}

struct cell_writing {
	struct writer *w;
	size_t width;
};

static int put_cell(void *ctx, uint32_t shop, int32_t period, int type, const uint64_t *c)
{
	struct cell_writing *cw = ctx;
	put_varint(cw->w, shop == RATES_NO_SHOP ? 0 : (uint64_t)shop + 1);
	put_signed(cw->w, period);
	put_signed(cw->w, type);
	for (size_t i = 0; i < cw->width; i++)
		put_varint(cw->w, c[i]);
	return cw->w->failed;
}

static int count_cell(void *ctx, uint32_t shop, int32_t period, int type, const uint64_t *c)
{
	(void)shop, (void)period, (void)type, (void)c;
	++*(uint64_t *)ctx;
	return 0;
}

static int put_left(void *ctx, const char *key, size_t key_len, const void *payload,
		    size_t payload_len)
{
	struct writer *w = ctx;
	put_string(w, key, key_len);
	put_string(w, payload, payload_len);
	return w->failed;
}

static int put_right(void *ctx, const char *key, size_t key_len, const void *payload)
{
	struct writer *w = ctx;
	put_string(w, key, key_len);
	put_bytes(w, payload, RATES_ORDER_BYTES);
	return w->failed;
}

int partial_write(int fd, const struct rates *r, const struct shop_table *shops,
		  struct join *j, const char *const *type_ids, uint64_t rules,
		  struct error *err)
{
	const struct rates_config *cfg = rates_config(r);
	struct writer w = {0};
	size_t n_shops = shop_table_count(shops);
	uint64_t n_cells = 0;
	int dup_fd = dup(fd);

	if (dup_fd < 0 || !(w.gz = gzdopen(dup_fd, "wb6"))) {
		if (dup_fd >= 0)
			close(dup_fd);
		return error_set(err, "", "cannot write the partial: %s", strerror(errno));
	}
	gzbuffer(w.gz, 1u << 20);
	put_bytes(&w, PARTIAL_MAGIC, strlen(PARTIAL_MAGIC));
	put_config(&w, cfg, type_ids, rules);
	put_totals(&w, rates_totals((struct rates *)r));

	put_varint(&w, n_shops);
	for (size_t i = 0; i < n_shops; i++) {
		size_t len;
		int64_t t;
		const char *key = shop_table_key(shops, i, &len);
		const char *name = rates_shop_name(r, (uint32_t)i, &t);
		put_string(&w, key, len);
		put_string(&w, name, strlen(name));
		put_signed(&w, t);
	}

	struct cell_writing cw = {&w, RATES_COUNTERS(cfg->n_types)};
	rates_cells(r, count_cell, &n_cells);
	put_varint(&w, n_cells);
	rates_cells(r, put_cell, &cw);

	put_varint(&w, join_lefts(j));
	if (join_each_left(j, put_left, &w, err) < 0 && !w.failed) {
		gzclose(w.gz);
		return -1;
	}
	put_varint(&w, join_rights(j));
	if (join_each_right(j, put_right, &w, err) < 0 && !w.failed) {
		gzclose(w.gz);
		return -1;
	}
	uint32_t end = END_MARK;
	unsigned char e[4] = {(unsigned char)end, (unsigned char)(end >> 8),
			      (unsigned char)(end >> 16), (unsigned char)(end >> 24)};
	put_bytes(&w, e, 4);
	if (gzclose(w.gz) != Z_OK || w.failed)
		return error_set(err, "", "cannot write the partial: %s",
				 errno ? strerror(errno) : "write failed");
	return 0;
}

/* ---- reading ---- */

struct reader {
	gzFile gz;
	const char *path;
	struct error *err;
	int failed;
	char *str;                   /* the last string read */
	size_t str_cap;
};

static int bad(struct reader *rd, const char *what)
{
	if (!rd->failed) {
		int zerr = 0;
		const char *msg = gzerror(rd->gz, &zerr);
		/* zlib's message starts with the path, which err names already. */
		size_t plen = strlen(rd->path);
		if (!strncmp(msg, rd->path, plen) && !strncmp(msg + plen, ": ", 2))
			msg += plen + 2;
		if (zerr != Z_OK && zerr != Z_STREAM_END)
			error_set(rd->err, rd->path, "not a readable partial: %s (%s)", msg, what);
		else
			error_set(rd->err, rd->path, "not a tousu partial, or cut short (%s)", what);
	}
	rd->failed = 1;
	return -1;
}

static int get_bytes(struct reader *rd, void *p, size_t n, const char *what)
{
	if (rd->failed)
		return -1;
	if (n && gzread(rd->gz, p, (unsigned)n) != (int)n)
		return bad(rd, what);
	return 0;
}

static uint64_t get_varint(struct reader *rd, const char *what)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		int c = gzgetc(rd->gz);
		if (c < 0) {
			bad(rd, what);
			return 0;
		}
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	bad(rd, what);
	return 0;
}

static int64_t get_signed(struct reader *rd, const char *what)
{
	uint64_t u = get_varint(rd, what);
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* Reads a string into rd->str (NUL-terminated); returns its length. */
static size_t get_string(struct reader *rd, const char *what)
{
	uint64_t len = get_varint(rd, what);
	if (rd->failed)
		return 0;
	if (len > MAX_STRING) {
		bad(rd, what);
		return 0;
	}
	if (len + 1 > rd->str_cap) {
		char *s = realloc(rd->str, len + 1);
		if (!s) {
			error_set(rd->err, rd->path, "out of memory");
			rd->failed = 1;
			return 0;
		}
		rd->str = s;
		rd->str_cap = len + 1;
	}
	get_bytes(rd, rd->str, len, what);
	rd->str[rd->failed ? 0 : len] = '\0';
	return rd->failed ? 0 : len;
}

static int reader_open(struct reader *rd, const char *path, struct error *err)
{
	char magic[sizeof(PARTIAL_MAGIC) - 1];

	memset(rd, 0, sizeof(*rd));
	rd->path = path;
	rd->err = err;
	if (!(rd->gz = gzopen(path, "rb")))
		return error_set(err, path, "cannot open: %s", strerror(errno));
	gzbuffer(rd->gz, 1u << 20);
	int got = gzread(rd->gz, magic, sizeof(magic));
	if (got < 0) {
		/* Not a question of the format: a directory, an I/O error. */
		int zerr;
		const char *msg = gzerror(rd->gz, &zerr);
		error_set(err, path, "cannot read: %s", zerr == Z_ERRNO ? strerror(errno) : msg);
		rd->failed = 1;
		return -1;
	}
	if (got != (int)sizeof(magic) || memcmp(magic, PARTIAL_MAGIC, sizeof(magic))) {
		error_set(err, path, "not a tousu partial (made by `tousu rates --partial`)");
		rd->failed = 1;
		return -1;
	}
	return 0;
}

static void reader_close(struct reader *rd)
{
	if (rd->gz)
		gzclose(rd->gz);
	free(rd->str);
}

static int get_header(struct reader *rd, struct partial_header *h)
{
	memset(h, 0, sizeof(*h));
	h->cfg.by = (enum rates_by)get_varint(rd, "grouping");
	h->cfg.tz = (int32_t)get_signed(rd, "time zone");
	h->cfg.from_day = get_signed(rd, "period");
	h->cfg.to_day = get_signed(rd, "period");
	h->cfg.n_types = (size_t)get_varint(rd, "types");
	if (rd->failed)
		return -1;
	if (h->cfg.by > BY_SHOP_TYPE || h->cfg.n_types > RATES_MAX_TYPES)
		return bad(rd, "header");
	h->type_ids = calloc(h->cfg.n_types + 1, sizeof(*h->type_ids));
	if (!h->type_ids)
		return error_set(rd->err, rd->path, "out of memory");
	for (size_t t = 0; t < h->cfg.n_types; t++) {
		size_t len = get_string(rd, "type ids");
		if (rd->failed || !(h->type_ids[t] = strndup(rd->str, len))) {
			partial_header_release(h);
			return rd->failed ? -1 : error_set(rd->err, rd->path, "out of memory");
		}
	}
	h->rules = get_varint(rd, "rules");
	if (rd->failed) {
		partial_header_release(h);
		return -1;
	}
	return 0;
}

int partial_read_header(const char *path, struct partial_header *h, struct error *err)
{
	struct reader rd;
	int rc = reader_open(&rd, path, err);
	if (rc == 0)
		rc = get_header(&rd, h);
	reader_close(&rd);
	return rc;
}

void partial_header_release(struct partial_header *h)
{
	if (h->type_ids)
		for (size_t t = 0; t < h->cfg.n_types; t++)
			free(h->type_ids[t]);
	free(h->type_ids);
	h->type_ids = NULL;
}

int partial_header_same(const struct partial_header *a, const struct partial_header *b,
			const char *path, struct error *err)
{
	if (a->cfg.by != b->cfg.by)
		return error_set(err, path, "made with --by %s, not --by %s like the first partial",
				 rates_by_name(b->cfg.by), rates_by_name(a->cfg.by));
	if (a->cfg.from_day != b->cfg.from_day || a->cfg.to_day != b->cfg.to_day)
		return error_set(err, path, "made for another period (--from/--to/--window) than "
				 "the first partial");
	if (a->cfg.tz != b->cfg.tz)
		return error_set(err, path, "made with another --tz than the first partial");
	if (a->cfg.n_types != b->cfg.n_types)
		return error_set(err, path, "made with other rules (%zu types, not %zu)",
				 b->cfg.n_types, a->cfg.n_types);
	for (size_t t = 0; t < a->cfg.n_types; t++)
		if (strcmp(a->type_ids[t], b->type_ids[t]))
			return error_set(err, path, "made with other rules (type %zu is %s, not %s)",
					 t + 1, b->type_ids[t], a->type_ids[t]);
	if (a->rules != b->rules)
		return error_set(err, path, "made with other rules (the same types, other "
				 "patterns or points) than the first partial");
	return 0;
}

/* The partial's shop index, mapped to the table's; RATES_NO_SHOP stays. */
static int map_shop(struct reader *rd, const uint32_t *map, size_t n, uint32_t *shop)
{
	if (*shop == RATES_NO_SHOP)
		return 0;
	if (*shop >= n)
		return bad(rd, "shop index");
	*shop = map[*shop];
	return 0;
}

int partial_load(const char *path, enum partial_part part, struct rates *r,
		 struct shop_table *shops, struct join *j, const char *const *type_ids,
		 uint64_t rules, struct error *err)
{
	int counts = part == PARTIAL_COUNTS;
	const struct rates_config *cfg = rates_config(r);
	struct partial_header mine = {*cfg, (char **)type_ids, rules}, theirs;
	struct reader rd;
	uint32_t *map = NULL;
	uint64_t counters[MAX_COUNTERS];
	size_t width = RATES_COUNTERS(cfg->n_types);
	int rc = -1;

	if (reader_open(&rd, path, err) < 0)
		goto out;
	if (get_header(&rd, &theirs) < 0)
		goto out;
	rc = partial_header_same(&mine, &theirs, path, err);
	partial_header_release(&theirs);
	if (rc < 0)
		goto out;
	rc = -1;

	/* Totals add up. */
	struct rates_totals *t = rates_totals(r);
	uint64_t *fields[] = {
		&t->orders, &t->complaints, &t->orders_no_shop, &t->complaints_no_shop,
		&t->orders_no_time, &t->complaints_no_time, &t->orders_outside,
		&t->complaints_outside, &t->late, &t->no_order, &t->orders_no_id,
		&t->texts_invalid, &t->texts_limited,
	};
	uint64_t n_fields = get_varint(&rd, "totals");
	for (uint64_t i = 0; i < n_fields && !rd.failed; i++) {
		uint64_t v = get_varint(&rd, "totals");
		if (!counts)
			continue;
		if (i < sizeof(fields) / sizeof(fields[0]))
			*fields[i] += v;
		else if (i == sizeof(fields) / sizeof(fields[0]) && v)
			t->has_outcome = 1;
	}

	uint64_t n_shops = get_varint(&rd, "shops");
	if (!rd.failed && n_shops > UINT32_MAX)
		bad(&rd, "shops");
	if (rd.failed)
		goto out;
	/* The count is not trusted with memory: the map grows as shops are read. */
	size_t map_cap = 0;
	for (uint64_t i = 0; i < n_shops && !rd.failed; i++) {
		if (i == map_cap) {
			uint32_t *m = realloc(map, (map_cap ? 2 * map_cap : 1024) * sizeof(*map));
			if (!m) {
				error_set(err, path, "out of memory");
				goto out;
			}
			map = m;
			map_cap = map_cap ? 2 * map_cap : 1024;
		}
		size_t len = get_string(&rd, "shops");
		int64_t idx = rd.failed ? 0 : shop_table_intern(shops, rd.str, len);
		if (idx < 0) {
			error_set(err, path, "out of memory");
			goto out;
		}
		map[i] = (uint32_t)idx;
		len = get_string(&rd, "shop names");
		int64_t seen = get_signed(&rd, "shop names");
		if (!rd.failed && counts && rates_see_name(r, map[i], rd.str, len, seen) < 0) {
			error_set(err, path, "out of memory");
			goto out;
		}
	}

	uint64_t n_cells = get_varint(&rd, "cells");
	for (uint64_t i = 0; i < n_cells && !rd.failed; i++) {
		uint64_t s = get_varint(&rd, "cells");
		int64_t period = get_signed(&rd, "cells");
		int64_t type = get_signed(&rd, "cells");
		for (size_t k = 0; k < width; k++)
			counters[k] = get_varint(&rd, "cells");
		if (rd.failed)
			break;
		/* Only cells of this grouping: the gzip CRC is checked at the end,
		 * and damage must not reach the table before (a cell without a
		 * shop in --by shop would be 4 G shops' counters). */
		uint32_t shop = s ? (uint32_t)(s - 1) : RATES_NO_SHOP;
		if (s > n_shops || period < INT32_MIN || period > INT32_MAX || type < -1 ||
		    type > INT32_MAX || !rates_cell_valid(r, shop, (int32_t)period, (int)type)) {
			bad(&rd, "cells");
			break;
		}
		if (map_shop(&rd, map, n_shops, &shop) < 0)
			break;
		if (counts && rates_add_cell(r, shop, (int32_t)period, (int)type, counters) < 0) {
			error_set(err, path, "out of memory");
			goto out;
		}
	}

	uint64_t n_lefts = get_varint(&rd, "complaints");
	char *key = NULL;
	size_t key_cap = 0;
	for (uint64_t i = 0; i < n_lefts && !rd.failed; i++) {
		unsigned char payload[RATES_COMPLAINT_BYTES];
		struct rates_complaint c;
		size_t len = get_string(&rd, "complaints");
		if (len + 1 > key_cap) {
			char *k = realloc(key, len + 1);
			if (!k) {
				free(key);
				error_set(err, path, "out of memory");
				goto out;
			}
			key = k;
			key_cap = len + 1;
		}
		memcpy(key, rd.str, len);
		if (get_varint(&rd, "complaints") != RATES_COMPLAINT_BYTES) {
			bad(&rd, "complaint record");
			break;
		}
		if (get_bytes(&rd, payload, sizeof(payload), "complaints") < 0)
			break;
		if (!counts)
			continue;
		rates_complaint_unpack(payload, &c);
		if (map_shop(&rd, map, n_shops, &c.shop) < 0)
			break;
		rates_complaint_pack(&c, payload);
		join_expect(j, key, len);
		if (join_add_left(j, key, len, payload, sizeof(payload), err) < 0) {
			free(key);
			goto out;
		}
	}
	free(key);

	uint64_t n_rights = get_varint(&rd, "orders");
	for (uint64_t i = 0; i < n_rights && !rd.failed; i++) {
		unsigned char payload[RATES_ORDER_BYTES];
		struct rates_order_match m;
		size_t len = get_string(&rd, "orders");
		if (get_bytes(&rd, payload, sizeof(payload), "orders") < 0)
			break;
		if (counts)
			continue;
		rates_order_unpack(payload, &m);
		if (map_shop(&rd, map, n_shops, &m.shop) < 0)
			break;
		rates_order_pack(m.shop, m.finished, payload);
		if (join_add_right(j, rd.str, len, payload, sizeof(payload), err) < 0)
			goto out;
	}

	unsigned char e[4];
	if (get_bytes(&rd, e, 4, "end") == 0 &&
	    (uint32_t)(e[0] | e[1] << 8 | e[2] << 16 | (uint32_t)e[3] << 24) != END_MARK)
		bad(&rd, "end");
	if (!rd.failed && gzgetc(rd.gz) >= 0)
		bad(&rd, "bytes after the end");
	if (!rd.failed) {
		int zerr = Z_OK;
		gzerror(rd.gz, &zerr);
		if (zerr != Z_OK)  /* the gzip trailer (CRC, length) is bad or missing */
			bad(&rd, "gzip trailer");
	}
	if (!rd.failed)
		rc = 0;
out:
	free(map);
	reader_close(&rd);
	return rc;
}
