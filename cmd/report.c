/*
 * report.c - `tousu report`: the nightly job. Reads the night's exports,
 * keeps their exact partial in DIR/state, merges the partials of the last
 * nights, and writes DIR/DATE/: the trailing-window rate tables, the daily
 * trend, the type breakdown, charts, alerts, summary.json and index.html.
 *
 * Made for cron (README "tousu report"):
 *  - a lock (DIR/.lock) keeps two runs from writing DIR at once;
 *  - the report is built in DIR/.DATE.tmp.PID and swapped into place in
 *    one rename (renameat2 RENAME_EXCHANGE when DATE exists); just after,
 *    --rebuild forgets the nights up to DATE, the night's partial is renamed
 *    into the state and `latest` is moved: a run that fails or is killed
 *    before the swap leaves every earlier report, the state and `latest` as
 *    they were;
 *  - every stderr line is timestamped (report_log.h); no progress lines.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analyzers/partial.h"
#include "analyzers/stats.h"
#include "cmd/chats_job.h"
#include "cmd/cmd.h"
#include "cmd/rates_job.h"
#include "cmd/report_log.h"
#include "cmd/rule_options.h"
#include "formats/encoding.h"
#include "formats/timeparse.h"
#include "reports/page.h"
#include "reports/rates_out.h"

/* Orders this many days before the window are still joined to complaints
 * (an order finished late can be complained about weeks after it was made). */
#define LOOKBACK_DAYS 60
#define EXIT_ALERT 3
#define WORST_SHOPS 20

static struct strlist order_files, complaint_files, chat_files;
static const char *out_dir, *date_arg, *window_arg = "30", *threshold_arg, *shop_arg;
static double jump = 0.01;
static uint64_t min_orders = 30, memory = JOIN_DEFAULT_BUDGET, match_limit;
static uint64_t threads = UINT64_MAX;
static int fail_on_alert, rebuild;
static struct input_flags in;
static struct rule_flags rf;

static const struct option report_options[] = {
	OPT_FILES(0, "orders", &order_files, "FILE...", "the night's orders exports (required)"),
	OPT_FILES(0, "complaints", &complaint_files, "FILE...", "the night's complaints exports (required)"),
	OPT_FILES(0, "chats", &chat_files, "FILE...",
		  "the night's chat exports: chats.tsv and evidence.tsv in the report"),
	OPT_STRING('o', "out", &out_dir, "DIR", "the reports folder (required)"),
	OPT_STRING(0, "date", &date_arg, "DATE", "the report's date (default: yesterday in --tz)"),
	OPT_STRING(0, "window", &window_arg, "Nd", "the trailing window of the figures (default 30d)"),
	OPT_STRING(0, "threshold", &threshold_arg, "RATE|pN",
		   "alert when a shop's rate reaches RATE (0.05) or the Nth percentile (p90)"),
	OPT_DOUBLE(0, "jump", &jump, "RATE",
		   "alert when a rate rose by RATE since the previous report (default 0.01)"),
	OPT_U64(0, "min-orders", &min_orders, "N",
		"shops with fewer orders raise no alert and are not among the worst (default 30)"),
	OPT_BOOL(0, "fail-on-alert", &fail_on_alert, "exit 3 when there are alerts"),
	OPT_STRING(0, "shop", &shop_arg, "ID", "also write a shop owner's card, shop-ID.html"),
	OPT_BOOL(0, "rebuild", &rebuild,
		 "forget the saved nights up to DATE: the exports given are its whole history"),
	OPT_SIZE(0, "memory", &memory, "SIZE", "memory for the join (default 64M)"),
	OPT_U64('j', "threads", &threads, "N", "classify on N threads (default: one per core)"),
	OPT_U64(0, "match-limit", &match_limit, "N", "PCRE2 match limit (default 1m)"),
	RULE_OPTIONS(rf),
	INPUT_OPTIONS(in),
	OPT_END(),
};

static const struct command_usage report_usage = {
	"tousu report --orders FILE... --complaints FILE... --out DIR [--date DATE] [OPTIONS]",
	"The nightly report. Reads the night's exports, keeps their exact partial in\n"
	"DIR/state/partials/DATE.part (a rerun of a date replaces it), merges it with\n"
	"the saved nights of the window and writes DIR/DATE/: rates.tsv and rates.csv\n"
	"(the trailing window per shop), trend.tsv (per day), types.tsv, alerts.tsv,\n"
	"charts (top, types, trend, distribution; PNG and SVG), summary.json and\n"
	"index.html (self-contained). DIR/latest points at the newest good report.\n"
	"Exit: 0 done, 1 failed (earlier reports untouched), 2 usage, 3 alerts\n"
	"with --fail-on-alert.",
	report_options,
};

/* ---- small helpers ---- */

static char *path_join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", a, b);
	return p;
}

/* The one place a file of the report that cannot be written is said:
 * which file, and why (a full disk must not fail the night unexplained).
 * Returns -1. */
static int write_error(const char *dir, const char *name, int err)
{
	fprintf(stderr, "tousu: report: cannot write %s/%s: %s\n", dir, name,
		strerror(err ? err : EIO));
	return -1;
}

/* DIR/NAME opened for writing; NULL, said, if it cannot be. errno is 0 after
 * a success, so that a later errno is one of this file's writes. */
static FILE *create_in(const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	FILE *f = path ? fopen(path, "w") : NULL;
	int saved = errno;
	free(path);
	if (!f)
		write_error(dir, name, saved);
	errno = 0;
	return f;
}

/* Closes DIR/NAME, whose writing returned rc: 0, or -1 (said) when rc < 0,
 * a write failed or the close (its last flush) fails. */
static int close_out(FILE *f, int rc, const char *dir, const char *name)
{
	int err = rc < 0 || ferror(f) ? (errno ? errno : EIO) : 0;
	if (fclose(f) != 0 && !err)
		err = errno ? errno : EIO;
	return err ? write_error(dir, name, err) : 0;
}


static int remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	if (!d)
		return unlink(path);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = path_join(path, e->d_name);
		if (p)
			remove_tree(p);
		free(p);
	}
	closedir(d);
	return rmdir(path);
}

/* "YYYY-MM-DD" to its day number; -1 if not a date. */
static int day_of(const char *s, int64_t *day)
{
	int64_t t;
	if (strlen(s) != 10 || time_parse(s, 10, 0, &t) < 0)
		return -1;
	*day = rates_local_day(t, 0);
	return 0;
}

/* Whether a file in the state folder is a saved night, DATE.part, and its day. */
static int saved_night(const char *file, int64_t *day)
{
	char name[11];
	if (strlen(file) != 15 || strcmp(file + 10, ".part"))
		return 0;
	memcpy(name, file, 10);
	name[10] = '\0';
	return day_of(name, day) == 0;
}

/*
 * Runs gnuplot on the script the chart writer makes. gnuplot's stderr goes
 * to a temporary file: it warns about harmless things (an empty range on a
 * night with one day of data) that must not fill cron mail, and what it says
 * is shown only when it fails.
 */
