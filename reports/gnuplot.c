#include "reports/gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "formats/encoding.h"

#define GNUPLOT_MAX_PIXELS 20000u

static const char *const kind_names[] = {
	[GNUPLOT_TOP] = "top",
	[GNUPLOT_TYPES] = "types",
	[GNUPLOT_TREND] = "trend",
	[GNUPLOT_DISTRIBUTION] = "distribution",
};

int gnuplot_kind_parse(const char *name, enum gnuplot_kind *out)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (!strcmp(name, kind_names[i])) {
			*out = (enum gnuplot_kind)i;
			return 0;
		}
	return -1;
}

int gnuplot_terminal_parse(const char *name, enum gnuplot_terminal *out)
{
	if (!strcmp(name, "png"))
		*out = GNUPLOT_PNG;
	else if (!strcmp(name, "svg"))
		*out = GNUPLOT_SVG;
	else
		return -1;
	return 0;
}

/* ---- escaping ---------------------------------------------------------- */

enum quoting { QUOTE_LABEL, QUOTE_TEXT };

/*
 * The shared rules: controls to spaces, invalid UTF-8 to U+FFFD, at most
 * GNUPLOT_TEXT_MAX source bytes, then the quoting's own escapes.
 */
static size_t escape(char *dst, const char *src, size_t len, enum quoting q)
{
	const unsigned char *s = (const unsigned char *)src;
	char quote = q == QUOTE_LABEL ? '"' : '\'';
	size_t o = 0, i = 0;

	dst[o++] = quote;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		int invalid = n == 0;
		if (invalid)
			n = 1;

		if (i + n > GNUPLOT_TEXT_MAX) {
			memcpy(dst + o, "\xe2\x80\xa6", 3);  /* U+2026 ... */
			o += 3;
			break;
		}
		if (invalid) {
			memcpy(dst + o, "\xef\xbf\xbd", 3);  /* U+FFFD */
			o += 3;
		} else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			dst[o++] = ' ';
		} else if (q == QUOTE_LABEL && cp == '"') {
			/* gnuplot ends the field at any '"', even after '\' */
			memcpy(dst + o, "\\042", 4);
			o += 4;
		} else if (q == QUOTE_LABEL && cp == '\\') {
			/* octal, so no '\' ever stands before the closing quote */
			memcpy(dst + o, "\\134", 4);
			o += 4;
		} else if (q == QUOTE_TEXT && cp == '\'') {
			dst[o++] = '\'';
			dst[o++] = '\'';
		} else {
			memcpy(dst + o, s + i, n);
			o += n;
		}
		i += n;
	}
	dst[o++] = quote;
	dst[o] = '\0';
	return o;
}

size_t gnuplot_escape_label(char *dst, const char *s, size_t len)
{
	return escape(dst, s, len, QUOTE_LABEL);
}

size_t gnuplot_escape_text(char *dst, const char *s, size_t len)
{
	return escape(dst, s, len, QUOTE_TEXT);
}

/* ---- the script buffer ------------------------------------------------- */

static void put(struct gnuplot *g, const char *s, size_t n)
{
	if (g->oom)
		return;
	if (g->len + n + 1 > g->cap) {
		size_t cap = g->cap ? g->cap : 4096;
		while (cap < g->len + n + 1)
			cap *= 2;
		char *b = realloc(g->buf, cap);
		if (!b) {
			g->oom = 1;
			return;
		}
		g->buf = b;
		g->cap = cap;
	}
	memcpy(g->buf + g->len, s, n);
	g->len += n;
}

static void puts_(struct gnuplot *g, const char *s)
{
	put(g, s, strlen(s));
}

/* Only for the script's own text: never pass data or user strings here. */
__attribute__((format(printf, 2, 3)))
static void putf(struct gnuplot *g, const char *fmt, ...)
{
	char b[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(b)) {
		g->oom = 1;
		return;
	}
	put(g, b, (size_t)n);
}

/* A user string in a command: 'text' with ' doubled. */
static void put_text(struct gnuplot *g, const char *s)
{
	char e[GNUPLOT_ESCAPED_SIZE];
	put(g, e, gnuplot_escape_text(e, s, strlen(s)));
}

/* A number as gnuplot reads it whatever LC_NUMERIC says; NaN if not finite. */
static void put_num(struct gnuplot *g, double v)
{
	char b[40];

	if (!isfinite(v)) {
		puts_(g, "NaN");
		return;
	}
	int n = snprintf(b, sizeof(b), "%.10g", v);
	for (int i = 0; i < n; i++)
		if (b[i] == ',')
			b[i] = '.';
	put(g, b, (size_t)n);
}

