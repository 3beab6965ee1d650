/*
 * rates_out.h - a rates view (analyzers/rates.h) as a table or a chart.
 *
 * The columns are the README's ("tousu rates"), the same names in the tsv
 * and csv headers and the json keys. The chart kinds fit these groupings
 * (rates_chart_fits): top and distribution need --by shop; trend a period
 * grouping (day, week, month); types --by shop or a period.
 *
 * Nothing here owns the view or the table it reads.
 */
#ifndef TOUSU_RATES_OUT_H
#define TOUSU_RATES_OUT_H

#include <stdio.h>

#include "analyzers/rates.h"
#include "analyzers/shop_table.h"
#include "formats/error.h"
#include "reports/gnuplot.h"
#include "reports/table.h"

struct rates_out {
	struct rates *rates;
	const struct shop_table *shops;
	const char *const *type_ids; /* n_types of them; `other` is added */
	int has_outcome;             /* else the outcome columns are null */
};

int rates_write_table(const struct rates_out *o, const struct rates_view *v, FILE *out,
		      enum table_format format);

int rates_chart_fits(enum gnuplot_kind kind, enum rates_by by);

/* chart's kind, terminal, output, size are the caller's; titles are set here
 * when the caller left them NULL. */
int rates_write_chart(const struct rates_out *o, const struct rates_view *v, FILE *out,
		      const struct gnuplot_chart *chart, struct error *err);

/* "YYYY-MM-DD" of a local day number (out holds 11 bytes). */
void rates_day_label(int64_t day, char out[11]);

#endif
