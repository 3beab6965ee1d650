/*
 * test_page.c - reports/page.c: base64 against RFC 4648's vectors and the
 * base64(1) command; charts inlined byte for byte, and a missing or non-PNG
 * chart refused naming the file; tsv cells decoded then escaped (hostile
 * shop names render as text), numbers marked, rows cut at max_rows with the
 * "N more rows" link, a header-only table, bad tsv files refused; the page
 * is valid UTF-8 whatever the inputs hold, loads nothing from a network and
 * a write error is reported. Files live in a temporary directory removed
 * at the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/encoding.h"
#include "formats/error.h"
#include "reports/page.h"

/* ---- a temporary directory and the files made in it ---------------------- */

#define MAX_FILES 64

struct dir {
	char path[64];
	char *files[MAX_FILES];
	size_t n;
};

static int dir_setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));
	if (!d)
		return -1;
	strcpy(d->path, "/tmp/tousu-test-page-XXXXXX");
	if (!mkdtemp(d->path)) {
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int dir_teardown(void **state)
{
	struct dir *d = *state;
	for (size_t i = 0; i < d->n; i++) {
		unlink(d->files[i]);
		free(d->files[i]);
	}
	rmdir(d->path);
	free(d);
	return 0;
}

/* Writes data[0..len) to NAME in the directory; returns its path (owned by d). */
static const char *dir_file(struct dir *d, const char *name, const void *data, size_t len)
{
	char *path;
	FILE *f;

	assert_true(d->n < MAX_FILES);
	assert_true(asprintf(&path, "%s/%s", d->path, name) > 0);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	d->files[d->n++] = path;
	return path;
}

static const char *dir_text(struct dir *d, const char *name, const char *text)
{
	return dir_file(d, name, text, strlen(text));
}

/* ---- rendering ----------------------------------------------------------- */

/* The page for in, NUL-terminated (free it); asserts page_write succeeded. */
static char *render(const struct page_input *in)
{
	char *buf = NULL;
	size_t len = 0;
	struct error err;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	error_clear(&err);
	if (page_write(f, in, &err) < 0)
		fail_msg("page_write: %s: %s", err.file, err.msg);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(strlen(buf), len);   /* no NUL inside */
	assert_true(utf8_is_valid(buf, len));
	return buf;
}

/* page_write must fail; returns the error. */
static struct error render_fails(const struct page_input *in)
{
	char *buf = NULL;
	size_t len = 0;
	struct error err;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	error_clear(&err);
	assert_int_equal(page_write(f, in, &err), -1);
	fclose(f);
	free(buf);
	assert_true(err.msg[0] != '\0');
	return err;
}

/* The page of one table read from a tsv file written from text. */
static char *render_table(struct dir *d, const char *name, const char *tsv, size_t max_rows)
{
	struct page_table t = { "Shops", dir_text(d, name, tsv), max_rows, NULL };
	struct page_input in = { .title = "t", .tables = &t, .n_tables = 1 };
	return render(&in);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

#define assert_contains(hay, needle) do { \
	if (!strstr((hay), (needle))) \
		fail_msg("missing %s in:\n%s", (needle), (hay)); \
} while (0)

#define assert_lacks(hay, needle) do { \
	if (strstr((hay), (needle))) \
		fail_msg("unexpected %s in:\n%s", (needle), (hay)); \
} while (0)

/* ---- base64 -------------------------------------------------------------- */

static void expect_b64(const char *in, size_t len, const char *want)
{
	char out[64];
	size_t n = page_base64(out, (const unsigned char *)in, len);

	assert_int_equal(n, PAGE_BASE64_SIZE(len));
	assert_int_equal(n, strlen(want));
	out[n] = '\0';
	assert_string_equal(out, want);
}

#define B64(lit, want) expect_b64(lit, sizeof(lit) - 1, want)

