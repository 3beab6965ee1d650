/*
 * test_partial.c - analyzers/partial.c: a run's aggregates written to a
 * partial and read back give exactly what one run over the same rows gives,
 * for one partial or a split of the rows into several (a complaint's order
 * in another shard included); a partial made with other settings is
 * refused with a message naming the file; a damaged partial (cut anywhere,
 * a byte flipped anywhere) or a file that is not a partial is refused with
 * an error, never read as good data and never a crash (see `make asan`).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "analyzers/join.h"
#include "analyzers/partial.h"
#include "analyzers/rates.h"
#include "analyzers/shop_table.h"
#include "formats/error.h"
#include "formats/timeparse.h"
#include "tests/unit/rng.h"

#define NT 3
static const char *const type_ids[NT] = {"fake_shipment", "quality", "harassment"};
#define RULES 0x9e3779b97f4a7c15ULL  /* the rule set's fingerprint, as rules_fingerprint() */
#define DAY 86400
#define N_KEYS 8

/* ---- rows, as the exports give them ---- */

static const char *const shop_keys[N_KEYS] = {
	"shop-7", "shop-1", "旗舰店", "shop-10", "a", "shop-3", "b\xff", "z",
};
static const char *const shop_names[] = {"Name", "Name 2", "店名", "Nom", "N"};

struct order_row {
	char id[24];                 /* "" when the row has none */
	const char *shop;            /* NULL: no shop */
	const char *name;
	int64_t created, finished;
	int shard;
};

struct complaint_row {
	char id[24];
	const char *shop;
	const char *name;
	int64_t filed, finished;
	int primary;
	enum rates_outcome outcome;
	int points;
	int shard;
};

struct data {
	struct order_row *orders;
	size_t n_orders;
	struct complaint_row *complaints;
	size_t n_complaints;
};

static int64_t random_time(uint64_t *rng, int64_t base, int64_t span)
{
	return base + (int64_t)rng_below(rng, (uint64_t)span);
}

static struct data make_data(uint64_t seed, size_t n_orders, size_t n_complaints, int shards)
{
	struct data d;
	uint64_t rng = seed;
	const int64_t base = time_days_from_civil(2026, 9, 15) * DAY;

	d.n_orders = n_orders;
	d.n_complaints = n_complaints;
	d.orders = calloc(n_orders, sizeof(*d.orders));
	d.complaints = calloc(n_complaints, sizeof(*d.complaints));
	assert_true(d.orders && d.complaints);
	for (size_t i = 0; i < n_orders; i++) {
		struct order_row *o = &d.orders[i];
		unsigned k = (unsigned)rng_below(&rng, 100);
		/* Some ids twice (the earliest finished wins), some none. */
		if (k < 5 && i > 0)
			snprintf(o->id, sizeof(o->id), "o%05zu", (size_t)rng_below(&rng, i));
		else if (k < 9)
			o->id[0] = '\0';
		else
			snprintf(o->id, sizeof(o->id), "o%05zu", i);
		o->shop = rng_below(&rng, 30) ? shop_keys[rng_below(&rng, N_KEYS)] : NULL;
		o->name = shop_names[rng_below(&rng, 5)];
		o->created = rng_below(&rng, 40) ? random_time(&rng, base, 60 * DAY) : RATES_NO_TIME;
		o->finished = rng_below(&rng, 10) ? (o->created == RATES_NO_TIME ? base : o->created) +
							  (int64_t)rng_below(&rng, 10 * DAY)
						  : RATES_NO_TIME;
		o->shard = (int)rng_below(&rng, (uint64_t)shards);
	}
	for (size_t i = 0; i < n_complaints; i++) {
		struct complaint_row *c = &d.complaints[i];
		/* Ids of orders, of no order (beyond n_orders), or none. */
		if (rng_below(&rng, 10))
			snprintf(c->id, sizeof(c->id), "o%05zu",
				 (size_t)rng_below(&rng, n_orders + n_orders / 8));
		c->shop = rng_below(&rng, 2) ? shop_keys[rng_below(&rng, N_KEYS)] : NULL;
		c->name = shop_names[rng_below(&rng, 5)];
		c->filed = rng_below(&rng, 40) ? random_time(&rng, base, 80 * DAY) : RATES_NO_TIME;
		c->finished = rng_below(&rng, 3) ? random_time(&rng, base, 60 * DAY) : RATES_NO_TIME;
		c->primary = (int)rng_below(&rng, NT + 2) - 1;
		c->outcome = (enum rates_outcome)rng_below(&rng, 3);
		c->points = (int)rng_below(&rng, 3) * 12;
		c->shard = (int)rng_below(&rng, (uint64_t)shards);
	}
	return d;
}