static void mistake(struct gnuplot *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void mistake(struct gnuplot *g, const char *fmt, ...)
{
	va_list ap;

	if (g->bad[0])
		return;  /* the first one explains the rest */
	va_start(ap, fmt);
	vsnprintf(g->bad, sizeof(g->bad), fmt, ap);
	va_end(ap);
}

/* ---- begin ------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static int random_u64(uint64_t *out)
{
	unsigned char b[8];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got < sizeof(b)) {
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		got = 0;
		while (got < sizeof(b)) {
			ssize_t n = read(fd, b + got, sizeof(b) - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		close(fd);
		if (got < sizeof(b))
			return -1;
	}
	memcpy(out, b, sizeof(b));
	return 0;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int check_chart(const struct gnuplot_chart *c, struct error *err)
{
	if ((unsigned)c->kind > GNUPLOT_DISTRIBUTION)
		return error_set(err, NULL, "gnuplot: unknown chart kind %d", (int)c->kind);
	if ((unsigned)c->terminal > GNUPLOT_SVG)
		return error_set(err, NULL, "gnuplot: unknown terminal %d", (int)c->terminal);
	if (c->width > GNUPLOT_MAX_PIXELS || c->height > GNUPLOT_MAX_PIXELS)
		return error_set(err, NULL, "gnuplot: chart size %ux%u is over %u pixels a side",
				 c->width, c->height, GNUPLOT_MAX_PIXELS);
	if (c->kind == GNUPLOT_TYPES && !c->n_series)
		return error_set(err, NULL, "gnuplot: a types chart needs at least one series");
	if (c->kind == GNUPLOT_DISTRIBUTION && !(c->bin_width >= 0 && isfinite(c->bin_width)))
		return error_set(err, NULL, "gnuplot: bin width must be a positive number");
	/* gnuplot copies the font name into the svg unescaped: keep it plain. */
	if (c->font && (!*c->font || has_control(c->font) || strpbrk(c->font, "'\"\\`<>&")))
		return error_set(err, NULL, "gnuplot: font name '%s' is empty or has a quote, "
				 "backslash, backquote, < > & or a control character", c->font);
	if (c->output && (!*c->output || has_control(c->output)))
		return error_set(err, NULL, "gnuplot: output path is empty or has a control character");
	return 0;
}

static void put_header(struct gnuplot *g, const struct gnuplot_chart *c)
{
	unsigned w = c->width ? c->width : 1200, h = c->height ? c->height : 800;

	putf(g, "# tousu %s chart: a gnuplot script with its data inline\n",
	     kind_names[c->kind]);
	puts_(g, "set encoding utf8\n");
	puts_(g, c->terminal == GNUPLOT_PNG ? "set terminal pngcairo" : "set terminal svg");
	putf(g, " noenhanced size %u,%u font ", w, h);
	put_text(g, c->font ? c->font : GNUPLOT_DEFAULT_FONT);
	if (c->terminal == GNUPLOT_SVG)
		puts_(g, " background rgb 'white'");
	puts_(g, "\n");
	if (c->output) {
		/* Not put_text: a path is never cut, and only ' needs doubling. */
		puts_(g, "set output '");
		if (c->output[0] != '/')
			puts_(g, "./");  /* '|cmd' would be a pipe, '~' a home */
		for (const char *p = c->output; *p; p++) {
			put(g, p, 1);
			if (*p == '\'')
				put(g, p, 1);
		}
		puts_(g, "'\n");
	}
	puts_(g, "set datafile separator whitespace\n");
	puts_(g, "set datafile commentschars '#'\n");
	puts_(g, "set key noenhanced\n");
	if (c->title && *c->title) {
		puts_(g, "set title ");
		put_text(g, c->title);
		puts_(g, " noenhanced\n");
	}
	if (c->xlabel && *c->xlabel) {
		puts_(g, "set xlabel ");
		put_text(g, c->xlabel);
		puts_(g, " noenhanced\n");
	}
	if (c->ylabel && *c->ylabel) {
		puts_(g, "set ylabel ");
		put_text(g, c->ylabel);
		puts_(g, " noenhanced\n");
	}
	putf(g, "$DATA_%s << EOD_%s\n", g->id, g->id);
	if (c->kind == GNUPLOT_TYPES) {
		/* Series names reach the key through columnheader(), as data. */
		char e[GNUPLOT_ESCAPED_SIZE];
		puts_(g, "\"label\"");
		for (size_t i = 0; i < c->n_series; i++) {
			const char *s = c->series[i] ? c->series[i] : "";
			puts_(g, " ");
			put(g, e, gnuplot_escape_label(e, s, strlen(s)));
		}
		puts_(g, "\n");
	}
}