static int run_gnuplot(const struct rates_out *o, const struct rates_view *v,
		       const struct gnuplot_chart *c, const char *file)
{
	struct error err;
	int in_pipe[2];
	FILE *log = tmpfile();
	pid_t pid;

	if (!log || pipe(in_pipe) != 0) {
		if (log)
			fclose(log);
		fprintf(stderr, "tousu: report: cannot run gnuplot: %s\n", strerror(errno));
		return -1;
	}
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		dup2(in_pipe[0], 0);
		dup2(fileno(log), 1);
		dup2(fileno(log), 2);
		close(in_pipe[0]);
		close(in_pipe[1]);
		execlp("gnuplot", "gnuplot", (char *)NULL);
		_exit(127);
	}
	close(in_pipe[0]);
	FILE *gp = pid > 0 ? fdopen(in_pipe[1], "w") : NULL;
	int rc = gp ? rates_write_chart(o, v, gp, c, &err) : -1;
	if (gp)
		fclose(gp);
	else
		close(in_pipe[1]);
	int st = -1;
	if (pid > 0)
		waitpid(pid, &st, 0);
	if (rc < 0 && gp)
		error_print(stderr, &err);
	if (rc == 0 && (pid < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)) {
		char line[512];
		fprintf(stderr, "tousu: report: gnuplot failed on %s%s\n", file,
			pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 127
				? " (is gnuplot-nox installed?)" : ":");
		rewind(log);
		while (fgets(line, sizeof(line), log))
			fprintf(stderr, "tousu: gnuplot: %s", line);
		rc = -1;
	}
	fclose(log);
	return rc;
}

/* A report's chart: the rates view through gnuplot into DIR/NAME.png|svg. */
static int chart(const struct rates_out *o, const struct rates_view *v, const char *dir,
		 const char *name, enum gnuplot_kind kind)
{
	for (int term = GNUPLOT_PNG; term <= GNUPLOT_SVG; term++) {
		char file[64];
		struct gnuplot_chart c = {0};
		snprintf(file, sizeof(file), "%s.%s", name, term == GNUPLOT_PNG ? "png" : "svg");
		char *path = path_join(dir, file);
		if (!path)
			return -1;
		c.kind = kind;
		c.terminal = (enum gnuplot_terminal)term;
		c.output = path;
		int rc = run_gnuplot(o, v, &c, file);
		free(path);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int write_table_file(const struct rates_out *o, const struct rates_view *v,
			    const char *dir, const char *name, enum table_format f)
{
	FILE *out = create_in(dir, name);
	if (!out)
		return -1;
	return close_out(out, rates_write_table(o, v, out, f), dir, name);
}

/* Opens DIR/NAME and begins a TSV table with these columns; NULL, said, if
 * either fails (nothing is left open). */
static FILE *begin_tsv(const char *dir, const char *name, struct table *t,
		       const char *const *names, size_t n)
{
	FILE *f = create_in(dir, name);

	if (f && table_begin(t, f, TABLE_TSV, names, n) < 0) {
		close_out(f, -1, dir, name);
		f = NULL;
	}
	return f;
}

/* ---- the previous report, for jumps ---- */

struct previous {
	char date[11];
	struct shop_table *shops;    /* its shop ids, indexing the arrays */
	double *rate;
	uint64_t *types;             /* n_types + 1 per shop */
	size_t n, cap, width;
};

static void previous_free(struct previous *p)
{
	shop_table_free(p->shops);
	free(p->rate);
	free(p->types);
}

/* A rate cell as tousu writes it: empty (no orders), or a number >= 0. */
static int parse_rate(const char *s, double *rate)
{
	char *end;
	if (!*s) {
		*rate = NAN;
		return 0;
	}
	errno = 0;
	*rate = strtod(s, &end);
	return errno || *end || !isfinite(*rate) || *rate < 0 ? -1 : 0;
}

static int parse_count(const char *s, uint64_t *n)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*n = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

/*
 * The newest report folder in dir dated before today, read from its
 * rates.tsv (tousu's own format: '#' header, tab-separated). Returns 0
 * (p->shops NULL when there is none), -1 out of memory, 1 when a line is not
 * what tousu writes (the file was damaged or edited): p is then empty, and
 * *bad_line says where, since jumps measured against made-up rates would be
 * wrong alerts; 2 with errno set when the file cannot be read (p empty too:
 * like a damaged one, it only costs tonight's jump alerts).
 */
static int read_previous(const char *dir, int64_t today, size_t n_types, struct previous *p,
			 uint64_t *bad_line)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int64_t best = INT64_MIN;

	memset(p, 0, sizeof(*p));
	p->width = n_types + 1;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		int64_t day;
		char *rt;
		struct stat st;
		if (day_of(e->d_name, &day) < 0 || day >= today || day <= best)
			continue;
		char *f = path_join(dir, e->d_name);
		rt = f ? path_join(f, "rates.tsv") : NULL;
		if (rt && stat(rt, &st) == 0) {
			best = day;
			memcpy(p->date, e->d_name, 10);  /* day_of took exactly 10 */
			p->date[10] = '\0';
		}
		free(rt);
		free(f);
	}
	closedir(d);
	if (best == INT64_MIN)
		return 0;

	char *f = path_join(dir, p->date), *rt = f ? path_join(f, "rates.tsv") : NULL;
	FILE *tsv = rt ? fopen(rt, "r") : NULL;
	char *line = NULL;
	size_t cap = 0;
	int unreadable = rt && !tsv;
	free(f);
	free(rt);
	if (unreadable)
		return 2;
	if (!tsv || !(p->shops = shop_table_new())) {
		if (tsv)
			fclose(tsv);
		return -1;
	}
	/* Columns: shop_id shop_name orders complaints complaint_rate ... then
	 * the types from column 9; the same tousu wrote them. */
	uint64_t lineno = 0;
	int damaged = 0;
	while (!damaged && getline(&line, &cap, tsv) > 0) {
		char *cells[8 + RATES_MAX_TYPES + 1];
		size_t nc = 0;
		lineno++;
		if (lineno == 1) {
			damaged = strncmp(line, "#shop_id\t", 9) != 0;
			continue;
		}
		line[strcspn(line, "\n")] = '\0';
		for (char *s = line, *t; nc < sizeof(cells) / sizeof(cells[0]); s = t + 1) {
			cells[nc++] = s;
			if (!(t = strchr(s, '\t')))
				break;
			*t = '\0';
		}
		if (nc < 8 + p->width) {
			damaged = 1;
			break;
		}
		/* The id as tousu wrote it, escaped: back to the raw id tonight's
		 * rows have, or an id with a tab or a backslash never jumps. */
		size_t id_len = table_tsv_unescape(cells[0], strlen(cells[0]));
		int64_t i = shop_table_intern(p->shops, cells[0], id_len);
		if (i < 0 || (size_t)i != p->n)
			continue;  /* a repeated id: keep the first */
		if (p->n == p->cap) {
			size_t c = p->cap ? 2 * p->cap : 1024;
			double *r = realloc(p->rate, c * sizeof(*r));
			uint64_t *ty = r ? realloc(p->types, c * p->width * sizeof(*ty)) : NULL;
			if (r)
				p->rate = r;
			if (!ty)
				break;
			p->types = ty;
			p->cap = c;
		}
		damaged = parse_rate(cells[4], &p->rate[p->n]) < 0;
		for (size_t k = 0; !damaged && k < p->width; k++)
			damaged = parse_count(cells[8 + k], &p->types[p->n * p->width + k]) < 0;
		p->n++;
	}
	free(line);
	int read_error = ferror(tsv) ? errno : 0;
	fclose(tsv);
	if (!damaged && !read_error)
		return 0;
	*bad_line = lineno;
	previous_free(p);  /* no shops: no jumps; the date stays, for the message */
	p->shops = NULL;
	p->rate = NULL;
	p->types = NULL;
	p->n = p->cap = 0;
	errno = read_error;
	return read_error ? 2 : 1;
}