static void data_free(struct data *d)
{
	free(d->orders);
	free(d->complaints);
}

/* ---- a run, as `tousu rates` makes one ---- */

struct run {
	struct shop_table *shops;
	struct rates *r;
	struct join *j;
};

static struct run run_new(const struct rates_config *cfg, int keep_all)
{
	struct run run;
	struct error err;
	run.shops = shop_table_new();
	assert_non_null(run.shops);
	run.r = rates_new(cfg, run.shops);
	assert_non_null(run.r);
	run.j = join_new(0, keep_all, &err);
	assert_non_null(run.j);
	rates_totals(run.r)->has_outcome = 1;
	return run;
}

static void run_free(struct run *run)
{
	join_free(run->j);
	rates_free(run->r);
	shop_table_free(run->shops);
}

static uint32_t intern(struct shop_table *shops, const char *key)
{
	if (!key)
		return RATES_NO_SHOP;
	int64_t i = shop_table_intern(shops, key, strlen(key));
	assert_true(i >= 0);
	return (uint32_t)i;
}

/* The rows of shard (-1: all): complaints first, so every id is announced
 * before the first order. */
static void feed(struct run *run, const struct data *d, int shard)
{
	struct error err;
	for (size_t i = 0; i < d->n_complaints; i++) {
		const struct complaint_row *row = &d->complaints[i];
		if (shard >= 0 && row->shard != shard)
			continue;
		struct rates_complaint c = {intern(run->shops, row->shop), row->filed, row->finished,
					    row->primary, row->outcome, row->points};
		assert_int_equal(rates_see_name(run->r, c.shop, row->name, strlen(row->name), c.filed), 0);
		if (!row->id[0]) {
			assert_int_equal(rates_add_complaint(run->r, &c, NULL), 0);
			continue;
		}
		unsigned char rec[RATES_COMPLAINT_BYTES];
		rates_complaint_pack(&c, rec);
		join_expect(run->j, row->id, strlen(row->id));
		assert_int_equal(join_add_left(run->j, row->id, strlen(row->id), rec, sizeof(rec), &err), 0);
	}
	for (size_t i = 0; i < d->n_orders; i++) {
		const struct order_row *row = &d->orders[i];
		if (shard >= 0 && row->shard != shard)
			continue;
		uint32_t s = intern(run->shops, row->shop);
		assert_int_equal(rates_see_name(run->r, s, row->name, strlen(row->name), row->created), 0);
		assert_int_equal(rates_add_order(run->r, s, row->created), 0);
		if (!row->id[0]) {
			rates_totals(run->r)->orders_no_id++;
			continue;
		}
		unsigned char rec[RATES_ORDER_BYTES];
		rates_order_pack(s, row->finished, rec);
		assert_int_equal(join_add_right(run->j, row->id, strlen(row->id), rec, sizeof(rec), &err), 0);
	}
}

static int better_order(void *ctx, const void *a, const void *b)
{
	const struct run *run = ctx;
	return rates_order_better(run->shops, a, b);
}

static int on_pair(void *ctx, const void *left, size_t left_len, const void *right)
{
	struct run *run = ctx;
	assert_int_equal(left_len, RATES_COMPLAINT_BYTES);
	return rates_add_joined(run->r, left, right);
}

static void join_now(struct run *run)
{
	struct error err;
	assert_int_equal(join_run(run->j, better_order, on_pair, run, NULL, &err), 0);
}