static void test_base64_vectors(void **state)
{
	(void)state;
	B64("", "");
	B64("M", "TQ==");
	B64("Ma", "TWE=");
	B64("Man", "TWFu");
	/* RFC 4648 section 10 */
	B64("f", "Zg==");
	B64("fo", "Zm8=");
	B64("foo", "Zm9v");
	B64("foob", "Zm9vYg==");
	B64("fooba", "Zm9vYmE=");
	B64("foobar", "Zm9vYmFy");
	B64("\xff\xfe\xfd\xfc\x00", "//79/AA=");
}

/* A fake PNG of len >= 24 bytes: signature, IHDR with the size, then noise. */
static unsigned char *fake_png(size_t len, uint32_t width, uint32_t height)
{
	static const unsigned char head[16] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
	};
	unsigned char *p = malloc(len);
	uint64_t s = 0x9e3779b97f4a7c15ULL + len;

	assert_non_null(p);
	memcpy(p, head, 16);
	for (int i = 0; i < 4; i++) {
		p[16 + i] = (unsigned char)(width >> (24 - 8 * i));
		p[20 + i] = (unsigned char)(height >> (24 - 8 * i));
	}
	for (size_t i = 24; i < len; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		p[i] = (unsigned char)(s >> 24);
	}
	return p;
}

/* base64 -w0 of path, as the coreutils command says it (free it). */
static char *base64_command(const char *path)
{
	char *cmd, *out = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *p;

	assert_true(asprintf(&cmd, "base64 -w0 '%s'", path) > 0);
	p = popen(cmd, "r");
	free(cmd);
	assert_non_null(p);
	n = getdelim(&out, &cap, '\0', p);
	assert_int_equal(pclose(p), 0);
	if (n < 0) {            /* an empty file: no output at all */
		free(out);
		return strdup("");
	}
	return out;
}

/* The base64 of the one chart in page, between the data: prefix and '"'. */
static char *chart_data(const char *page)
{
	const char *prefix = "src=\"data:image/png;base64,";
	const char *p = strstr(page, prefix), *end;

	assert_non_null(p);
	assert_null(strstr(p + 1, prefix));
	p += strlen(prefix);
	end = strchr(p, '"');
	assert_non_null(end);
	return strndup(p, (size_t)(end - p));
}

static void test_chart_inlined(void **state)
{
	struct dir *d = *state;
	/* Around the 12288-byte read chunk, and each padding case. */
	static const size_t sizes[] = {24, 25, 26, 27, 12287, 12288, 12289, 12290, 40001};

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t len = sizes[k];
		unsigned char *png = fake_png(len, 640 + (uint32_t)k, 70000);
		char name[32], want_size[64], *mem, *page, *got, *cmd;

		snprintf(name, sizeof(name), "chart-%zu.png", len);
		struct page_chart c = { "Top shops", dir_file(d, name, png, len) };
		struct page_input in = { .title = "t", .charts = &c, .n_charts = 1 };

		page = render(&in);
		got = chart_data(page);
		mem = malloc(PAGE_BASE64_SIZE(len) + 1);
		assert_non_null(mem);
		mem[page_base64(mem, png, len)] = '\0';
		cmd = base64_command(c.png_path);
		assert_string_equal(got, cmd);
		assert_string_equal(got, mem);

		assert_contains(page, "<figure id=\"chart-1\">");
		assert_contains(page, "alt=\"Top shops\"");
		assert_contains(page, "<figcaption>Top shops</figcaption>");
		snprintf(want_size, sizeof(want_size), "width=\"%u\" height=\"70000\"",
			 640 + (unsigned)k);
		assert_contains(page, want_size);
		free(cmd);
		free(mem);
		free(got);
		free(page);
		free(png);
	}
}

