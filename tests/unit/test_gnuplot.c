/*
 * test_gnuplot.c - reports/gnuplot.c: the escaping rules on their own, a
 * golden script, row mistakes, and every chart kind rendered by the real
 * gnuplot (PNG and SVG) from hostile shop names, in a temporary directory
 * that must hold no PWNED file afterwards. The gnuplot tests skip when
 * gnuplot is not installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports/gnuplot.h"

/* ---- escaping ---------------------------------------------------------- */

static void expect_label(const char *s, size_t len, const char *want)
{
	char e[GNUPLOT_ESCAPED_SIZE];
	size_t n = gnuplot_escape_label(e, s, len);

	assert_int_equal(n, strlen(e));
	assert_string_equal(e, want);
}

static void expect_text(const char *s, const char *want)
{
	char e[GNUPLOT_ESCAPED_SIZE];
	size_t n = gnuplot_escape_text(e, s, strlen(s));

	assert_int_equal(n, strlen(e));
	assert_string_equal(e, want);
}

#define LABEL(lit, want) expect_label(lit, sizeof(lit) - 1, want)

static void test_escape_label(void **state)
{
	(void)state;
	LABEL("", "\"\"");
	LABEL("plain shop", "\"plain shop\"");
	LABEL("星光数码旗舰店", "\"星光数码旗舰店\"");
	/* gnuplot ends a quoted field at any '"': written in octal */
	LABEL("x\"; system(\"touch PWNED\"); \"",
	      "\"x\\042; system(\\042touch PWNED\\042); \\042\"");
	LABEL("a\\b\\", "\"a\\134b\\134\"");
	LABEL("\\042", "\"\\134042\"");
	/* no meaning inside a datablock field: kept */
	LABEL("`touch X` @m $(touch Y) it's _^{} # %s", "\"`touch X` @m $(touch Y) it's _^{} # %s\"");
	/* control characters, NUL included, become spaces */
	LABEL("a\tb\rc\nd\0e\x1b" "f\x7fg", "\"a b c d e f g\"");
	LABEL("c1\xc2\x85x", "\"c1 x\"");  /* U+0085 NEL */
	/* invalid UTF-8: one U+FFFD per bad byte */
	LABEL("a\xff" "b", "\"a\xef\xbf\xbd" "b\"");
	LABEL("\x80", "\"\xef\xbf\xbd\"");
	LABEL("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"");          /* overlong '/' */
	LABEL("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""); /* surrogate */
	LABEL("\xe6\x98", "\"\xef\xbf\xbd\xef\xbf\xbd\"");          /* cut short */
	LABEL("\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	LABEL("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");          /* U+1F600 kept */
}

static void test_escape_text(void **state)
{
	(void)state;
	expect_text("", "''");
	expect_text("it's", "'it''s'");
	expect_text("''", "''''''");
	expect_text("a\"b\\n", "'a\"b\\n'");
	/* gnuplot 5.4 runs backquotes and @macros outside single quotes only */
	expect_text("`touch X` @m $(touch Y)", "'`touch X` @m $(touch Y)'");
	expect_text("a\nset output '|touch X'", "'a set output ''|touch X'''");
	expect_text("星光 _^{}", "'星光 _^{}'");
}

static void test_escape_cuts_long_text(void **state)
{
	char s[GNUPLOT_TEXT_MAX * 3], e[GNUPLOT_ESCAPED_SIZE], want[GNUPLOT_ESCAPED_SIZE];
	(void)state;

	/* the limit counts source bytes; an ellipsis marks the cut */
	memset(s, 'a', sizeof(s));
	size_t n = gnuplot_escape_label(e, s, sizeof(s));
	want[0] = '"';
	memset(want + 1, 'a', GNUPLOT_TEXT_MAX);
	strcpy(want + 1 + GNUPLOT_TEXT_MAX, "\xe2\x80\xa6\"");
	assert_string_equal(e, want);
	assert_int_equal(n, GNUPLOT_TEXT_MAX + 5);

	/* exactly the limit: not cut */
	n = gnuplot_escape_label(e, s, GNUPLOT_TEXT_MAX);
	assert_int_equal(n, GNUPLOT_TEXT_MAX + 2);

	/* never inside a character: 199 bytes, then a 3-byte one */
	memcpy(s + GNUPLOT_TEXT_MAX - 1, "星", 3);
	gnuplot_escape_text(e, s, GNUPLOT_TEXT_MAX + 2);
	assert_int_equal(strlen(e), 1 + (GNUPLOT_TEXT_MAX - 1) + 3 + 1);
	assert_memory_equal(e + GNUPLOT_TEXT_MAX, "\xe2\x80\xa6'", 4);

	/* the worst cases fit the buffer */
	memset(s, '"', sizeof(s));
	n = gnuplot_escape_label(e, s, sizeof(s));
	assert_int_equal(n, 1 + 4 * GNUPLOT_TEXT_MAX + 3 + 1);
	assert_true(n < GNUPLOT_ESCAPED_SIZE);
	memset(s, '\xff', sizeof(s));
	n = gnuplot_escape_label(e, s, sizeof(s));
	assert_true(n < GNUPLOT_ESCAPED_SIZE);
}

static void test_parse_names(void **state)
{
	enum gnuplot_kind k;
	enum gnuplot_terminal t;
	(void)state;

	assert_int_equal(gnuplot_kind_parse("top", &k), 0);
	assert_int_equal(k, GNUPLOT_TOP);
	assert_int_equal(gnuplot_kind_parse("types", &k), 0);
	assert_int_equal(k, GNUPLOT_TYPES);
	assert_int_equal(gnuplot_kind_parse("trend", &k), 0);
	assert_int_equal(k, GNUPLOT_TREND);
	assert_int_equal(gnuplot_kind_parse("distribution", &k), 0);
	assert_int_equal(k, GNUPLOT_DISTRIBUTION);
	assert_int_equal(gnuplot_kind_parse("pie", &k), -1);
	assert_int_equal(gnuplot_terminal_parse("png", &t), 0);
	assert_int_equal(t, GNUPLOT_PNG);
	assert_int_equal(gnuplot_terminal_parse("svg", &t), 0);
	assert_int_equal(t, GNUPLOT_SVG);
	assert_int_equal(gnuplot_terminal_parse("pdf", &t), -1);
}

/* ---- scripts ----------------------------------------------------------- */

struct script {
	char *text;
	size_t len;
	FILE *f;
};

static void script_open(struct script *s)
{
	memset(s, 0, sizeof(*s));
	s->f = open_memstream(&s->text, &s->len);
	assert_non_null(s->f);
}

static void script_close(struct script *s)
{
	assert_int_equal(fclose(s->f), 0);
	s->f = NULL;
}

static void test_golden_top(void **state)
{
	struct gnuplot g;
	struct error err;
	struct script s;
	struct gnuplot_chart c = {
		.kind = GNUPLOT_TOP,
		.terminal = GNUPLOT_PNG,
		.title = "Top shops, it's May",
		.ylabel = "complaints per order",
		.width = 800, .height = 600,
	};
	(void)state;

	script_open(&s);
	assert_int_equal(gnuplot_begin(&g, s.f, &c, 42, &err), 0);
	gnuplot_row_clabel(&g, "星光数码旗舰店");
	gnuplot_row_num(&g, 0.125);
	gnuplot_row_num(&g, 0.1);
	gnuplot_row_num(&g, 0.15);
	gnuplot_row_clabel(&g, "a\"b");
	gnuplot_row_num(&g, 0.05);
	gnuplot_row_num(&g, NAN);
	gnuplot_row_num(&g, INFINITY);
	assert_int_equal(gnuplot_end(&g, &err), 0);
	script_close(&s);
	assert_string_equal(s.text,
		"# tousu top chart: a gnuplot script with its data inline\n"
		"set encoding utf8\n"
		"set terminal pngcairo noenhanced size 800,600 font 'Noto Sans CJK SC,10'\n"
		"set datafile separator whitespace\n"
		"set datafile commentschars '#'\n"
		"set key noenhanced\n"
		"set title 'Top shops, it''s May' noenhanced\n"
		"set ylabel 'complaints per order' noenhanced\n"
		"$DATA_bdd732262feb6e95 << EOD_bdd732262feb6e95\n"
		"\"星光数码旗舰店\" 0.125 0.1 0.15\n"
		"\"a\\042b\" 0.05 NaN NaN\n"
		"EOD_bdd732262feb6e95\n"
		"set style fill solid 0.6 border -1\n"
		"set xrange [-0.5:1.5]\n"
		"set yrange [0:*]\n"
		"set xtics rotate by 45 right nomirror\n"
		"set ytics nomirror\n"
		"set grid ytics\n"
		"plot $DATA_bdd732262feb6e95 using 0:2:(0.7):xtic(1) with boxes lc rgb '#4a7ab5' notitle, \\\n"
		"     $DATA_bdd732262feb6e95 using 0:2:3:4 with yerrorbars pt 7 ps 0 lc rgb 'black' notitle\n");
	free(s.text);
}

/* The marker's 16 hex digits from the script's datablock line. */
static void marker_of(const char *text, char id[17])
{
	const char *p = strstr(text, "\n$DATA_");
	assert_non_null(p);
	memcpy(id, p + 7, 16);
	id[16] = '\0';
	for (int i = 0; i < 16; i++)
		assert_non_null(strchr("0123456789abcdef", id[i]));
	char head[64];
	snprintf(head, sizeof(head), "\n$DATA_%s << EOD_%s\n", id, id);
	assert_non_null(strstr(text, head));
}

static void test_random_marker(void **state)
{
	struct gnuplot_chart c = { .kind = GNUPLOT_TREND, .terminal = GNUPLOT_SVG };
	char ids[2][17];
	(void)state;

	for (int i = 0; i < 2; i++) {
		struct gnuplot g;
		struct error err;
		struct script s;
		script_open(&s);
		assert_int_equal(gnuplot_begin(&g, s.f, &c, GNUPLOT_RANDOM, &err), 0);
		gnuplot_row_clabel(&g, "2024-05-01");
		gnuplot_row_num(&g, 0.5);
		assert_int_equal(gnuplot_end(&g, &err), 0);
		script_close(&s);
		marker_of(s.text, ids[i]);
		free(s.text);
	}
	assert_string_not_equal(ids[0], ids[1]);
}

/* Tics a whole number of days apart, about 15 at most, whatever the order. */
static void test_trend_tics(void **state)
{
	static const struct { const char *first, *last, *want; } cases[] = {
		{ "2024-05-01", "2024-05-01", "set xtics 86400 " },
		{ "2024-05-01", "2024-05-15", "set xtics 86400 " },
		{ "2024-05-16", "2024-05-01", "set xtics 172800 " },
		{ "2023-12-01", "2024-03-01", "set xtics 604800 " },   /* 91 days */
		{ "2023-02-28", "2024-02-29", "set xtics 2160000 " },  /* 366 days */
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gnuplot_chart c = { .kind = GNUPLOT_TREND };
		struct gnuplot g;
		struct error err;
		struct script s;
		script_open(&s);
		assert_int_equal(gnuplot_begin(&g, s.f, &c, 7, &err), 0);
		gnuplot_row_clabel(&g, cases[i].first);
		gnuplot_row_num(&g, 0.1);
		gnuplot_row_clabel(&g, cases[i].first);
		gnuplot_row_num(&g, 0.1);
		gnuplot_row_clabel(&g, cases[i].last);
		gnuplot_row_num(&g, 0.1);
		assert_int_equal(gnuplot_end(&g, &err), 0);
		script_close(&s);
		if (!strstr(s.text, cases[i].want))
			fail_msg("case %zu: no \"%s\" in:\n%s", i, cases[i].want, s.text);
		free(s.text);
	}
}

/* A chart's script must fail: gnuplot_end returns -1 and writes nothing. */
static void expect_row_mistake(const struct gnuplot_chart *c, int trend_date,
			       size_t numbers, const char *msg)
{
	struct gnuplot g;
	struct error err;
	struct script s;

	script_open(&s);
	assert_int_equal(gnuplot_begin(&g, s.f, c, 7, &err), 0);
	gnuplot_row_clabel(&g, trend_date ? "2024-05-01" : "shop");
	for (size_t i = 0; i < numbers; i++)
		gnuplot_row_num(&g, 1);
	gnuplot_row_clabel(&g, trend_date ? "2024-05-02" : "shop 2");
	gnuplot_row_num(&g, 1);
	assert_int_equal(gnuplot_end(&g, &err), -1);
	script_close(&s);
	assert_int_equal(s.len, 0);
	if (!strstr(err.msg, msg))
		fail_msg("error \"%s\" does not say \"%s\"", err.msg, msg);
	free(s.text);
}

static void test_row_mistakes(void **state)
{
	struct gnuplot_chart top = { .kind = GNUPLOT_TOP };
	struct gnuplot_chart trend = { .kind = GNUPLOT_TREND };
	(void)state;

	/* the second row has one number where top takes three */
	expect_row_mistake(&top, 0, 3, "row 2 has 1 numbers, the top chart takes 3");
	expect_row_mistake(&top, 0, 4, "row 1 has 4 numbers");
	expect_row_mistake(&trend, 0, 1, "row 1: a trend takes dates as YYYY-MM-DD");

	struct gnuplot g;
	struct error err;
	struct script s;
	script_open(&s);
	assert_int_equal(gnuplot_begin(&g, s.f, &trend, 7, &err), 0);
	gnuplot_row_num(&g, 1);
	assert_int_equal(gnuplot_end(&g, &err), -1);
	script_close(&s);
	assert_int_equal(s.len, 0);
	assert_non_null(strstr(err.msg, "before the first row's label"));
	free(s.text);

	/* dates are checked, not just their shape */
	static const char *const bad[] = {
		"2024-13-01", "2024-00-10", "2024-05-32", "2024-5-01", "2024-05-01 ",
		"\"2024-05-01", "EOD_2024-05", "2024/05/01",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		script_open(&s);
		assert_int_equal(gnuplot_begin(&g, s.f, &trend, 7, &err), 0);
		gnuplot_row_clabel(&g, bad[i]);
		gnuplot_row_num(&g, 1);
		assert_int_equal(gnuplot_end(&g, &err), -1);
		script_close(&s);
		assert_int_equal(s.len, 0);
		free(s.text);
	}
}

static void expect_bad_chart(const struct gnuplot_chart *c, const char *msg)
{
	struct gnuplot g;
	struct error err;

	assert_int_equal(gnuplot_begin(&g, stdout, c, 7, &err), -1);
	if (!strstr(err.msg, msg))
		fail_msg("error \"%s\" does not say \"%s\"", err.msg, msg);
	assert_null(g.buf);
}

static void test_bad_charts(void **state)
{
	(void)state;
	expect_bad_chart(&(struct gnuplot_chart){ .kind = GNUPLOT_TYPES }, "at least one series");
	expect_bad_chart(&(struct gnuplot_chart){ .kind = 9 }, "unknown chart kind");
	expect_bad_chart(&(struct gnuplot_chart){ .terminal = 5 }, "unknown terminal");
	expect_bad_chart(&(struct gnuplot_chart){ .width = 100000 }, "pixels a side");
	expect_bad_chart(&(struct gnuplot_chart){ .kind = GNUPLOT_DISTRIBUTION, .bin_width = -1 },
			 "bin width");
	expect_bad_chart(&(struct gnuplot_chart){ .kind = GNUPLOT_DISTRIBUTION, .bin_width = NAN },
			 "bin width");
	expect_bad_chart(&(struct gnuplot_chart){ .font = "Sans'`x`" }, "font name");
	expect_bad_chart(&(struct gnuplot_chart){ .font = "a\"<b>" }, "font name");
	expect_bad_chart(&(struct gnuplot_chart){ .font = "" }, "font name");
	expect_bad_chart(&(struct gnuplot_chart){ .output = "a\nset output '|x'" }, "output path");
	expect_bad_chart(&(struct gnuplot_chart){ .output = "" }, "output path");
}

static void test_output_path(void **state)
{
	static const struct { const char *path, *line; } cases[] = {
		{ "chart.png", "set output './chart.png'\n" },
		{ "|touch PWNED", "set output './|touch PWNED'\n" },
		{ "~/x.png", "set output './~/x.png'\n" },
		{ "/tmp/it's `x` @y.svg", "set output '/tmp/it''s `x` @y.svg'\n" },
	};
	(void)state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gnuplot_chart c = { .kind = GNUPLOT_DISTRIBUTION, .output = cases[i].path };
		struct gnuplot g;
		struct error err;
		struct script s;
		script_open(&s);
		assert_int_equal(gnuplot_begin(&g, s.f, &c, 7, &err), 0);
		assert_int_equal(gnuplot_end(&g, &err), 0);
		script_close(&s);
		if (!strstr(s.text, cases[i].line))
			fail_msg("no line %s in:\n%s", cases[i].line, s.text);
		free(s.text);
	}
}

/* ---- hostile names, rendered by gnuplot -------------------------------- */

/* Shop names that try to get out of the datablock or into a command. */
#define N_HOSTILE 14
static void hostile_names(const char *id, char names[N_HOSTILE][96])
{
	static const char *const fixed[] = {
		"x\"; system(\"touch PWNED\"); \"",
		"`touch PWNED2`",
		"EOD",
		"@macro",
		"$(touch PWNED3)",
		"it's; system('touch PWNED4')",
		"_^{} under_score^sup{x}",
		"星光数码旗舰店",
		"back\\slash\\",
		"x\\\" 1 2 3\n!touch PWNED5",
		"a\tb\r\nc\" \"d",
		"# not a comment %s %d",
	};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		snprintf(names[i], 96, "%s", fixed[i]);
	/* the marker itself, alone and on a line of its own before commands
	 * that run if a newline ever reaches the datablock */
	snprintf(names[12], 96, "EOD_%s", id);
	snprintf(names[13], 96, "x\nEOD_%s\nsystem \"touch PWNED6\"\n!touch PWNED7 #", id);
}

/* What the name becomes on the chart: controls are spaces. */
static void shown(const char *name, char *out, size_t cap)
{
	size_t o = 0;
	for (const char *p = name; *p && o + 1 < cap; p++)
		out[o++] = (unsigned char)*p < 0x20 ? ' ' : *p;
	out[o] = '\0';
}

static const char *const hostile_title =
	"Top 'shops' `touch PWNED8` @macro $(touch PWNED9) 星光 _^{}\n"
	"system('touch PWNED10')";

static int have_gnuplot(void)
{
	const char *path = getenv("PATH");
	if (!path)
		return 0;
	char *dirs = strdup(path), *save = NULL;
	int found = 0;
	for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char p[4096];
		snprintf(p, sizeof(p), "%s/gnuplot", *d ? d : ".");
		found = access(p, X_OK) == 0;
	}
	free(dirs);
	return found;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n + 65536 > cap) {
			cap = cap ? cap * 2 : 65536;
			char *b = realloc(buf, cap + 1);
			assert_non_null(b);
			buf = b;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * Runs gnuplot in dir with the script on stdin (as `tousu ... | gnuplot`),
 * its stdout to dir/stdout_name; returns its exit status, printing its
 * stderr when that is not 0.
 */
static int run_gnuplot(const char *dir, const char *script, size_t len, const char *stdout_name)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/script.gp", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(script, 1, len, f), len);
	assert_int_equal(fclose(f), 0);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (chdir(dir) != 0)
			_exit(126);
		int in = open("script.gp", O_RDONLY);
		int out = open(stdout_name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open("stderr.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (in < 0 || out < 0 || err < 0)
			_exit(126);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execlp("gnuplot", "gnuplot", (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	if (rc) {
		size_t n;
		snprintf(path, sizeof(path), "%s/stderr.txt", dir);
		char *e = read_all(path, &n);
		print_error("gnuplot exited %d:\n%s\nscript:\n%.*s\n", rc, e ? e : "",
			    (int)len, script);
		free(e);
	}
	return rc;
}

/* SVG text content back to plain text: &lt; &gt; &amp; &quot; &apos; &#N; */
static void xml_unescape(char *s)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' }, { "&quot;", '"' }, { "&apos;", '\'' },
	};
	char *o = s;
	while (*s) {
		size_t i, k = sizeof(ents) / sizeof(ents[0]);
		for (i = 0; i < k; i++)
			if (!strncmp(s, ents[i].ent, strlen(ents[i].ent)))
				break;
		if (i < k) {
			*o++ = ents[i].c;
			s += strlen(ents[i].ent);
		} else if (s[0] == '&' && s[1] == '#' && s[2] >= '0' && s[2] <= '9' &&
			   strtol(s + 2, NULL, 10) < 128 && strchr(s, ';')) {
			char *end;
			*o++ = (char)strtol(s + 2, &end, 10);
			s = *end == ';' ? end + 1 : end;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

static void expect_svg_text(const char *svg, const char *file, const char *text)
{
	char want[256];
	shown(text, want, sizeof(want));
	if (!strstr(svg, want))
		fail_msg("%s does not show \"%s\"", file, want);
}

struct render {
	char dir[64];
	int n;
};

/* Checks what gnuplot made of a script: exit 0, a PNG or an SVG. */
static char *render(struct render *r, const char *script, size_t len,
		    enum gnuplot_terminal term, const char *output_name)
{
	char name[64], path[4096];
	size_t n;

	snprintf(name, sizeof(name), "stdout-%d.%s", r->n++, term == GNUPLOT_PNG ? "png" : "svg");
	assert_int_equal(run_gnuplot(r->dir, script, len, name), 0);
	snprintf(path, sizeof(path), "%s/%s", r->dir, output_name ? output_name : name);
	char *data = read_all(path, &n);
	if (!data)
		fail_msg("gnuplot wrote no %s", path);
	if (term == GNUPLOT_PNG) {
		assert_true(n > 8);
		assert_memory_equal(data, "\x89PNG\r\n\x1a\n", 8);
	} else {
		assert_non_null(strstr(data, "<svg"));
		assert_non_null(strstr(data, "</svg>"));
		xml_unescape(data);
	}
	return data;
}

/* Every datablock line starts with '"' or a digit, and the marker ends it once. */
static void expect_safe_datablock(const char *text)
{
	char id[17], end[32];
	marker_of(text, id);
	snprintf(end, sizeof(end), "EOD_%s\n", id);
	const char *p = strstr(text, " << EOD_");
	p = strchr(p, '\n') + 1;
	for (;;) {
		if (!strncmp(p, end, strlen(end)))
			break;
		if (*p != '"' && !(*p >= '0' && *p <= '9'))
			fail_msg("datablock line does not start with a quote or digit: %.60s", p);
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	/* the closing marker is the only line that starts with it */
	p += strlen(end);
	char again[32];
	snprintf(again, sizeof(again), "\nEOD_%s", id);
	assert_null(strstr(p - 1, again));
}

/* Rows: the hostile names as labels, or with days set five days of a trend. */
static void build(struct gnuplot_chart *c, uint64_t seed, char names[N_HOSTILE][96],
		  int days, struct script *s)
{
	struct gnuplot g;
	struct error err;

	script_open(s);
	if (gnuplot_begin(&g, s->f, c, seed, &err))
		fail_msg("gnuplot_begin: %s", err.msg);
	if (names) {
		for (int i = 0; i < N_HOSTILE; i++) {
			gnuplot_row_clabel(&g, names[i]);
			double rate = 0.02 + 0.01 * i;
			if (c->kind == GNUPLOT_TOP) {
				gnuplot_row_num(&g, rate);
				gnuplot_row_num(&g, rate * 0.7);
				gnuplot_row_num(&g, rate * 1.4);
			} else if (c->kind == GNUPLOT_TYPES) {
				for (size_t k = 0; k < c->n_series; k++)
					gnuplot_row_num(&g, (double)((i + 1) * (k + 2) % 7));
			} else {
				gnuplot_row_num(&g, i == 3 ? NAN : rate);
			}
		}
	} else if (days) {
		static const char *const day[] = {
			"2024-04-29", "2024-04-30", "2024-05-01", "2024-05-02", "2024-05-04",
		};
		for (int i = 0; i < 5; i++) {
			gnuplot_row_clabel(&g, day[i]);
			gnuplot_row_num(&g, i == 2 ? NAN : 0.03 + 0.01 * (i % 3));
		}
	}
	if (gnuplot_end(&g, &err))
		fail_msg("gnuplot_end: %s", err.msg);
	script_close(s);
	expect_safe_datablock(s->text);
}

static void cleanup_dir(const char *dir, int *pwned)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!strncmp(e->d_name, "PWNED", 5)) {
			print_error("found %s/%s\n", dir, e->d_name);
			(*pwned)++;
		}
		char p[4096];
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static void test_gnuplot_renders_hostile_names(void **state)
{
	(void)state;
	if (!have_gnuplot()) {
		print_message("gnuplot is not installed\n");
		skip();
	}
	struct render r = { .dir = "/tmp/tousu-gnuplot-XXXXXX" };
	assert_non_null(mkdtemp(r.dir));

	const uint64_t seed = 2024;
	char names[N_HOSTILE][96], id[17];
	{
		/* the marker this seed gives, so names can carry it */
		struct script s;
		struct gnuplot_chart c = { .kind = GNUPLOT_DISTRIBUTION };
		build(&c, seed, NULL, 0, &s);
		marker_of(s.text, id);
		free(s.text);
	}
	hostile_names(id, names);
	const char *series[] = { "delivery", names[0], names[1], names[7], names[13] };

	static const struct {
		enum gnuplot_kind kind;
		int horizontal;
		double bin_width;
	} charts[] = {
		{ GNUPLOT_TOP, 0, 0 },
		{ GNUPLOT_TOP, 1, 0 },
		{ GNUPLOT_TYPES, 0, 0 },
		{ GNUPLOT_TREND, 0, 0 },
		{ GNUPLOT_DISTRIBUTION, 0, 0 },
		{ GNUPLOT_DISTRIBUTION, 0, 0.01 },
	};
	for (size_t i = 0; i < sizeof(charts) / sizeof(charts[0]); i++) {
		for (int t = GNUPLOT_PNG; t <= GNUPLOT_SVG; t++) {
			/* PNG on gnuplot's stdout; SVG to a hostile output path */
			char output[128];
			snprintf(output, sizeof(output), "|touch PWNED11 '`touch PWNED12`' @x %zu.svg", i);
			struct gnuplot_chart c = {
				.kind = charts[i].kind,
				.terminal = (enum gnuplot_terminal)t,
				.horizontal = charts[i].horizontal,
				.bin_width = charts[i].bin_width,
				.title = hostile_title,
				.xlabel = names[1],
				.ylabel = names[5],
				.series = series,
				.n_series = sizeof(series) / sizeof(series[0]),
				.output = t == GNUPLOT_SVG ? output : NULL,
				.width = 1000, .height = 700,
			};
			struct script s;
			int trend = c.kind == GNUPLOT_TREND;
			build(&c, seed, trend ? NULL : names, trend, &s);
			char *out = render(&r, s.text, s.len, c.terminal, c.output);
			if (t == GNUPLOT_SVG) {
				const char *file = output;
				expect_svg_text(out, file, hostile_title);
				expect_svg_text(out, file, names[1]);
				expect_svg_text(out, file, names[5]);
				if (c.kind == GNUPLOT_TOP || c.kind == GNUPLOT_TYPES)
					for (int k = 0; k < N_HOSTILE; k++)
						expect_svg_text(out, file, names[k]);
				if (c.kind == GNUPLOT_TYPES)
					for (size_t k = 0; k < c.n_series; k++)
						expect_svg_text(out, file, series[k]);
				if (trend)
					expect_svg_text(out, file, "2024-05-02");
			}
			free(out);
			free(s.text);
		}
	}

	/* no rows, and rows with no valid number: a "no data" chart, exit 0 */
	for (int k = GNUPLOT_TOP; k <= GNUPLOT_DISTRIBUTION; k++) {
		struct gnuplot_chart c = {
			.kind = (enum gnuplot_kind)k, .terminal = GNUPLOT_SVG,
			.series = series, .n_series = 2, .title = names[0],
		};
		struct script s;
		build(&c, seed, NULL, 0, &s);
		char *out = render(&r, s.text, s.len, c.terminal, NULL);
		expect_svg_text(out, "empty chart", "no data");
		free(out);
		free(s.text);

		struct gnuplot g;
		struct error err;
		script_open(&s);
		assert_int_equal(gnuplot_begin(&g, s.f, &c, GNUPLOT_RANDOM, &err), 0);
		gnuplot_row_clabel(&g, k == GNUPLOT_TREND ? "2024-05-01" : names[2]);
		for (size_t n = 0; n < (k == GNUPLOT_TOP ? 3u : k == GNUPLOT_TYPES ? 2u : 1u); n++)
			gnuplot_row_num(&g, NAN);
		assert_int_equal(gnuplot_end(&g, &err), 0);
		script_close(&s);
		out = render(&r, s.text, s.len, c.terminal, NULL);
		expect_svg_text(out, "all-NaN chart", "no data");
		free(out);
		free(s.text);
	}

	/* one row only: ranges must not collapse */
	for (int k = GNUPLOT_TOP; k <= GNUPLOT_DISTRIBUTION; k++) {
		struct gnuplot_chart c = {
			.kind = (enum gnuplot_kind)k, .terminal = GNUPLOT_PNG,
			.series = series, .n_series = 2, .horizontal = 1,
		};
		struct gnuplot g;
		struct error err;
		struct script s;
		script_open(&s);
		assert_int_equal(gnuplot_begin(&g, s.f, &c, GNUPLOT_RANDOM, &err), 0);
		gnuplot_row_clabel(&g, k == GNUPLOT_TREND ? "2024-05-01" : names[7]);
		gnuplot_row_num(&g, 0.04);
		if (k == GNUPLOT_TOP || k == GNUPLOT_TYPES)
			gnuplot_row_num(&g, 0.03);
		if (k == GNUPLOT_TOP)
			gnuplot_row_num(&g, 0.06);
		assert_int_equal(gnuplot_end(&g, &err), 0);
		script_close(&s);
		free(render(&r, s.text, s.len, c.terminal, NULL));
		free(s.text);
	}

	int pwned = 0;
	cleanup_dir(r.dir, &pwned);
	assert_int_equal(pwned, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_label),
		cmocka_unit_test(test_escape_text),
		cmocka_unit_test(test_escape_cuts_long_text),
		cmocka_unit_test(test_parse_names),
		cmocka_unit_test(test_golden_top),
		cmocka_unit_test(test_random_marker),
		cmocka_unit_test(test_trend_tics),
		cmocka_unit_test(test_row_mistakes),
		cmocka_unit_test(test_bad_charts),
		cmocka_unit_test(test_output_path),
		cmocka_unit_test(test_gnuplot_renders_hostile_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