/* ---- files ---- */

static char *temp_path(void)
{
	char *path = strdup("/tmp/tousu-test-partial-XXXXXX");
	assert_non_null(path);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return path;
}

static void write_partial(const char *path, struct run *run)
{
	struct error err;
	int fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	error_clear(&err);
	if (partial_write(fd, run->r, run->shops, run->j, type_ids, RULES, &err) < 0) {
		print_error("partial_write: %s\n", err.msg);
		fail();
	}
	assert_int_equal(close(fd), 0);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	unsigned char *buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void spit(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Loads both parts of every path into a fresh run, then joins. */
static int merge(struct run *into, char *const *paths, size_t n, struct error *err)
{
	for (int part = PARTIAL_COUNTS; part <= PARTIAL_ORDERS; part++)
		for (size_t i = 0; i < n; i++) {
			error_clear(err);
			if (partial_load(paths[i], (enum partial_part)part, into->r, into->shops,
					 into->j, type_ids, RULES, err) < 0)
				return -1;
		}
	join_now(into);
	return 0;
}

/* ---- comparing two runs, by shop key (their indexes differ) ---- */

struct keyed_cell {
	char key[32];                /* the shop's key, "" for none */
	int has_shop;
	int32_t period;
	int type;
	uint64_t c[RATES_COUNTERS(NT)];
};

struct keyed {
	const struct run *run;
	struct keyed_cell *v;
	size_t n, cap;
};

static int keyed_collect(void *ctx, uint32_t s, int32_t period, int type, const uint64_t *counters)
{
	struct keyed *k = ctx;
	size_t i;
	for (i = 0; i < RATES_COUNTERS(NT) && !counters[i]; i++)
		;
	if (i == RATES_COUNTERS(NT))
		return 0;
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 256;
		k->v = realloc(k->v, k->cap * sizeof(*k->v));
		assert_non_null(k->v);
	}
	struct keyed_cell *c = &k->v[k->n++];
	memset(c, 0, sizeof(*c));
	if (s != RATES_NO_SHOP) {
		size_t len;
		const char *key = shop_table_key(k->run->shops, s, &len);
		assert_true(len < sizeof(c->key));
		memcpy(c->key, key, len);
		c->has_shop = 1;
	}
	c->period = period;
	c->type = type;
	memcpy(c->c, counters, sizeof(c->c));
	return 0;
}

static int cmp_keyed(const void *a, const void *b)
{
	return memcmp(a, b, offsetof(struct keyed_cell, c));
}

static struct keyed keyed_cells(const struct run *run)
{
	struct keyed k = {run, NULL, 0, 0};
	assert_int_equal(rates_cells(run->r, keyed_collect, &k), 0);
	if (k.n)
		qsort(k.v, k.n, sizeof(*k.v), cmp_keyed);
	return k;
}

static void assert_same_runs(const struct run *a, const struct run *b)
{
	struct keyed x = keyed_cells(a), y = keyed_cells(b);
	assert_true(x.n > 0);
	assert_int_equal(x.n, y.n);
	for (size_t i = 0; i < x.n; i++)
		if (memcmp(&x.v[i], &y.v[i], sizeof(x.v[i]))) {
			print_error("cell %zu (shop \"%s\", period %d, type %d) differs\n", i,
				    x.v[i].key, x.v[i].period, x.v[i].type);
			fail();
		}
	free(x.v);
	free(y.v);

	const struct rates_totals *s = rates_totals(a->r), *t = rates_totals(b->r);
	const uint64_t u[] = {s->orders, s->complaints, s->orders_no_shop, s->complaints_no_shop,
			      s->orders_no_time, s->complaints_no_time, s->orders_outside,
			      s->complaints_outside, s->late, s->no_order, s->orders_no_id,
			      s->texts_invalid, s->texts_limited, (uint64_t)s->has_outcome};
	const uint64_t v[] = {t->orders, t->complaints, t->orders_no_shop, t->complaints_no_shop,
			      t->orders_no_time, t->complaints_no_time, t->orders_outside,
			      t->complaints_outside, t->late, t->no_order, t->orders_no_id,
			      t->texts_invalid, t->texts_limited, (uint64_t)t->has_outcome};
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if (u[i] != v[i]) {
			print_error("total %zu: %llu, not %llu\n", i, (unsigned long long)v[i],
				    (unsigned long long)u[i]);
			fail();
		}

	assert_int_equal(shop_table_count(a->shops), shop_table_count(b->shops));
	for (size_t i = 0; i < shop_table_count(a->shops); i++) {
		size_t len;
		const char *key = shop_table_key(a->shops, i, &len);
		int64_t k = shop_table_find(b->shops, key, len), ta, tb;
		assert_true(k >= 0);
		const char *na = rates_shop_name(a->r, (uint32_t)i, &ta);
		const char *nb = rates_shop_name(b->r, (uint32_t)k, &tb);
		assert_string_equal(na, nb);
		assert_true(ta == tb);
	}
}

/* ---- tests ---- */

static const struct rates_config configs[] = {
	{BY_SHOP, 8 * 3600, RATES_OPEN_FROM, RATES_OPEN_TO, NT},
	{BY_SHOP, 8 * 3600, 20720, 20750, NT},           /* --from/--to */
	{BY_DAY, 8 * 3600, RATES_OPEN_FROM, RATES_OPEN_TO, NT},
	{BY_WEEK, -5 * 3600, RATES_OPEN_FROM, RATES_OPEN_TO, NT},
	{BY_MONTH, 0, RATES_OPEN_FROM, RATES_OPEN_TO, NT},
	{BY_TYPE, 8 * 3600, RATES_OPEN_FROM, RATES_OPEN_TO, NT},
	{BY_SHOP_DAY, 8 * 3600, 20720, 20750, NT},
	{BY_SHOP_WEEK, 8 * 3600, RATES_OPEN_FROM, RATES_OPEN_TO, NT},
	{BY_SHOP_MONTH, 8 * 3600, RATES_OPEN_FROM, RATES_OPEN_TO, NT},
	{BY_SHOP_TYPE, 8 * 3600, RATES_OPEN_FROM, RATES_OPEN_TO, NT},
};

/*
 * One run over every row, against the same rows written as one partial,
 * and as three shards (a complaint's order often in another shard), read
 * back and joined: the same cells, totals and names.
 */
static void test_merge_equals_one_run(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(configs) / sizeof(configs[0]); k++) {
		const struct rates_config *cfg = &configs[k];
		struct data d = make_data(1000 + k, 1000, 600, 3);
		struct error err;

		struct run direct = run_new(cfg, 0);
		feed(&direct, &d, -1);
		join_now(&direct);

		/* One partial for a few groupings (the plain round trip); three
		 * for all of them. */
		for (int shards = k % 5 ? 3 : 1; shards <= 3; shards += 2) {
			char *paths[3];
			for (int s = 0; s < shards; s++) {
				struct run part = run_new(cfg, 1);
				paths[s] = temp_path();
				feed(&part, &d, shards == 1 ? -1 : s);
				write_partial(paths[s], &part);
				run_free(&part);
			}
			/* The header comes back as written. */
			struct partial_header h;
			assert_int_equal(partial_read_header(paths[0], &h, &err), 0);
			assert_int_equal(h.cfg.by, cfg->by);
			assert_int_equal(h.cfg.tz, cfg->tz);
			assert_true(h.cfg.from_day == cfg->from_day && h.cfg.to_day == cfg->to_day);
			assert_int_equal(h.cfg.n_types, NT);
			assert_true(h.rules == RULES);
			for (size_t t = 0; t < NT; t++)
				assert_string_equal(h.type_ids[t], type_ids[t]);
			partial_header_release(&h);

			struct run merged = run_new(cfg, 0);
			rates_totals(merged.r)->has_outcome = 0;  /* it comes from the partials */
			if (merge(&merged, paths, (size_t)shards, &err) < 0) {
				print_error("%s: %s\n", err.file, err.msg);
				fail();
			}
			assert_same_runs(&direct, &merged);
			run_free(&merged);
			for (int s = 0; s < shards; s++) {
				unlink(paths[s]);
				free(paths[s]);
			}
		}
		run_free(&direct);
		data_free(&d);
	}
}