/* ---- alerts ---- */

struct alerts {
	size_t n;
	double threshold;            /* the rate that alerts, NaN for none */
};

static int write_alerts(const struct rates_out *o, const struct rates_view *v,
			const struct previous *prev, const char *dir, double threshold,
			struct alerts *a)
{
	size_t nt = rates_config(o->rates)->n_types;
	static const char *const names[] = {
		"shop_id", "shop_name", "reason", "orders", "complaints", "complaint_rate",
		"wilson_low", "wilson_high", "previous_rate", "change", "types_grown",
	};
	struct table t;
	FILE *f = begin_tsv(dir, "alerts.tsv", &t, names, sizeof(names) / sizeof(names[0]));

	a->n = 0;
	if (!f)
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		const struct rates_row *row = &v->rows[i];
		double rate = rates_row_rate(row), lo, hi, before = NAN;
		size_t len;
		const char *key = shop_table_key(o->shops, row->shop, &len);
		int64_t p = -1;

		if (row->orders < min_orders || isnan(rate))
			continue;
		stats_wilson(row->counters[C_COMPLAINTS], row->orders, STATS_Z95, &lo, &hi);
		if (prev->shops)
			p = shop_table_find(prev->shops, key, len);
		if (p >= 0)
			before = prev->rate[p];
		int over = !isnan(threshold) && rate >= threshold;
		/* A jump must be more than noise: the new interval lies above the old rate. */
		int jumped = !isnan(before) && rate - before >= jump && lo > before;
		if (!over && !jumped)
			continue;
		char grown[1024] = "";
		size_t gl = 0;
		for (size_t k = 0; k <= nt && p >= 0; k++) {
			uint64_t now = row->counters[C_TYPES + k], then = prev->types[p * prev->width + k];
			if (now > then && gl < sizeof(grown))
				gl += (size_t)snprintf(grown + gl, sizeof(grown) - gl, "%s%s+%llu",
						       gl ? "," : "", k < nt ? o->type_ids[k] : "other",
						       (unsigned long long)(now - then));
		}
		table_str(&t, key, len);
		table_cstr(&t, rates_shop_name(o->rates, row->shop, NULL));
		table_cstr(&t, over && jumped ? "threshold,jump" : over ? "threshold" : "jump");
		table_int(&t, (int64_t)row->orders);
		table_int(&t, (int64_t)row->counters[C_COMPLAINTS]);
		table_num(&t, rate, 6);
		table_num(&t, lo, 6);
		table_num(&t, hi, 6);
		table_num(&t, before, 6);
		table_num(&t, isnan(before) ? NAN : rate - before, 6);
		table_cstr(&t, grown);
		table_row_end(&t);
		a->n++;
	}
	return close_out(f, table_end(&t), dir, "alerts.tsv");
}

/* The rate that alerts: a number, or pN, the Nth percentile of the rates
 * of the shops with enough orders. NaN when no --threshold. */
static double threshold_rate(const struct rates_view *v)
{
	if (!threshold_arg)
		return NAN;
	if (threshold_arg[0] != 'p')
		return strtod(threshold_arg, NULL);
	double p = strtod(threshold_arg + 1, NULL), *rates = malloc((v->n + 1) * sizeof(*rates));
	size_t n = 0;
	if (!rates)
		return NAN;
	for (size_t i = 0; i < v->n; i++)
		if (v->rows[i].orders >= min_orders && v->rows[i].orders)
			rates[n++] = rates_row_rate(&v->rows[i]);
	stats_sort(rates, n);
	double r = stats_nearest_rank(rates, n, p);
	free(rates);
	return r;
}

/* ---- the folder ---- */

/* The window's totals over all shops. */
struct sums {
	uint64_t orders, complaints, late, no_order;
};

static struct sums sum_rows(const struct rates_view *v)
{
	struct sums s = {0};
	for (size_t i = 0; i < v->n; i++) {
		const uint64_t *c = v->rows[i].counters;
		s.orders += c[C_ORDERS];
		s.complaints += c[C_COMPLAINTS];
		s.late += c[C_LATE];
		s.no_order += c[C_NO_ORDER];
	}
	return s;
}

struct run {
	char date[11], from[11];
	int64_t day, from_day;
	char *dir;                   /* DIR/DATE */
	char *tmp;                   /* DIR/.DATE.tmp.PID */
	char *part_tmp;              /* tmp/night.part */
	struct rates_job night, merged;
	struct rates *shops, *days;
	struct previous prev;
	struct alerts alerts;
	size_t n_partials;
	struct sums sums;
};

