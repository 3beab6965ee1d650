#include "reports/page.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "formats/encoding.h"
#include "reports/table.h"

/* ---- a buffered writer with a sticky error ------------------------------ */

/* Large enough for one chart chunk's base64 (CHART_CHUNK / 3 * 4). */
#define WRITER_SIZE 32768

struct writer {
	FILE *out;
	size_t len;
	int failed;        /* errno of the first failed write (EIO if none), 0 if none */
	char buf[WRITER_SIZE];
};

static void w_flush(struct writer *w)
{
	if (w->len && !w->failed) {
		errno = 0;
		if (fwrite(w->buf, 1, w->len, w->out) != w->len)
			w->failed = errno ? errno : EIO;
	}
	w->len = 0;
}

/* Room for n <= WRITER_SIZE bytes at the end of the buffer. */
static char *w_reserve(struct writer *w, size_t n)
{
	if (w->len + n > WRITER_SIZE)
		w_flush(w);
	return w->buf + w->len;
}

static void w_put(struct writer *w, const char *s, size_t n)
{
	while (n) {
		size_t room = WRITER_SIZE - w->len;
		if (!room) {
			w_flush(w);
			room = WRITER_SIZE;
		}
		size_t k = n < room ? n : room;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
	}
}

static void w_str(struct writer *w, const char *s)
{
	w_put(w, s, strlen(s));
}

static void w_u64(struct writer *w, uint64_t v)
{
	char b[24];
	int n = snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	w_put(w, b, (size_t)n);
}

/* v with a comma every three digits: 1234567 -> "1,234,567". */
static void w_grouped(struct writer *w, uint64_t v)
{
	char b[32];
	size_t i = sizeof(b), digits = 0;
	do {
		if (digits && digits % 3 == 0)
			b[--i] = ',';
		b[--i] = (char)('0' + v % 10);
		v /= 10;
		digits++;
	} while (v);
	w_put(w, b + i, sizeof(b) - i);
}

/* ---- hostile text to HTML ---------------------------------------------- */

#define REPLACEMENT "\xef\xbf\xbd"  /* U+FFFD */

/*
 * s[0..n) as HTML text, also safe inside a double-quoted attribute: the five
 * specials as entities; invalid UTF-8 (one U+FFFD per bad byte), control
 * characters but TAB LF CR, and noncharacters as U+FFFD.
 */
static void w_text(struct writer *w, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0, i = 0;

	while (i < n) {
		unsigned char c = p[i];
		const char *rep;
		size_t adv = 1;

		if (c >= 0x20 && c < 0x7f) {
			switch (c) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&#39;"; break;
			default: i++; continue;
			}
		} else if (c == '\t' || c == '\n' || c == '\r') {
			i++;
			continue;
		} else if (c < 0x80) {
			rep = REPLACEMENT;          /* NUL, other C0, DEL */
		} else {
			uint32_t cp;
			size_t k = utf8_decode(p + i, n - i, &cp);
			if (k && cp >= 0xA0 && !(cp >= 0xFDD0 && cp <= 0xFDEF) &&
			    (cp & 0xFFFE) != 0xFFFE) {
				i += k;
				continue;
			}
			rep = REPLACEMENT;          /* invalid byte, C1, noncharacter */
			if (k)
				adv = k;
		}
		w_put(w, s + run, i - run);
		w_str(w, rep);
		i += adv;
		run = i;
	}
	w_put(w, s + run, n - run);
}

/* A NUL-terminated string as text; NULL is empty. */
static void w_ctext(struct writer *w, const char *s)
{
	if (s)
		w_text(w, s, strlen(s));
}

/* s as text, or "<what> <index>" when s is NULL or empty. */
static void w_name(struct writer *w, const char *s, const char *what, size_t index)
{
	if (s && *s) {
		w_ctext(w, s);
	} else {
		w_str(w, what);
		w_str(w, " ");
		w_u64(w, index);
	}
}