/* An empty run makes a partial too, and merges to nothing. */
static void test_empty_partial(void **state)
{
	(void)state;
	const struct rates_config *cfg = &configs[0];
	struct run part = run_new(cfg, 1), merged = run_new(cfg, 0);
	char *path = temp_path();
	struct error err;

	rates_totals(part.r)->has_outcome = 0;
	write_partial(path, &part);
	assert_int_equal(merge(&merged, &path, 1, &err), 0);
	struct keyed k = keyed_cells(&merged);
	assert_int_equal(k.n, 0);
	free(k.v);
	assert_int_equal(rates_totals(merged.r)->orders, 0);
	assert_int_equal(shop_table_count(merged.shops), 0);
	run_free(&part);
	run_free(&merged);
	unlink(path);
	free(path);
}

static char *small_partial(const struct rates_config *cfg, uint64_t seed)
{
	struct data d = make_data(seed, 24, 16, 1);
	struct run part = run_new(cfg, 1);
	char *path = temp_path();
	feed(&part, &d, -1);
	write_partial(path, &part);
	run_free(&part);
	data_free(&d);
	return path;
}

/*
 * Loads both parts of path into fresh rates and shops with cfg, and into j
 * (a join costs an 8 MiB filter: the damage tests share one; NULL: a fresh
 * one). 0, or -1 with err naming the file.
 */