static void test_chart_errors(void **state)
{
	struct dir *d = *state;
	char missing[128];
	struct error err;

	snprintf(missing, sizeof(missing), "%s/no-such-chart.png", d->path);
	struct page_chart c = { "Top", missing };
	struct page_input in = { .title = "t", .charts = &c, .n_charts = 1 };

	err = render_fails(&in);
	assert_string_equal(err.file, missing);
	assert_contains(err.msg, "cannot open chart");
	assert_contains(err.msg, "No such file");

	/* The empty file a failed gnuplot leaves, and a file that is no PNG. */
	c.png_path = dir_text(d, "empty.png", "");
	err = render_fails(&in);
	assert_string_equal(err.file, c.png_path);
	assert_string_equal(err.msg, "not a PNG file");

	c.png_path = dir_text(d, "text.png", "<svg xmlns='x'>this is not a png at all</svg>");
	err = render_fails(&in);
	assert_string_equal(err.file, c.png_path);
	assert_string_equal(err.msg, "not a PNG file");

	/* A directory opens but does not read. */
	c.png_path = d->path;
	err = render_fails(&in);
	assert_string_equal(err.file, d->path);
	assert_contains(err.msg, "chart");
}

/* ---- tables -------------------------------------------------------------- */

static void test_hostile_cells(void **state)
{
	struct dir *d = *state;
	char *page = render_table(d, "hostile.tsv",
		"#shop_id\tshop_name\trate_per_1000\n"
		"s1\t<script>alert(1)</script>\t1.5\n"
		"s2\tTom & Jerry's \"best\" <b>shop</b>\t2\n"
		"s3\tC:\\\\dir\\\\file\t3\n"              /* C:\\dir\\file: C:\dir\file */
		"s4\ttab\\there\\nnext\\rline\t4\n"
		"s5\tnot a tab: \\\\t, odd: \\q, last: \\\t5\n"
		"s6\t\"><img src=x onerror=alert(1)>\t6\n",
		0);

	assert_lacks(page, "<script");
	assert_lacks(page, "<img");
	assert_lacks(page, "<b>");
	assert_contains(page, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>");
	assert_contains(page, "<td>Tom &amp; Jerry&#39;s &quot;best&quot; &lt;b&gt;shop&lt;/b&gt;</td>");
	assert_contains(page, "<td>C:\\dir\\file</td>");
	assert_contains(page, "<td>tab\there\nnext\rline</td>");
	assert_contains(page, "<td>not a tab: \\t, odd: \\q, last: \\</td>");
	assert_contains(page, "<td>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td>");
	/* The first row says which columns are numeric: their headers sit right. */
	assert_contains(page, "<th>shop_id</th><th>shop_name</th><th class=\"num\">rate_per_1000</th>");
	assert_contains(page, "<section class=\"table\" id=\"table-1\">\n<h2>Shops</h2>");
	assert_int_equal(count(page, "<tr>"), 7);
	free(page);

	/* Hostile text from the caller, in text and in attributes. */
	struct page_figure fig = { "<i>Orders</i>", "1,234 & more" };
	const char *note = "12 rows without a shop <script>";
	char *png = (char *)fake_png(30, 1, 1);
	struct page_chart c = { "\" onerror=\"alert(1)", dir_file(d, "x.png", png, 30) };
	struct page_table t = { "<u>t</u>", dir_text(d, "h.tsv", "#a\n"), 0, "note & <em>" };
	struct page_input in = {
		.title = "</title><script>x</script>", .subtitle = "a < b",
		.figures = &fig, .n_figures = 1, .charts = &c, .n_charts = 1,
		.tables = &t, .n_tables = 1, .notes = &note, .n_notes = 1,
	};
	free(png);
	page = render(&in);
	assert_lacks(page, "<script");
	assert_lacks(page, "<i>");
	assert_lacks(page, "<u>");
	assert_lacks(page, "<em>");
	assert_lacks(page, "\" onerror");
	assert_contains(page, "<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>");
	assert_contains(page, "<p class=\"subtitle\">a &lt; b</p>");
	assert_contains(page, "<span class=\"value\">1,234 &amp; more</span>");
	assert_contains(page, "<span class=\"label\">&lt;i&gt;Orders&lt;/i&gt;</span>");
	assert_contains(page, "<li>12 rows without a shop &lt;script&gt;</li>");
	assert_contains(page, "alt=\"&quot; onerror=&quot;alert(1)\"");
	assert_contains(page, "<p class=\"note\">note &amp; &lt;em&gt;</p>");
	free(page);
}

static void test_numeric_cells(void **state)
{
	struct dir *d = *state;
	static const char *const numeric[] = {
		"0", "12", "-3.5", "+7", "1,234", "12,345,678.25", "45%", "1e-3", "2.5E+10",
		"0.061", ".5",
	};
	static const char *const text[] = {
		"shop-7", "2026-10-31", "1,23", "12,3456", "1234,567", ".", "-", "1e", "e5",
		"12 ", " 12", "1.2.3", "%", "NaN", "abc",
	};
	char tsv[1024] = "#value\n", want[64], *page;

	for (size_t i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++)
		strcat(strcat(tsv, numeric[i]), "\n");
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
		strcat(strcat(tsv, text[i]), "\n");
	strcat(tsv, "\n");   /* one empty cell */
	page = render_table(d, "numbers.tsv", tsv, 0);
	for (size_t i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++) {
		snprintf(want, sizeof(want), "<td class=\"num\">%s</td>", numeric[i]);
		assert_contains(page, want);
	}
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		snprintf(want, sizeof(want), "<tr><td>%s</td></tr>", text[i]);
		assert_contains(page, want);
	}
	assert_contains(page, "<tr><td></td></tr>");
	free(page);
}