/* s as a relative URL path: "./" then every byte but [A-Za-z0-9-._~] as %XX. */
static void w_href(struct writer *w, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	w_str(w, "./");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
			w_put(w, (const char *)p, 1);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			w_put(w, e, 3);
		}
	}
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* ---- base64 ------------------------------------------------------------- */

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t page_base64(char *dst, const unsigned char *src, size_t len)
{
	char *d = dst;
	size_t i = 0;

	for (; i + 3 <= len; i += 3) {
		uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8 | src[i + 2];
		d[0] = b64[v >> 18];
		d[1] = b64[(v >> 12) & 63];
		d[2] = b64[(v >> 6) & 63];
		d[3] = b64[v & 63];
		d += 4;
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)src[i] << 16;
		d[0] = b64[v >> 18];
		d[1] = b64[(v >> 12) & 63];
		d[2] = '=';
		d[3] = '=';
		d += 4;
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8;
		d[0] = b64[v >> 18];
		d[1] = b64[(v >> 12) & 63];
		d[2] = b64[(v >> 6) & 63];
		d[3] = '=';
		d += 4;
	}
	return (size_t)(d - dst);
}

static void w_base64(struct writer *w, const unsigned char *src, size_t len)
{
	char *d = w_reserve(w, PAGE_BASE64_SIZE(len));
	w->len += page_base64(d, src, len);
}

/* ---- charts ------------------------------------------------------------- */

/* A multiple of 3, so only the last chunk of a file gets padding. */
#define CHART_CHUNK 12288
#define PNG_HEAD 24  /* signature, IHDR length and type, width, height */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int write_chart(struct writer *w, const struct page_chart *c, size_t index,
		       struct error *err)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	const char *path = c->png_path ? c->png_path : "";
	unsigned char *chunk;
	size_t have;
	FILE *f = fopen(path, "rb");

	if (!f)
		return error_set(err, path, "cannot open chart: %s", strerror(errno));
	chunk = malloc(CHART_CHUNK);
	if (!chunk) {
		fclose(f);
		return error_set(err, path, "out of memory");
	}
	have = fread(chunk, 1, PNG_HEAD, f);
	if (have < PNG_HEAD || memcmp(chunk, sig, sizeof(sig)) || memcmp(chunk + 12, "IHDR", 4)) {
		int e = ferror(f) ? errno : 0;
		free(chunk);
		fclose(f);
		if (e)
			return error_set(err, path, "cannot read chart: %s", strerror(e));
		return error_set(err, path, "not a PNG file");
	}

	w_str(w, "<figure id=\"chart-");
	w_u64(w, index);
	w_str(w, "\">\n<img ");
	/* The size lets the browser lay the page out before decoding. */
	if (be32(chunk + 16) && be32(chunk + 20)) {
		w_str(w, "width=\"");
		w_u64(w, be32(chunk + 16));
		w_str(w, "\" height=\"");
		w_u64(w, be32(chunk + 20));
		w_str(w, "\" ");
	}
	w_str(w, "alt=\"");
	w_name(w, c->title, "chart", index);
	w_str(w, "\" src=\"data:image/png;base64,");
	for (;;) {
		/* Encode whole groups of 3 and carry the rest over: a read
		 * that returns less than asked never pads in the middle. */
		size_t whole = have - have % 3;
		w_base64(w, chunk, whole);
		memmove(chunk, chunk + whole, have - whole);
		have -= whole;
		size_t r = fread(chunk + have, 1, CHART_CHUNK - have, f);
		if (!r)
			break;
		have += r;
	}
	if (ferror(f)) {
		int e = errno;
		free(chunk);
		fclose(f);
		return error_set(err, path, "cannot read chart: %s", strerror(e));
	}
	w_base64(w, chunk, have);
	free(chunk);
	fclose(f);
	w_str(w, "\">\n<figcaption>");
	w_name(w, c->title, "chart", index);
	w_str(w, "</figcaption>\n</figure>\n");
	return 0;
}

/* ---- tables ------------------------------------------------------------- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * 1 if s[0..n) reads as a number: [+-] digits (or 1-3 digits then groups
 * of ",ddd") [. digits] [e[+-]digits] [%], with a digit somewhere before
 * the exponent.
 */
static int looks_numeric(const char *s, size_t n)
{
	size_t i = 0, start, mantissa;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	start = i;
	while (i < n && is_digit(s[i]))
		i++;
	mantissa = i - start;
	if (mantissa >= 1 && mantissa <= 3) {
		while (i + 3 < n && s[i] == ',' && is_digit(s[i + 1]) &&
		       is_digit(s[i + 2]) && is_digit(s[i + 3]) &&
		       (i + 4 == n || !is_digit(s[i + 4])))
			i += 4;
	}
	if (i < n && s[i] == '.') {
		size_t f = ++i;
		while (i < n && is_digit(s[i]))
			i++;
		if (i == f)
			return 0;
		mantissa += i - f;
	}
	if (!mantissa)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t e = i;
		while (i < n && is_digit(s[i]))
			i++;
		if (i == e)
			return 0;
	}
	if (i < n && s[i] == '%')
		i++;
	return i == n;
}

