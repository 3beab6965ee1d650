/*
 * gnuplot.h - writes a complete gnuplot script with its data inline.
 *
 * `tousu ... --format gnuplot | gnuplot > chart.png` works: the script sets
 * the terminal (pngcairo or svg), writes to gnuplot's stdout unless an output
 * path is given, holds the rows in a datablock and ends with the plot. Charts:
 *  - GNUPLOT_TOP: one bar per shop (its rate) with a Wilson interval error
 *    bar; rows are label, rate, low, high; vertical, or horizontal with the
 *    first row at the top
 *  - GNUPLOT_TYPES: a rowstacked histogram, one bar per label (shop or day),
 *    one stacked segment per series (complaint type); rows are label and one
 *    number per series
 *  - GNUPLOT_TREND: a line over a time axis; rows are a date YYYY-MM-DD and
 *    the rate
 *  - GNUPLOT_DISTRIBUTION: a histogram of the rates; rows are label, rate
 * A NaN or infinite number is written NaN: gnuplot leaves that point out.
 * No rows at all is not an error: the chart says "no data".
 *
 * Data never becomes gnuplot commands (DESIGN.md, PITFALLS.md "gnuplot"),
 * by these rules, each checked against gnuplot 5.4.4 in test_gnuplot.c:
 *  - every datablock line starts with '"' (a label or a column name) or, in
 *    a trend, a validated date, so no line can start with the end marker
 *    EOD_<16 hex>, which comes from getrandom(2) and so is not guessable;
 *  - a label is a double-quoted field. gnuplot takes its text up to the
 *    first '"' (so \" cuts it short), then reads backslash escapes in it:
 *    '"' is written \042 and '\' \134, and both show as they are; TAB, CR, LF
 *    and other control characters (C0, DEL, C1) become a space; invalid UTF-8
 *    becomes U+FFFD; a label longer than GNUPLOT_TEXT_MAX bytes is cut at a
 *    character boundary and ends in U+2026. Backquotes, '@', '$(' and '#'
 *    inside a datablock field are plain text to gnuplot;
 *  - labels and series names reach the plot only through xtic(1)/ytic(1)
 *    and columnheader(), never interpolated into a command;
 *  - the title, axis labels, font and output path are single-quoted with '
 *    doubled: gnuplot 5.4 runs backquotes and expands @macros outside single
 *    quotes only, so both stay literal; control characters become spaces in
 *    titles (a newline would end the command) and are refused in a path;
 *  - a relative output path gets "./" in front, so '|cmd' is a file name,
 *    never a pipe, and '~' is not expanded;
 *  - the terminal is noenhanced and so is every text, so _ ^ { } @ & in a
 *    name are printed as they are.
 *
 * Ownership: struct gnuplot_chart's strings are read during gnuplot_begin()
 * only. The writer keeps the script in memory and writes it to out at
 * gnuplot_end(), whole or not at all; it does not own out. Mistakes in rows
 * (wrong number count, a trend label that is not a date) are sticky:
 * gnuplot_end() reports the first one and writes nothing. After a
 * successful gnuplot_begin(), call gnuplot_end() even on failure: it frees.
 */
#ifndef TOUSU_GNUPLOT_H
#define TOUSU_GNUPLOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "formats/error.h"

enum gnuplot_kind { GNUPLOT_TOP, GNUPLOT_TYPES, GNUPLOT_TREND, GNUPLOT_DISTRIBUTION };
enum gnuplot_terminal { GNUPLOT_PNG, GNUPLOT_SVG };

/* Fontconfig falls back to any installed font with the glyphs when missing. */
#define GNUPLOT_DEFAULT_FONT "Noto Sans CJK SC,10"

/* Bytes of a label or title kept; longer ones are cut and get an ellipsis. */
#define GNUPLOT_TEXT_MAX 200
/* Room for any escaped text: each byte can become 4, plus quotes and NUL. */
#define GNUPLOT_ESCAPED_SIZE (GNUPLOT_TEXT_MAX * 4 + 8)

/* For gnuplot_begin's seed: marker from getrandom(2), the only safe choice. */
#define GNUPLOT_RANDOM 0

struct gnuplot_chart {
	enum gnuplot_kind kind;
	enum gnuplot_terminal terminal;
	const char *title;      /* NULL or "": none */
	const char *xlabel;     /* axis labels, NULL or "": none */
	const char *ylabel;
	const char *output;     /* NULL: gnuplot's stdout; else a file path */
	const char *font;       /* NULL: GNUPLOT_DEFAULT_FONT; no ' " \ ` < > & */
	unsigned width, height; /* pixels, 0: 1200 x 800; at most 20000 */
	int horizontal;         /* TOP: shops down the y axis, bars along x */
	const char *const *series; /* TYPES: the stacked columns' names */
	size_t n_series;
	double bin_width;       /* DISTRIBUTION: > 0, or 0 for 20 bins */
};

struct gnuplot {
	FILE *out;
	enum gnuplot_kind kind;
	int horizontal;
	size_t numbers;         /* numbers each row takes */
	size_t rows, column;    /* rows begun; numbers in the current row */
	size_t finite;          /* finite numbers seen: none means "no data" */
	double bin_width;
	long first_day, last_day; /* TREND: the dates' span, for the tics */
	char id[17];            /* $DATA_<id>, EOD_<id> */
	char *buf;
	size_t len, cap;
	int oom;
	char bad[160];          /* first mistake in the rows, "" if none */
};

/* "top", "types", "trend", "distribution" to a kind; -1 if none. */
int gnuplot_kind_parse(const char *name, enum gnuplot_kind *out);
/* "png" or "svg" to a terminal; -1 if none. */
int gnuplot_terminal_parse(const char *name, enum gnuplot_terminal *out);

/*
 * Starts a script for chart c, to be written to out. seed is
 * GNUPLOT_RANDOM, or for golden tests any other number, which makes the
 * marker (and so the script) reproducible - and guessable. Returns 0, or -1
 * and fills err for an invalid chart, no randomness or no memory; on -1
 * nothing is held.
 */
int gnuplot_begin(struct gnuplot *g, FILE *out, const struct gnuplot_chart *c,
		  uint64_t seed, struct error *err);

/* Starts a row with its label (a date YYYY-MM-DD for a trend). */
void gnuplot_row_label(struct gnuplot *g, const char *s, size_t len);
void gnuplot_row_clabel(struct gnuplot *g, const char *s);
/* Adds the row's next number. */
void gnuplot_row_num(struct gnuplot *g, double v);

/*
 * Ends the data, writes the script to out and frees the writer. Returns 0,
 * or -1 and fills err if a row was wrong (nothing is written), memory ran
 * out or the write failed.
 */
int gnuplot_end(struct gnuplot *g, struct error *err);

/*
 * The escaping, exposed for tests. Both write into dst, which must hold
 * GNUPLOT_ESCAPED_SIZE bytes, a NUL-terminated result and return its length.
 * gnuplot_escape_label: a datablock field, "..." with the rules above.
 * gnuplot_escape_text: a command string, '...' with ' doubled.
 */
size_t gnuplot_escape_label(char *dst, const char *s, size_t len);
size_t gnuplot_escape_text(char *dst, const char *s, size_t len);

#endif