/* The night's exports into tmp/night.part. */
static int read_night(struct run *run, struct export_options *eo)
{
	struct rates_config cfg = {BY_SHOP_DAY, in.tz, RATES_OPEN_FROM, RATES_OPEN_TO,
				   rules_type_count(rf.rs)};
	struct rates_job *job = &run->night;
	struct error err;
	int status = rates_job_init(job, &cfg, rf.rs, rf.classifier, (size_t)memory, 1);

	if (status != EXIT_OK)
		return status;
	job->eo = eo;
	job->in = &in;
	job->threads = (size_t)threads;
	job->match_limit = cmd_match_limit(match_limit);
	if (shop_arg)
		rates_job_keep_texts(job, shop_arg);
	fprintf(stderr, "tousu: report %s: reading the night's exports (%zu of complaints, "
		"%zu of orders)\n", run->date, complaint_files.n, order_files.n);
	status = rates_job_read_complaints(job, complaint_files.items, complaint_files.n);
	if (status == EXIT_OK)
		status = rates_job_read_orders(job, order_files.items, order_files.n);
	if (status != EXIT_OK) {
		fprintf(stderr, "tousu: report %s: an export could not be read in full; "
			"nothing changed\n", run->date);
		return EXIT_DATA;
	}
	int fd = open(run->part_tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 || partial_write(fd, job->rates, job->shops, job->join,
				    rates_job_type_ids(job), job->rules, &err) < 0 ||
	    fsync(fd) != 0) {
		if (fd >= 0)
			error_print(stderr, &err);
		else
			fprintf(stderr, "tousu: %s: %s\n", run->part_tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_DATA;
	}
	close(fd);
	return EXIT_OK;
}

/* The saved nights the window needs (and the lookback), and tonight's. */
static int merge_nights(struct run *run, const char *state)
{
	struct rates_config cfg = {BY_SHOP_DAY, in.tz, RATES_OPEN_FROM, RATES_OPEN_TO,
				   rules_type_count(rf.rs)};
	const char **paths = NULL;
	size_t n = 0, cap = 0;
	DIR *d = rebuild ? NULL : opendir(state);
	struct dirent *e;
	int status;

	while (d && (e = readdir(d))) {
		int64_t day;
		if (!saved_night(e->d_name, &day) || day >= run->day ||
		    day < run->from_day - LOOKBACK_DAYS)
			continue;
		if (n + 2 > cap) {
			cap = cap ? 2 * cap : 64;
			const char **p = realloc(paths, cap * sizeof(*p));
			if (!p)
				break;
			paths = p;
		}
		paths[n++] = path_join(state, e->d_name);
	}
	if (d)
		closedir(d);
	if (n + 1 > cap) {
		const char **p = realloc(paths, (n + 1) * sizeof(*p));
		if (p)
			paths = p;
	}
	if (!paths) {
		fputs("tousu: out of memory\n", stderr);
		return EXIT_DATA;
	}
	paths[n++] = strdup(run->part_tmp);
	run->n_partials = n;
	status = rates_job_init(&run->merged, &cfg, rf.rs, rf.classifier, (size_t)memory, 0);
	if (status == EXIT_OK) {
		status = rates_job_load_partials(&run->merged, paths, n);
		if (status != EXIT_OK)
			/* The line above says which night and why: damaged (cut, not a
			 * partial) or made otherwise (rules, --tz). Only the second
			 * needs --rebuild, which forgets every saved night. */
			fprintf(stderr, "tousu: report: the saved nights in %s cannot be merged with "
				"tonight's (why above): a damaged night is made again by rerunning "
				"its date with its exports, or left out by deleting its file; after "
				"a change of rules or --tz, run once with --rebuild and the exports "
				"of the whole window\n", state);
	}
	if (status == EXIT_OK)
		status = rates_job_join(&run->merged);
	for (size_t i = 0; i < n; i++)
		free((void *)paths[i]);
	free(paths);
	return status;
}

static int write_summary(struct run *run, const struct rates_view *shops_view)
{
	const struct rates_totals *t = rates_totals(run->shops);
	uint64_t orders = run->sums.orders, complaints_n = run->sums.complaints;
	uint64_t late = run->sums.late, no_order = run->sums.no_order;
	double lo, hi;
	FILE *f = create_in(run->tmp, "summary.json");

	if (!f)
		return -1;
	stats_wilson(complaints_n, orders, STATS_Z95, &lo, &hi);
	fprintf(f, "{\"date\":\"%s\",\"window_days\":%lld,\"from\":\"%s\",\"to\":\"%s\","
		"\"orders\":%llu,\"complaints\":%llu,", run->date,
		(long long)(run->day - run->from_day + 1), run->from, run->date,
		(unsigned long long)orders, (unsigned long long)complaints_n);
	if (orders)
		fprintf(f, "\"complaint_rate\":%.6f,\"wilson_low\":%.6f,\"wilson_high\":%.6f,",
			(double)complaints_n / (double)orders, lo, hi);
	else
		fputs("\"complaint_rate\":null,\"wilson_low\":null,\"wilson_high\":null,", f);
	fprintf(f, "\"shops\":%zu,\"alerts\":%zu,\"late_complaints\":%llu,\"no_order\":%llu,"
		"\"left_out\":{\"orders_without_shop\":%llu,\"complaints_without_shop\":%llu,"
		"\"orders_without_time\":%llu,\"complaints_without_time\":%llu},"
		"\"nights_merged\":%zu,\"previous_report\":", shops_view->n, run->alerts.n,
		(unsigned long long)late, (unsigned long long)no_order,
		(unsigned long long)t->orders_no_shop, (unsigned long long)t->complaints_no_shop,
		(unsigned long long)t->orders_no_time, (unsigned long long)t->complaints_no_time,
		run->n_partials);
	if (run->prev.shops)
		fprintf(f, "\"%s\"}\n", run->prev.date);
	else
		fputs("null}\n", f);
	return close_out(f, 0, run->tmp, "summary.json");
}

/* chats.tsv and evidence.tsv, from tonight's chat exports (chat signals are
 * medians and bursts, not sums: they are not merged over nights). */
static int write_chats(struct run *run, struct export_options *eo)
{
	FILE *c = create_in(run->tmp, "chats.tsv"), *e = create_in(run->tmp, "evidence.tsv");
	int status = EXIT_DATA;
	struct chats_params p = {
		&chat_files, &complaint_files, eo, &in, rf.rs, rf.classifier, &rf, (size_t)threads,
		cmd_match_limit(match_limit), TABLE_TSV, 1,
	};

	fprintf(stderr, "tousu: report %s: reading %zu chat export%s\n", run->date, chat_files.n,
		chat_files.n == 1 ? "" : "s");
	if (c && e)
		status = chats_job(&p, c, e);
	if ((c && close_out(c, 0, run->tmp, "chats.tsv") < 0) ||
	    (e && close_out(e, 0, run->tmp, "evidence.tsv") < 0))
		status = EXIT_DATA;
	return status;
}

/* types.tsv: complaints per primary type over the window, their share and
 * their rate per 1,000 orders. */
static int write_types(struct run *run, const struct rates_out *o, const struct rates_view *v)
{
	size_t nt = rates_config(run->shops)->n_types;
	uint64_t orders = run->sums.orders, all = 0, by_type[RATES_MAX_TYPES + 1] = {0};
	static const char *const names[] = {"type", "complaints", "share", "per_1000_orders"};
	struct table t;
	FILE *f = begin_tsv(run->tmp, "types.tsv", &t, names, 4);

	if (!f)
		return -1;
	for (size_t i = 0; i < v->n; i++) {
		for (size_t k = 0; k <= nt; k++)
			by_type[k] += v->rows[i].counters[C_TYPES + k];
	}
	for (size_t k = 0; k <= nt; k++)
		all += by_type[k];
	for (size_t k = 0; k <= nt; k++) {
		table_cstr(&t, k < nt ? o->type_ids[k] : "other");
		table_int(&t, (int64_t)by_type[k]);
		table_num(&t, all ? (double)by_type[k] / (double)all : NAN, 4);
		table_num(&t, orders ? 1000.0 * (double)by_type[k] / (double)orders : NAN, 3);
		table_row_end(&t);
	}
	return close_out(f, table_end(&t), run->tmp, "types.tsv");
}

static void fmt_count(char *buf, size_t cap, uint64_t n)
{
	snprintf(buf, cap, "%llu", (unsigned long long)n);
}

static int page_in_dir(const char *dir, const char *name, const struct page_input *pin);

static int write_page(struct run *run, const struct rates_view *shops_view, double threshold)
{
	uint64_t orders = run->sums.orders, complaints_n = run->sums.complaints;
	uint64_t late = run->sums.late, no_order = run->sums.no_order;
	char v_orders[32], v_complaints[32], v_rate[64], v_shops[32], v_alerts[32], v_late[32];
	char title[64], subtitle[160], alert_note[160];
	const struct rates_totals *t = rates_totals(run->shops);
	char notes[6][200];
	const char *note_ptrs[6];
	size_t n_notes = 0;

	fmt_count(v_orders, sizeof(v_orders), orders);
	fmt_count(v_complaints, sizeof(v_complaints), complaints_n);
	if (orders) {
		double lo, hi;
		stats_wilson(complaints_n, orders, STATS_Z95, &lo, &hi);
		snprintf(v_rate, sizeof(v_rate), "%.2f\u2030 (%.2f-%.2f)",
			 1000.0 * (double)complaints_n / (double)orders, 1000 * lo, 1000 * hi);
	} else {
		snprintf(v_rate, sizeof(v_rate), "no orders");
	}
	fmt_count(v_shops, sizeof(v_shops), shops_view->n);
	fmt_count(v_alerts, sizeof(v_alerts), run->alerts.n);
	fmt_count(v_late, sizeof(v_late), late);
	struct page_figure figures[] = {
		{"Orders", v_orders}, {"Complaints", v_complaints},
		{"Complaints per 1,000 orders (95% interval)", v_rate}, {"Shops", v_shops},
		{"Alerts", v_alerts}, {"Late complaints (not counted)", v_late},
	};
	struct page_chart charts[] = {
		{"Worst shops by complaint rate, with 95% Wilson intervals", "top.png"},
		{"Complaint rate per day", "trend.png"},
		{"Complaints per day by type", "types.png"},
		{"How shops' complaint rates are spread", "distribution.png"},
	};
	if (isnan(threshold))
		snprintf(alert_note, sizeof(alert_note), "Shops whose rate jumped since the "
			 "previous report%s%s (at least %llu orders)", run->prev.shops ? " of " : "",
			 run->prev.shops ? run->prev.date : "", (unsigned long long)min_orders);
	else
		snprintf(alert_note, sizeof(alert_note), "Shops at or over a rate of %.4f, or "
			 "whose rate jumped since the previous report (at least %llu orders)",
			 threshold, (unsigned long long)min_orders);
	struct page_table tables[] = {
		{"Alerts", "alerts.tsv", 0, alert_note},
		{"Worst shops", "worst.tsv", WORST_SHOPS,
		 "By complaint rate, shops with enough orders; all shops in rates.tsv"},
		{"Complaint types", "types.tsv", 0, NULL},
		{"Chats tonight", "chats.tsv", WORST_SHOPS,
		 "First response in seconds; contacts the seller started, at night, in bursts"},
		{"Evidence from tonight's chats", "evidence.tsv", WORST_SHOPS,
		 "Harassment: a night contact or a burst in the 7 days before supports it; "
		 "attitude: abusive seller messages"},
	};
	size_t n_tables = chat_files.n ? 5 : 3;
#define S(n) ((n) == 1 ? "" : "s")
	if (t->orders_no_shop || t->complaints_no_shop)
		snprintf(notes[n_notes++], sizeof(notes[0]), "%llu order%s and %llu complaint%s "
			 "without a shop", (unsigned long long)t->orders_no_shop,
			 S(t->orders_no_shop), (unsigned long long)t->complaints_no_shop,
			 S(t->complaints_no_shop));
	if (t->orders_no_time || t->complaints_no_time)
		snprintf(notes[n_notes++], sizeof(notes[0]), "%llu order%s and %llu complaint%s "
			 "whose time does not parse", (unsigned long long)t->orders_no_time,
			 S(t->orders_no_time), (unsigned long long)t->complaints_no_time,
			 S(t->complaints_no_time));
	if (no_order)
		snprintf(notes[n_notes++], sizeof(notes[0]), "%llu complaint%s whose order is not "
			 "in the exports (counted)", (unsigned long long)no_order, S(no_order));
	if (late)
		snprintf(notes[n_notes++], sizeof(notes[0]), "%llu complaint%s filed more than 15 "
			 "days after the trade ended (not counted)", (unsigned long long)late, S(late));
#undef S
	for (size_t i = 0; i < n_notes; i++)
		note_ptrs[i] = notes[i];
	snprintf(title, sizeof(title), "tousu report %s", run->date);
	snprintf(subtitle, sizeof(subtitle), "Trailing %lld days: %s to %s, %zu night%s merged",
		 (long long)(run->day - run->from_day + 1), run->from, run->date, run->n_partials,
		 run->n_partials == 1 ? "" : "s");
	struct page_input pin = {
		title, subtitle, figures, sizeof(figures) / sizeof(figures[0]),
		charts, sizeof(charts) / sizeof(charts[0]), tables, n_tables, note_ptrs, n_notes,
	};
	return page_in_dir(run->tmp, "index.html", &pin);
}

/* Writes dir/name from pin, whose file names are relative to dir. */
static int page_in_dir(const char *dir, const char *name, const struct page_input *pin)
{
	struct page_input p = *pin;
	struct page_chart charts[8];
	struct page_table tables[8];
	char *paths[16] = {0};
	size_t np = 0;
	int rc = -1;
	struct error err;

	for (size_t i = 0; i < p.n_charts && i < 8; i++) {
		charts[i] = p.charts[i];
		charts[i].png_path = paths[np++] = path_join(dir, pin->charts[i].png_path);
	}
	for (size_t i = 0; i < p.n_tables && i < 8; i++) {
		tables[i] = p.tables[i];
		tables[i].tsv_path = paths[np++] = path_join(dir, pin->tables[i].tsv_path);
	}
	p.charts = charts;
	p.tables = tables;
	FILE *f = create_in(dir, name);
	if (f) {
		rc = page_write(f, &p, &err);
		if (rc < 0) {
			/* It says why (a write, or a chart or table it read); a
			 * write error of its own is the page's: name it. */
			if (!err.file[0])
				snprintf(err.file, sizeof(err.file), "%s/%s", dir, name);
			error_print(stderr, &err);
			fclose(f);
		} else {
			rc = close_out(f, 0, dir, name);
		}
	}
	for (size_t i = 0; i < np; i++)
		free(paths[i]);
	return rc;
}

/* ---- the shop card ---- */

static int write_card(struct run *run, const struct rates_out *o, const struct rates_view *v)
{
	size_t nt = rates_config(run->shops)->n_types;
	int64_t idx = shop_table_find(run->merged.shops, shop_arg, strlen(shop_arg));
	const struct rates_row *mine = NULL;
	double *rates = malloc((v->n + 1) * sizeof(*rates));
	size_t n = 0;
	char file[64], name_tsv[80], trend_tsv[80];

	if (!rates) {
		fputs("tousu: out of memory\n", stderr);
		return -1;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (idx >= 0 && v->rows[i].shop == (uint32_t)idx)
			mine = &v->rows[i];
		if (v->rows[i].orders)
			rates[n++] = rates_row_rate(&v->rows[i]);
	}
	stats_sort(rates, n);
	double median = stats_median(rates, n), p90 = stats_nearest_rank(rates, n, 90);
	free(rates);
	/* No row in the window is most often a mistyped id, but may be a quiet
	 * shop: the card is still written (it is true for a quiet shop) and the
	 * report does not fail, but the card and the log say it, so that an
	 * empty card is never silent. */
	if (!mine)
		fprintf(stderr, "tousu: report %s: --shop '%s': no orders or complaints of this "
			"shop from %s to %s; its card shows none\n", run->date, shop_arg,
			run->from, run->date);

	/* A file name from the id: letters, digits, '-', '_' and whole UTF-8
	 * characters (a Chinese shop id stays readable), everything else '_'
	 * ('/', '.', quotes, control bytes), at most 40 bytes. */
	size_t fl = 0, left = strlen(shop_arg);
	for (const char *s = shop_arg; *s && fl < 40;) {
		uint32_t cp;
		size_t k = (unsigned char)*s >= 0x80
			? utf8_decode((const unsigned char *)s, left, &cp) : 0;
		if (k && fl + k <= 40) {
			memcpy(file + fl, s, k);
			fl += k;
		} else if (k) {
			break;
		} else {
			file[fl++] = (char)((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
					    (*s >= 'A' && *s <= 'Z') || *s == '-' || *s == '_' ? *s : '_');
			k = 1;
		}
		s += k;
		left -= k;
	}
	file[fl] = '\0';
	snprintf(name_tsv, sizeof(name_tsv), "shop-%s-types.tsv", file);
	snprintf(trend_tsv, sizeof(trend_tsv), "shop-%s-days.tsv", file);

	/* Its types, and the texts picked from tonight's export. */
	static const char *const tnames[] = {"type", "complaints", "examples"};
	struct table t;
	FILE *f = begin_tsv(run->tmp, name_tsv, &t, tnames, 3);
	if (!f)
		return -1;
	for (size_t k = 0; k <= nt; k++) {
		const char *ex[RATES_JOB_CARD_TEXTS];
		size_t ne = 0;
		for (size_t e = 0; e < RATES_JOB_CARD_TEXTS; e++)
			if (run->night.card_texts[k][e].text)
				ex[ne++] = run->night.card_texts[k][e].text;
		if (!(mine && mine->counters[C_TYPES + k]) && !ne)
			continue;
		table_cstr(&t, k < nt ? o->type_ids[k] : "other");
		table_int(&t, mine ? (int64_t)mine->counters[C_TYPES + k] : 0);
		table_list(&t, ex, NULL, ne);
		table_row_end(&t);
	}
	if (close_out(f, table_end(&t), run->tmp, name_tsv) < 0)
		return -1;

	/* Its days (none for an id no saved night has: the table's header only). */
	struct rates_view days = {0};
	struct rates_config cfg = *rates_config(run->shops);
	struct rates_view_options vo = {0};
	cfg.by = BY_SHOP_DAY;
	struct rates *sd = rates_regroup_shop(run->merged.rates, &cfg,
					      idx >= 0 ? (uint32_t)idx : RATES_NO_SHOP);
	if (!sd || rates_view(sd, &vo, &days) < 0) {
		fputs("tousu: out of memory\n", stderr);
		rates_free(sd);
		return -1;
	}
	struct rates_out so = *o;
	so.rates = sd;
	int rc = write_table_file(&so, &days, run->tmp, trend_tsv, TABLE_TSV);
	rates_view_free(&days);
	rates_free(sd);
	if (rc < 0)
		return -1;

	char v_rate[96], v_median[32], v_p90[32], v_orders[32], title[160], html[80];
	if (mine && mine->orders) {
		double lo, hi;
		stats_wilson(mine->counters[C_COMPLAINTS], mine->orders, STATS_Z95, &lo, &hi);
		snprintf(v_rate, sizeof(v_rate), "%.2f\u2030 (95%%: %.2f-%.2f)",
			 1000 * rates_row_rate(mine), 1000 * lo, 1000 * hi);
	} else {
		snprintf(v_rate, sizeof(v_rate), "no orders in the window");
	}
	snprintf(v_median, sizeof(v_median), "%.2f\u2030", 1000 * median);
	snprintf(v_p90, sizeof(v_p90), "%.2f\u2030", 1000 * p90);
	fmt_count(v_orders, sizeof(v_orders), mine ? mine->orders : 0);
	const char *shop_name = idx >= 0 ? rates_shop_name(run->merged.rates, (uint32_t)idx, NULL) : "";
	if (!strcmp(shop_name, shop_arg))
		shop_name = "";  /* the name is the shop key: say it once */
	snprintf(title, sizeof(title), "%s%s%s: complaints, %s", shop_arg, *shop_name ? " " : "",
		 shop_name, run->date);
	struct page_figure figures[] = {
		{"Orders", v_orders}, {"Complaints per 1,000 orders", v_rate},
		{"Median shop", v_median}, {"90th percentile shop", v_p90},
	};
	struct page_table tables[] = {
		{"Complaint types, with tonight's first texts", name_tsv, 0, NULL},
		{"Day by day", trend_tsv, 0, NULL},
	};
	char subtitle[200];
	snprintf(subtitle, sizeof(subtitle), "Trailing %lld days: %s to %s%s",
		 (long long)(run->day - run->from_day + 1), run->from, run->date,
		 mine ? "" : "; no orders or complaints of this shop in them (is the id right?)");
	struct page_input pin = {
		title, subtitle, figures, 4, NULL, 0, tables, 2, NULL, 0,
	};
	snprintf(html, sizeof(html), "shop-%s.html", file);
	return page_in_dir(run->tmp, html, &pin);
}

/* ---- putting it in place ---- */

/*
 * DIR/DATE becomes the new folder in one step; the old one, if any, is
 * removed after. Filesystems without RENAME_EXCHANGE (NFS, CIFS, many FUSE
 * ones) get two renames instead: the old folder aside as .DATE.old.PID,
 * the new one in, and the old one back if that fails. DATE is missing for
 * the moment between them, and a run killed then leaves the old folder
 * aside, which the next run puts back (clean_leftovers).
 */
static int swap_in(const char *tmp, const char *dir, const char *aside)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return rename(tmp, dir);
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) == 0) {
		remove_tree(tmp);  /* now the old report */
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
		return -1;
	if (rename(dir, aside) != 0)
		return -1;
	if (rename(tmp, dir) != 0) {
		int saved = errno;
		rename(aside, dir);
		errno = saved;
		return -1;
	}
	remove_tree(aside);
	return 0;
}

