#include "reports/rates_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/stats.h"
#include "formats/timeparse.h"

#define MAX_COLUMNS (32 + RATES_MAX_TYPES)

void rates_day_label(int64_t day, char out[11])
{
	char buf[20];
	time_format(day * 86400, 0, buf);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

static const char *period_column(enum rates_by by)
{
	switch (by) {
	case BY_WEEK:
	case BY_SHOP_WEEK:
		return "week";
	case BY_MONTH:
	case BY_SHOP_MONTH:
		return "month";
	default:
		return "day";
	}
}

static const char *type_id(const struct rates_out *o, int type)
{
	size_t nt = rates_config(o->rates)->n_types;
	return type >= 0 && (size_t)type < nt ? o->type_ids[type] : "other";
}

/* The header: key columns, then the counts the grouping has. */
static size_t columns(const struct rates_out *o, const char **names)
{
	enum rates_by by = rates_config(o->rates)->by;
	size_t nt = rates_config(o->rates)->n_types, n = 0;
	int typed = rates_by_has_type(by);

	if (rates_by_has_shop(by)) {
		names[n++] = "shop_id";
		names[n++] = "shop_name";
	}
	if (rates_by_has_period(by))
		names[n++] = period_column(by);
	if (typed)
		names[n++] = "type";
	names[n++] = "orders";
	names[n++] = "complaints";
	names[n++] = "complaint_rate";
	names[n++] = "rate_per_1000";
	names[n++] = "wilson_low";
	names[n++] = "wilson_high";
	if (!typed) {
		for (size_t t = 0; t < nt; t++)
			names[n++] = o->type_ids[t];
		names[n++] = "other";
	}
	names[n++] = "established";
	names[n++] = "not_established";
	names[n++] = "penalty_points";
	if (by != BY_TYPE) {
		names[n++] = "late_complaints";
		names[n++] = "no_order";
	}
	if (by == BY_SHOP)
		names[n++] = "percentile";
	return n;
}

static void write_row(const struct rates_out *o, struct table *t, const struct rates_row *row)
{
	enum rates_by by = rates_config(o->rates)->by;
	size_t nt = rates_config(o->rates)->n_types;
	const uint64_t *c = row->counters;
	double rate = rates_row_rate(row), lo = NAN, hi = NAN;

	if (rates_by_has_shop(by)) {
		size_t len;
		const char *key = shop_table_key(o->shops, row->shop, &len);
		table_str(t, key, len);
		table_cstr(t, rates_shop_name(o->rates, row->shop, NULL));
	}
	if (rates_by_has_period(by)) {
		char day[11];
		rates_day_label(row->period, day);
		table_cstr(t, day);
	}
	if (rates_by_has_type(by))
		table_cstr(t, type_id(o, row->type));
	if (row->orders)
		stats_wilson(c[C_COMPLAINTS], row->orders, STATS_Z95, &lo, &hi);
	table_int(t, (int64_t)row->orders);
	table_int(t, (int64_t)c[C_COMPLAINTS]);
	table_num(t, rate, 6);
	table_num(t, rate * 1000, 3);
	table_num(t, lo, 6);
	table_num(t, hi, 6);
	if (!rates_by_has_type(by))
		for (size_t k = 0; k <= nt; k++)
			table_int(t, (int64_t)c[C_TYPES + k]);
	if (o->has_outcome) {
		table_int(t, (int64_t)c[C_ESTABLISHED]);
		table_int(t, (int64_t)c[C_NOT_ESTABLISHED]);
		table_int(t, (int64_t)c[C_POINTS]);
	} else {
		table_null(t);
		table_null(t);
		table_null(t);
	}
	if (by != BY_TYPE) {
		table_int(t, (int64_t)c[C_LATE]);
		table_int(t, (int64_t)c[C_NO_ORDER]);
	}
	if (by == BY_SHOP)
		table_num(t, row->percentile, 1);
	table_row_end(t);
}

int rates_write_table(const struct rates_out *o, const struct rates_view *v, FILE *out,
		      enum table_format format)
{
	const char *names[MAX_COLUMNS];
	size_t n = columns(o, names);
	struct table t;

	if (table_begin(&t, out, format, names, n) < 0)
		return -1;
	for (size_t i = 0; i < v->n; i++)
		write_row(o, &t, &v->rows[i]);
	return table_end(&t);
}

int rates_chart_fits(enum gnuplot_kind kind, enum rates_by by)
{
	int period_only = by == BY_DAY || by == BY_WEEK || by == BY_MONTH;
	switch (kind) {
	case GNUPLOT_TOP:
	case GNUPLOT_DISTRIBUTION:
		return by == BY_SHOP;
	case GNUPLOT_TREND:
		return period_only;
	case GNUPLOT_TYPES:
		return by == BY_SHOP || period_only;
	}
	return 0;
}

/* A shop's label on a chart: its name, or its id when it has none. */
static void shop_label(const struct rates_out *o, struct gnuplot *g, uint32_t shop)
{
	const char *name = rates_shop_name(o->rates, shop, NULL);
	size_t len;
	if (*name) {
		gnuplot_row_clabel(g, name);
		return;
	}
	const char *key = shop_table_key(o->shops, shop, &len);
	gnuplot_row_label(g, key, len);
}

int rates_write_chart(const struct rates_out *o, const struct rates_view *v, FILE *out,
		      const struct gnuplot_chart *chart, struct error *err)
{
	enum rates_by by = rates_config(o->rates)->by;
	size_t nt = rates_config(o->rates)->n_types;
	struct gnuplot_chart c = *chart;
	const char *series[RATES_MAX_TYPES + 1];
	struct gnuplot g;

	if (!rates_chart_fits(c.kind, by))
		return error_set(err, "", "this chart does not fit --by %s", rates_by_name(by));
	for (size_t t = 0; t <= nt; t++)
		series[t] = type_id(o, (int)t);
	switch (c.kind) {
	case GNUPLOT_TOP:
		if (!c.title)
			c.title = "Complaint rate, top shops (95% Wilson interval)";
		if (!c.ylabel)
			c.ylabel = c.horizontal ? NULL : "complaints per order";
		if (!c.xlabel && c.horizontal)
			c.xlabel = "complaints per order";
		break;
	case GNUPLOT_TYPES:
		if (!c.title)
			c.title = by == BY_SHOP ? "Complaints by type, per shop"
						: "Complaints by type, per period";
		if (!c.ylabel)
			c.ylabel = "complaints";
		c.series = series;
		c.n_series = nt + 1;
		break;
	case GNUPLOT_TREND:
		if (!c.title)
			c.title = "Complaint rate";
		if (!c.ylabel)
			c.ylabel = "complaints per order";
		break;
	case GNUPLOT_DISTRIBUTION:
		if (!c.title)
			c.title = "Complaint rates of shops";
		if (!c.xlabel)
			c.xlabel = "complaints per order";
		if (!c.ylabel)
			c.ylabel = "shops";
		break;
	}
	if (gnuplot_begin(&g, out, &c, GNUPLOT_RANDOM, err) < 0)
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct rates_row *row = &v->rows[i];
		double rate = rates_row_rate(row), lo = NAN, hi = NAN;
		char day[11];

		if (c.kind == GNUPLOT_TOP && !row->orders)
			continue;  /* no rate to draw */
		if (rates_by_has_shop(by)) {
			shop_label(o, &g, row->shop);
		} else {
			rates_day_label(row->period, day);
			gnuplot_row_clabel(&g, day);
		}
		switch (c.kind) {
		case GNUPLOT_TOP:
			stats_wilson(row->counters[C_COMPLAINTS], row->orders, STATS_Z95, &lo, &hi);
			gnuplot_row_num(&g, rate);
			gnuplot_row_num(&g, lo);
			gnuplot_row_num(&g, hi);
			break;
		case GNUPLOT_TYPES:
			for (size_t t = 0; t <= nt; t++)
				gnuplot_row_num(&g, (double)row->counters[C_TYPES + t]);
			break;
		case GNUPLOT_TREND:
		case GNUPLOT_DISTRIBUTION:
			gnuplot_row_num(&g, rate);
			break;
		}
	}
	return gnuplot_end(&g, err);
}
