/*
 * page.h - the nightly report's HTML page: one self-contained file.
 *
 * page_write() writes one HTML5 page to a FILE from a description the
 * caller fills: a title and subtitle, a row of headline figures, a "what was
 * left out" list, charts (PNG files) and tables (tousu tsv files). The page
 * needs nothing else: no network, no external CSS, scripts or fonts. The
 * style is a small inline <style>; each chart is inlined as
 * <img src="data:image/png;base64,...">, encoded in chunks as the file is
 * read; a Content-Security-Policy <meta> allows only inline styles and data:
 * images, so even a page opened from a mail attachment loads nothing and
 * runs nothing.
 *
 * Every string that reaches the page (the caller's, tsv cells, file names)
 * is treated as hostile: '&' '<' '>' '"' '\'' become entities; invalid UTF-8
 * becomes U+FFFD, one per bad byte (as in gnuplot.h); NUL, the other
 * control characters (C0 but TAB LF CR, DEL, C1) and Unicode noncharacters
 * become U+FFFD too, so the page is valid UTF-8 and its text valid HTML
 * whatever the inputs hold. A TAB or line break decoded from a cell shows as
 * such (cells are white-space: pre-wrap).
 *
 * Tables: a tsv file as reports/table.h writes it. The first line is the
 * header and starts with '#'; cells are tab-separated; the escapes \t \n \r
 * \\ in a cell are decoded (a backslash before anything else, or at the end
 * of a cell, stays a backslash), then the cell is escaped for HTML. A CR
 * before the LF ending a line is dropped. A cell that looks like a number
 * (optional sign, digits with optional comma grouping, optional fraction,
 * optional exponent, optional '%') gets class="num" and is right-aligned;
 * so does the header of each column whose cell in the first row does.
 * At most max_rows rows are shown (0: all); when rows are left out, the page
 * says "N more rows in FILE", FILE being the tsv's base name, linked
 * relatively (so the page must sit beside the tsv files). A table with only
 * its header shows one "none" row.
 *
 * Anchors: chart i (1-based) is <figure id="chart-i">, table i (its
 * heading, note and rows) is <section id="table-i">, the notes box is
 * <section id="left-out">; a contents line at the top links to them.
 *
 * Ownership: page_write() reads `in` and everything it points to and keeps
 * nothing. It does not own `out`: it flushes it (so a full disk shows up
 * here) but never closes it; the caller still checks fclose().
 *
 * Errors: page_write() returns 0, or -1 and fills err:
 *  - a chart that cannot be opened or read, or is not a PNG (bad
 *    signature, which also catches the empty file a failed gnuplot leaves),
 *    and a tsv that cannot be opened or read or has no '#' header line: err
 *    names the file (err->file is the path as given, err->line the tsv line
 *    when it applies);
 *  - a write error on out (err->file empty, the message says why);
 *  - out of memory.
 * After an error the output is incomplete and must be discarded: write the
 * page beside its target and rename() it into place only on success.
 */
#ifndef TOUSU_PAGE_H
#define TOUSU_PAGE_H

#include <stddef.h>
#include <stdio.h>

#include "formats/error.h"

/* A headline box: a big value over its label ("1,234" over "Orders"). */
struct page_figure {
	const char *label;
	const char *value;
};

/* A chart: the PNG at png_path, inlined; title is its caption and alt text. */
struct page_chart {
	const char *title;
	const char *png_path;
};

/*
 * A table read from tsv_path; title is its caption, note (NULL: none) a
 * line under it; max_rows caps the rows shown (0: all).
 */
struct page_table {
	const char *title;
	const char *tsv_path;
	size_t max_rows;
	const char *note;
};

/*
 * What the page shows, top to bottom: title (NULL: "tousu report") and
 * subtitle (NULL: none), the figures, the notes (lines in a "what was left
 * out" box; no box when n_notes is 0), the charts, the tables. An array may
 * be NULL when its count is 0; a NULL title, label or value shows as empty
 * (a chart or table without a title is called "chart N" / "table N").
 */
struct page_input {
	const char *title;
	const char *subtitle;
	const struct page_figure *figures;
	size_t n_figures;
	const struct page_chart *charts;
	size_t n_charts;
	const struct page_table *tables;
	size_t n_tables;
	const char *const *notes;
	size_t n_notes;
};

/* Writes the page to out; 0, or -1 and fills err (see the top). */
int page_write(FILE *out, const struct page_input *in, struct error *err);

/*
 * Base64 (RFC 4648, with '=' padding, no line breaks) of src[0..len) into
 * dst, which must hold PAGE_BASE64_SIZE(len) bytes; returns the length
 * written (no NUL is added). For the tests and any caller that wants it.
 */
#define PAGE_BASE64_SIZE(len) ((((len) + 2) / 3) * 4)
size_t page_base64(char *dst, const unsigned char *src, size_t len);

#endif