static int load_into(const struct rates_config *cfg, const char *path, const char *const *ids,
		     uint64_t rules, struct join *j, struct error *err)
{
	struct shop_table *shops = shop_table_new();
	struct rates *r = rates_new(cfg, shops);
	struct join *own = j ? NULL : join_new(0, 0, err);
	int rc = 0;

	assert_true(shops && r && (j || own));
	for (int part = PARTIAL_COUNTS; part <= PARTIAL_ORDERS && rc == 0; part++) {
		error_clear(err);
		rc = partial_load(path, (enum partial_part)part, r, shops, j ? j : own, ids, rules, err);
	}
	join_free(own);
	rates_free(r);
	shop_table_free(shops);
	if (rc < 0) {
		assert_string_equal(err->file, path);
		assert_true(err->msg[0] != '\0');
	}
	return rc;
}

static void test_header_mismatch(void **state)
{
	(void)state;
	const struct rates_config cfg = {BY_SHOP_WEEK, 8 * 3600, 20720, 20750, NT};
	char *path = small_partial(&cfg, 5);
	struct error err;
	struct partial_header mine, theirs;

	assert_int_equal(load_into(&cfg, path, type_ids, RULES, NULL, &err), 0);

	/* Another grouping, period, time zone: refused, naming the file. */
	struct rates_config other = cfg;
	other.by = BY_SHOP;
	assert_int_equal(load_into(&other, path, type_ids, RULES, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "shop,week"));
	other = cfg;
	other.to_day++;
	assert_int_equal(load_into(&other, path, type_ids, RULES, NULL, &err), -1);
	other = cfg;
	other.from_day = RATES_OPEN_FROM;
	assert_int_equal(load_into(&other, path, type_ids, RULES, NULL, &err), -1);
	other = cfg;
	other.tz = 0;
	assert_int_equal(load_into(&other, path, type_ids, RULES, NULL, &err), -1);

	/* Other rules: another type id, or another number of types. */
	const char *const renamed[NT] = {"fake_shipment", "quality", "harassment2"};
	assert_int_equal(load_into(&cfg, path, renamed, RULES, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "harassment2"));
	const char *const more[NT + 1] = {"fake_shipment", "quality", "harassment", "refund"};
	other = cfg;
	other.n_types = NT + 1;
	assert_int_equal(load_into(&other, path, more, RULES, NULL, &err), -1);
	/* The same types, other patterns or points: another fingerprint. */
	assert_int_equal(load_into(&cfg, path, type_ids, RULES ^ 1, NULL, &err), -1);

	/* partial_header_same says the same of two headers. */
	assert_int_equal(partial_read_header(path, &mine, &err), 0);
	assert_int_equal(partial_read_header(path, &theirs, &err), 0);
	assert_int_equal(partial_header_same(&mine, &theirs, "second.partial", &err), 0);
	theirs.cfg.tz = 3600;
	error_clear(&err);
	assert_int_equal(partial_header_same(&mine, &theirs, "second.partial", &err), -1);
	assert_string_equal(err.file, "second.partial");
	theirs.cfg.tz = mine.cfg.tz;
	theirs.rules++;
	assert_int_equal(partial_header_same(&mine, &theirs, "second.partial", &err), -1);
	theirs.rules--;
	free(theirs.type_ids[1]);
	theirs.type_ids[1] = strdup("refund");
	assert_int_equal(partial_header_same(&mine, &theirs, "second.partial", &err), -1);
	assert_non_null(strstr(err.msg, "refund"));
	partial_header_release(&mine);
	partial_header_release(&theirs);
	assert_null(theirs.type_ids);
	unlink(path);
	free(path);
}

