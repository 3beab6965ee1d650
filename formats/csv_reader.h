/*
 * csv_reader.h - RFC 4180 records from a byte stream, with physical line
 * numbers, through libcsv.
 *
 * The caller pushes bytes (any chunking) with csv_reader_feed() and calls
 * csv_reader_finish() at the end; the reader calls back once per record and
 * once per rejected record. The first record is the header: it fixes the
 * number of fields every later record must have.
 *
 * What it guarantees:
 * - Quoted fields with commas, doubled quotes, CR and LF inside are kept
 *   byte for byte; CRLF and LF line ends; a UTF-8 BOM at the very start is
 *   dropped; blank lines are skipped (and still counted as lines); spaces
 *   around unquoted fields are kept (libcsv would trim them by default).
 * - Line numbers are physical lines of the decoded stream (LF bytes counted
 *   by the reader), not record numbers: a record's line is the line its
 *   first byte is on.
 * - A record with too few or too many fields, a field over max_field bytes,
 *   or a quoted field still open at the end of input is rejected: reported
 *   with its line and reason, never passed on, never silently dropped. The
 *   record after a bad one is parsed normally.
 *
 * Records of unquoted fields and of quoted fields with no CR inside, the
 * bulk of any export, are split by the reader itself, also over lines when
 * all of the record is in one chunk fed; the rest go through libcsv. Both
 * give the same fields.
 *
 * Memory: fields handed to a callback are (pointer, length) pairs, NOT
 * NUL-terminated, valid only during that callback. The reader owns a buffer
 * for the longest record seen (bounded by max_field and max_fields); nothing
 * is allocated per record or per field.
 */
#ifndef TOUSU_CSV_READER_H
#define TOUSU_CSV_READER_H

#include <stddef.h>
#include <stdint.h>

#include "formats/error.h"

struct csv_options {
	size_t max_field;   /* longest field in bytes; 0 = 1 MiB */
	size_t max_fields;  /* most fields in a record; 0 = 4096 */
	char delim;         /* 0 = ',' */
};

struct csv_record {
	size_t n_fields;
	const char *const *fields;
	const size_t *lens;
	uint64_t line;      /* physical line of the record's first byte, 1-based */
	uint64_t number;    /* record number, the header is 1 */
	uint64_t offset;    /* byte offset of the record's first byte in the stream */
	/*
	 * The record's bytes as read, delimiters and quotes included, up to
	 * its line end, when every field lies in place inside them (no
	 * doubled quote was unescaped, libcsv did not parse it): a caller
	 * copying the record can copy span once and find each field at its
	 * offset from span. Otherwise NULL, and span_len 0. Valid as long as
	 * the fields are.
	 */
	const char *span;
	size_t span_len;
};

enum csv_reject_reason {
	CSV_REJECT_FIELD_COUNT,    /* fields differ from the header's */
	CSV_REJECT_FIELD_TOO_LONG, /* a field over max_field bytes */
	CSV_REJECT_TOO_MANY_FIELDS,/* more than max_fields fields */
	CSV_REJECT_OPEN_QUOTE,     /* a quoted field still open at end of input */
};

struct csv_reject {
	enum csv_reject_reason reason;
	uint64_t line, number, offset;
	size_t n_fields;           /* fields found (FIELD_COUNT) */
	size_t expected;           /* fields expected (FIELD_COUNT) */
	/* The fields that were read, when there are any (not for TOO_LONG). */
	const char *const *fields;
	const size_t *lens;
};

/* Return non-zero to stop reading; csv_reader_feed then returns 1. */
typedef int (*csv_record_fn)(void *ctx, const struct csv_record *rec);
typedef void (*csv_reject_fn)(void *ctx, const struct csv_reject *rej);

struct csv_reader;

/* opts may be NULL. Returns NULL if out of memory. */
struct csv_reader *csv_reader_new(const struct csv_options *opts,
				  csv_record_fn on_record,
				  csv_reject_fn on_reject, void *ctx);

/*
 * Parses len bytes. Returns 0, 1 if a callback asked to stop, or -1 with err
 * filled (out of memory only: bad records are rejects, not errors).
 */
int csv_reader_feed(struct csv_reader *r, const char *buf, size_t len,
		    struct error *err);

/* Ends the input: emits a last record with no final newline. Same returns. */
int csv_reader_finish(struct csv_reader *r, struct error *err);

/* Physical lines seen so far (a last line without LF counts). */
uint64_t csv_reader_lines(const struct csv_reader *r);

/* Records passed on (header included) and records rejected so far. */
uint64_t csv_reader_records(const struct csv_reader *r);
uint64_t csv_reader_rejected(const struct csv_reader *r);

/* A sentence for a reject: "expected 9 fields, found 7". */
void csv_reject_describe(const struct csv_reject *rej, char *buf, size_t n);

void csv_reader_free(struct csv_reader *r);

#endif
