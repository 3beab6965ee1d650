/*
 * table.h - writes result tables as tsv, csv or JSON Lines, fast.
 *
 * One writer, three formats with the contracts in DESIGN.md:
 *  - tsv: a header line starting with '#', tab-separated; a tab, newline,
 *    carriage return or backslash inside a cell is written as \t \n \r \\,
 *    so a row is always one line (gnuplot, sort and awk read it as is)
 *  - csv: RFC 4180, quoted only when needed; a text cell that a spreadsheet
 *    would run as a formula (starting with = + - @, a tab or CR, and not a
 *    number) gets a leading apostrophe
 *  - json: one object per row, keys are the column names; lists are arrays,
 *    numbers are numbers; always valid UTF-8: an invalid sequence in a cell
 *    is written as \ufffd
 *
 * The writer buffers rows itself (no stdio call per cell) and flushes to its
 * FILE when the buffer fills and at table_end(). Write errors are sticky:
 * table_end() returns -1 if any write failed. It does not own the FILE.
 */
#ifndef TOUSU_TABLE_H
#define TOUSU_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum table_format { TABLE_TSV, TABLE_CSV, TABLE_JSON };

struct table {
	FILE *out;
	enum table_format format;
	const char *const *names;
	size_t n_columns, column;
	char *buf;
	size_t len, cap;
	int failed;
};

/* Writes s as a JSON string (quoted, escaped, invalid UTF-8 as \ufffd), as
 * json cells are written, for a command that writes JSON of its own.
 * -1 when out of memory (nothing written) or a write failed. */
int table_json_string(FILE *out, const char *s, size_t len);

/* "tsv", "csv" or "json" to a format; -1 if none. */
int table_format_parse(const char *name, enum table_format *out);

/*
 * A table with no FILE: rows accumulate in memory (no header is written),
 * for a worker thread that formats rows another thread writes in order.
 * table_drain() writes what was formatted to out and empties the buffer.
 */
int table_begin_buffer(struct table *t, enum table_format format,
		       const char *const *names, size_t n_columns);
int table_drain(struct table *t, FILE *out);

/* Starts a table and writes its header (not for json). -1 if out of memory. */
int table_begin(struct table *t, FILE *out, enum table_format format,
		const char *const *names, size_t n_columns);

void table_str(struct table *t, const char *s, size_t len);
/* Inline, so that the length of a string literal is known when compiling. */
static inline void table_cstr(struct table *t, const char *s)
{
	table_str(t, s, strlen(s));
}
/*
 * n cells, cell j at base + off[j], len[j] bytes, a negative len being a
 * null cell: a row kept as offsets into one buffer, as classify keeps them.
 */
void table_cells(struct table *t, const char *base, const uint32_t *off, const int32_t *len,
		 size_t n);
void table_int(struct table *t, int64_t v);
/* A number with `decimals` digits after the point; NaN is written empty/null. */
void table_num(struct table *t, double v, int decimals);
/* A null cell: empty in tsv/csv, null in json. */
void table_null(struct table *t);
/*
 * A list: comma-joined in tsv/csv, an array of strings in json. lens[i] is
 * the length of items[i]; with lens NULL, the items are C strings.
 */
void table_list(struct table *t, const char *const *items, const size_t *lens, size_t n);
void table_row_end(struct table *t);

/* Flushes; returns 0, or -1 if a write failed. Frees the buffer. */
int table_end(struct table *t);

/*
 * Decodes a tsv cell's escapes (\t \n \r \\, as table writes them) in
 * place; returns the new length. A backslash before anything else, or last,
 * stays as it is.
 */
size_t table_tsv_unescape(char *s, size_t n);

#endif