static void test_not_a_partial(void **state)
{
	(void)state;
	const struct rates_config *cfg = &configs[0];
	char *path = temp_path();
	struct error err;
	struct partial_header h;

	/* Empty, plain text, a CSV, gzip of something else, a missing file. */
	spit(path, "", 0);
	assert_int_equal(partial_read_header(path, &h, &err), -1);
	assert_string_equal(err.file, path);
	assert_int_equal(load_into(cfg, path, type_ids, RULES, NULL, &err), -1);
	spit(path, "order_id,shop_id\n1,2\n", 21);
	assert_int_equal(partial_read_header(path, &h, &err), -1);
	assert_int_equal(load_into(cfg, path, type_ids, RULES, NULL, &err), -1);
	gzFile gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_true(gzputs(gz, "tousu partial 2\nsomething newer") > 0);
	assert_int_equal(gzclose(gz), Z_OK);
	assert_int_equal(partial_read_header(path, &h, &err), -1);
	assert_int_equal(load_into(cfg, path, type_ids, RULES, NULL, &err), -1);
	/* The magic alone: a header cut short. */
	gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_true(gzputs(gz, PARTIAL_MAGIC) > 0);
	assert_int_equal(gzclose(gz), Z_OK);
	assert_int_equal(partial_read_header(path, &h, &err), -1);
	assert_int_equal(load_into(cfg, path, type_ids, RULES, NULL, &err), -1);
	unlink(path);
	assert_int_equal(partial_read_header(path, &h, &err), -1);
	assert_string_equal(err.file, path);
	assert_int_equal(load_into(cfg, path, type_ids, RULES, NULL, &err), -1);
	free(path);
}

/*
 * The damage tests try every position near the ends (the gzip header, the
 * magic and settings; the end marker and the trailer) and every step-th in
 * between: each load allocates zlib's megabyte buffers, which ASan makes
 * slow.
 */
static int probe(size_t i, size_t len, size_t step)
{
	return i < 64 || i + 24 >= len || i % step == 0;
}

/* A file cut at any length is refused (the end marker, the gzip trailer). */
static void test_truncated(void **state)
{
	(void)state;
	const struct rates_config cfg = {BY_SHOP_TYPE, 8 * 3600, RATES_OPEN_FROM, RATES_OPEN_TO, NT};
	char *path = small_partial(&cfg, 7), *cut = temp_path();
	size_t len;
	unsigned char *bytes = slurp(path, &len);
	struct error err;
	struct join *shared = join_new(0, 0, &err);

	assert_non_null(shared);
	assert_int_equal(load_into(&cfg, path, type_ids, RULES, NULL, &err), 0);
	for (size_t n = 0; n < len; n++) {
		if (!probe(n, len, 9))
			continue;
		spit(cut, bytes, n);
		if (load_into(&cfg, cut, type_ids, RULES, shared, &err) != -1) {
			print_error("cut to %zu of %zu bytes: accepted\n", n, len);
			fail();
		}
	}
	/* Bytes after the end are refused too (not a partial we wrote). */
	unsigned char *longer = malloc(len + 16);
	assert_non_null(longer);
	memcpy(longer, bytes, len);
	memcpy(longer + len, bytes, 16);    /* another gzip member's start, cut */
	spit(cut, longer, len + 16);
	assert_int_equal(load_into(&cfg, cut, type_ids, RULES, shared, &err), -1);
	join_free(shared);
	free(longer);
	free(bytes);
	unlink(path);
	unlink(cut);
	free(path);
	free(cut);
}

