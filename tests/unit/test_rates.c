/*
 * test_rates.c - analyzers/rates.c against the README's "tousu rates"
 * contract: what a complaint counts in (the 15-day window, the order's shop
 * and finished time, the primary type, outcomes and points), which rows are
 * left out and where they are counted instead, the periods (Monday weeks,
 * months, local days at --tz, dates before 1970), the rows a view gives
 * (type rows, sorting, percentiles, --min-orders, --top), the shop names
 * rule, the join's packed records, and that any order or split of the input
 * gives the same cells.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/rates.h"
#include "analyzers/shop_table.h"
#include "formats/timeparse.h"
#include "tests/unit/rng.h"

#define NT 3                        /* types 0, 1, 2; type 3 is `other` */
#define W RATES_COUNTERS(NT)
#define DAY 86400
#define UNBOUNDED RATES_OPEN_FROM, RATES_OPEN_TO

/* ---- helpers ---- */

static int64_t utc(int y, unsigned m, unsigned d, int hh, int mm, int ss)
{
	return time_days_from_civil(y, m, d) * DAY + hh * 3600 + mm * 60 + ss;
}

static int64_t day_of(int y, unsigned m, unsigned d)
{
	return time_days_from_civil(y, m, d);
}

static uint32_t shop(struct shop_table *t, const char *key)
{
	int64_t i = shop_table_intern(t, key, strlen(key));
	assert_true(i >= 0);
	return (uint32_t)i;
}

static struct rates *new_rates(const struct shop_table *shops, enum rates_by by, int32_t tz,
			       int64_t from, int64_t to)
{
	struct rates_config cfg = {by, tz, from, to, NT};
	struct rates *r = rates_new(&cfg, shops);
	assert_non_null(r);
	return r;
}

static struct rates_complaint complaint(uint32_t s, int64_t filed, int primary)
{
	struct rates_complaint c = {s, filed, RATES_NO_TIME, primary, OUTCOME_NONE, 0};
	return c;
}

static struct rates_order_match order(uint32_t s, int64_t finished)
{
	struct rates_order_match m = {1, s, finished};
	return m;
}

static void add_order(struct rates *r, uint32_t s, int64_t created)
{
	assert_int_equal(rates_add_order(r, s, created), 0);
}

static void add_complaint(struct rates *r, const struct rates_complaint *c,
			  const struct rates_order_match *m)
{
	assert_int_equal(rates_add_complaint(r, c, m), 0);
}

/* A cell as rates_cells() gives it, copied. */
struct cell {
	uint32_t shop;
	int32_t period;
	int type;
	uint64_t c[RATES_COUNTERS(RATES_MAX_TYPES)];
};

struct cells {
	const struct rates *r;
	struct cell *v;
	size_t n, cap;
};

static int collect(void *ctx, uint32_t s, int32_t period, int type, const uint64_t *counters)
{
	struct cells *cs = ctx;
	size_t width = RATES_COUNTERS(rates_config(cs->r)->n_types), i;
	for (i = 0; i < width && !counters[i]; i++)
		;
	if (i == width)
		return 0;  /* an empty cell (a shop index with no rows) says nothing */
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? 2 * cs->cap : 64;
		cs->v = realloc(cs->v, cs->cap * sizeof(*cs->v));
		assert_non_null(cs->v);
	}
	struct cell *c = &cs->v[cs->n++];
	memset(c, 0, sizeof(*c));
	c->shop = s;
	c->period = period;
	c->type = type;
	memcpy(c->c, counters, width * sizeof(*counters));
	return 0;
}

static int cmp_cell(const void *pa, const void *pb)
{
	const struct cell *a = pa, *b = pb;
	if (a->shop != b->shop)
		return a->shop < b->shop ? -1 : 1;
	if (a->period != b->period)
		return a->period < b->period ? -1 : 1;
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	return 0;
}

/* The non-empty cells, sorted by key, so tables can be compared. */
static struct cells all_cells(const struct rates *r)
{
	struct cells cs = {r, NULL, 0, 0};
	assert_int_equal(rates_cells(r, collect, &cs), 0);
	if (cs.n)
		qsort(cs.v, cs.n, sizeof(*cs.v), cmp_cell);
	return cs;
}

static void assert_same_cells(const struct rates *a, const struct rates *b)
{
	struct cells x = all_cells(a), y = all_cells(b);
	assert_int_equal(x.n, y.n);
	for (size_t i = 0; i < x.n; i++)
		if (memcmp(&x.v[i], &y.v[i], sizeof(x.v[i]))) {
			print_error("cell %zu differs: shop %u period %d type %d\n", i,
				    x.v[i].shop, x.v[i].period, x.v[i].type);
			fail();
		}
	free(x.v);
	free(y.v);
}

/*
 * The counters of the cell for shop / period (a local day number, the
 * period's first day) in the groupings that have them; zeros when there is
 * no such cell. Not for type groupings (their rows are tested by view).
 */
static uint64_t cell_get(const struct rates *r, uint32_t s, int64_t period, size_t counter)
{
	enum rates_by by = rates_config(r)->by;
	struct cells cs = all_cells(r);
	uint64_t v = 0;
	int hits = 0;

	for (size_t i = 0; i < cs.n; i++) {
		if (rates_by_has_shop(by) && cs.v[i].shop != s)
			continue;
		if (rates_by_has_period(by) && cs.v[i].period != period)
			continue;
		v = cs.v[i].c[counter];
		hits++;
	}
	free(cs.v);
	assert_true(hits <= 1);
	return v;
}

/* Every counter of the shop's (BY_SHOP) cell. */
static void shop_counters(const struct rates *r, uint32_t s, uint64_t out[W])
{
	struct cells cs = all_cells(r);
	memset(out, 0, W * sizeof(*out));
	for (size_t i = 0; i < cs.n; i++)
		if (cs.v[i].shop == s)
			memcpy(out, cs.v[i].c, W * sizeof(*out));
	free(cs.v);
}

static uint64_t n_cells(const struct rates *r)
{
	struct cells cs = all_cells(r);
	free(cs.v);
	return cs.n;
}

/* ---- small pure functions ---- */

static void test_by_names(void **state)
{
	(void)state;
	static const char *const names[] = {
		"shop", "day", "week", "month", "type", "shop,day", "shop,week", "shop,month",
		"shop,type",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		enum rates_by by = BY_TYPE;
		assert_int_equal(rates_by_parse(names[i], &by), 0);
		assert_string_equal(rates_by_name(by), names[i]);
	}
	enum rates_by by = BY_SHOP_TYPE;
	assert_int_equal(rates_by_parse("shops", &by), -1);
	assert_int_equal(rates_by_parse("shop, day", &by), -1);
	assert_int_equal(rates_by_parse("Shop", &by), -1);
	assert_int_equal(rates_by_parse("", &by), -1);
	assert_int_equal(by, BY_SHOP_TYPE);  /* untouched on failure */

	assert_true(rates_by_has_shop(BY_SHOP) && rates_by_has_shop(BY_SHOP_DAY) &&
		    rates_by_has_shop(BY_SHOP_TYPE));
	assert_false(rates_by_has_shop(BY_DAY) || rates_by_has_shop(BY_TYPE));
	assert_true(rates_by_has_period(BY_WEEK) && rates_by_has_period(BY_SHOP_MONTH));
	assert_false(rates_by_has_period(BY_SHOP) || rates_by_has_period(BY_SHOP_TYPE));
	assert_true(rates_by_has_type(BY_TYPE) && rates_by_has_type(BY_SHOP_TYPE));
	assert_false(rates_by_has_type(BY_SHOP) || rates_by_has_type(BY_SHOP_DAY));
}

static void test_local_day(void **state)
{
	(void)state;
	assert_int_equal(rates_local_day(0, 0), 0);
	assert_int_equal(rates_local_day(-1, 0), -1);          /* floor, not truncation */
	assert_int_equal(rates_local_day(-DAY, 0), -1);
	assert_int_equal(rates_local_day(-DAY - 1, 0), -2);
	/* 2026-10-01 16:00:00Z is 2026-10-02 00:00 at +08:00. */
	assert_int_equal(rates_local_day(utc(2026, 10, 1, 16, 0, 0), 8 * 3600), day_of(2026, 10, 2));
	assert_int_equal(rates_local_day(utc(2026, 10, 1, 15, 59, 59), 8 * 3600),
			 day_of(2026, 10, 1));
	/* West of UTC: 2026-10-02 04:59:59Z is still 10-01 at -05:00. */
	assert_int_equal(rates_local_day(utc(2026, 10, 2, 4, 59, 59), -5 * 3600),
			 day_of(2026, 10, 1));
	assert_int_equal(rates_local_day(utc(2026, 10, 2, 5, 0, 0), -5 * 3600), day_of(2026, 10, 2));
	/* Before 1970, at +08:00: 1969-12-31 16:00Z is 1970-01-01. */
	assert_int_equal(rates_local_day(-8 * 3600, 8 * 3600), 0);
	assert_int_equal(rates_local_day(-8 * 3600 - 1, 8 * 3600), -1);
}

