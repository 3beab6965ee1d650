#include "analyzers/rates.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/stats.h"
#include "formats/timeparse.h"

/*
 * A cell is found by a 64-bit key: (shop + 1) << 32 | period code << 8 |
 * type code, where a code of 0 means "not part of this grouping". Period
 * codes are day numbers shifted to be positive (years 0000-9999 fit in 24
 * bits); type code k + 1 is type k. In type groupings the orders go to the
 * type code TYPE_ORDERS cell of their shop (or of no shop), because an order
 * has no type.
 */
#define DAY_BIAS 719529         /* days from 0000-01-01 to 1970-01-01, plus 1 */
#define FIRST_DAY (-719528)     /* 0000-01-01 */
#define LAST_DAY 2932896        /* 9999-12-31 */
#define TYPE_ORDERS 255

/* 16 bytes a shop: the offset (40 bits) and length (24 bits) of its name in
 * name_buf, NAME_NONE when it has none yet, and the time it was seen. */
struct shop_name {
	uint64_t at;
	int64_t time;
};
#define NAME_NONE UINT64_MAX
#define NAME_MAX_LEN ((1u << 24) - 1)
#define NAME_MAX_OFF ((1ULL << 40) - 1)

struct rates {
	struct rates_config cfg;
	const struct shop_table *shops;
	size_t width;                /* counters per cell */
	struct rates_totals totals;
	/* Cells: counters[i * width ...]. BY_SHOP indexes them by shop. */
	uint64_t *counters;
	size_t n_cells, cap_cells;
	size_t zeroed;               /* cells cleared so far: memory is touched
				      * only as shops appear, not by doubling */
	uint64_t *keys;              /* per cell, for the hashed groupings */
	uint32_t *slots;             /* open addressing: cell + 1, 0 empty */
	size_t n_slots;
	/* Shop names, back to back, NUL-terminated. */
	struct shop_name *names;
	size_t n_names, cap_names;   /* set up so far / allocated */
	char *name_buf;
	size_t name_len, name_cap;
};

static const char *const by_names[] = {
	[BY_SHOP] = "shop", [BY_DAY] = "day", [BY_WEEK] = "week", [BY_MONTH] = "month",
	[BY_TYPE] = "type", [BY_SHOP_DAY] = "shop,day", [BY_SHOP_WEEK] = "shop,week",
	[BY_SHOP_MONTH] = "shop,month", [BY_SHOP_TYPE] = "shop,type",
};

int rates_by_parse(const char *name, enum rates_by *out)
{
	for (size_t i = 0; i < sizeof(by_names) / sizeof(by_names[0]); i++)
		if (!strcmp(name, by_names[i])) {
			*out = (enum rates_by)i;
			return 0;
		}
	return -1;
}

const char *rates_by_name(enum rates_by by)
{
	return by_names[by];
}

int rates_by_has_shop(enum rates_by by)
{
	return by == BY_SHOP || by >= BY_SHOP_DAY;
}

int rates_by_has_period(enum rates_by by)
{
	return by == BY_DAY || by == BY_WEEK || by == BY_MONTH || by == BY_SHOP_DAY ||
	       by == BY_SHOP_WEEK || by == BY_SHOP_MONTH;
}