/* DIR/latest -> DATE, replaced in one rename; only forward: rerunning an
 * older night (a backfill) leaves latest on the newest report. */
static int point_latest(const char *out, const char *date)
{
	char *link = path_join(out, "latest"), *tmp = path_join(out, ".latest.tmp");
	char now[32];
	int rc = -1;
	ssize_t n = link ? readlink(link, now, sizeof(now) - 1) : -1;
	if (n == 10) {
		now[n] = '\0';
		if (strcmp(now, date) > 0) {
			free(link);
			free(tmp);
			return 0;
		}
	}
	if (link && tmp) {
		unlink(tmp);
		rc = symlink(date, tmp) == 0 && rename(tmp, link) == 0 ? 0 : -1;
	}
	free(link);
	free(tmp);
	return rc;
}

/* Leftovers of runs that were killed: folders .DATE.tmp.PID, removed, and
 * a report set aside by swap_in's two renames, .DATE.old.PID: put back
 * when DATE is missing (the run died between them), else removed. The
 * lock is held, so none of them is being written. */
static void clean_leftovers(const char *out)
{
	DIR *d = opendir(out);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		int tmp = strstr(e->d_name, ".tmp.") != NULL, old = strstr(e->d_name, ".old.") != NULL;
		if (e->d_name[0] != '.' || (!tmp && !old))
			continue;
		char *p = path_join(out, e->d_name), date[11], *dir = NULL;
		struct stat st;
		if (old && strlen(e->d_name) > 11 && e->d_name[11] == '.') {
			memcpy(date, e->d_name + 1, 10);
			date[10] = '\0';
			dir = path_join(out, date);
		}
		if (p && dir && stat(dir, &st) != 0 && rename(p, dir) == 0)
			;  /* the report is back where it was */
		else if (p)
			remove_tree(p);
		free(dir);
		free(p);
	}
	if (d)
		closedir(d);
}