static void test_new_limits(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	struct rates_config cfg = {BY_SHOP, 0, UNBOUNDED, RATES_MAX_TYPES};
	struct rates *r = rates_new(&cfg, shops);

	assert_non_null(r);
	assert_int_equal(rates_config(r)->n_types, RATES_MAX_TYPES);
	rates_free(r);
	cfg.n_types = RATES_MAX_TYPES + 1;
	assert_null(rates_new(&cfg, shops));
	rates_free(NULL);
	shop_table_free(shops);
}

/* ---- what a complaint counts in ---- */

static void test_window_boundary(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t s = shop(shops, "s1");
	struct rates *r = new_rates(shops, BY_SHOP, 8 * 3600, UNBOUNDED);
	const int64_t fin = utc(2026, 10, 1, 12, 0, 0);
	struct rates_order_match m = order(s, fin);
	uint64_t c[W];

	assert_int_equal(RATES_COMPLAINT_WINDOW, 15 * 86400);
	/* Filed exactly 15 x 86400 s after the order finished: within. */
	struct rates_complaint in = complaint(s, fin + 15 * DAY, 1);
	in.outcome = OUTCOME_ESTABLISHED;
	in.points = 12;
	add_complaint(r, &in, &m);
	shop_counters(r, s, c);
	assert_int_equal(c[C_COMPLAINTS], 1);
	assert_int_equal(c[C_LATE], 0);
	assert_int_equal(c[C_TYPES + 1], 1);
	assert_int_equal(c[C_ESTABLISHED], 1);
	assert_int_equal(c[C_POINTS], 12);

	/* One second more: late, and counted nowhere else. */
	struct rates_complaint late = complaint(s, fin + 15 * DAY + 1, 1);
	late.outcome = OUTCOME_ESTABLISHED;
	late.points = 48;
	add_complaint(r, &late, &m);
	struct rates_complaint late2 = complaint(s, fin + 40 * DAY, 2);
	late2.outcome = OUTCOME_NOT_ESTABLISHED;
	add_complaint(r, &late2, &m);
	shop_counters(r, s, c);
	assert_int_equal(c[C_COMPLAINTS], 1);
	assert_int_equal(c[C_LATE], 2);
	assert_int_equal(c[C_TYPES + 1], 1);
	assert_int_equal(c[C_TYPES + 2], 0);
	assert_int_equal(c[C_ESTABLISHED], 1);
	assert_int_equal(c[C_NOT_ESTABLISHED], 0);
	assert_int_equal(c[C_POINTS], 12);
	assert_int_equal(c[C_NO_ORDER], 0);
	assert_int_equal(c[C_ORDERS], 0);

	/* Filed before the order finished (a complaint during delivery): within. */
	struct rates_complaint early = complaint(s, fin - 3 * DAY, 0);
	add_complaint(r, &early, &m);
	shop_counters(r, s, c);
	assert_int_equal(c[C_COMPLAINTS], 2);
	assert_int_equal(c[C_LATE], 2);

	struct rates_totals *t = rates_totals(r);
	assert_int_equal(t->complaints, 4);  /* every complaint offered */
	assert_int_equal(t->late, 2);
	assert_int_equal(t->no_order, 0);
	rates_free(r);
	shop_table_free(shops);
}

static void test_order_finished_wins(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t s = shop(shops, "s1");
	struct rates *r = new_rates(shops, BY_SHOP, 0, UNBOUNDED);
	const int64_t filed = utc(2026, 10, 20, 9, 0, 0);
	uint64_t c[W];

	/* The complaint's own finished_at says within; the order says 20 days. */
	struct rates_complaint a = complaint(s, filed, 0);
	a.finished = filed - DAY;
	struct rates_order_match m = order(s, filed - 20 * DAY);
	add_complaint(r, &a, &m);
	shop_counters(r, s, c);
	assert_int_equal(c[C_LATE], 1);
	assert_int_equal(c[C_COMPLAINTS], 0);

	/* The other way round: the complaint's column says late, the order not. */
	struct rates_complaint b = complaint(s, filed, 0);
	b.finished = filed - 20 * DAY;
	m = order(s, filed - DAY);
	add_complaint(r, &b, &m);
	shop_counters(r, s, c);
	assert_int_equal(c[C_LATE], 1);
	assert_int_equal(c[C_COMPLAINTS], 1);

	/* The order was found and is not finished: within, whatever the column. */
	m = order(s, RATES_NO_TIME);
	add_complaint(r, &b, &m);
	shop_counters(r, s, c);
	assert_int_equal(c[C_LATE], 1);
	assert_int_equal(c[C_COMPLAINTS], 2);
	assert_int_equal(c[C_NO_ORDER], 0);
	rates_free(r);
	shop_table_free(shops);
}

static void test_no_order(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t s = shop(shops, "s1");
	struct rates *r = new_rates(shops, BY_SHOP, 0, UNBOUNDED);
	const int64_t filed = utc(2026, 10, 20, 9, 0, 0);
	struct rates_order_match none = {0, RATES_NO_SHOP, RATES_NO_TIME};
	uint64_t c[W];

	/* No order id (NULL), own finished_at 15 days back: within, no_order. */
	struct rates_complaint a = complaint(s, filed, 2);
	a.finished = filed - 15 * DAY;
	add_complaint(r, &a, NULL);
	/* An id that no order has: the same. */
	add_complaint(r, &a, &none);
	shop_counters(r, s, c);
	assert_int_equal(c[C_COMPLAINTS], 2);
	assert_int_equal(c[C_NO_ORDER], 2);
	assert_int_equal(c[C_TYPES + 2], 2);

	/* Its own finished_at decides lateness; a late one is not in no_order. */
	a.finished = filed - 15 * DAY - 1;
	add_complaint(r, &a, NULL);
	add_complaint(r, &a, &none);
	shop_counters(r, s, c);
	assert_int_equal(c[C_LATE], 2);
	assert_int_equal(c[C_COMPLAINTS], 2);
	assert_int_equal(c[C_NO_ORDER], 2);

	/* Nothing to judge by: within. A match that was not found carries no
	 * finished time even when its fields hold one. */
	struct rates_order_match stale = {0, s, filed - 100 * DAY};
	a.finished = RATES_NO_TIME;
	add_complaint(r, &a, &stale);
	shop_counters(r, s, c);
	assert_int_equal(c[C_COMPLAINTS], 3);
	assert_int_equal(c[C_NO_ORDER], 3);
	assert_int_equal(c[C_LATE], 2);

	struct rates_totals *t = rates_totals(r);
	assert_int_equal(t->no_order, 3);
	assert_int_equal(t->late, 2);
	rates_free(r);
	shop_table_free(shops);
}

static void test_shop_rule(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t a = shop(shops, "A"), b = shop(shops, "B");
	struct rates *r = new_rates(shops, BY_SHOP, 0, UNBOUNDED);
	const int64_t filed = utc(2026, 10, 20, 9, 0, 0);
	struct rates_order_match at_b = order(b, filed - DAY);
	uint64_t ca[W], cb[W];

	/* The complaint's own shop wins over the order's. */
	struct rates_complaint c = complaint(a, filed, 0);
	add_complaint(r, &c, &at_b);
	/* No shop of its own: the order's, also for a late one. */
	c = complaint(RATES_NO_SHOP, filed, 0);
	add_complaint(r, &c, &at_b);
	c.filed = filed + 30 * DAY;
	add_complaint(r, &c, &at_b);
	shop_counters(r, a, ca);
	shop_counters(r, b, cb);
	assert_int_equal(ca[C_COMPLAINTS], 1);
	assert_int_equal(cb[C_COMPLAINTS], 1);
	assert_int_equal(cb[C_LATE], 1);
	assert_int_equal(rates_totals(r)->complaints_no_shop, 0);

	/* No shop anywhere: left out of every cell, counted in totals. */
	uint64_t before = n_cells(r);
	c = complaint(RATES_NO_SHOP, filed, 1);
	add_complaint(r, &c, NULL);
	struct rates_order_match shopless = order(RATES_NO_SHOP, filed - DAY);
	add_complaint(r, &c, &shopless);
	struct rates_order_match not_found = {0, b, filed - DAY};  /* not found: not its shop */
	add_complaint(r, &c, &not_found);
	c.filed = filed + 30 * DAY;                  /* late, and no shop */
	add_complaint(r, &c, &shopless);
	assert_int_equal(rates_totals(r)->complaints_no_shop, 4);
	assert_int_equal(rates_totals(r)->complaints, 7);
	assert_int_equal(n_cells(r), before);
	shop_counters(r, a, ca);
	shop_counters(r, b, cb);
	assert_int_equal(ca[C_COMPLAINTS] + cb[C_COMPLAINTS], 2);
	assert_int_equal(ca[C_LATE] + cb[C_LATE], 1);
	assert_int_equal(ca[C_TYPES + 1] + cb[C_TYPES + 1], 0);

	/* Orders without a shop, likewise. */
	add_order(r, RATES_NO_SHOP, filed);
	add_order(r, a, filed);
	assert_int_equal(rates_totals(r)->orders_no_shop, 1);
	assert_int_equal(rates_totals(r)->orders, 2);
	shop_counters(r, a, ca);
	assert_int_equal(ca[C_ORDERS], 1);
	rates_free(r);
	shop_table_free(shops);
}

