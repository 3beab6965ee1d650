/*
 * rates.h - complaint rates: exact counts per group, and the rows they give.
 *
 * A rates table counts orders and complaints into cells, one cell per group
 * of the grouping (a shop, a day, a shop and a type, ...), and at the end
 * turns the cells into rows: rate, Wilson interval, percentile among shops.
 * The rules for what counts are the README's ("tousu rates"):
 *  - an order counts at its created time, a complaint at its filed time;
 *    a row outside [from_day, to_day] is left out and counted in totals;
 *  - a complaint filed more than RATES_COMPLAINT_WINDOW seconds after its
 *    order's finished time is late: it counts in `late` and nowhere else;
 *  - a complaint is counted once, under its primary type (so the type
 *    counts add up to the complaints); with no order found, also in no_order;
 *  - rows with no shop, or with no valid time when the grouping or the
 *    period needs one, are counted in totals and left out of every cell.
 * Counters are 64-bit. Every function that counts is order-independent, so
 * any split of the input (threads, shards merged later) gives the same cells.
 *
 * Memory grows with the cells, never with the rows: for --by shop a cell is
 * RATES_COUNTERS(n_types) 64-bit counters in one dense array indexed by shop;
 * other groupings keep their cells in an open-addressing hash.
 *
 * Shops are indexes of a shop_table (shop_table.h) the caller owns. Each
 * shop's display name is the one on its latest row (ties: the smallest in
 * byte order), for the same reason: it does not depend on the input order.
 *
 * Errors: functions that can allocate return -1 when memory runs out; the
 * table stays valid (the row is not counted) and the caller reports it.
 */
#ifndef TOUSU_RATES_H
#define TOUSU_RATES_H

#include <stddef.h>
#include <stdint.h>

#include "analyzers/shop_table.h"

/* DOMAIN.md: a complaint is accepted within 15 days after the trade ended. */
#define RATES_COMPLAINT_WINDOW (15 * 86400)

#define RATES_MAX_TYPES 64      /* as many as a rule set can have */
#define RATES_NO_SHOP UINT32_MAX
#define RATES_NO_TIME INT64_MIN
#define RATES_OPEN_FROM INT64_MIN  /* from_day / to_day when unbounded */
#define RATES_OPEN_TO INT64_MAX

enum rates_by {
	BY_SHOP,
	BY_DAY,
	BY_WEEK,
	BY_MONTH,
	BY_TYPE,
	BY_SHOP_DAY,
	BY_SHOP_WEEK,
	BY_SHOP_MONTH,
	BY_SHOP_TYPE,
};

/* Counter slots of a cell; the type counters follow, n_types + 1 (other). */
enum rates_counter {
	C_ORDERS,
	C_COMPLAINTS,
	C_LATE,
	C_NO_ORDER,
	C_ESTABLISHED,
	C_NOT_ESTABLISHED,
	C_POINTS,
	C_TYPES,
};
#define RATES_COUNTERS(n_types) (C_TYPES + (n_types) + 1)

enum rates_outcome { OUTCOME_NONE, OUTCOME_ESTABLISHED, OUTCOME_NOT_ESTABLISHED };

struct rates_config {
	enum rates_by by;
	int32_t tz;                  /* seconds east of UTC: day boundaries */
	int64_t from_day, to_day;    /* local day numbers, inclusive */
	size_t n_types;              /* the rule set's types; n_types is `other` */
};

/* What was left out, and why; summed over everything counted. */
struct rates_totals {
	uint64_t orders, complaints;                 /* rows offered */
	uint64_t orders_no_shop, complaints_no_shop;
	uint64_t orders_no_time, complaints_no_time;  /* when a time was needed */
	uint64_t orders_outside, complaints_outside;  /* outside from..to */
	uint64_t late, no_order;
	uint64_t orders_no_id;       /* counted, but no complaint can refer to them */
	uint64_t texts_invalid, texts_limited;  /* invalid UTF-8, match limit hit */
	int has_outcome;             /* some complaints export had an outcome column */
};

/* One complaint, classified and joined to its order. */
struct rates_complaint {
	uint32_t shop;               /* RATES_NO_SHOP: take the order's */
	int64_t filed;               /* epoch seconds or RATES_NO_TIME */
	int64_t finished;            /* the export's own finished_at, if it has one:
				      * used when the order is not found */
	int primary;                 /* type index, n_types (or -1) for other */
	enum rates_outcome outcome;
	int points;                  /* penalty points if established */
};

struct rates_order_match {
	int found;
	uint32_t shop;               /* the order's shop, RATES_NO_SHOP if none */
	int64_t finished;            /* RATES_NO_TIME when not finished */
};

/*
 * The join (join.h) carries complaints and orders as bytes, also through
 * partial files read on other machines: fixed little-endian layouts.
 */
#define RATES_COMPLAINT_BYTES 25
#define RATES_ORDER_BYTES 12
void rates_complaint_pack(const struct rates_complaint *c, unsigned char *out);
void rates_complaint_unpack(const unsigned char *in, struct rates_complaint *c);
void rates_order_pack(uint32_t shop, int64_t finished, unsigned char *out);
void rates_order_unpack(const unsigned char *in, struct rates_order_match *m);
/* A pair as join.h hands it on: the packed complaint left, and its packed
 * order right, or NULL when none was found (m says not found). */
void rates_pair_unpack(const unsigned char *left, const unsigned char *right,
		       struct rates_complaint *c, struct rates_order_match *m);

/*
 * The README's rule for an order id on several order rows (join.h's
 * `better`): the earlier finished time wins (not finished counts as last),
 * then the smaller shop id, so the input order never decides. a and b are
 * packed orders; non-zero when b should replace a.
 */
int rates_order_better(const struct shop_table *shops, const void *a, const void *b);