int rates_by_has_type(enum rates_by by)
{
	return by == BY_TYPE || by == BY_SHOP_TYPE;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t rates_local_day(int64_t epoch, int32_t tz)
{
	/* The days and the rest apart, so that no epoch overflows: a partial
	 * can carry any 64-bit time. */
	return epoch / 86400 + floor_div(epoch % 86400 + tz, 86400);
}

/* The first day of the period that holds local day d. */
static int64_t period_start(enum rates_by by, int64_t d)
{
	switch (by) {
	case BY_WEEK:
	case BY_SHOP_WEEK:
		/* 1970-01-01 was a Thursday: Monday-based weekday is (d + 3) mod 7. */
		return d - (d + 3 - floor_div(d + 3, 7) * 7);
	case BY_MONTH:
	case BY_SHOP_MONTH: {
		char buf[20];
		int y, m;
		time_format(d * 86400, 0, buf);
		y = atoi(buf);
		m = atoi(buf + 5);
		return time_days_from_civil(y, (unsigned)m, 1);
	}
	default:
		return d;
	}
}

struct rates *rates_new(const struct rates_config *cfg, const struct shop_table *shops)
{
	struct rates *r;
	if (cfg->n_types > RATES_MAX_TYPES || !(r = calloc(1, sizeof(*r))))
		return NULL;
	r->cfg = *cfg;
	r->shops = shops;
	r->width = RATES_COUNTERS(cfg->n_types);
	return r;
}

void rates_free(struct rates *r)
{
	if (!r)
		return;
	free(r->counters);
	free(r->keys);
	free(r->slots);
	free(r->names);
	free(r->name_buf);
	free(r);
}

const struct rates_config *rates_config(const struct rates *r)
{
	return &r->cfg;
}

struct rates_totals *rates_totals(struct rates *r)
{
	return &r->totals;
}

/* Room for cell i; new cells are zero. */
static int reserve_cells(struct rates *r, size_t n)
{
	if (n <= r->cap_cells)
		return 0;
	size_t cap = r->cap_cells ? r->cap_cells : 1024;
	while (cap < n)
		cap *= 2;
	uint64_t *c = realloc(r->counters, cap * r->width * sizeof(*c));
	if (!c)
		return -1;
	r->counters = c;
	if (r->cfg.by != BY_SHOP) {
		uint64_t *k = realloc(r->keys, cap * sizeof(*k));
		if (!k)
			return -1;
		r->keys = k;
	}
	r->cap_cells = cap;
	return 0;
}

/* Cells [0, n) exist and are zero where never counted; n <= cap_cells. */
static void use_cells(struct rates *r, size_t n)
{
	if (n > r->zeroed) {
		memset(r->counters + r->zeroed * r->width, 0,
		       (n - r->zeroed) * r->width * sizeof(*r->counters));
		r->zeroed = n;
	}
	if (n > r->n_cells)
		r->n_cells = n;
}

static uint64_t mix64(uint64_t x)
{
	/* splitmix64's finaliser: the keys are structured, the slots need noise. */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static int grow_slots(struct rates *r)
{
	size_t n = r->n_slots ? r->n_slots * 2 : 1024;
	uint32_t *s = calloc(n, sizeof(*s));
	if (!s)
		return -1;
	for (size_t i = 0; i < r->n_cells; i++) {
		size_t h = mix64(r->keys[i]) & (n - 1);
		while (s[h])
			h = (h + 1) & (n - 1);
		s[h] = (uint32_t)i + 1;
	}
	free(r->slots);
	r->slots = s;
	r->n_slots = n;
	return 0;
}

/* The counters of the cell with key, created when new; NULL if out of memory. */
static uint64_t *cell_by_key(struct rates *r, uint64_t key)
{
	if (r->n_slots) {
		size_t h = mix64(key) & (r->n_slots - 1);
		for (; r->slots[h]; h = (h + 1) & (r->n_slots - 1)) {
			size_t i = r->slots[h] - 1;
			if (r->keys[i] == key)
				return r->counters + i * r->width;
		}
	}
	if (r->n_cells >= UINT32_MAX - 1)
		return NULL;
	if ((r->n_cells + 1) * 10 > r->n_slots * 7 && grow_slots(r) < 0)
		return NULL;
	if (reserve_cells(r, r->n_cells + 1) < 0)
		return NULL;
	size_t i = r->n_cells;
	use_cells(r, i + 1);
	size_t h = mix64(key) & (r->n_slots - 1);
	while (r->slots[h])
		h = (h + 1) & (r->n_slots - 1);
	r->slots[h] = (uint32_t)i + 1;
	r->keys[i] = key;
	return r->counters + i * r->width;
}

static uint64_t make_key(uint32_t shop, int64_t period_code, unsigned type_code)
{
	return ((uint64_t)shop + 1) << 32 | (uint64_t)period_code << 8 | type_code;
}

/*
 * Whether a table with cfg leaves out a row of shop at time t: 0, or why
 * (1 no shop, 2 no time, 3 outside the period). When not, *period is the
 * key's period code (0 without a period dimension).
 */
static int left_out(const struct rates_config *cfg, uint32_t shop, int64_t t, int64_t *period)
{
	enum rates_by by = cfg->by;
	int64_t day = 0;

	*period = 0;
	if (shop == RATES_NO_SHOP)
		return 1;
	int need_time = rates_by_has_period(by) || cfg->from_day != RATES_OPEN_FROM ||
			cfg->to_day != RATES_OPEN_TO;
	if (need_time) {
		if (t == RATES_NO_TIME)
			return 2;
		day = rates_local_day(t, cfg->tz);
		if (day < cfg->from_day || day > cfg->to_day)
			return 3;
		/* Outside 0000-9999 a period cannot be named: treat as no time. */
		if (day < FIRST_DAY || day > LAST_DAY)
			return 2;
	}
	if (rates_by_has_period(by)) {
		int64_t start = period_start(by, day);
		/* Nor can a week that began in year -1 (0000-01-01 is a Saturday);
		 * its code would not be positive and would corrupt the key. */
		if (start < FIRST_DAY)
			return 2;
		*period = start + DAY_BIAS;
	}
	return 0;
}

/*
 * The cell a row of shop at time t (type_code as make_key) belongs to, or
 * NULL: *why says whether the row was left out (as left_out) or memory ran
 * out (-1).
 */
static uint64_t *cell_for(struct rates *r, uint32_t shop, int64_t t, unsigned type_code,
			  int *why)
{
	enum rates_by by = r->cfg.by;
	int64_t period;

	if ((*why = left_out(&r->cfg, shop, t, &period)))
		return NULL;
	if (by == BY_SHOP) {
		if (reserve_cells(r, (size_t)shop + 1) < 0) {
			*why = -1;
			return NULL;
		}
		use_cells(r, (size_t)shop + 1);
		return r->counters + (size_t)shop * r->width;
	}
	uint32_t key_shop = rates_by_has_shop(by) ? shop : UINT32_MAX;
	uint64_t *c = cell_by_key(r, make_key(key_shop, period, rates_by_has_type(by) ? type_code : 0));
	if (!c)
		*why = -1;
	return c;
}

int rates_add_order(struct rates *r, uint32_t shop, int64_t created)
{
	int why;
	uint64_t *c;

	r->totals.orders++;
	c = cell_for(r, shop, created, TYPE_ORDERS, &why);
	if (c) {
		c[C_ORDERS]++;
		return 0;
	}
	if (why == 1)
		r->totals.orders_no_shop++;
	else if (why == 2)
		r->totals.orders_no_time++;
	else if (why == 3)
		r->totals.orders_outside++;
	return why < 0 ? -1 : 0;
}

/* The shop a complaint counts for: its own, else its order's. */
static uint32_t complaint_shop(const struct rates_complaint *c,
			       const struct rates_order_match *order)
{
	return c->shop == RATES_NO_SHOP && order && order->found ? order->shop : c->shop;
}

/* The type column a complaint counts in: its primary type, or other. */
static size_t complaint_type(const struct rates_config *cfg, const struct rates_complaint *c)
{
	size_t nt = cfg->n_types;
	return c->primary < 0 || (size_t)c->primary > nt ? nt : (size_t)c->primary;
}

/* Filed more than the window after the trade ended: its order's finished
 * time, or without an order found the export's own. */
static int complaint_late(const struct rates_complaint *c, const struct rates_order_match *order)
{
	int64_t finished = order && order->found ? order->finished : c->finished;
	/* The difference in unsigned arithmetic, which cannot overflow. */
	return finished != RATES_NO_TIME && c->filed != RATES_NO_TIME && c->filed > finished &&
	       (uint64_t)c->filed - (uint64_t)finished > RATES_COMPLAINT_WINDOW;
}

int rates_complaint_counted(const struct rates_config *cfg, const struct rates_complaint *c,
			    const struct rates_order_match *order, uint32_t *shop, size_t *type)
{
	int64_t period;

	*shop = complaint_shop(c, order);
	*type = complaint_type(cfg, c);
	return !left_out(cfg, *shop, c->filed, &period) && !complaint_late(c, order);
}

int rates_add_complaint(struct rates *r, const struct rates_complaint *cp,
			const struct rates_order_match *order)
{
	uint32_t shop = complaint_shop(cp, order);
	size_t type = complaint_type(&r->cfg, cp);
	int why;
	uint64_t *c;

	r->totals.complaints++;
	c = cell_for(r, shop, cp->filed, (unsigned)type + 1, &why);
	if (!c) {
		if (why == 1)
			r->totals.complaints_no_shop++;
		else if (why == 2)
			r->totals.complaints_no_time++;
		else if (why == 3)
			r->totals.complaints_outside++;
		return why < 0 ? -1 : 0;
	}
	if (complaint_late(cp, order)) {
		c[C_LATE]++;
		r->totals.late++;
		return 0;
	}
	c[C_COMPLAINTS]++;
	c[C_TYPES + type]++;
	if (!order || !order->found) {
		c[C_NO_ORDER]++;
		r->totals.no_order++;
	}
	if (cp->outcome == OUTCOME_ESTABLISHED) {
		c[C_ESTABLISHED]++;
		c[C_POINTS] += (uint64_t)(cp->points > 0 ? cp->points : 0);
	} else if (cp->outcome == OUTCOME_NOT_ESTABLISHED) {
		c[C_NOT_ESTABLISHED]++;
	}
	return 0;
}

int rates_cell_valid(const struct rates *r, uint32_t shop, int32_t period, int type)
{
	enum rates_by by = r->cfg.by;
	if (rates_by_has_shop(by) != (shop != RATES_NO_SHOP))
		return 0;
	if (rates_by_has_period(by) && (period < FIRST_DAY || period > LAST_DAY))
		return 0;
	if (!rates_by_has_type(by))
		return type == -1;
	return (type >= 0 && (size_t)type <= r->cfg.n_types) || type == TYPE_ORDERS;
}

int rates_add_cell(struct rates *r, uint32_t shop, int32_t period, int type,
		   const uint64_t *counters)
{
	uint64_t *c;

	if (r->cfg.by == BY_SHOP) {
		if (reserve_cells(r, (size_t)shop + 1) < 0)
			return -1;
		use_cells(r, (size_t)shop + 1);
		c = r->counters + (size_t)shop * r->width;
	} else {
		unsigned type_code = type < 0 ? 0 : type == TYPE_ORDERS ? TYPE_ORDERS
									: (unsigned)type + 1;
		int64_t code = rates_by_has_period(r->cfg.by) ? (int64_t)period + DAY_BIAS : 0;
		c = cell_by_key(r, make_key(rates_by_has_shop(r->cfg.by) ? shop : UINT32_MAX,
					    code, type_code));
		if (!c)
			return -1;
	}
	for (size_t i = 0; i < r->width; i++)
		c[i] += counters[i];
	return 0;
}

static void key_parts(const struct rates *r, size_t i, uint32_t *shop, int32_t *period,
		      int *type)
{
	if (r->cfg.by == BY_SHOP) {
		*shop = (uint32_t)i;
		*period = 0;
		*type = -1;
		return;
	}
	uint64_t k = r->keys[i];
	unsigned t = k & 0xff;
	*shop = (uint32_t)((k >> 32) - 1);
	*period = (int32_t)((int64_t)((k >> 8) & 0xffffff) - DAY_BIAS);
	*type = t == 0 ? -1 : t == TYPE_ORDERS ? TYPE_ORDERS : (int)t - 1;
}

int rates_cells(const struct rates *r, rates_cell_fn fn, void *ctx)
{
	for (size_t i = 0; i < r->n_cells; i++) {
		uint32_t shop;
		int32_t period;
		int type;
		key_parts(r, i, &shop, &period, &type);
		int rc = fn(ctx, shop, period, type, r->counters + i * r->width);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- regrouping a shop,day table ---- */

/* rates_regroup and rates_regroup_shop: every shop, or only one. */
static struct rates *regroup(const struct rates *src, const struct rates_config *cfg,
			     int every_shop, uint32_t one)
{
	struct rates *r;

	if (src->cfg.by != BY_SHOP_DAY || rates_by_has_type(cfg->by) ||
	    cfg->n_types != src->cfg.n_types || !(r = rates_new(cfg, src->shops)))
		return NULL;
	r->totals = src->totals;
	for (size_t shop = 0; shop < src->n_names; shop++) {
		int64_t t;
		const char *name = rates_shop_name(src, (uint32_t)shop, &t);
		if (!every_shop && shop != one)
			continue;
		if (*name && rates_see_name(r, (uint32_t)shop, name, strlen(name), t) < 0)
			goto fail;
	}
	for (size_t i = 0; i < src->n_cells; i++) {
		uint32_t shop;
		int32_t day;
		int type, why;
		const uint64_t *from = src->counters + i * src->width;
		key_parts(src, i, &shop, &day, &type);
		if (!every_shop && shop != one)
			continue;
		/* The day's first second, local: cell_for finds its day again. */
		uint64_t *c = cell_for(r, shop, (int64_t)day * 86400 - cfg->tz, 0, &why);
		if (!c) {
			if (why < 0)
				goto fail;
			/* Only days outside the period are refused here: shop,day
			 * cells always have a shop and a nameable day. */
			r->totals.orders_outside += from[C_ORDERS];
			r->totals.complaints_outside += from[C_COMPLAINTS] + from[C_LATE];
			r->totals.late -= from[C_LATE];
			r->totals.no_order -= from[C_NO_ORDER];
			continue;
		}
		for (size_t k = 0; k < r->width; k++)
			c[k] += from[k];
	}
	return r;
fail:
	rates_free(r);
	return NULL;
}

struct rates *rates_regroup(const struct rates *src, const struct rates_config *cfg)
{
	return regroup(src, cfg, 1, RATES_NO_SHOP);
}

struct rates *rates_regroup_shop(const struct rates *src, const struct rates_config *cfg,
				 uint32_t shop)
{
	return regroup(src, cfg, 0, shop);
}

/* ---- the join's records ---- */

static void put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

void rates_complaint_pack(const struct rates_complaint *c, unsigned char *out)
{
	put_u32(out, c->shop);
	put_u64(out + 4, (uint64_t)c->filed);
	out[12] = (unsigned char)(c->primary < 0 ? 0xff : c->primary);
	out[13] = (unsigned char)c->outcome;
	/* Points fit 16 bits: a rule file's points are small numbers. */
	uint32_t points = c->points < 0 ? 0 : c->points > 0xffff ? 0xffff : (uint32_t)c->points;
	out[14] = (unsigned char)points;
	out[15] = (unsigned char)(points >> 8);
	out[16] = 0;  /* reserved */
	put_u64(out + 17, (uint64_t)c->finished);
}

void rates_complaint_unpack(const unsigned char *in, struct rates_complaint *c)
{
	c->shop = get_u32(in);
	c->filed = (int64_t)get_u64(in + 4);
	c->primary = in[12] == 0xff ? -1 : in[12];
	c->outcome = in[13] <= OUTCOME_NOT_ESTABLISHED ? (enum rates_outcome)in[13] : OUTCOME_NONE;
	c->points = in[14] | in[15] << 8;
	c->finished = (int64_t)get_u64(in + 17);
}

void rates_order_pack(uint32_t shop, int64_t finished, unsigned char *out)
{
	put_u32(out, shop);
	put_u64(out + 4, (uint64_t)finished);
}

void rates_order_unpack(const unsigned char *in, struct rates_order_match *m)
{
	m->found = 1;
	m->shop = get_u32(in);
	m->finished = (int64_t)get_u64(in + 4);
}

void rates_pair_unpack(const unsigned char *left, const unsigned char *right,
		       struct rates_complaint *c, struct rates_order_match *m)
{
	rates_complaint_unpack(left, c);
	*m = (struct rates_order_match){0, RATES_NO_SHOP, RATES_NO_TIME};
	if (right)
		rates_order_unpack(right, m);
}

int rates_order_better(const struct shop_table *shops, const void *a, const void *b)
{
	struct rates_order_match x, y;
	rates_order_unpack(a, &x);
	rates_order_unpack(b, &y);
	int64_t fx = x.finished == RATES_NO_TIME ? INT64_MAX : x.finished;
	int64_t fy = y.finished == RATES_NO_TIME ? INT64_MAX : y.finished;
	if (fx != fy)
		return fy < fx;
	if (x.shop == y.shop || y.shop == RATES_NO_SHOP)
		return 0;
	if (x.shop == RATES_NO_SHOP)
		return 1;
	return shop_table_cmp(shops, y.shop, x.shop) < 0;
}

int rates_add_joined(struct rates *r, const void *left, const void *right)
{
	struct rates_complaint c;
	struct rates_order_match m;
	rates_pair_unpack(left, right, &c, &m);
	return rates_add_complaint(r, &c, &m) < 0;
}

/* ---- names ---- */

int rates_see_name(struct rates *r, uint32_t shop, const char *name, size_t len, int64_t t)
{
	if (shop == RATES_NO_SHOP || !len)
		return 0;
	if (shop >= r->cap_names) {
		size_t n = r->cap_names ? r->cap_names : 1024;
		while (n <= shop)
			n *= 2;
		struct shop_name *s = realloc(r->names, n * sizeof(*s));
		if (!s)
			return -1;
		r->names = s;
		r->cap_names = n;
	}
	for (; r->n_names <= shop; r->n_names++)
		r->names[r->n_names] = (struct shop_name){NAME_NONE, RATES_NO_TIME};
	struct shop_name *sn = &r->names[shop];
	if (memchr(name, '\0', len))
		len = strlen(name);
	if (len > NAME_MAX_LEN)
		len = NAME_MAX_LEN;
	if (sn->at != NAME_NONE) {
		const char *old = r->name_buf + (sn->at & NAME_MAX_OFF);
		size_t old_len = (size_t)(sn->at >> 40);
		if (t < sn->time)
			return 0;
		if (t == sn->time) {
			/* Same time: the smaller name in byte order, so input order
			 * cannot change the result. */
			int cmp = memcmp(name, old, len < old_len ? len : old_len);
			if (cmp > 0 || (cmp == 0 && len >= old_len))
				return 0;
		} else if (len == old_len && !memcmp(name, old, len)) {
			sn->time = t;
			return 0;
		}
		if (len <= old_len) {
			/* Reuse the old bytes: a shop renamed on every row must not
			 * make the buffer grow with the rows. */
			uint64_t off = sn->at & NAME_MAX_OFF;
			memcpy(r->name_buf + off, name, len);
			r->name_buf[off + len] = '\0';
			sn->time = t;
			sn->at = off | (uint64_t)len << 40;
			return 0;
		}
	}
	if (r->name_len + len + 1 > NAME_MAX_OFF)
		return -1;
	if (r->name_len + len + 1 > r->name_cap) {
		size_t cap = r->name_cap ? r->name_cap : 4096;
		while (cap < r->name_len + len + 1)
			cap *= 2;
		char *b = realloc(r->name_buf, cap);
		if (!b)
			return -1;
		r->name_buf = b;
		r->name_cap = cap;
	}
	memcpy(r->name_buf + r->name_len, name, len);
	r->name_buf[r->name_len + len] = '\0';
	sn->at = r->name_len | (uint64_t)len << 40;
	sn->time = t;
	r->name_len += len + 1;
	return 0;
}

const char *rates_shop_name(const struct rates *r, uint32_t shop, int64_t *time)
{
	if (shop >= r->n_names || r->names[shop].at == NAME_NONE) {
		if (time)
			*time = RATES_NO_TIME;
		return "";
	}
	if (time)
		*time = r->names[shop].time;
	return r->name_buf + (r->names[shop].at & NAME_MAX_OFF);
}

/* ---- rows ---- */

struct sort_ctx {
	const struct rates *r;
	enum rates_sort sort;
};

static double wilson_low(const struct rates_row *row)
{
	double lo, hi;
	if (!row->orders)
		return NAN;
	stats_wilson(row->counters[C_COMPLAINTS], row->orders, STATS_Z95, &lo, &hi);
	return lo;
}

/* NaN (no orders) sorts after every number. */
static int cmp_desc(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b);
	return (a < b) - (a > b);
}

static int cmp_shop_key(const struct sort_ctx *sc, const struct rates_row *a,
			const struct rates_row *b)
{
	if (a->shop == RATES_NO_SHOP || b->shop == RATES_NO_SHOP)
		return (a->shop > b->shop) - (a->shop < b->shop);
	return shop_table_cmp(sc->r->shops, a->shop, b->shop);
}

static int cmp_rows(const void *pa, const void *pb, void *ctx)
{
	const struct sort_ctx *sc = ctx;
	const struct rates_row *a = pa, *b = pb;
	int c = 0;

	switch (sc->sort) {
	case SORT_RATE:
		c = cmp_desc(rates_row_rate(a), rates_row_rate(b));
		break;
	case SORT_WILSON:
		c = cmp_desc(wilson_low(a), wilson_low(b));
		break;
	case SORT_COMPLAINTS:
		break;
	case SORT_DEFAULT:
		/* The key's own order: shop, then period, then type. */
		c = cmp_shop_key(sc, a, b);
		if (!c)
			c = (a->period > b->period) - (a->period < b->period);
		if (!c)
			c = (a->type > b->type) - (a->type < b->type);
		return c;
	}
	if (!c)
		c = cmp_desc((double)a->counters[C_COMPLAINTS], (double)b->counters[C_COMPLAINTS]);
	if (!c)
		c = cmp_shop_key(sc, a, b);
	if (!c)
		c = (a->period > b->period) - (a->period < b->period);
	if (!c)
		c = (a->type > b->type) - (a->type < b->type);
	return c;
}

static int cmp_rate_asc(const void *pa, const void *pb)
{
	const struct rates_row *a = *(const struct rates_row *const *)pa;
	const struct rates_row *b = *(const struct rates_row *const *)pb;
	double x = rates_row_rate(a), y = rates_row_rate(b);
	return (x > y) - (x < y);
}

/* A shop's percentile: the share of shops (with orders) whose rate is at or
 * below its own. Sorting pointers by rate and walking ties gives it for all
 * shops in O(n log n). */
static int set_percentiles(struct rates_view *v)
{
	size_t n = 0;
	struct rates_row **by_rate = malloc((v->n ? v->n : 1) * sizeof(*by_rate));
	if (!by_rate)
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		v->rows[i].percentile = NAN;
		if (v->rows[i].orders)
			by_rate[n++] = &v->rows[i];
	}
	qsort(by_rate, n, sizeof(*by_rate), cmp_rate_asc);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double x = rates_row_rate(by_rate[i]);
		while (j < n && rates_row_rate(by_rate[j]) == x)
			j++;
		for (size_t k = i; k < j; k++)
			by_rate[k]->percentile = (float)(100.0 * (double)j / (double)n);
		i = j;
	}
	free(by_rate);
	return 0;
}

/* The orders a type row divides by: its shop's (or all shops') orders. */
static uint64_t orders_of(struct rates *r, uint32_t shop)
{
	uint64_t key = make_key(shop, 0, TYPE_ORDERS);
	if (!r->n_slots)
		return 0;
	for (size_t h = mix64(key) & (r->n_slots - 1); r->slots[h];
	     h = (h + 1) & (r->n_slots - 1)) {
		size_t i = r->slots[h] - 1;
		if (r->keys[i] == key)
			return r->counters[i * r->width + C_ORDERS];
	}
	return 0;
}

int rates_view(struct rates *r, const struct rates_view_options *o, struct rates_view *out)
{
	enum rates_by by = r->cfg.by;
	size_t n = 0;
	struct rates_row *rows;

	out->rows = NULL;
	out->n = 0;
	if (by == BY_TYPE) {
		/* Every type gets a row, with complaints or not. */
		for (size_t t = 0; t <= r->cfg.n_types; t++)
			if (!cell_by_key(r, make_key(UINT32_MAX, 0, (unsigned)t + 1)))
				return -1;
	}
	rows = malloc((r->n_cells ? r->n_cells : 1) * sizeof(*rows));
	if (!rows)
		return -1;
	for (size_t i = 0; i < r->n_cells; i++) {
		struct rates_row *row = &rows[n];
		key_parts(r, i, &row->shop, &row->period, &row->type);
		row->counters = r->counters + i * r->width;
		row->orders = row->counters[C_ORDERS];
		row->percentile = NAN;
		if (row->type == TYPE_ORDERS)
			continue;  /* the orders behind type rows, not a row */
		if (row->type >= 0)
			row->orders = orders_of(r, row->shop);
		if (by == BY_SHOP && !row->orders && !row->counters[C_COMPLAINTS] &&
		    !row->counters[C_LATE])
			continue;  /* an index with no rows of this run */
		if (rates_by_has_shop(by) && row->orders < o->min_orders)
			continue;
		n++;
	}
	out->rows = rows;
	out->n = n;
	if (rates_by_has_shop(by) && set_percentiles(out) < 0) {
		rates_view_free(out);
		return -1;
	}
	struct sort_ctx sc = {r, o->sort};
	if (o->sort == SORT_DEFAULT && by == BY_SHOP)
		sc.sort = SORT_RATE;
	qsort_r(rows, n, sizeof(*rows), cmp_rows, &sc);
	if (o->top && o->top < out->n)
		out->n = (size_t)o->top;
	return 0;
}

void rates_view_free(struct rates_view *v)
{
	free(v->rows);
	v->rows = NULL;
	v->n = 0;
}