static void test_types_and_outcomes(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t s = shop(shops, "s1");
	struct rates *r = new_rates(shops, BY_SHOP, 0, UNBOUNDED);
	const int64_t filed = utc(2026, 10, 20, 9, 0, 0);
	struct rates_order_match m = order(s, filed - DAY);
	/* Each complaint once, by its primary type; -1 and n_types are `other`. */
	static const int primary[] = {0, 1, 1, 2, -1, NT, 0};
	static const struct {
		enum rates_outcome outcome;
		int points;
	} outcome[] = {
		{OUTCOME_ESTABLISHED, 12}, {OUTCOME_ESTABLISHED, 48}, {OUTCOME_NOT_ESTABLISHED, 12},
		{OUTCOME_NONE, 12},        {OUTCOME_ESTABLISHED, 0},  {OUTCOME_NONE, 0},
		{OUTCOME_NOT_ESTABLISHED, 0},
	};
	uint64_t c[W];

	for (size_t i = 0; i < sizeof(primary) / sizeof(primary[0]); i++) {
		struct rates_complaint cp = complaint(s, filed, primary[i]);
		cp.outcome = outcome[i].outcome;
		cp.points = outcome[i].points;
		add_complaint(r, &cp, &m);
	}
	shop_counters(r, s, c);
	assert_int_equal(c[C_COMPLAINTS], 7);
	assert_int_equal(c[C_TYPES + 0], 2);
	assert_int_equal(c[C_TYPES + 1], 2);
	assert_int_equal(c[C_TYPES + 2], 1);
	assert_int_equal(c[C_TYPES + NT], 2);
	uint64_t sum = 0;
	for (int t = 0; t <= NT; t++)
		sum += c[C_TYPES + t];
	assert_int_equal(sum, c[C_COMPLAINTS]);  /* the type columns add up */
	assert_int_equal(c[C_ESTABLISHED], 3);
	assert_int_equal(c[C_NOT_ESTABLISHED], 2);
	/* Points only of established complaints (not of not-established or 处理中). */
	assert_int_equal(c[C_POINTS], 60);
	assert_int_equal(c[C_NO_ORDER], 0);
	rates_free(r);
	shop_table_free(shops);
}

/* ---- times: the period, and when a time is needed ---- */

static void test_no_time(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t s = shop(shops, "s1");
	const int64_t t0 = utc(2026, 10, 20, 9, 0, 0);
	struct rates_complaint c = complaint(s, RATES_NO_TIME, 0);
	struct rates_order_match m = order(s, t0);

	/* --by shop over all time needs no time: such rows count. */
	struct rates *r = new_rates(shops, BY_SHOP, 0, UNBOUNDED);
	add_order(r, s, RATES_NO_TIME);
	add_complaint(r, &c, &m);
	assert_int_equal(cell_get(r, s, 0, C_ORDERS), 1);
	assert_int_equal(cell_get(r, s, 0, C_COMPLAINTS) + cell_get(r, s, 0, C_LATE), 1);
	assert_int_equal(rates_totals(r)->orders_no_time, 0);
	assert_int_equal(rates_totals(r)->complaints_no_time, 0);
	rates_free(r);

	/* A period (--from/--to) or a time grouping needs one: left out, counted. */
	const enum rates_by bys[] = {BY_SHOP, BY_DAY, BY_SHOP_WEEK, BY_SHOP_MONTH};
	for (size_t i = 0; i < sizeof(bys) / sizeof(bys[0]); i++) {
		int bounded = bys[i] == BY_SHOP;
		r = new_rates(shops, bys[i], 0, bounded ? day_of(2026, 10, 1) : RATES_OPEN_FROM,
			      bounded ? day_of(2026, 10, 31) : RATES_OPEN_TO);
		add_order(r, s, RATES_NO_TIME);
		add_complaint(r, &c, &m);
		add_complaint(r, &c, NULL);
		assert_int_equal(n_cells(r), 0);
		assert_int_equal(rates_totals(r)->orders_no_time, 1);
		assert_int_equal(rates_totals(r)->complaints_no_time, 2);
		assert_int_equal(rates_totals(r)->late + rates_totals(r)->no_order, 0);
		rates_free(r);
	}
	shop_table_free(shops);
}

static void test_from_to(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t s = shop(shops, "s1");
	/* October 2026 at +08:00. */
	struct rates *r = new_rates(shops, BY_SHOP, 8 * 3600, day_of(2026, 10, 1),
				    day_of(2026, 10, 31));
	const int64_t first = utc(2026, 9, 30, 16, 0, 0);   /* 10-01 00:00:00 local */
	const int64_t last = utc(2026, 10, 31, 15, 59, 59); /* 10-31 23:59:59 local */

	add_order(r, s, first);
	add_order(r, s, last);
	add_order(r, s, first - 1);
	add_order(r, s, last + 1);
	add_order(r, s, utc(1999, 1, 1, 0, 0, 0));
	struct rates_complaint c = complaint(s, first, 0);
	add_complaint(r, &c, NULL);
	c.filed = last;
	add_complaint(r, &c, NULL);
	c.filed = last + 1;
	add_complaint(r, &c, NULL);
	c.filed = first - 1;
	add_complaint(r, &c, NULL);
	/* The order of an inside complaint may be from any date. */
	struct rates_order_match old = order(s, utc(2026, 9, 1, 0, 0, 0));
	c.filed = first + 3600;
	add_complaint(r, &c, &old);

	assert_int_equal(cell_get(r, s, 0, C_ORDERS), 2);
	assert_int_equal(cell_get(r, s, 0, C_COMPLAINTS), 2);
	assert_int_equal(cell_get(r, s, 0, C_LATE), 1);
	struct rates_totals *t = rates_totals(r);
	assert_int_equal(t->orders, 5);
	assert_int_equal(t->orders_outside, 3);
	assert_int_equal(t->complaints, 5);
	assert_int_equal(t->complaints_outside, 2);
	assert_int_equal(t->orders_no_time + t->complaints_no_time, 0);
	rates_free(r);
	shop_table_free(shops);
}

static void test_weeks_start_monday(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t s = shop(shops, "s1");
	struct rates *r = new_rates(shops, BY_SHOP_WEEK, 0, UNBOUNDED);
	static const struct {
		int y;
		unsigned m, d;
		int hh, mm, ss;
		int wy;
		unsigned wm, wd;
	} cases[] = {
		{2026, 10, 5, 0, 0, 0, 2026, 10, 5},       /* a Monday is its own week */
		{2026, 10, 11, 23, 59, 59, 2026, 10, 5},   /* the Sunday after */
		{2026, 10, 4, 12, 0, 0, 2026, 9, 28},      /* the Sunday before */
		{2026, 10, 1, 8, 0, 0, 2026, 9, 28},       /* a Thursday */
		{1970, 1, 1, 0, 0, 0, 1969, 12, 29},       /* epoch day 0, a Thursday */
		{1969, 12, 28, 23, 0, 0, 1969, 12, 22},    /* a Sunday before 1970 */
		{1969, 12, 29, 0, 0, 0, 1969, 12, 29},     /* a Monday before 1970 */
		{1900, 1, 7, 6, 0, 0, 1900, 1, 1},         /* a Sunday, long before */
		{2024, 3, 3, 0, 0, 0, 2024, 2, 26},        /* across a leap day */
		{2027, 1, 1, 0, 0, 0, 2026, 12, 28},       /* across a new year */
	};
	const size_t n = sizeof(cases) / sizeof(cases[0]);

	for (size_t i = 0; i < n; i++)
		add_order(r, s, utc(cases[i].y, cases[i].m, cases[i].d, cases[i].hh, cases[i].mm,
				    cases[i].ss));
	for (size_t i = 0; i < n; i++) {
		uint64_t want = 0;
		for (size_t k = 0; k < n; k++)
			want += cases[k].wy == cases[i].wy && cases[k].wm == cases[i].wm &&
				cases[k].wd == cases[i].wd;
		if (cell_get(r, s, day_of(cases[i].wy, cases[i].wm, cases[i].wd), C_ORDERS) != want) {
			print_error("%04d-%02u-%02u: not in the week of %04d-%02u-%02u\n", cases[i].y,
				    cases[i].m, cases[i].d, cases[i].wy, cases[i].wm, cases[i].wd);
			fail();
		}
	}
	/* Every cell's period is a Monday. */
	struct cells cs = all_cells(r);
	for (size_t i = 0; i < cs.n; i++)
		assert_int_equal(((cs.v[i].period % 7) + 7 + 3) % 7, 0);
	free(cs.v);
	rates_free(r);
	shop_table_free(shops);
}