static void test_max_rows(void **state)
{
	struct dir *d = *state;
	char tsv[65536] = "#shop\torders\n", *page;
	size_t len = strlen(tsv);

	for (int i = 1; i <= 10; i++)
		len += (size_t)sprintf(tsv + len, "shop %d\t%d\n", i, i * 100);
	page = render_table(d, "rates.tsv", tsv, 3);
	assert_int_equal(count(page, "<tr>"), 4);   /* header and 3 rows */
	assert_contains(page, "<td>shop 3</td>");
	assert_lacks(page, "<td>shop 4</td>");
	assert_contains(page, "<p class=\"more\">7 more rows in <a href=\"./rates.tsv\">rates.tsv</a></p>");
	free(page);

	/* All rows, or exactly as many as the cap: no note. */
	page = render_table(d, "all.tsv", tsv, 0);
	assert_int_equal(count(page, "<tr>"), 11);
	assert_lacks(page, "more row");
	free(page);
	page = render_table(d, "exact.tsv", tsv, 10);
	assert_int_equal(count(page, "<tr>"), 11);
	assert_lacks(page, "more row");
	free(page);

	/* One left, and a last line without its newline still counts. */
	tsv[len - 1] = '\0';
	page = render_table(d, "one.tsv", tsv, 9);
	assert_contains(page, ">1 more row in <a href=\"./one.tsv\">one.tsv</a>");
	free(page);
	page = render_table(d, "no-newline.tsv", tsv, 0);
	assert_contains(page, "<td>shop 10</td><td class=\"num\">1000</td>");
	free(page);

	/* A big remainder is grouped; CRLF lines lose their CR. */
	strcpy(tsv, "#n\r\n");
	len = strlen(tsv);
	for (int i = 0; i < 1236; i++)
		len += (size_t)sprintf(tsv + len, "%d\r\n", i);
	page = render_table(d, "big.tsv", tsv, 2);
	assert_contains(page, ">1,234 more rows in <a href=\"./big.tsv\">");
	assert_contains(page, "<th class=\"num\">n</th>");
	assert_contains(page, "<td class=\"num\">1</td>");
	assert_lacks(page, "\r");
	free(page);

	/* A hostile file name: escaped as text, percent-encoded in the link. */
	page = render_table(d, "javascript:alert(\"1\")&<x>.tsv", "#a\n1\n2\n", 1);
	assert_contains(page, "1 more row in <a href=\"./javascript%3Aalert%28%221%22%29%26%3Cx%3E.tsv\">"
			      "javascript:alert(&quot;1&quot;)&amp;&lt;x&gt;.tsv</a>");
	free(page);
}

