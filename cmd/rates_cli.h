/*
 * rates_cli.h - the options rates, merge and report share for what to count
 * (--by, --from, --to, --window, --asof) and how to show it (--top, --sort,
 * --min-orders, --format, --chart, --terminal, --output), declared once so
 * they parse and read the same everywhere.
 */
#ifndef TOUSU_RATES_CLI_H
#define TOUSU_RATES_CLI_H

#include <stdint.h>
#include <time.h>

#include "analyzers/rates.h"
#include "cmd/options.h"
#include "cmd/rates_job.h"

struct rates_flags {
	const char *by, *from, *to, *window, *asof;
	const char *sort, *format, *chart, *terminal, *output;
	uint64_t top, min_orders;
	int horizontal;
};

#define RATES_GROUPING_OPTIONS(f) \
	OPT_CHOICE(0, "by", &(f).by, \
		   "shop|day|week|month|type|shop,day|shop,week|shop,month|shop,type", \
		   "one row per shop (default), period, type, or pair"), \
	OPT_STRING(0, "from", &(f).from, "DATE", "count from this day on (YYYY-MM-DD, in --tz)"), \
	OPT_STRING(0, "to", &(f).to, "DATE", "count up to this day, inclusive"), \
	OPT_STRING(0, "window", &(f).window, "Nd", \
		   "the trailing N days ending with --asof (e.g. 30d, the platform's window)"), \
	OPT_STRING(0, "asof", &(f).asof, "DATE", "the last day of --window (default: yesterday)")

#define RATES_OUTPUT_OPTIONS(f) \
	OPT_U64(0, "top", &(f).top, "N", \
		"only the first N rows (0: all; charts of shops: default 20)"), \
	OPT_CHOICE(0, "sort", &(f).sort, "rate|wilson|complaints", \
		   "sort by this, highest first (default: rate for --by shop, else the key)"), \
	OPT_U64(0, "min-orders", &(f).min_orders, "N", "leave out rows (shops; with shop,day: shop-days) with fewer orders"), \
	OPT_CHOICE(0, "format", &(f).format, "tsv|csv|json|gnuplot", \
		   "output format (default tsv; gnuplot: a chart script)"), \
	OPT_CHOICE(0, "chart", &(f).chart, "top|types|trend|distribution", \
		   "the chart (implies --format gnuplot; default top, or trend by period)"), \
	OPT_CHOICE(0, "terminal", &(f).terminal, "png|svg", "the chart's format (default png)"), \
	OPT_STRING(0, "output", &(f).output, "FILE", \
		   "the chart goes to FILE (gnuplot writes it) instead of gnuplot's stdout"), \
	OPT_BOOL(0, "horizontal", &(f).horizontal, "top chart: shops down the side")

/*
 * Fills cfg's grouping and period (not n_types) from the flags, tz and the
 * time now (for --asof's default), and out from the output flags. -1 with
 * err on a bad or contradictory value (a usage error).
 */
int rates_flags_apply(struct rates_flags *f, int32_t tz, time_t now,
		      struct rates_config *cfg, struct rates_output *out, struct error *err);

/* Only the output flags, for a grouping already known (merge). */
int rates_flags_apply_output(struct rates_flags *f, enum rates_by by,
			     struct rates_output *out, struct error *err);

#endif