static void test_months_and_days(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t s = shop(shops, "s1");
	const int32_t tz = 8 * 3600;
	struct rates *month = new_rates(shops, BY_MONTH, tz, UNBOUNDED);
	struct rates *day = new_rates(shops, BY_SHOP_DAY, tz, UNBOUNDED);
	const int64_t times[] = {
		utc(2026, 10, 31, 15, 59, 59),  /* 10-31 23:59:59 local: October */
		utc(2026, 10, 31, 16, 0, 0),    /* 11-01 00:00 local: November */
		utc(2026, 10, 1, 16, 0, 0),     /* 10-02 local */
		utc(2024, 2, 29, 12, 0, 0),
		utc(1969, 12, 31, 12, 0, 0),    /* 12-31 20:00 local, before 1970 */
		utc(1969, 12, 31, 16, 0, 0),    /* 1970-01-01 local */
	};

	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		add_order(month, s, times[i]);
		add_order(day, s, times[i]);
		struct rates_complaint c = complaint(s, times[i], 0);
		add_complaint(month, &c, NULL);
		add_complaint(day, &c, NULL);
	}
	assert_int_equal(cell_get(month, 0, day_of(2026, 10, 1), C_ORDERS), 2);
	assert_int_equal(cell_get(month, 0, day_of(2026, 11, 1), C_ORDERS), 1);
	assert_int_equal(cell_get(month, 0, day_of(2024, 2, 1), C_ORDERS), 1);
	assert_int_equal(cell_get(month, 0, day_of(1969, 12, 1), C_ORDERS), 1);
	assert_int_equal(cell_get(month, 0, day_of(1970, 1, 1), C_ORDERS), 1);
	assert_int_equal(cell_get(month, 0, day_of(2026, 10, 1), C_COMPLAINTS), 2);
	assert_int_equal(n_cells(month), 5);

	assert_int_equal(cell_get(day, s, day_of(2026, 10, 31), C_ORDERS), 1);
	assert_int_equal(cell_get(day, s, day_of(2026, 11, 1), C_ORDERS), 1);
	assert_int_equal(cell_get(day, s, day_of(2026, 10, 2), C_COMPLAINTS), 1);
	assert_int_equal(cell_get(day, s, day_of(2026, 10, 1), C_COMPLAINTS), 0);
	assert_int_equal(cell_get(day, s, day_of(1969, 12, 31), C_ORDERS), 1);
	assert_int_equal(cell_get(day, s, day_of(1970, 1, 1), C_ORDERS), 1);
	rates_free(month);
	rates_free(day);
	shop_table_free(shops);
}

/*
 * A period is named by its first day, YYYY-MM-DD with a four-digit year
 * (time_parse accepts 0000-9999). A row whose period cannot be named is a
 * row without a usable time; it must never land in a cell with a garbled
 * key (whose shop would not be a shop of the table).
 */
static void test_period_limits(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t s = shop(shops, "s1");
	const enum rates_by bys[] = {BY_SHOP_DAY, BY_SHOP_WEEK, BY_SHOP_MONTH, BY_WEEK};
	/* 0000-01-01 is a Saturday: its week began in year -1. */
	const int64_t first_sat = utc(0, 1, 1, 12, 0, 0);
	const int64_t first_mon = utc(0, 1, 3, 12, 0, 0);
	const int64_t last = utc(9999, 12, 31, 23, 59, 59);
	const int64_t beyond = utc(10000, 1, 1, 0, 0, 0);

	for (size_t i = 0; i < sizeof(bys) / sizeof(bys[0]); i++) {
		struct rates *r = new_rates(shops, bys[i], 0, UNBOUNDED);
		add_order(r, s, first_sat);
		add_order(r, s, first_mon);
		add_order(r, s, last);
		add_order(r, s, beyond);
		struct cells cs = all_cells(r);
		uint64_t counted = 0;
		for (size_t k = 0; k < cs.n; k++) {
			if (rates_by_has_shop(bys[i]))
				assert_int_equal(cs.v[k].shop, s);
			assert_true(cs.v[k].period >= day_of(0, 1, 1));
			assert_true(cs.v[k].period <= day_of(9999, 12, 31));
			counted += cs.v[k].c[C_ORDERS];
		}
		free(cs.v);
		/* 0000-01-03 and 9999-12-31 have periods; year 10000 does not. */
		assert_int_equal(cell_get(r, s, bys[i] == BY_SHOP_DAY ? day_of(0, 1, 3)
					  : bys[i] == BY_SHOP_MONTH ? day_of(0, 1, 1)
								    : day_of(0, 1, 3),
					  C_ORDERS),
				 bys[i] == BY_SHOP_MONTH ? 2 : 1);
		assert_int_equal(counted + rates_totals(r)->orders_no_time, 4);
		assert_true(rates_totals(r)->orders_no_time >= 1);
		/* Every row of the view has a real shop. */
		struct rates_view_options o = {SORT_DEFAULT, 0, 0};
		struct rates_view v;
		assert_int_equal(rates_view(r, &o, &v), 0);
		for (size_t k = 0; k < v.n; k++)
			if (rates_by_has_shop(bys[i]))
				assert_int_equal(v.rows[k].shop, s);
		rates_view_free(&v);
		rates_free(r);
	}
	shop_table_free(shops);
}

/*
 * Times are any 64-bit values (a partial carries them as such): at the
 * extremes the day and the window are still computed exactly, with no
 * overflow (UBSan in `make asan` would stop on one).
 */
static int64_t exact_local_day(int64_t epoch, int32_t tz)
{
	__int128 t = (__int128)epoch + tz, d = t / 86400;
	return (int64_t)(t % 86400 < 0 ? d - 1 : d);
}

static void test_extreme_times(void **state)
{
	(void)state;
	const int64_t epochs[] = {INT64_MAX, INT64_MAX - 1, INT64_MIN + 1, INT64_MIN, -86401,
				  -86400, -1, 0, 86399};
	const int32_t tzs[] = {0, 8 * 3600, -12 * 3600, 14 * 3600, 86399, -86399};
	for (size_t i = 0; i < sizeof(epochs) / sizeof(epochs[0]); i++)
		for (size_t k = 0; k < sizeof(tzs) / sizeof(tzs[0]); k++)
			if (rates_local_day(epochs[i], tzs[k]) != exact_local_day(epochs[i], tzs[k])) {
				print_error("epoch %lld at %d\n", (long long)epochs[i], tzs[k]);
				fail();
			}

	struct shop_table *shops = shop_table_new();
	uint32_t s = shop(shops, "s1");
	struct rates *r = new_rates(shops, BY_SHOP, 8 * 3600, UNBOUNDED);
	struct rates *d = new_rates(shops, BY_SHOP_DAY, 8 * 3600, UNBOUNDED);
	uint64_t c[W];

	/* Filed at the end of time, finished at its start: late. */
	struct rates_complaint cp = complaint(s, INT64_MAX - 1, 0);
	struct rates_order_match m = order(s, INT64_MIN + 1);
	add_complaint(r, &cp, &m);
	/* The other way round: within. */
	cp.filed = INT64_MIN + 1;
	m.finished = INT64_MAX;
	add_complaint(r, &cp, &m);
	shop_counters(r, s, c);
	assert_int_equal(c[C_LATE], 1);
	assert_int_equal(c[C_COMPLAINTS], 1);
	/* A time grouping cannot name such days: no time. */
	add_order(d, s, INT64_MAX);
	add_order(d, s, INT64_MIN + 1);
	add_complaint(d, &cp, &m);
	assert_int_equal(n_cells(d), 0);
	assert_int_equal(rates_totals(d)->orders_no_time, 2);
	assert_int_equal(rates_totals(d)->complaints_no_time, 1);
	rates_free(r);
	rates_free(d);
	shop_table_free(shops);
}

/* ---- rows ---- */

