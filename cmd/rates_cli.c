#include "cmd/rates_cli.h"

#include <stdlib.h>
#include <string.h>

#include "formats/timeparse.h"
#include "reports/rates_out.h"

/* A YYYY-MM-DD day to its day number. */
static int parse_day(const char *opt, const char *s, int64_t *day, struct error *err)
{
	int64_t t;
	size_t len = strlen(s);
	if (len != 10 || time_parse(s, len, 0, &t) < 0)
		return error_set(err, NULL, "%s: '%s' is not a date YYYY-MM-DD", opt, s);
	*day = rates_local_day(t, 0);
	return 0;
}

static int parse_window(const char *s, int64_t *days, struct error *err)
{
	char *end;
	long long n = strtoll(s, &end, 10);
	/* "30d", or a bare "30": days either way. */
	if (end == s || (*end && strcmp(end, "d")) || n < 1 || n > 100000)
		return error_set(err, NULL, "--window: '%s' is not a number of days such as 30d", s);
	*days = n;
	return 0;
}

int rates_flags_apply_output(struct rates_flags *f, enum rates_by by,
			     struct rates_output *out, struct error *err)
{
	memset(out, 0, sizeof(*out));
	out->format = TABLE_TSV;
	if (f->format && strcmp(f->format, "gnuplot"))
		table_format_parse(f->format, &out->format);
	out->chart = (f->format && !strcmp(f->format, "gnuplot")) || f->chart;
	if (f->chart && f->format && strcmp(f->format, "gnuplot"))
		return error_set(err, NULL, "--chart makes a gnuplot script: it cannot be "
				 "--format %s", f->format);
	if ((f->terminal || f->output || f->horizontal) && !out->chart)
		return error_set(err, NULL, "--terminal, --output and --horizontal are for charts "
				 "(--chart or --format gnuplot)");
	if (f->sort) {
		out->view.sort = !strcmp(f->sort, "rate") ? SORT_RATE
			       : !strcmp(f->sort, "wilson") ? SORT_WILSON : SORT_COMPLAINTS;
	}
	out->view.min_orders = f->min_orders;
	out->view.top = f->top;
	if (!out->chart)
		return 0;

	struct gnuplot_chart *c = &out->gnuplot;
	int period = by == BY_DAY || by == BY_WEEK || by == BY_MONTH;
	if (f->chart)
		gnuplot_kind_parse(f->chart, &c->kind);
	else
		c->kind = period ? GNUPLOT_TREND : GNUPLOT_TOP;
	if (!rates_chart_fits(c->kind, by))
		return error_set(err, NULL, "--chart %s does not fit --by %s (top and distribution: "
				 "--by shop; trend: day, week or month; types: shop or a period)",
				 f->chart ? f->chart : "top", rates_by_name(by));
	c->terminal = GNUPLOT_PNG;
	if (f->terminal)
		gnuplot_terminal_parse(f->terminal, &c->terminal);
	else if (f->output && strlen(f->output) > 4 &&
		 !strcmp(f->output + strlen(f->output) - 4, ".svg"))
		c->terminal = GNUPLOT_SVG;
	for (const char *p = f->output; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return error_set(err, NULL, "--output: a file name with control characters "
					 "cannot be given to gnuplot");
	c->output = f->output;
	c->horizontal = f->horizontal;
	if (!f->top && by == BY_SHOP && (c->kind == GNUPLOT_TOP || c->kind == GNUPLOT_TYPES))
		out->view.top = 20;
	/* A chart of the top shops ranks them by rate unless told otherwise. */
	if (by == BY_SHOP && !f->sort)
		out->view.sort = SORT_RATE;
	return 0;
}

int rates_flags_apply(struct rates_flags *f, int32_t tz, time_t now,
		      struct rates_config *cfg, struct rates_output *out, struct error *err)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->tz = tz;
	cfg->from_day = RATES_OPEN_FROM;
	cfg->to_day = RATES_OPEN_TO;
	cfg->by = BY_SHOP;
	if (f->by)
		rates_by_parse(f->by, &cfg->by);
	else if (f->chart && !strcmp(f->chart, "trend"))
		cfg->by = BY_DAY;
	if (f->window) {
		int64_t days = 0, asof;
		if (f->from || f->to)
			return error_set(err, NULL, "--window and --from/--to both set the period: "
					 "give one");
		if (parse_window(f->window, &days, err) < 0)
			return -1;
		if (f->asof) {
			if (parse_day("--asof", f->asof, &asof, err) < 0)
				return -1;
		} else {
			asof = rates_local_day((int64_t)now, tz) - 1;
		}
		cfg->from_day = asof - days + 1;
		cfg->to_day = asof;
	} else {
		if (f->asof)
			return error_set(err, NULL, "--asof goes with --window");
		if (f->from && parse_day("--from", f->from, &cfg->from_day, err) < 0)
			return -1;
		if (f->to && parse_day("--to", f->to, &cfg->to_day, err) < 0)
			return -1;
		if (cfg->from_day > cfg->to_day)
			return error_set(err, NULL, "--from %s is after --to %s", f->from, f->to);
	}
	return rates_flags_apply_output(f, cfg->by, out, err);
}