/*
 * A byte flipped anywhere is refused, or, where the flip changes nothing
 * (the gzip header's mtime and OS bytes, which no reader checks, or a
 * redundancy of the deflate stream), reads as exactly the original: never
 * as other data, never a crash.
 */
static void test_flipped_byte(void **state)
{
	(void)state;
	const struct rates_config cfg = {BY_SHOP, 8 * 3600, RATES_OPEN_FROM, RATES_OPEN_TO, NT};
	char *path = small_partial(&cfg, 11), *bad = temp_path();
	size_t len, refused = 0;
	unsigned char *bytes = slurp(path, &len);
	struct error err;
	struct join *shared = join_new(0, 0, &err);
	struct run want = run_new(&cfg, 0);
	static const unsigned char masks[] = {0xff, 0x01, 0x80};
	size_t tried = 0;

	assert_non_null(shared);
	assert_int_equal(merge(&want, &path, 1, &err), 0);
	for (size_t m = 0; m < sizeof(masks) / sizeof(masks[0]); m++)
		for (size_t i = 0; i < len; i++) {
			if (!probe(i, len, m ? len : 7))
				continue;
			tried++;
			bytes[i] ^= masks[m];
			spit(bad, bytes, len);
			bytes[i] ^= masks[m];
			if (load_into(&cfg, bad, type_ids, RULES, shared, &err) < 0) {
				refused++;
				continue;
			}
			struct run got = run_new(&cfg, 0);
			assert_int_equal(merge(&got, &bad, 1, &err), 0);
			assert_same_runs(&want, &got);
			run_free(&got);
		}
	/* The mtime is not checked (6 bytes of the header are not); nearly
	 * everything else is. */
	bytes[5] ^= 0xff;
	spit(bad, bytes, len);
	assert_int_equal(load_into(&cfg, bad, type_ids, RULES, NULL, &err), 0);
	assert_true(refused > tried * 9 / 10);
	run_free(&want);
	join_free(shared);
	free(bytes);
	unlink(path);
	unlink(bad);
	free(path);
	free(bad);
}

/*
 * The CRC is checked at the end, so what a damaged stream inflates to
 * reaches the reader first; and a partial may come from a buggy or newer
 * writer with a good CRC. So: the partial's content with a byte flipped
 * (every other byte), compressed again (a good CRC). Refused, or read as
 * data the report can show: rows of real shops, types and periods; never a
 * crash.
 */
static void assert_rows_sane(struct rates *r, const struct shop_table *shops)
{
	const struct rates_config *cfg = rates_config(r);
	struct rates_view_options o = {SORT_DEFAULT, 0, 0};
	struct rates_view v;
	assert_int_equal(rates_view(r, &o, &v), 0);
	for (size_t i = 0; i < v.n; i++) {
		const struct rates_row *row = &v.rows[i];
		if (rates_by_has_shop(cfg->by))
			assert_true(row->shop < shop_table_count(shops));
		if (rates_by_has_type(cfg->by))
			assert_true(row->type >= 0 && (size_t)row->type <= NT);
		if (rates_by_has_period(cfg->by))
			assert_true(row->period >= time_days_from_civil(0, 1, 1) &&
				    row->period <= time_days_from_civil(9999, 12, 31));
	}
	rates_view_free(&v);
}

/* Loads path (both parts) into fresh rates and shops and j; when it is
 * accepted, the rows must be sane. Returns partial_load's answer. */