static void test_type_rows(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t a = shop(shops, "A"), b = shop(shops, "B"), idle = shop(shops, "C");
	struct rates *bt = new_rates(shops, BY_TYPE, 0, UNBOUNDED);
	struct rates *st = new_rates(shops, BY_SHOP_TYPE, 0, UNBOUNDED);
	struct rates *both[] = {bt, st};
	const int64_t t0 = utc(2026, 10, 10, 0, 0, 0);
	struct rates_order_match ma = order(a, t0), mb = order(b, t0);

	for (int k = 0; k < 2; k++) {
		struct rates *r = both[k];
		for (int i = 0; i < 6; i++)
			add_order(r, a, t0);
		for (int i = 0; i < 4; i++)
			add_order(r, b, t0);
		add_order(r, idle, t0);
		add_order(r, RATES_NO_SHOP, t0);   /* left out of every row */
		struct rates_complaint c = complaint(a, t0 + DAY, 0);
		add_complaint(r, &c, &ma);
		add_complaint(r, &c, &ma);
		c.primary = -1;
		c.outcome = OUTCOME_ESTABLISHED;
		c.points = 48;
		add_complaint(r, &c, &ma);
		c = complaint(b, t0 + DAY, 0);
		add_complaint(r, &c, &mb);
		c = complaint(b, t0 + 20 * DAY, 2);  /* late */
		add_complaint(r, &c, &mb);
	}

	/* --by type: a row per type, other last, each dividing by all orders. */
	struct rates_view_options o = {SORT_DEFAULT, 0, 0};
	struct rates_view v;
	assert_int_equal(rates_view(bt, &o, &v), 0);
	assert_int_equal(v.n, NT + 1);
	static const uint64_t complaints[NT + 1] = {3, 0, 0, 1};
	for (size_t i = 0; i < v.n; i++) {
		assert_int_equal(v.rows[i].type, (int32_t)i);
		assert_int_equal(v.rows[i].shop, RATES_NO_SHOP);
		assert_int_equal(v.rows[i].orders, 11);
		assert_int_equal(v.rows[i].counters[C_COMPLAINTS], complaints[i]);
		assert_true(isnan(v.rows[i].percentile));
	}
	assert_int_equal(v.rows[2].counters[C_LATE], 1);
	assert_int_equal(v.rows[NT].counters[C_POINTS], 48);
	assert_int_equal(v.rows[NT].counters[C_ESTABLISHED], 1);
	assert_true(fabs(rates_row_rate(&v.rows[0]) - 3.0 / 11) < 1e-12);
	assert_true(rates_row_rate(&v.rows[1]) == 0);
	rates_view_free(&v);
	assert_null(v.rows);

	/* --by shop,type: rows only for the types a shop has complaints (or late
	 * ones) of, each dividing by its shop's orders; by shop, then type. */
	assert_int_equal(rates_view(st, &o, &v), 0);
	assert_int_equal(v.n, 4);
	static const struct {
		uint32_t shop;
		int32_t type;
		uint64_t orders, complaints, late;
	} want[] = {{0, 0, 6, 2, 0}, {0, NT, 6, 1, 0}, {1, 0, 4, 1, 0}, {1, 2, 4, 0, 1}};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(v.rows[i].shop, want[i].shop == 0 ? a : b);
		assert_int_equal(v.rows[i].type, want[i].type);
		assert_int_equal(v.rows[i].orders, want[i].orders);
		assert_int_equal(v.rows[i].counters[C_COMPLAINTS], want[i].complaints);
		assert_int_equal(v.rows[i].counters[C_LATE], want[i].late);
	}
	rates_view_free(&v);
	/* --min-orders counts the shop's orders. */
	o.min_orders = 5;
	assert_int_equal(rates_view(st, &o, &v), 0);
	assert_int_equal(v.n, 2);
	assert_int_equal(v.rows[0].shop, a);
	assert_int_equal(v.rows[1].shop, a);
	rates_view_free(&v);
	rates_free(bt);
	rates_free(st);
	shop_table_free(shops);
}

struct shop_spec {
	const char *key;
	int orders, complaints;
};

static struct rates *shops_with(struct shop_table *shops, const struct shop_spec *spec, size_t n)
{
	struct rates *r = new_rates(shops, BY_SHOP, 0, UNBOUNDED);
	const int64_t t0 = utc(2026, 10, 10, 0, 0, 0);
	for (size_t i = 0; i < n; i++) {
		uint32_t s = shop(shops, spec[i].key);
		for (int k = 0; k < spec[i].orders; k++)
			add_order(r, s, t0);
		for (int k = 0; k < spec[i].complaints; k++) {
			struct rates_complaint c = complaint(s, t0, 0);
			add_complaint(r, &c, NULL);
		}
	}
	return r;
}

static const char *row_key(const struct shop_table *shops, const struct rates_row *row)
{
	size_t len;
	return shop_table_key(shops, row->shop, &len);
}

static void assert_rows(const struct shop_table *shops, const struct rates_view *v,
			const char *const *keys, const double *percentiles, size_t n)
{
	if (v->n != n) {
		print_error("%zu rows, want %zu\n", v->n, n);
		fail();
	}
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(row_key(shops, &v->rows[i]), keys[i]);
		if (!percentiles)
			continue;
		if (isnan(percentiles[i]))
			assert_true(isnan(v->rows[i].percentile));
		else if (fabs(v->rows[i].percentile - percentiles[i]) > 0.01) {
			print_error("row %zu (%s): percentile %.3f, want %.3f\n", i, keys[i],
				    v->rows[i].percentile, percentiles[i]);
			fail();
		}
	}
}

static void test_shop_rows_sort_and_percentile(void **state)
{
	(void)state;
	/* "f" is interned before "b": index order is not key order. */
	static const struct shop_spec spec[] = {
		{"a", 10, 1}, {"f", 10, 2}, {"b", 10, 2}, {"c", 20, 4},
		{"d", 10, 5}, {"e", 0, 1},  {"g", 5, 0},
	};
	struct shop_table *shops = shop_table_new();
	uint32_t quiet = shop(shops, "quiet");     /* no rows: no row */
	struct rates *r = shops_with(shops, spec, sizeof(spec) / sizeof(spec[0]));
	struct rates_view v;
	(void)quiet;

	/* Rate, highest first; ties: more complaints, then shop_id bytes; a shop
	 * without orders has no rate and no percentile, and comes last. The
	 * percentile is the share of shops at or below the rate. */
	struct rates_view_options o = {SORT_DEFAULT, 0, 0};
	assert_int_equal(rates_view(r, &o, &v), 0);
	{
		const char *keys[] = {"d", "c", "b", "f", "a", "g", "e"};
		const double pct[] = {100, 500.0 / 6, 500.0 / 6, 500.0 / 6, 200.0 / 6, 100.0 / 6, NAN};
		assert_rows(shops, &v, keys, pct, 7);
		assert_true(isnan(rates_row_rate(&v.rows[6])));
	}
	rates_view_free(&v);

	/* --min-orders first, then the percentiles, then --top. */
	o.min_orders = 10;
	assert_int_equal(rates_view(r, &o, &v), 0);
	{
		const char *keys[] = {"d", "c", "b", "f", "a"};
		const double pct[] = {100, 80, 80, 80, 20};
		assert_rows(shops, &v, keys, pct, 5);
	}
	rates_view_free(&v);
	o.top = 2;
	assert_int_equal(rates_view(r, &o, &v), 0);
	{
		const char *keys[] = {"d", "c"};
		const double pct[] = {100, 80};
		assert_rows(shops, &v, keys, pct, 2);
	}
	rates_view_free(&v);
	o.top = 100;   /* more than there are */
	assert_int_equal(rates_view(r, &o, &v), 0);
	assert_int_equal(v.n, 5);
	rates_view_free(&v);

	/* --sort complaints: most complaints first, ties by shop_id. */
	o = (struct rates_view_options){SORT_COMPLAINTS, 0, 0};
	assert_int_equal(rates_view(r, &o, &v), 0);
	{
		const char *keys[] = {"d", "c", "b", "f", "a", "e", "g"};
		assert_rows(shops, &v, keys, NULL, 7);
	}
	rates_view_free(&v);
	rates_free(r);
	shop_table_free(shops);
}

static void test_sort_wilson(void **state)
{
	(void)state;
	/* 1 in 2 is the higher rate, 40 in 100 the surer one (low 0.309 > 0.095). */
	static const struct shop_spec spec[] = {{"small", 2, 1}, {"large", 100, 40}, {"none", 0, 3}};
	struct shop_table *shops = shop_table_new();
	struct rates *r = shops_with(shops, spec, 3);
	struct rates_view v;

	struct rates_view_options o = {SORT_RATE, 0, 0};
	assert_int_equal(rates_view(r, &o, &v), 0);
	{
		const char *keys[] = {"small", "large", "none"};
		assert_rows(shops, &v, keys, NULL, 3);
	}
	rates_view_free(&v);
	o.sort = SORT_WILSON;
	assert_int_equal(rates_view(r, &o, &v), 0);
	{
		const char *keys[] = {"large", "small", "none"};
		assert_rows(shops, &v, keys, NULL, 3);
	}
	rates_view_free(&v);
	rates_free(r);
	shop_table_free(shops);
}