int gnuplot_begin(struct gnuplot *g, FILE *out, const struct gnuplot_chart *c,
		  uint64_t seed, struct error *err)
{
	uint64_t r;

	memset(g, 0, sizeof(*g));
	if (check_chart(c, err))
		return -1;
	if (seed != GNUPLOT_RANDOM)
		r = splitmix64(seed);
	else if (random_u64(&r))
		return error_set(err, NULL, "gnuplot: no random bytes for the data marker: %s",
				 strerror(errno));
	snprintf(g->id, sizeof(g->id), "%016llx", (unsigned long long)r);
	g->out = out;
	g->kind = c->kind;
	g->horizontal = c->horizontal;
	g->bin_width = c->bin_width;
	switch (c->kind) {
	case GNUPLOT_TOP: g->numbers = 3; break;
	case GNUPLOT_TYPES: g->numbers = c->n_series; break;
	default: g->numbers = 1; break;
	}
	put_header(g, c);
	if (g->oom) {
		free(g->buf);
		g->buf = NULL;
		return error_set(err, NULL, "gnuplot: out of memory");
	}
	return 0;
}

/* ---- rows -------------------------------------------------------------- */

/* Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* A date YYYY-MM-DD to its day number in *day; 0 if s is not one. */
static int parse_date(const char *s, size_t len, long *day)
{
	if (len != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	long year = atol(s);
	int month = (s[5] - '0') * 10 + (s[6] - '0');
	int mday = (s[8] - '0') * 10 + (s[9] - '0');
	if (month < 1 || month > 12 || mday < 1 || mday > 31)
		return 0;
	*day = days_from_civil(year, month, mday);
	return 1;
}

static void row_finish(struct gnuplot *g)
{
	if (!g->rows)
		return;
	if (g->column != g->numbers)
		mistake(g, "gnuplot: row %zu has %zu numbers, the %s chart takes %zu",
			g->rows, g->column, kind_names[g->kind], g->numbers);
	puts_(g, "\n");
}

void gnuplot_row_label(struct gnuplot *g, const char *s, size_t len)
{
	row_finish(g);
	g->rows++;
	g->column = 0;
	if (g->kind == GNUPLOT_TREND) {
		/* Unquoted, because timefmt does not read a quoted date; checked,
		 * so the line starts with a digit and holds nothing else. */
		long day;
		if (parse_date(s, len, &day)) {
			put(g, s, len);
			if (g->rows == 1 || day < g->first_day)
				g->first_day = day;
			if (g->rows == 1 || day > g->last_day)
				g->last_day = day;
		} else {
			mistake(g, "gnuplot: row %zu: a trend takes dates as YYYY-MM-DD", g->rows);
			puts_(g, "\"\"");
		}
		return;
	}
	char e[GNUPLOT_ESCAPED_SIZE];
	put(g, e, gnuplot_escape_label(e, s, len));
}

void gnuplot_row_clabel(struct gnuplot *g, const char *s)
{
	gnuplot_row_label(g, s, strlen(s));
}

void gnuplot_row_num(struct gnuplot *g, double v)
{
	if (!g->rows) {
		mistake(g, "gnuplot: a number before the first row's label");
		return;
	}
	g->column++;
	puts_(g, " ");
	put_num(g, v);
	if (isfinite(v))
		g->finite++;
}

/* ---- end --------------------------------------------------------------- */

static void put_no_data(struct gnuplot *g)
{
	puts_(g, "unset xdata\n"
		 "set xrange [0:1]\n"
		 "set yrange [0:1]\n"
		 "unset xtics\n"
		 "unset ytics\n"
		 "set label 1 'no data' at graph 0.5, graph 0.5 center\n"
		 "plot NaN with lines notitle\n");
}

static void put_plot(struct gnuplot *g)
{
	const char *d = g->id;
	size_t n = g->rows;

	switch (g->kind) {
	case GNUPLOT_TOP:
		puts_(g, "set style fill solid 0.6 border -1\n");
		if (g->horizontal) {
			/* The first row on top; bars from 0, interval as x error bars. */
			putf(g, "set yrange [%zu.5:-0.5]\n", n - 1);
			puts_(g, "set xrange [0:*]\n"
				 "set ytics nomirror\n"
				 "set grid xtics\n");
			putf(g, "plot $DATA_%s using 2:0:(0):2:($0-0.35):($0+0.35):ytic(1)"
				" with boxxyerror lc rgb '#4a7ab5' notitle, \\\n"
				"     $DATA_%s using 2:0:3:4 with xerrorbars pt 7 ps 0"
				" lc rgb 'black' notitle\n", d, d);
		} else {
			putf(g, "set xrange [-0.5:%zu.5]\n", n - 1);
			puts_(g, "set yrange [0:*]\n"
				 "set xtics rotate by 45 right nomirror\n"
				 "set ytics nomirror\n"
				 "set grid ytics\n");
			putf(g, "plot $DATA_%s using 0:2:(0.7):xtic(1)"
				" with boxes lc rgb '#4a7ab5' notitle, \\\n"
				"     $DATA_%s using 0:2:3:4 with yerrorbars pt 7 ps 0"
				" lc rgb 'black' notitle\n", d, d);
		}
		break;
	case GNUPLOT_TYPES:
		/* gnuplot's default colours repeat after eight: twenty distinct
		 * ones (Kelly's contrast set), one per complaint type. */
		puts_(g, "set linetype 1 lc rgb '#4a7ab5'\nset linetype 2 lc rgb '#f3a712'\n"
			 "set linetype 3 lc rgb '#875692'\nset linetype 4 lc rgb '#f38400'\n"
			 "set linetype 5 lc rgb '#a1caf1'\nset linetype 6 lc rgb '#be0032'\n"
			 "set linetype 7 lc rgb '#c2b280'\nset linetype 8 lc rgb '#848482'\n"
			 "set linetype 9 lc rgb '#008856'\nset linetype 10 lc rgb '#e68fac'\n"
			 "set linetype 11 lc rgb '#0067a5'\nset linetype 12 lc rgb '#f99379'\n"
			 "set linetype 13 lc rgb '#604e97'\nset linetype 14 lc rgb '#b3446c'\n"
			 "set linetype 15 lc rgb '#dcd300'\nset linetype 16 lc rgb '#882d17'\n"
			 "set linetype 17 lc rgb '#8db600'\nset linetype 18 lc rgb '#654522'\n"
			 "set linetype 19 lc rgb '#e25822'\nset linetype 20 lc rgb '#2b3d26'\n"
			 "set linetype cycle 20\n");
		puts_(g, "set style data histograms\n"
			 "set style histogram rowstacked\n"
			 "set style fill solid 0.8 border -1\n"
			 "set boxwidth 0.75\n"
			 "set key outside right top\n"
			 "set yrange [0:*]\n"
			 "set xtics rotate by 45 right nomirror\n"
			 "set grid ytics\n");
		putf(g, "plot for [i=2:%zu] $DATA_%s using i:xtic(1) title columnheader(i)\n",
		     g->numbers + 1, d);
		break;
	case GNUPLOT_TREND:
		puts_(g, "set xdata time\n"
			 "set timefmt '%Y-%m-%d'\n"
			 "set format x '%Y-%m-%d'\n");
		/* whole days between tics, at most about 15 of them */
		putf(g, "set xtics %ld rotate by 45 right nomirror\n",
		     86400 * ((g->last_day - g->first_day) / 15 + 1));
		puts_(g, "set yrange [0:*]\n"
			 "set grid\n");
		putf(g, "plot $DATA_%s using 1:2 with linespoints pt 7 ps 0.6 lw 1.5"
			" lc rgb '#4a7ab5' notitle\n", d);
		break;
	case GNUPLOT_DISTRIBUTION:
		puts_(g, "set style fill solid 0.6 border -1\n"
			 "set yrange [0:*]\n"
			 "set grid ytics\n");
		if (g->bin_width > 0) {
			char w[40];
			snprintf(w, sizeof(w), "%.10g", g->bin_width);
			for (char *p = w; *p; p++)
				if (*p == ',')
					*p = '.';
			putf(g, "set boxwidth %s absolute\n", w);
			putf(g, "plot $DATA_%s using (%s*floor($2/%s)+%s/2.0):(1)"
				" smooth frequency with boxes lc rgb '#4a7ab5' notitle\n",
			     d, w, w, w);
		} else {
			putf(g, "plot $DATA_%s using 2 bins=20 with boxes"
				" lc rgb '#4a7ab5' notitle\n", d);
		}
		break;
	}
}

int gnuplot_end(struct gnuplot *g, struct error *err)
{
	int rc = 0;

	row_finish(g);
	putf(g, "EOD_%s\n", g->id);
	if (!g->finite)
		put_no_data(g);  /* gnuplot fails on a plot without a valid point */
	else
		put_plot(g);
	if (g->bad[0])
		rc = error_set(err, NULL, "%s", g->bad);
	else if (g->oom)
		rc = error_set(err, NULL, "gnuplot: out of memory");
	else if (fwrite(g->buf, 1, g->len, g->out) != g->len)
		rc = error_set(err, NULL, "gnuplot: cannot write the script: %s", strerror(errno));
	free(g->buf);
	g->buf = NULL;
	g->len = g->cap = 0;
	return rc;
}