/* line[0..n) without its LF and a CR before it. */
static size_t chomp(const char *line, size_t n)
{
	if (n && line[n - 1] == '\n')
		n--;
	if (n && line[n - 1] == '\r')
		n--;
	return n;
}

/*
 * Writes the cells of row[0..n) (decoded in place) as <td>, or as <th> when
 * num_cols is not NULL: a header cell whose column is numeric in num_cols
 * (one flag per column, n_cols of them) is right-aligned like its cells.
 */
static void write_cells(struct writer *w, char *row, size_t n,
			const unsigned char *num_cols, size_t n_cols)
{
	size_t column = 0, start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && row[i] != '\t')
			continue;
		size_t len = table_tsv_unescape(row + start, i - start);
		if (num_cols)
			w_str(w, column < n_cols && num_cols[column] ? "<th class=\"num\">" : "<th>");
		else
			w_str(w, looks_numeric(row + start, len) ? "<td class=\"num\">" : "<td>");
		w_text(w, row + start, len);
		w_str(w, num_cols ? "</th>" : "</td>");
		column++;
		start = i + 1;
	}
}

/*
 * Sets flags[c] for each column c < n_cols whose cell in row[0..n) looks
 * numeric. A cell holding an escape has a backslash before and a control
 * character after decoding, numeric in neither form: no decoding needed.
 */
static void numeric_columns(const char *row, size_t n, unsigned char *flags, size_t n_cols)
{
	size_t column = 0, start = 0;
	for (size_t i = 0; i <= n && column < n_cols; i++) {
		if (i < n && row[i] != '\t')
			continue;
		flags[column++] = (unsigned char)looks_numeric(row + start, i - start);
		start = i + 1;
	}
}

/* Reads a line into *line; its length, 0 at the end, or -1 and fills err. */
static ssize_t read_line(FILE *f, const char *path, char **line, size_t *cap,
			 struct error *err)
{
	ssize_t n;

	errno = 0;
	n = getline(line, cap, f);
	if (n >= 0)
		return n;
	if (ferror(f))
		return error_set(err, path, "cannot read table: %s", strerror(errno));
	if (errno == ENOMEM)
		return error_set(err, path, "out of memory");
	return 0;
}