/* --rebuild: the saved nights up to and including the run's date are in
 * the exports given, so their partials go; later nights' (a rebuild of a
 * backfill date) are not, and stay. */
static void forget_nights(const char *state, int64_t upto)
{
	DIR *d = opendir(state);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		int64_t day;
		if (!saved_night(e->d_name, &day) || day > upto)
			continue;
		char *p = path_join(state, e->d_name);
		if (p)
			unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
}

static int build(struct run *run, struct export_options *eo, const char *state)
{
	struct rates_config cfg = {BY_SHOP, in.tz, run->from_day, run->day, rules_type_count(rf.rs)};
	struct rates_view shops_view = {0}, days_view = {0}, worst = {0};
	struct rates_view_options all = {SORT_RATE, 0, 0}, by_day = {0};
	struct rates_view_options worst_o = {SORT_RATE, min_orders, WORST_SHOPS};
	int status;

	if ((status = read_night(run, eo)) != EXIT_OK)
		return status;
	if ((status = merge_nights(run, state)) != EXIT_OK)
		return status;
	/* The card's examples are complaints of its figures: those the window
	 * counts for the shop, with the orders of every night merged. */
	if ((status = rates_job_pick_texts(&run->night, &run->merged, &cfg)) != EXIT_OK)
		return status;
	run->shops = rates_regroup(run->merged.rates, &cfg);
	cfg.by = BY_DAY;
	run->days = rates_regroup(run->merged.rates, &cfg);
	struct rates_out o = {run->shops, run->merged.shops, rates_job_type_ids(&run->merged),
			      rates_totals(run->merged.rates)->has_outcome};
	struct rates_out od = o;
	od.rates = run->days;
	if (!run->shops || !run->days || !o.type_ids ||
	    rates_view(run->shops, &all, &shops_view) < 0 ||
	    rates_view(run->days, &by_day, &days_view) < 0 ||
	    rates_view(run->shops, &worst_o, &worst) < 0) {
		fputs("tousu: out of memory\n", stderr);
		status = EXIT_DATA;
		goto out;
	}
	double threshold = threshold_rate(&shops_view);
	run->sums = sum_rows(&shops_view);
	status = EXIT_DATA;
	uint64_t bad_line = 0;
	int prev = read_previous(out_dir, run->day, rules_type_count(rf.rs), &run->prev, &bad_line);
	if (prev < 0) {
		fputs("tousu: report: out of memory reading the previous report\n", stderr);
		goto out;
	}
	if (prev == 2)
		fprintf(stderr, "tousu: report: %s/%s/rates.tsv: cannot read it: %s: no jump alerts "
			"tonight\n", out_dir, run->prev.date, strerror(errno));
	else if (prev == 1)
		fprintf(stderr, "tousu: report: %s/%s/rates.tsv:%llu: not a line tousu writes (the "
			"file was damaged or edited): no jump alerts tonight\n", out_dir,
			run->prev.date, (unsigned long long)bad_line);
	if (write_table_file(&o, &shops_view, run->tmp, "rates.tsv", TABLE_TSV) < 0 ||
	    write_table_file(&o, &shops_view, run->tmp, "rates.csv", TABLE_CSV) < 0 ||
	    write_table_file(&o, &worst, run->tmp, "worst.tsv", TABLE_TSV) < 0 ||
	    write_table_file(&od, &days_view, run->tmp, "trend.tsv", TABLE_TSV) < 0 ||
	    write_table_file(&od, &days_view, run->tmp, "trend.csv", TABLE_CSV) < 0 ||
	    write_types(run, &o, &shops_view) < 0 ||
	    write_alerts(&o, &shops_view, &run->prev, run->tmp, threshold, &run->alerts) < 0)
		goto out;
	if (chart(&o, &worst, run->tmp, "top", GNUPLOT_TOP) < 0 ||
	    chart(&od, &days_view, run->tmp, "trend", GNUPLOT_TREND) < 0 ||
	    chart(&od, &days_view, run->tmp, "types", GNUPLOT_TYPES) < 0 ||
	    chart(&o, &shops_view, run->tmp, "distribution", GNUPLOT_DISTRIBUTION) < 0)
		goto out;
	if (chat_files.n && write_chats(run, eo) != EXIT_OK)
		goto out;
	if (write_summary(run, &shops_view) < 0 || write_page(run, &shops_view, threshold) < 0 ||
	    (shop_arg && write_card(run, &o, &shops_view) < 0))
		goto out;
	status = EXIT_OK;
out:
	rates_view_free(&shops_view);
	rates_view_free(&days_view);
	rates_view_free(&worst);
	return status;
}