static void test_header_only_and_bad_tables(void **state)
{
	struct dir *d = *state;
	char *page = render_table(d, "empty.tsv", "#shop_id\tshop_name\trate\n", 5);
	struct error err;

	assert_contains(page, "<tbody>\n<tr><td class=\"none\" colspan=\"3\">none</td></tr>\n</tbody>");
	assert_lacks(page, "more row");
	free(page);

	page = render_table(d, "empty-nonl.tsv", "#a", 0);
	assert_contains(page, "<th>a</th>");
	assert_contains(page, "colspan=\"1\">none</td>");
	free(page);

	struct page_table t = { "T", NULL, 0, NULL };
	struct page_input in = { .title = "t", .tables = &t, .n_tables = 1 };
	char missing[128];
	snprintf(missing, sizeof(missing), "%s/no-such.tsv", d->path);

	t.tsv_path = missing;
	err = render_fails(&in);
	assert_string_equal(err.file, missing);
	assert_contains(err.msg, "cannot open table");

	/* A directory opens but does not read. */
	t.tsv_path = d->path;
	err = render_fails(&in);
	assert_string_equal(err.file, d->path);
	assert_contains(err.msg, "cannot read table");

	t.tsv_path = dir_text(d, "zero.tsv", "");
	err = render_fails(&in);
	assert_string_equal(err.file, t.tsv_path);
	assert_int_equal(err.line, 1);
	assert_contains(err.msg, "header");

	t.tsv_path = dir_text(d, "noheader.tsv", "shop\trate\ns1\t2\n");
	err = render_fails(&in);
	assert_string_equal(err.file, t.tsv_path);
	assert_int_equal(err.line, 1);
	assert_contains(err.msg, "'#'");
}

/* ---- the page as a whole -------------------------------------------------- */

static void test_invalid_utf8(void **state)
{
	struct dir *d = *state;
	static const char bad[] = "a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe6\x98" "e\x80" "f";
	static const char cells[] = "#h\xfe\n\xf4\x90\x80\x80\tx\xe4\nnul\0byte\n";
	struct page_figure fig = { bad, bad };
	const char *notes[] = { bad, "ctl \x01\x1b\x7f nel \xc2\x85 nonchar \xef\xbf\xbe ok \xe6\x98\x9f" };
	char *png = (char *)fake_png(24, 2, 3);
	struct page_chart c = { bad, dir_file(d, "bad\xff.png", png, 24) };
	struct page_table t[2] = {
		{ bad, dir_file(d, "cells.tsv", cells, sizeof(cells) - 1), 0, bad },
		{ "cut", dir_text(d, "bad\xff\xe6.tsv", "#h\n1\n2\n"), 1, NULL },
	};
	struct page_input in = {
		.title = bad, .subtitle = bad, .figures = &fig, .n_figures = 1,
		.charts = &c, .n_charts = 1, .tables = t, .n_tables = 2,
		.notes = notes, .n_notes = 2,
	};
	char *page;

	free(png);
	page = render(&in);   /* checks utf8_is_valid */
	/* One U+FFFD per bad byte, as gnuplot.h does. */
	assert_contains(page, "<title>a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c"
			      "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "d\xef\xbf\xbd\xef\xbf\xbd"
			      "e\xef\xbf\xbd" "f</title>");
	assert_contains(page, "<li>ctl \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd nel \xef\xbf\xbd "
			      "nonchar \xef\xbf\xbd ok \xe6\x98\x9f</li>");
	assert_contains(page, "<th>h\xef\xbf\xbd</th>");
	/* A raw NUL in a tsv line (getline keeps it) is replaced, not a cut. */
	assert_contains(page, "<td>nul\xef\xbf\xbd" "byte</td>");
	assert_contains(page, "<a href=\"./bad%FF%E6.tsv\">bad\xef\xbf\xbd\xef\xbf\xbd.tsv</a>");
	free(page);
}