/* Rows (lines, a last one without LF included) left in f; -1 on a read error. */
static int count_rows(FILE *f, uint64_t *rows)
{
	char buf[16384];
	size_t r;
	char last = '\n';

	*rows = 0;
	while ((r = fread(buf, 1, sizeof(buf), f)) > 0) {
		for (const char *p = buf, *end = buf + r;
		     (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
			(*rows)++;
		last = buf[r - 1];
	}
	if (ferror(f))
		return -1;
	if (last != '\n')
		(*rows)++;
	return 0;
}

static int write_table(struct writer *w, const struct page_table *t, size_t index,
		       struct error *err)
{
	const char *path = t->tsv_path ? t->tsv_path : "";
	char *head = NULL, *row = NULL;
	size_t head_cap = 0, row_cap = 0, columns = 1, shown = 0, head_len;
	unsigned char *num_cols = NULL;
	ssize_t n;
	uint64_t more = 0;
	int rc = -1;
	FILE *f = fopen(path, "rb");

	if (!f)
		return error_set(err, path, "cannot open table: %s", strerror(errno));
	n = read_line(f, path, &head, &head_cap, err);
	if (n < 0)
		goto out;
	if (n == 0) {
		error_set_line(err, path, 1, "empty table file, expected a header line starting with '#'");
		goto out;
	}
	if (head[0] != '#') {
		error_set_line(err, path, 1, "not a tousu tsv: the header line does not start with '#'");
		goto out;
	}
	head_len = chomp(head + 1, (size_t)n - 1);
	for (size_t i = 0; i < head_len; i++)
		columns += head[1 + i] == '\t';
	num_cols = calloc(columns, 1);
	if (!num_cols) {
		error_set(err, path, "out of memory");
		goto out;
	}
	/* The first row decides which headers sit right, over their numbers. */
	n = read_line(f, path, &row, &row_cap, err);
	if (n < 0)
		goto out;
	if (n > 0)
		numeric_columns(row, chomp(row, (size_t)n), num_cols, columns);

	w_str(w, "<section class=\"table\" id=\"table-");
	w_u64(w, index);
	w_str(w, "\">\n<h2>");
	w_name(w, t->title, "table", index);
	w_str(w, "</h2>\n");
	if (t->note) {
		w_str(w, "<p class=\"note\">");
		w_ctext(w, t->note);
		w_str(w, "</p>\n");
	}
	w_str(w, "<div class=\"scroll\"><table>\n<thead><tr>");
	write_cells(w, head + 1, head_len, num_cols, columns);
	w_str(w, "</tr></thead>\n<tbody>\n");

	while (n > 0) {
		if (t->max_rows && shown == t->max_rows) {
			/* The row in hand is the first one left out. */
			if (count_rows(f, &more) < 0) {
				error_set(err, path, "cannot read table: %s", strerror(errno));
				goto out;
			}
			more++;
			break;
		}
		w_str(w, "<tr>");
		write_cells(w, row, chomp(row, (size_t)n), NULL, 0);
		w_str(w, "</tr>\n");
		shown++;
		n = read_line(f, path, &row, &row_cap, err);
		if (n < 0)
			goto out;
	}
	if (!shown) {
		w_str(w, "<tr><td class=\"none\" colspan=\"");
		w_u64(w, columns);
		w_str(w, "\">none</td></tr>\n");
	}
	w_str(w, "</tbody>\n</table></div>\n");
	if (more) {
		const char *name = base_name(path);
		w_str(w, "<p class=\"more\">");
		w_grouped(w, more);
		w_str(w, more == 1 ? " more row in <a href=\"" : " more rows in <a href=\"");
		w_href(w, name);
		w_str(w, "\">");
		w_ctext(w, name);
		w_str(w, "</a></p>\n");
	}
	w_str(w, "</section>\n");
	rc = 0;
out:
	free(num_cols);
	free(row);
	free(head);
	fclose(f);
	return rc;
}

/* ---- the page ----------------------------------------------------------- */

static const char style[] =
	":root{color-scheme:light dark;--fg:#1d2125;--muted:#5b6670;--line:#d6dbe0;"
	"--box:#f3f5f7;--mark:#b3261e}\n"
	"@media (prefers-color-scheme:dark){:root{--fg:#e4e6e8;--muted:#a3acb5;"
	"--line:#3a4149;--box:#22272d}body{background:#15181b}}\n"
	"body{max-width:72rem;margin:0 auto;padding:1rem;color:var(--fg);"
	"font:15px/1.45 system-ui,\"Segoe UI\",\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\","
	"\"Microsoft YaHei\",sans-serif}\n"
	"h1{font-size:1.6rem;margin:.3rem 0}\n"
	"h2{font-size:1.2rem;margin:1.8rem 0 .4rem}\n"
	".subtitle,.note,.more,nav,footer{color:var(--muted)}\n"
	"nav a{margin-right:.8rem}\n"
	".figures{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}\n"
	".figure{flex:1 1 9rem;background:var(--box);border-radius:6px;padding:.6rem .8rem}\n"
	".figure .value{display:block;font-size:1.5rem;font-weight:600;"
	"font-variant-numeric:tabular-nums}\n"
	".figure .label{display:block;color:var(--muted);font-size:.85rem}\n"
	".left-out{border:1px solid var(--line);border-left:4px solid var(--mark);"
	"border-radius:4px;padding:.1rem 1rem;margin:1rem 0}\n"
	".left-out h2{margin-top:.6rem}\n"
	"figure{margin:1.5rem 0}\n"
	"figcaption{color:var(--muted);font-size:.9rem}\n"
	"img{max-width:100%;height:auto;background:#fff}\n"
	".scroll{overflow-x:auto}\n"
	"table{border-collapse:collapse;font-size:.9rem}\n"
	"th,td{padding:.25rem .6rem;border-bottom:1px solid var(--line);text-align:left;"
	"vertical-align:top;white-space:pre-wrap}\n"
	"th{background:var(--box)}\n"
	"th.num{text-align:right}\n"
	"td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"tbody tr:nth-child(even){background:var(--box)}\n"
	"td.none{color:var(--muted);font-style:italic}\n"
	"footer{margin-top:2rem;font-size:.85rem}\n";

static void write_head(struct writer *w, const struct page_input *in)
{
	const char *title = in->title ? in->title : "tousu report";

	w_str(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		 /* Nothing to fetch, nothing to run, whatever a cell holds. */
		 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		 "img-src data:; style-src 'unsafe-inline'\">\n<title>");
	w_ctext(w, title);
	w_str(w, "</title>\n<style>\n");
	w_str(w, style);
	w_str(w, "</style>\n</head>\n<body>\n<header>\n<h1>");
	w_ctext(w, title);
	w_str(w, "</h1>\n");
	if (in->subtitle) {
		w_str(w, "<p class=\"subtitle\">");
		w_ctext(w, in->subtitle);
		w_str(w, "</p>\n");
	}
	w_str(w, "</header>\n");
}

/* A link to the section "<what>-<index>", named by its title. */
static void w_nav_link(struct writer *w, const char *what, size_t index, const char *title)
{
	w_str(w, "<a href=\"#");
	w_str(w, what);
	w_str(w, "-");
	w_u64(w, index);
	w_str(w, "\">");
	w_name(w, title, what, index);
	w_str(w, "</a>");
}

static void write_nav(struct writer *w, const struct page_input *in)
{
	if (!in->n_notes && !in->n_charts && !in->n_tables)
		return;
	w_str(w, "<nav>");
	if (in->n_notes)
		w_str(w, "<a href=\"#left-out\">What was left out</a>");
	for (size_t i = 0; i < in->n_charts; i++)
		w_nav_link(w, "chart", i + 1, in->charts[i].title);
	for (size_t i = 0; i < in->n_tables; i++)
		w_nav_link(w, "table", i + 1, in->tables[i].title);
	w_str(w, "</nav>\n");
}

static void write_figures(struct writer *w, const struct page_input *in)
{
	if (!in->n_figures)
		return;
	w_str(w, "<section class=\"figures\">\n");
	for (size_t i = 0; i < in->n_figures; i++) {
		w_str(w, "<div class=\"figure\"><span class=\"value\">");
		w_ctext(w, in->figures[i].value);
		w_str(w, "</span><span class=\"label\">");
		w_ctext(w, in->figures[i].label);
		w_str(w, "</span></div>\n");
	}
	w_str(w, "</section>\n");
}

static void write_notes(struct writer *w, const struct page_input *in)
{
	if (!in->n_notes)
		return;
	w_str(w, "<section class=\"left-out\" id=\"left-out\">\n<h2>What was left out</h2>\n<ul>\n");
	for (size_t i = 0; i < in->n_notes; i++) {
		w_str(w, "<li>");
		w_ctext(w, in->notes[i]);
		w_str(w, "</li>\n");
	}
	w_str(w, "</ul>\n</section>\n");
}

int page_write(FILE *out, const struct page_input *in, struct error *err)
{
	struct writer *w = malloc(sizeof(*w));
	int rc = -1;

	if (!w)
		return error_set(err, NULL, "out of memory");
	w->out = out;
	w->len = 0;
	w->failed = 0;

	write_head(w, in);
	write_nav(w, in);
	write_figures(w, in);
	write_notes(w, in);
	if (in->n_charts) {
		w_str(w, "<section class=\"charts\">\n");
		for (size_t i = 0; i < in->n_charts; i++)
			if (write_chart(w, &in->charts[i], i + 1, err) < 0)
				goto out;
		w_str(w, "</section>\n");
	}
	for (size_t i = 0; i < in->n_tables; i++)
		if (write_table(w, &in->tables[i], i + 1, err) < 0)
			goto out;
	w_str(w, "<footer>written by tousu</footer>\n</body>\n</html>\n");
	w_flush(w);
	if (!w->failed) {
		errno = 0;
		if (fflush(out) != 0 || ferror(out))
			w->failed = errno ? errno : EIO;
	}
	if (w->failed) {
		error_set(err, NULL, "cannot write the html page: %s", strerror(w->failed));
		goto out;
	}
	rc = 0;
out:
	free(w);
	return rc;
}