static void test_period_rows_order(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t z = shop(shops, "z"), a = shop(shops, "a");
	struct rates *sd = new_rates(shops, BY_SHOP_DAY, 0, UNBOUNDED);
	struct rates *d = new_rates(shops, BY_DAY, 0, UNBOUNDED);
	const int64_t t0 = utc(2026, 10, 10, 12, 0, 0);
	struct rates_view v;

	/* Days 2, 0, 1 for z; 1 for a; with rates 1/1, 0/2, 1/3 on days 0, 1, 2. */
	for (int k = 0; k < 2; k++) {
		struct rates *r = k ? d : sd;
		add_order(r, z, t0 + 2 * DAY);
		add_order(r, z, t0);
		add_order(r, z, t0 + DAY);
		add_order(r, a, t0 + DAY);
		add_order(r, a, t0 + 2 * DAY);
		add_order(r, a, t0 + 2 * DAY);
		struct rates_complaint c = complaint(z, t0, 0);
		add_complaint(r, &c, NULL);
		c.filed = t0 + 2 * DAY;
		add_complaint(r, &c, NULL);
	}
	struct rates_view_options o = {SORT_DEFAULT, 0, 0};
	assert_int_equal(rates_view(sd, &o, &v), 0);
	assert_int_equal(v.n, 5);
	/* By shop_id ("a" before "z", whatever the indexes), then period. */
	const uint32_t shops_want[] = {a, a, z, z, z};
	const int64_t days_want[] = {1, 2, 0, 1, 2};
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(v.rows[i].shop, shops_want[i]);
		assert_int_equal(v.rows[i].period, day_of(2026, 10, 10) + days_want[i]);
		assert_int_equal(v.rows[i].type, -1);
	}
	rates_view_free(&v);
	/* --min-orders counts each row's orders: a shop's day, not its total
	 * (z has 3 orders but 1 a day; a has 2 on day 2). */
	o.min_orders = 2;
	assert_int_equal(rates_view(sd, &o, &v), 0);
	assert_int_equal(v.n, 1);
	assert_int_equal(v.rows[0].shop, a);
	assert_int_equal(v.rows[0].period, day_of(2026, 10, 10) + 2);
	rates_view_free(&v);
	o.min_orders = 0;

	assert_int_equal(rates_view(d, &o, &v), 0);
	assert_int_equal(v.n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(v.rows[i].period, day_of(2026, 10, 10) + (int64_t)i);
		assert_int_equal(v.rows[i].shop, RATES_NO_SHOP);
		assert_true(isnan(v.rows[i].percentile));  /* not a shop grouping */
	}
	assert_int_equal(v.rows[2].orders, 3);
	assert_int_equal(v.rows[2].counters[C_COMPLAINTS], 1);
	rates_view_free(&v);
	/* --sort rate works for any grouping. */
	o.sort = SORT_RATE;
	assert_int_equal(rates_view(d, &o, &v), 0);
	assert_int_equal(v.n, 3);
	assert_int_equal(v.rows[0].period, day_of(2026, 10, 10));      /* 1/1 */
	assert_int_equal(v.rows[1].period, day_of(2026, 10, 12));      /* 1/3 */
	assert_int_equal(v.rows[2].period, day_of(2026, 10, 11));      /* 0/2 */
	rates_view_free(&v);
	rates_free(sd);
	rates_free(d);
	shop_table_free(shops);
}

/* ---- names ---- */

static void see(struct rates *r, uint32_t s, const char *name, int64_t t)
{
	assert_int_equal(rates_see_name(r, s, name, strlen(name), t), 0);
}

static void test_names(void **state)
{
	(void)state;
	struct shop_table *shops = shop_table_new();
	uint32_t a = shop(shops, "A"), b = shop(shops, "B"), c = shop(shops, "C");
	struct rates *r = new_rates(shops, BY_SHOP, 0, UNBOUNDED);
	int64_t t = 0;

	assert_string_equal(rates_shop_name(r, a, &t), "");
	assert_int_equal(t, RATES_NO_TIME);
	assert_string_equal(rates_shop_name(r, 12345, NULL), "");

	/* The latest row's name wins, in any order. */
	see(r, a, "旧店名", 100);
	see(r, a, "新店名", 200);
	see(r, a, "更旧的店名", 150);
	assert_string_equal(rates_shop_name(r, a, &t), "新店名");
	assert_int_equal(t, 200);

	/* Same time: the smallest name in byte order (a prefix is smaller). */
	see(r, b, "beta", 300);
	see(r, b, "alphabet", 300);
	see(r, b, "alpha", 300);
	see(r, b, "alphab", 300);
	assert_string_equal(rates_shop_name(r, b, &t), "alpha");
	assert_int_equal(t, 300);

	/* A row without a time loses to any row with one. */
	see(r, c, "timed", -5000000000);
	see(r, c, "untimed", RATES_NO_TIME);
	assert_string_equal(rates_shop_name(r, c, NULL), "timed");

	/* Renamed shorter, then longer: each name whole, the neighbours intact. */
	see(r, a, "a-very-long-shop-name", 1000);
	see(r, a, "x", 1001);
	see(r, b, "bb", 1001);
	see(r, a, "medium-name", 1002);
	assert_string_equal(rates_shop_name(r, a, NULL), "medium-name");
	assert_string_equal(rates_shop_name(r, b, NULL), "bb");
	assert_string_equal(rates_shop_name(r, c, NULL), "timed");
	/* Bytes: only len count, whatever follows. */
	assert_int_equal(rates_see_name(r, c, "zzzzTAIL", 4, 1), 0);
	assert_string_equal(rates_shop_name(r, c, NULL), "zzzz");
	/* No shop: nothing to name. */
	assert_int_equal(rates_see_name(r, RATES_NO_SHOP, "x", 1, 1), 0);
	rates_free(r);
	shop_table_free(shops);
}

/* ---- the join's records ---- */

static void test_pack_roundtrip(void **state)
{
	(void)state;
	const struct rates_complaint cs[] = {
		{7, -1234567890123, RATES_NO_TIME, 2, OUTCOME_NOT_ESTABLISHED, 48},
		{RATES_NO_SHOP, RATES_NO_TIME, 1791234567, -1, OUTCOME_NONE, 0},
		{0, INT64_MAX, INT64_MIN + 1, RATES_MAX_TYPES, OUTCOME_ESTABLISHED, 65535},
		{0x01020304, 0, -1, 0, OUTCOME_ESTABLISHED, 12},
	};
	for (size_t i = 0; i < sizeof(cs) / sizeof(cs[0]); i++) {
		unsigned char buf[RATES_COMPLAINT_BYTES + 2];
		struct rates_complaint back;
		memset(buf, 0xa5, sizeof(buf));
		memset(&back, 0x5a, sizeof(back));
		rates_complaint_pack(&cs[i], buf);
		/* Exactly RATES_COMPLAINT_BYTES are written. */
		assert_int_equal(buf[RATES_COMPLAINT_BYTES], 0xa5);
		rates_complaint_unpack(buf, &back);
		assert_int_equal(back.shop, cs[i].shop);
		assert_true(back.filed == cs[i].filed);
		assert_true(back.finished == cs[i].finished);
		assert_int_equal(back.primary, cs[i].primary);
		assert_int_equal(back.outcome, cs[i].outcome);
		assert_int_equal(back.points, cs[i].points);
	}
	/* Little-endian whatever the machine: partials travel. */
	unsigned char buf[RATES_COMPLAINT_BYTES];
	rates_complaint_pack(&cs[3], buf);
	assert_int_equal(buf[0], 0x04);
	assert_int_equal(buf[3], 0x01);

	const struct {
		uint32_t shop;
		int64_t finished;
	} os[] = {{3, 1791234567}, {RATES_NO_SHOP, RATES_NO_TIME}, {0, -86400}, {UINT32_MAX - 1, INT64_MAX}};
	for (size_t i = 0; i < sizeof(os) / sizeof(os[0]); i++) {
		unsigned char ob[RATES_ORDER_BYTES + 1];
		struct rates_order_match m = {0, 0, 0};
		ob[RATES_ORDER_BYTES] = 0xa5;
		rates_order_pack(os[i].shop, os[i].finished, ob);
		assert_int_equal(ob[RATES_ORDER_BYTES], 0xa5);
		rates_order_unpack(ob, &m);
		assert_int_equal(m.found, 1);
		assert_int_equal(m.shop, os[i].shop);
		assert_true(m.finished == os[i].finished);
	}
}

/* ---- any order, any split ---- */

enum ev_kind { EV_ORDER, EV_COMPLAINT, EV_NAME };

struct event {
	enum ev_kind kind;
	uint32_t shop;
	int64_t t;
	struct rates_complaint c;
	int match;                   /* 0: NULL, 1: not found, 2: found */
	struct rates_order_match m;
	char name[8];
};

#define N_SHOPS 12

static int64_t random_time(uint64_t *rng, int64_t base)
{
	if (rng_below(rng, 30) == 0)
		return RATES_NO_TIME;
	return base + (int64_t)rng_below(rng, 120 * DAY) - 40 * DAY;
}

static uint32_t random_shop(uint64_t *rng)
{
	return rng_below(rng, 25) == 0 ? RATES_NO_SHOP : (uint32_t)rng_below(rng, N_SHOPS);
}