static int load_sane(const struct rates_config *cfg, const char *path, struct join *j,
		     struct error *err)
{
	struct shop_table *shops = shop_table_new();
	struct rates *r = rates_new(cfg, shops);
	int rc = 0;
	assert_true(shops && r);
	for (int part = PARTIAL_COUNTS; part <= PARTIAL_ORDERS && rc == 0; part++)
		rc = partial_load(path, (enum partial_part)part, r, shops, j, type_ids, RULES, err);
	if (rc == 0)
		assert_rows_sane(r, shops);
	rates_free(r);
	shop_table_free(shops);
	return rc;
}

static void test_flipped_content(void **state)
{
	(void)state;
	static const struct rates_config cfgs[] = {
		{BY_SHOP, 8 * 3600, RATES_OPEN_FROM, RATES_OPEN_TO, NT},
		{BY_SHOP_TYPE, 8 * 3600, RATES_OPEN_FROM, RATES_OPEN_TO, NT},
		{BY_SHOP_WEEK, 8 * 3600, RATES_OPEN_FROM, RATES_OPEN_TO, NT},
	};
	struct error err;
	struct join *shared = join_new(0, 0, &err);
	char *bad = temp_path();

	assert_non_null(shared);
	for (size_t k = 0; k < sizeof(cfgs) / sizeof(cfgs[0]); k++) {
		struct data d = make_data(21 + k, 6, 5, 1);
		struct run part = run_new(&cfgs[k], 1);
		char *path = temp_path();
		static unsigned char content[1 << 16];
		feed(&part, &d, -1);
		write_partial(path, &part);
		run_free(&part);
		data_free(&d);
		gzFile gz = gzopen(path, "rb");
		assert_non_null(gz);
		int n = gzread(gz, content, sizeof(content));
		assert_true(n > 0 && n < (int)sizeof(content));
		gzclose(gz);

		size_t refused = 0, tried = 0;
		for (int i = (int)strlen(PARTIAL_MAGIC); i < n; i += 2) {
			content[i] ^= 0xff;
			gz = gzopen(bad, "wb1");
			assert_non_null(gz);
			assert_int_equal(gzwrite(gz, content, (unsigned)n), n);
			assert_int_equal(gzclose(gz), Z_OK);
			content[i] ^= 0xff;
			tried++;
			refused += load_sane(&cfgs[k], bad, shared, &err) < 0;
		}
		/* Most flips break the structure; counts and names may just change. */
		assert_true(refused > tried / 3);
		unlink(path);
		free(path);
	}
	join_free(shared);
	unlink(bad);
	free(bad);
}

/* Writing fails loudly: a full disk, a descriptor not open for writing. */
static void test_write_errors(void **state)
{
	(void)state;
	const struct rates_config *cfg = &configs[0];
	struct data d = make_data(3, 300, 200, 1);
	struct run part = run_new(cfg, 1);
	struct error err;
	char *path = temp_path();

	feed(&part, &d, -1);
	int fd = open("/dev/full", O_WRONLY);
	if (fd >= 0) {
		error_clear(&err);
		assert_int_equal(partial_write(fd, part.r, part.shops, part.j, type_ids, RULES, &err), -1);
		assert_true(err.msg[0] != '\0');
		close(fd);
	}
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	error_clear(&err);
	assert_int_equal(partial_write(fd, part.r, part.shops, part.j, type_ids, RULES, &err), -1);
	assert_true(err.msg[0] != '\0');
	close(fd);
	/* The run is still whole: it writes fine afterwards. */
	write_partial(path, &part);
	assert_int_equal(load_into(cfg, path, type_ids, RULES, NULL, &err), 0);
	run_free(&part);
	data_free(&d);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_equals_one_run),
		cmocka_unit_test(test_empty_partial),
		cmocka_unit_test(test_header_mismatch),
		cmocka_unit_test(test_not_a_partial),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_flipped_byte),
		cmocka_unit_test(test_flipped_content),
		cmocka_unit_test(test_write_errors),
	};
	return cmocka_run_group_tests_name("partial", tests, NULL, NULL);
}