static int run_report(int argc, char **argv)
{
	char **operands;
	size_t n_operands;
	int status = EXIT_OK, lock = -1, logging = 0;
	struct export_options eo;
	struct error err;
	struct run run = {0};
	char *state = NULL, *lock_path = NULL, *final_part = NULL;
	int64_t window;

	input_flags_init(&in);
	if (cmd_parse(argc, argv, &report_usage, "report", 0, &operands, &n_operands, &status))
		return status;
	status = EXIT_USAGE;
	if (n_operands) {
		fprintf(stderr, "tousu: report: unexpected '%s': name exports with --orders and "
			"--complaints\n", operands[0]);
		goto out;
	}
	if (!order_files.n || !complaint_files.n || !out_dir) {
		fputs("tousu: report: needs --orders FILE..., --complaints FILE... and --out DIR\n",
		      stderr);
		goto out;
	}
	/* With --chats the complaints are read twice: for the rates, and for
	 * the chats' evidence. */
	if (cmd_stdin_once("report", (const struct strlist *[]){&order_files, &complaint_files,
								&chat_files, &complaint_files},
			   chat_files.n ? 4 : 3) < 0)
		goto out;
	if (input_flags_apply(&in, &eo, &err) < 0) {
		error_print(stderr, &err);
		goto out;
	}
	/* Never a progress line, even with --progress: stderr is the job's
	 * timestamped log (cron mail, a log file), where carriage returns and
	 * escape codes are garbage. */
	in.progress_flag = 0;
	char *end;
	window = strtoll(window_arg, &end, 10);
	if (end == window_arg || (*end && strcmp(end, "d")) || window < 1 || window > 3660) {
		fprintf(stderr, "tousu: report: --window: '%s' is not a number of days such as 30d\n",
			window_arg);
		goto out;
	}
	if (shop_arg && !*shop_arg) {
		fputs("tousu: report: --shop: give a shop id\n", stderr);
		goto out;
	}
	if (threshold_arg) {
		const char *s = threshold_arg + (threshold_arg[0] == 'p');
		double v = strtod(s, &end);
		/* p0 has no nearest rank (it would silently alert on nothing). */
		if (end == s || *end || !isfinite(v) || v < 0 ||
		    (threshold_arg[0] == 'p' ? v <= 0 || v > 100 : v > 1)) {
			fprintf(stderr, "tousu: report: --threshold: '%s' is not a rate (0.05) or a "
				"percentile (p90)\n", threshold_arg);
			goto out;
		}
	}
	if (!isfinite(jump) || jump < 0 || jump > 1) {
		fprintf(stderr, "tousu: report: --jump: a rise in rate from 0 to 1, such as 0.01\n");
		goto out;
	}
	if (date_arg) {
		if (day_of(date_arg, &run.day) < 0) {
			fprintf(stderr, "tousu: report: --date: '%s' is not a date YYYY-MM-DD\n",
				date_arg);
			goto out;
		}
	} else {
		run.day = rates_local_day((int64_t)time(NULL), in.tz) - 1;
	}
	run.from_day = run.day - window + 1;
	rates_day_label(run.day, run.date);
	rates_day_label(run.from_day, run.from);
	threads = cmd_threads(threads);

	status = EXIT_DATA;
	if (report_log_start(in.tz) == 0)
		logging = 1;
	/* The folder, the lock, and a place to build in: before any reading, so
	 * an unwritable DIR fails now and not after an hour. */
	state = path_join(out_dir, "state/partials");
	lock_path = path_join(out_dir, ".lock");
	if (!state || !lock_path) {
		fputs("tousu: report: out of memory\n", stderr);
		goto out;
	}
	if (cmd_mkdir_p(state, &err) < 0) {
		error_print(stderr, &err);
		goto out;
	}
	lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) != 0) {
		fprintf(stderr, "tousu: report: %s: %s\n", lock_path,
			lock < 0 ? strerror(errno) : "another tousu report is writing this folder");
		goto out;
	}
	clean_leftovers(out_dir);
	char leaf[64];
	snprintf(leaf, sizeof(leaf), ".%s.tmp.%ld", run.date, (long)getpid());
	run.tmp = path_join(out_dir, leaf);
	run.dir = path_join(out_dir, run.date);
	run.part_tmp = run.tmp ? path_join(run.tmp, "night.part") : NULL;
	snprintf(leaf, sizeof(leaf), "%s.part", run.date);
	final_part = path_join(state, leaf);
	if (!run.tmp || !run.dir || !run.part_tmp || !final_part || mkdir(run.tmp, 0777) != 0) {
		fprintf(stderr, "tousu: report: cannot create %s: %s\n", run.tmp ? run.tmp : out_dir,
			strerror(errno));
		goto out;
	}
	if (input_flags_open_rejects(&in, &eo, &err) < 0) {
		error_print(stderr, &err);
		goto out;
	}
	if (rule_flags_load(&rf) < 0)
		goto out;

	status = build(&run, &eo, state);
	/* The rejects file is part of the run's output: its write error must
	 * fail the run before anything is put in place, not after (exit 1
	 * promises nothing changed). The release at the end is then a no-op. */
	if (status == EXIT_OK && input_flags_release(&in) < 0)
		status = EXIT_DATA;
	if (status != EXIT_OK) {
		fprintf(stderr, "tousu: report %s: failed; earlier reports and %s/latest are "
			"unchanged\n", run.date, out_dir);
		goto out;
	}
	/* In place: the folder first, so that a failure there changes nothing
	 * (the partial is still inside the temporary folder, and --rebuild has
	 * not yet forgotten any night); then the state, then latest. */
	snprintf(leaf, sizeof(leaf), ".%s.old.%ld", run.date, (long)getpid());
	char *aside = path_join(out_dir, leaf);
	int swapped = aside && swap_in(run.tmp, run.dir, aside) == 0;
	free(aside);
	if (!swapped) {
		fprintf(stderr, "tousu: report %s: cannot put the report in place: %s; earlier "
			"reports and %s/latest are unchanged\n", run.date, strerror(errno), out_dir);
		status = EXIT_DATA;
		goto out;
	}
	free(run.tmp);
	run.tmp = NULL;
	/* The partial moved with the folder. Forgotten nights go before it is
	 * put in place: a run stopped between the two misses nights (a rerun of
	 * --rebuild mends it) rather than counting them twice. */
	char *part_now = path_join(run.dir, "night.part");
	if (rebuild)
		forget_nights(state, run.day);
	if (!part_now || rename(part_now, final_part) != 0 || point_latest(out_dir, run.date) != 0) {
		fprintf(stderr, "tousu: report %s: written to %s, but cannot save its partial "
			"or move %s/latest: %s\n", run.date, run.dir, out_dir, strerror(errno));
		free(part_now);
		status = EXIT_DATA;
		goto out;
	}
	free(part_now);
	fprintf(stderr, "tousu: report %s: written to %s (%zu alert%s)\n", run.date, run.dir,
		run.alerts.n, run.alerts.n == 1 ? "" : "s");
	if (fail_on_alert && run.alerts.n)
		status = EXIT_ALERT;
out:
	if (run.tmp)
		remove_tree(run.tmp);
	previous_free(&run.prev);
	rates_free(run.shops);
	rates_free(run.days);
	rates_job_release(&run.night);
	rates_job_release(&run.merged);
	free(run.tmp);
	free(run.dir);
	free(run.part_tmp);
	free(final_part);
	free(state);
	free(lock_path);
	if (lock >= 0)
		close(lock);
	rule_flags_release(&rf);
	if (input_flags_release(&in) < 0)
		status = EXIT_DATA;
	strlist_release(&order_files);
	strlist_release(&complaint_files);
	strlist_release(&chat_files);
	free(operands);
	if (logging)
		report_log_stop();
	return cmd_finish_stdout(status);
}

const struct cmd cmd_report = {
	"report", "the nightly report: a dated folder with rate tables, charts, alerts, a page",
	run_report,
};