/* A shop table of the shops random_shop() gives: "s0".."s11", indexes 0..11. */
static struct shop_table *random_shops(void)
{
	struct shop_table *shops = shop_table_new();
	char key[16];

	assert_non_null(shops);
	for (int s = 0; s < N_SHOPS; s++) {
		snprintf(key, sizeof(key), "s%d", s);
		assert_int_equal(shop(shops, key), s);
	}
	return shops;
}

static struct event *random_events(uint64_t seed, size_t n)
{
	static const char *const names[] = {"n", "name", "nam", "Name", "店", "店铺", "zz"};
	const int64_t base = utc(2026, 10, 1, 0, 0, 0);
	uint64_t rng = seed;
	struct event *ev = calloc(n, sizeof(*ev));

	assert_non_null(ev);
	for (size_t i = 0; i < n; i++) {
		struct event *e = &ev[i];
		unsigned k = (unsigned)rng_below(&rng, 10);
		e->kind = k < 5 ? EV_ORDER : k < 8 ? EV_COMPLAINT : EV_NAME;
		e->shop = random_shop(&rng);
		/* Few distinct times, so that names often tie. */
		e->t = e->kind == EV_NAME ? (rng_below(&rng, 8) ? base + (int64_t)rng_below(&rng, 4) * DAY
							       : RATES_NO_TIME)
					  : random_time(&rng, base);
		snprintf(e->name, sizeof(e->name), "%s", names[rng_below(&rng, 7)]);
		e->c.shop = e->shop;
		e->c.filed = e->t;
		e->c.finished = rng_below(&rng, 2) ? random_time(&rng, base) : RATES_NO_TIME;
		e->c.primary = (int)rng_below(&rng, NT + 2) - 1;
		e->c.outcome = (enum rates_outcome)rng_below(&rng, 3);
		e->c.points = (int)rng_below(&rng, 3) * 12;
		e->match = (int)rng_below(&rng, 3);
		e->m.found = e->match == 2;
		e->m.shop = random_shop(&rng);
		e->m.finished = random_time(&rng, base);
	}
	return ev;
}

static void apply(struct rates *r, const struct event *e)
{
	switch (e->kind) {
	case EV_ORDER:
		add_order(r, e->shop, e->t);
		break;
	case EV_COMPLAINT:
		add_complaint(r, &e->c, e->match ? &e->m : NULL);
		break;
	case EV_NAME:
		see(r, e->shop, e->name, e->t);
		break;
	}
}

static void shuffle(struct event *ev, size_t n, uint64_t *rng)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)rng_below(rng, i);
		struct event tmp = ev[i - 1];
		ev[i - 1] = ev[j];
		ev[j] = tmp;
	}
}

static void assert_same_totals(struct rates *a, struct rates *b)
{
	const struct rates_totals *x = rates_totals(a), *y = rates_totals(b);
	assert_int_equal(x->orders, y->orders);
	assert_int_equal(x->complaints, y->complaints);
	assert_int_equal(x->orders_no_shop, y->orders_no_shop);
	assert_int_equal(x->complaints_no_shop, y->complaints_no_shop);
	assert_int_equal(x->orders_no_time, y->orders_no_time);
	assert_int_equal(x->complaints_no_time, y->complaints_no_time);
	assert_int_equal(x->orders_outside, y->orders_outside);
	assert_int_equal(x->complaints_outside, y->complaints_outside);
	assert_int_equal(x->late, y->late);
	assert_int_equal(x->no_order, y->no_order);
}

static void assert_same_names(const struct rates *a, const struct rates *b)
{
	for (uint32_t s = 0; s < N_SHOPS; s++) {
		int64_t ta, tb;
		const char *na = rates_shop_name(a, s, &ta), *nb = rates_shop_name(b, s, &tb);
		if (strcmp(na, nb) || ta != tb) {
			print_error("shop %u: \"%s\" at %lld, not \"%s\" at %lld\n", s, na,
				    (long long)ta, nb, (long long)tb);
			fail();
		}
	}
}

static void assert_same_view(const struct rates *a, struct rates *ra, struct rates *rb)
{
	struct rates_view_options o = {SORT_DEFAULT, 2, 0};
	struct rates_view x, y;
	(void)a;
	assert_int_equal(rates_view(ra, &o, &x), 0);
	assert_int_equal(rates_view(rb, &o, &y), 0);
	assert_int_equal(x.n, y.n);
	size_t width = RATES_COUNTERS(rates_config(ra)->n_types);
	for (size_t i = 0; i < x.n; i++) {
		assert_int_equal(x.rows[i].shop, y.rows[i].shop);
		assert_int_equal(x.rows[i].period, y.rows[i].period);
		assert_int_equal(x.rows[i].type, y.rows[i].type);
		assert_int_equal(x.rows[i].orders, y.rows[i].orders);
		assert_memory_equal(x.rows[i].counters, y.rows[i].counters, width * sizeof(uint64_t));
		assert_true(x.rows[i].percentile == y.rows[i].percentile ||
			    (isnan(x.rows[i].percentile) && isnan(y.rows[i].percentile)));
	}
	rates_view_free(&x);
	rates_view_free(&y);
}

static int fold_cell(void *ctx, uint32_t s, int32_t period, int type, const uint64_t *counters)
{
	return rates_add_cell(ctx, s, period, type, counters) != 0;
}

static void fold_totals(struct rates_totals *into, const struct rates_totals *t)
{
	into->orders += t->orders;
	into->complaints += t->complaints;
	into->orders_no_shop += t->orders_no_shop;
	into->complaints_no_shop += t->complaints_no_shop;
	into->orders_no_time += t->orders_no_time;
	into->complaints_no_time += t->complaints_no_time;
	into->orders_outside += t->orders_outside;
	into->complaints_outside += t->complaints_outside;
	into->late += t->late;
	into->no_order += t->no_order;
}

static void test_order_and_split_independence(void **state)
{
	(void)state;
	const size_t n = 3000;
	struct shop_table *shops = shop_table_new();
	char key[16];
	const int64_t oct1 = day_of(2026, 10, 1);

	for (int s = 0; s < N_SHOPS; s++) {
		snprintf(key, sizeof(key), "shop%02d", (N_SHOPS - s) * 7 % 13);
		shop(shops, key);
	}
	for (int by = BY_SHOP; by <= BY_SHOP_TYPE; by++) {
		for (int bounded = 0; bounded < 2; bounded++) {
			uint64_t rng = 0x9e3779b97f4a7c15ULL ^ (uint64_t)(by * 2 + bounded);
			struct event *ev = random_events(rng, n);
			int64_t from = bounded ? oct1 : RATES_OPEN_FROM;
			int64_t to = bounded ? oct1 + 30 : RATES_OPEN_TO;
			struct rates *ref = new_rates(shops, (enum rates_by)by, 8 * 3600, from, to);
			for (size_t i = 0; i < n; i++)
				apply(ref, &ev[i]);

			/* Any order of the same rows: the same cells, totals and names. */
			for (int round = 0; round < 4; round++) {
				shuffle(ev, n, &rng);
				struct rates *r = new_rates(shops, (enum rates_by)by, 8 * 3600, from, to);
				for (size_t i = 0; i < n; i++)
					apply(r, &ev[i]);
				assert_same_cells(ref, r);
				assert_same_totals(ref, r);
				assert_same_names(ref, r);
				assert_same_view(NULL, ref, r);
				rates_free(r);
			}

			/* Any split, folded with rates_add_cell and the names: the same. */
			struct rates *part[3], *merged;
			merged = new_rates(shops, (enum rates_by)by, 8 * 3600, from, to);
			for (int p = 0; p < 3; p++)
				part[p] = new_rates(shops, (enum rates_by)by, 8 * 3600, from, to);
			for (size_t i = 0; i < n; i++)
				apply(part[rng_below(&rng, 3)], &ev[i]);
			for (int p = 0; p < 3; p++) {
				assert_int_equal(rates_cells(part[p], fold_cell, merged), 0);
				fold_totals(rates_totals(merged), rates_totals(part[p]));
				for (uint32_t s = 0; s < N_SHOPS; s++) {
					int64_t t;
					const char *name = rates_shop_name(part[p], s, &t);
					assert_int_equal(rates_see_name(merged, s, name, strlen(name), t), 0);
				}
				rates_free(part[p]);
			}
			assert_same_cells(ref, merged);
			assert_same_totals(ref, merged);
			assert_same_names(ref, merged);
			assert_same_view(NULL, ref, merged);
			rates_free(merged);
			rates_free(ref);
			free(ev);
		}
	}
	shop_table_free(shops);
}

static int all_valid(void *ctx, uint32_t s, int32_t period, int type, const uint64_t *counters)
{
	(void)counters;
	if (!rates_cell_valid(ctx, s, period, type)) {
		print_error("cell (%u, %d, %d) of rates_cells() is not valid\n", s, period, type);
		fail();
	}
	return 0;
}