struct rates;

/*
 * join.h's on_pair for these records: the packed complaint left, with its
 * packed order right (NULL: none), added into r. Non-zero (out of memory)
 * stops the join.
 */
int rates_add_joined(struct rates *r, const void *left, const void *right);

/* "shop", "day", "shop,type", ... to a grouping; -1 if none. */
int rates_by_parse(const char *name, enum rates_by *out);
const char *rates_by_name(enum rates_by by);
/* Whether the grouping has a shop / a period / a type dimension. */
int rates_by_has_shop(enum rates_by by);
int rates_by_has_period(enum rates_by by);
int rates_by_has_type(enum rates_by by);

/* The local day number (days since 1970-01-01) of epoch at tz. */
int64_t rates_local_day(int64_t epoch, int32_t tz);

/* shops is borrowed and must outlive the table. NULL if out of memory or
 * cfg->n_types > RATES_MAX_TYPES. */
struct rates *rates_new(const struct rates_config *cfg, const struct shop_table *shops);
void rates_free(struct rates *r);
const struct rates_config *rates_config(const struct rates *r);
struct rates_totals *rates_totals(struct rates *r);

/* An order of shop (or RATES_NO_SHOP) created at created (or RATES_NO_TIME). */
int rates_add_order(struct rates *r, uint32_t shop, int64_t created);

/* A complaint and what its join found (NULL: it has no order id). */
int rates_add_complaint(struct rates *r, const struct rates_complaint *c,
			const struct rates_order_match *order);

/*
 * Whether a table with cfg would count the complaint, with what its join
 * found (NULL: it has no order id), in its `complaints` and a type column:
 * rates_add_complaint's rules, for a caller that needs to know which
 * complaints make a figure (the report's shop card picks its examples so).
 * The shop it counts for (its own, else its order's; RATES_NO_SHOP when
 * neither) goes to *shop and its type column (n_types: other) to *type
 * either way; 0 when it is left out (no shop, no time, outside the period)
 * or late. Counts nothing.
 */
int rates_complaint_counted(const struct rates_config *cfg, const struct rates_complaint *c,
			    const struct rates_order_match *order, uint32_t *shop, size_t *type);

/* A shop's name seen on a row at time t (RATES_NO_TIME if none). */
int rates_see_name(struct rates *r, uint32_t shop, const char *name, size_t len, int64_t t);
/* The shop's name, or "" (NUL-terminated, valid until the next rates_see_name). */
const char *rates_shop_name(const struct rates *r, uint32_t shop, int64_t *time);

/*
 * Whether rates_cells() of a table like r can give a cell with this shop
 * (RATES_NO_SHOP or not), period and type: for cells read from a file,
 * before rates_add_cell.
 */
int rates_cell_valid(const struct rates *r, uint32_t shop, int32_t period, int type);

/*
 * Adds a cell's counters (as rates_cells() gives them) into the table: how
 * merge folds partials together. shop is already mapped to this table's
 * shops.
 */
int rates_add_cell(struct rates *r, uint32_t shop, int32_t period, int type,
		   const uint64_t *counters);

/*
 * A new table with cfg's grouping and period made from src, a shop,day
 * table: each (shop, day) cell is added into the cell its day and shop fall
 * in, or left out (and counted in totals) when its day is outside cfg's
 * period. Names and totals are carried over. This is how one join over
 * many nights gives the trailing-30-day table, the daily trend and a shop's
 * days at once. cfg->by must not have a type dimension (type rows need
 * per-type outcomes, which a shop,day cell does not keep). NULL if out of
 * memory or cfg does not fit.
 */
struct rates *rates_regroup(const struct rates *src, const struct rates_config *cfg);

/*
 * rates_regroup() of one shop's cells and name only: its rows are those
 * rates_regroup() gives for that shop, without building every other shop's.
 * RATES_NO_SHOP (or a shop without cells) gives a table with no cells. The
 * totals are src's whole totals, not the shop's: do not report them.
 */
struct rates *rates_regroup_shop(const struct rates *src, const struct rates_config *cfg,
				 uint32_t shop);

/* Every cell, in no particular order; stop early by returning non-zero. */
typedef int (*rates_cell_fn)(void *ctx, uint32_t shop, int32_t period, int type,
			     const uint64_t *counters);
int rates_cells(const struct rates *r, rates_cell_fn fn, void *ctx);

/* ---- the rows ---- */

enum rates_sort { SORT_DEFAULT, SORT_RATE, SORT_WILSON, SORT_COMPLAINTS };

struct rates_view_options {
	enum rates_sort sort;
	uint64_t min_orders;         /* shop groupings: leave out rows with fewer orders */
	uint64_t top;                /* 0: all rows */
};

/* One output row, 32 bytes (there is one per shop at the end). counters
 * point into the table; orders is what the rate divides by (for a type row,
 * the orders of its shop, or of all shops). */
struct rates_row {
	const uint64_t *counters;
	uint64_t orders;
	uint32_t shop;               /* RATES_NO_SHOP when not grouped by shop */
	int32_t period;              /* local day number of the period's start */
	int32_t type;                /* type index (n_types: other), -1 if none */
	float percentile;            /* shop groupings; NaN otherwise */
};

/* complaints / orders, NaN for no orders. */
static inline double rates_row_rate(const struct rates_row *row)
{
	return row->orders ? (double)row->counters[C_COMPLAINTS] / (double)row->orders
			   : __builtin_nan("");
}

struct rates_view {
	struct rates_row *rows;
	size_t n;
};

/* Builds the sorted rows; -1 if out of memory. Free with rates_view_free. */
int rates_view(struct rates *r, const struct rates_view_options *o, struct rates_view *out);
void rates_view_free(struct rates_view *v);

#endif