static void test_self_contained(void **state)
{
	struct dir *d = *state;
	struct page_figure figs[3] = { {"Orders", "1,234"}, {"Complaints", "56"}, {"Rate", "4.5‰"} };
	const char *notes[] = { "3 rows rejected in orders.csv.gz" };
	char *png = (char *)fake_png(100, 800, 600);
	struct page_chart charts[2] = {
		{ "Top shops", dir_file(d, "top.png", png, 100) },
		{ NULL, dir_file(d, "trend.png", png, 100) },
	};
	struct page_table tables[2] = {
		{ "Rates", dir_text(d, "rates.tsv", "#shop\trate\n星光数码旗舰店\t1.5\n"), 0, NULL },
		{ NULL, dir_text(d, "alerts.tsv", "#shop\n"), 0, NULL },
	};
	struct page_input in = {
		.title = "tousu report 2026-10-31",
		.subtitle = "trailing 30 days: 2026-10-02 to 2026-10-31",
		.figures = figs, .n_figures = 3, .charts = charts, .n_charts = 2,
		.tables = tables, .n_tables = 2, .notes = notes, .n_notes = 1,
	};
	char *page;

	free(png);
	page = render(&in);
	assert_true(strncmp(page, "<!DOCTYPE html>\n<html", 21) == 0);
	assert_contains(page, "<meta charset=\"utf-8\">");
	assert_contains(page, "<style>");
	assert_contains(page, "td.num{text-align:right");
	assert_contains(page, "</html>\n");
	/* Nothing from a network: no URL, no script, no stylesheet link, no
	 * import, and every src is inline data. */
	assert_lacks(page, "http://");
	assert_lacks(page, "https://");
	assert_lacks(page, "<script");
	assert_lacks(page, "<link");
	assert_lacks(page, "@import");
	assert_lacks(page, "url(");
	assert_int_equal(count(page, "src=\""), 2);
	assert_int_equal(count(page, "src=\"data:image/png;base64,"), 2);
	assert_contains(page, "default-src 'none'");

	assert_contains(page, "<h1>tousu report 2026-10-31</h1>");
	assert_contains(page, "<div class=\"figure\"><span class=\"value\">1,234</span>"
			      "<span class=\"label\">Orders</span></div>");
	assert_contains(page, "<section class=\"left-out\" id=\"left-out\">");
	assert_contains(page, "<li>3 rows rejected in orders.csv.gz</li>");
	assert_contains(page, "<figure id=\"chart-2\">");
	assert_contains(page, "alt=\"chart 2\"");
	assert_contains(page, "id=\"table-2\">\n<h2>table 2</h2>");
	assert_contains(page, "<a href=\"#table-1\">Rates</a>");
	assert_contains(page, "<a href=\"#chart-1\">Top shops</a>");
	assert_contains(page, "<td>星光数码旗舰店</td><td class=\"num\">1.5</td>");
	/* Sections in order: figures, notes, charts, tables. */
	assert_true(strstr(page, "class=\"figures\"") < strstr(page, "id=\"left-out\""));
	assert_true(strstr(page, "id=\"left-out\"") < strstr(page, "id=\"chart-1\""));
	assert_true(strstr(page, "id=\"chart-2\"") < strstr(page, "id=\"table-1\""));
	free(page);

	/* Nothing but a title: no empty boxes. */
	struct page_input bare = { .title = NULL };
	page = render(&bare);
	assert_contains(page, "<title>tousu report</title>");
	assert_lacks(page, "<nav>");
	assert_lacks(page, "class=\"figures\"");
	assert_lacks(page, "id=\"left-out\"");
	assert_lacks(page, "subtitle\">");
	free(page);
}

static void test_write_error(void **state)
{
	struct page_input in = { .title = "t" };
	struct error err;
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	if (!f)
		skip();
	error_clear(&err);
	assert_int_equal(page_write(f, &in, &err), -1);
	assert_string_equal(err.file, "");
	assert_contains(err.msg, "cannot write the html page");
	assert_contains(err.msg, "No space left");
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_vectors),
		cmocka_unit_test(test_chart_inlined),
		cmocka_unit_test(test_chart_errors),
		cmocka_unit_test(test_hostile_cells),
		cmocka_unit_test(test_numeric_cells),
		cmocka_unit_test(test_max_rows),
		cmocka_unit_test(test_header_only_and_bad_tables),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_self_contained),
		cmocka_unit_test(test_write_error),
	};
	return cmocka_run_group_tests(tests, dir_setup, dir_teardown);
}