/* What a partial reader checks: every cell rates_cells() gives is valid,
 * and cells no grouping can have are not (they would corrupt the keys). */
static void test_cell_valid(void **state)
{
	(void)state;
	struct shop_table *shops = random_shops();
	struct event *ev = random_events(7, 2000);

	for (int by = BY_SHOP; by <= BY_SHOP_TYPE; by++) {
		struct rates *r = new_rates(shops, (enum rates_by)by, 8 * 3600, UNBOUNDED);
		for (size_t i = 0; i < 2000; i++)
			apply(r, &ev[i]);
		assert_int_equal(rates_cells(r, all_valid, r), 0);
		rates_free(r);
	}
	free(ev);

	const int32_t oct1 = (int32_t)day_of(2026, 10, 1);
	const struct {
		enum rates_by by;
		uint32_t shop;
		int32_t period;
		int type;
	} bad[] = {
		{BY_SHOP, RATES_NO_SHOP, 0, -1},       /* 4 G shops' counters */
		{BY_SHOP, 0, 0, 0},
		{BY_DAY, 0, oct1, -1},
		{BY_DAY, RATES_NO_SHOP, (int32_t)day_of(10000, 1, 1), -1},
		{BY_SHOP_WEEK, 0, (int32_t)day_of(0, 1, 1) - 5, -1},
		{BY_SHOP_MONTH, 0, INT32_MIN, -1},
		{BY_TYPE, RATES_NO_SHOP, 0, NT + 1},
		{BY_TYPE, RATES_NO_SHOP, 0, -1},
		{BY_SHOP_TYPE, 0, 0, 254},
		{BY_SHOP_TYPE, 0, 0, 1000},
		{BY_SHOP_TYPE, RATES_NO_SHOP, 0, 0},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rates *r = new_rates(shops, bad[i].by, 0, UNBOUNDED);
		if (rates_cell_valid(r, bad[i].shop, bad[i].period, bad[i].type)) {
			print_error("case %zu: (%u, %d, %d) taken for a cell of --by %s\n", i,
				    bad[i].shop, bad[i].period, bad[i].type, rates_by_name(bad[i].by));
			fail();
		}
		rates_free(r);
	}
	shop_table_free(shops);
}

/* The cells add up to the totals: nothing is counted twice or dropped. */
static void test_cells_add_up(void **state)
{
	(void)state;
	const size_t n = 4000;
	struct shop_table *shops = random_shops();
	struct event *ev = random_events(42, n);

	for (int by = BY_SHOP; by <= BY_SHOP_TYPE; by++) {
		struct rates *r = new_rates(shops, (enum rates_by)by, 0, day_of(2026, 9, 20),
					    day_of(2026, 11, 20));
		for (size_t i = 0; i < n; i++)
			apply(r, &ev[i]);
		struct cells cs = all_cells(r);
		uint64_t sum[W] = {0};
		for (size_t i = 0; i < cs.n; i++)
			for (size_t k = 0; k < W; k++)
				sum[k] += cs.v[i].c[k];
		free(cs.v);
		const struct rates_totals *t = rates_totals(r);
		assert_int_equal(sum[C_ORDERS] + t->orders_no_shop + t->orders_no_time +
					 t->orders_outside, t->orders);
		assert_int_equal(sum[C_COMPLAINTS] + sum[C_LATE] + t->complaints_no_shop +
					 t->complaints_no_time + t->complaints_outside, t->complaints);
		assert_int_equal(sum[C_LATE], t->late);
		assert_int_equal(sum[C_NO_ORDER], t->no_order);
		uint64_t types = 0;
		for (int k = 0; k <= NT; k++)
			types += sum[C_TYPES + k];
		assert_int_equal(types, sum[C_COMPLAINTS]);
		assert_true(sum[C_ESTABLISHED] + sum[C_NOT_ESTABLISHED] <= sum[C_COMPLAINTS]);
		assert_true(t->orders > 1000 && sum[C_LATE] > 0 && sum[C_NO_ORDER] > 0);
		rates_free(r);
	}
	free(ev);
	shop_table_free(shops);
}

/* rates_complaint_counted says of each complaint what rates_add_complaint
 * does with it: counted (in `complaints` and which type column, for which
 * shop) or not, in a window, by week and unbounded. */
static void test_complaint_counted(void **state)
{
	(void)state;
	const size_t n = 3000;
	struct shop_table *shops = random_shops();
	struct event *ev = random_events(11, n);
	const struct rates_config cfgs[] = {
		{BY_SHOP, 8 * 3600, day_of(2026, 10, 2), day_of(2026, 10, 31), NT},
		{BY_SHOP_WEEK, 0, UNBOUNDED, NT},
		{BY_SHOP, 0, UNBOUNDED, NT},
	};
	size_t asked = 0, counted = 0;

	for (size_t k = 0; k < sizeof(cfgs) / sizeof(cfgs[0]); k++)
		for (size_t i = 0; i < n; i++) {
			const struct event *e = &ev[i];
			const struct rates_order_match *m = e->match ? &e->m : NULL;
			uint32_t s;
			size_t type;
			if (e->kind != EV_COMPLAINT)
				continue;
			struct rates *r = rates_new(&cfgs[k], shops);
			assert_non_null(r);
			add_complaint(r, &e->c, m);
			int yes = rates_complaint_counted(&cfgs[k], &e->c, m, &s, &type);
			struct cells got = all_cells(r);
			size_t in = 0;
			for (size_t j = 0; j < got.n; j++)
				if (got.v[j].c[C_COMPLAINTS]) {
					assert_int_equal(got.v[j].shop, s);
					assert_int_equal(got.v[j].c[C_TYPES + type], 1);
					in++;
				}
			assert_int_equal(in, yes);
			asked++;
			counted += (size_t)yes;
			free(got.v);
			rates_free(r);
		}
	/* Both answers occur. */
	assert_true(counted > asked / 10 && counted < asked);
	free(ev);
	shop_table_free(shops);
}

/* rates_regroup_shop gives one shop's cells and name of rates_regroup, and
 * nothing of any other shop; RATES_NO_SHOP gives no cells. */
static void test_regroup_shop(void **state)
{
	(void)state;
	const size_t n = 4000;
	struct shop_table *shops = random_shops();
	struct event *ev = random_events(7, n);
	struct rates_config cfg = {BY_SHOP_DAY, 0, day_of(2026, 9, 20), day_of(2026, 10, 31), NT};
	struct rates *src = new_rates(shops, BY_SHOP_DAY, 0, UNBOUNDED);
	for (size_t i = 0; i < n; i++)
		apply(src, &ev[i]);
	struct rates *all = rates_regroup(src, &cfg);
	assert_non_null(all);
	struct cells every = all_cells(all);
	for (uint32_t s = 0; s <= N_SHOPS; s++) {
		uint32_t one = s < N_SHOPS ? s : RATES_NO_SHOP;
		struct rates *r = rates_regroup_shop(src, &cfg, one);
		assert_non_null(r);
		struct cells got = all_cells(r);
		size_t k = 0;
		for (size_t i = 0; i < every.n; i++) {
			if (every.v[i].shop != one)
				continue;
			assert_true(k < got.n);
			assert_memory_equal(&every.v[i], &got.v[k], sizeof(got.v[k]));
			k++;
		}
		assert_int_equal(k, got.n);
		assert_true(one == RATES_NO_SHOP || got.n > 0);
		for (uint32_t o = 0; o < N_SHOPS; o++)
			assert_string_equal(rates_shop_name(r, o, NULL),
					    o == one ? rates_shop_name(all, o, NULL) : "");
		free(got.v);
		rates_free(r);
	}
	free(every.v);
	rates_free(all);
	rates_free(src);
	free(ev);
	shop_table_free(shops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_names),
		cmocka_unit_test(test_local_day),
		cmocka_unit_test(test_new_limits),
		cmocka_unit_test(test_window_boundary),
		cmocka_unit_test(test_order_finished_wins),
		cmocka_unit_test(test_no_order),
		cmocka_unit_test(test_shop_rule),
		cmocka_unit_test(test_types_and_outcomes),
		cmocka_unit_test(test_no_time),
		cmocka_unit_test(test_from_to),
		cmocka_unit_test(test_weeks_start_monday),
		cmocka_unit_test(test_months_and_days),
		cmocka_unit_test(test_period_limits),
		cmocka_unit_test(test_extreme_times),
		cmocka_unit_test(test_type_rows),
		cmocka_unit_test(test_shop_rows_sort_and_percentile),
		cmocka_unit_test(test_sort_wilson),
		cmocka_unit_test(test_period_rows_order),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_pack_roundtrip),
		cmocka_unit_test(test_order_and_split_independence),
		cmocka_unit_test(test_cell_valid),
		cmocka_unit_test(test_cells_add_up),
		cmocka_unit_test(test_regroup_shop),
		cmocka_unit_test(test_complaint_counted),
	};
	return cmocka_run_group_tests_name("rates", tests, NULL, NULL);
}
