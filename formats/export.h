/*
 * export.h - read one export file end to end: bytes, encoding, CSV, schema.
 *
 * export_read() opens a path (or "-"), detects gzip and the encoding from
 * the first block (strict UTF-8 first, then GB18030; see encoding.h),
 * transcodes GB18030 to UTF-8 as it streams, parses CSV, binds the header to
 * roles (recognising the kind unless one is given) and calls on_row for every
 * data record. Rejected records are counted, the first few kept with line
 * and reason in the stats, and all of them optionally written to a rejects
 * file as CSV (file, line, reason, then the record's fields).
 *
 * Errors: a file that cannot be opened, a corrupt or truncated gzip stream,
 * a header missing a required column, or a read error return -1 with err
 * filled (err->file is the export's name). Rows handed out before the error
 * stay counted in stats, so a caller can say how much was read. Rejected
 * rows are not errors: the caller decides (see --max-errors in cmd/).
 *
 * Ownership: the caller owns stats; export_stats_release() frees the header
 * copy inside it. Rows are valid only during the callback.
 */
#ifndef TOUSU_EXPORT_H
#define TOUSU_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "formats/csv_reader.h"
#include "formats/encoding.h"
#include "formats/error.h"
#include "formats/schema.h"
#include "formats/source.h"

#define EXPORT_KEPT_REJECTS 5

struct export_options {
	struct source_options source;
	struct csv_options csv;
	int encoding_auto;          /* detect; otherwise use encoding */
	enum encoding encoding;
	enum record_kind kind;      /* KIND_UNKNOWN: recognise from the header */
	const struct schema_override *overrides;
	size_t n_overrides;
	FILE *rejects;              /* NULL, or where rejected records go */
	/* Called after each block with the compressed bytes read so far and
	 * the file's size (0 when unknown: a pipe); NULL for none. */
	void (*progress)(void *ctx, const char *name, uint64_t done, uint64_t total);
	void *progress_ctx;
};

struct export_reject_note {
	uint64_t line;
	char reason[120];
};

struct export_stats {
	enum source_compression compression;
	uint64_t members, bytes_in, bytes_out;
	enum encoding encoding;
	uint64_t invalid_bytes;     /* byte sequences replaced by U+FFFD */
	uint64_t lines, rows, rejected;
	struct export_reject_note kept[EXPORT_KEPT_REJECTS];
	size_t n_kept;
	int has_header;
	struct schema_binding binding;
	char **header;              /* the header's names, binding.n_columns of them */
};

struct export_row {
	const struct csv_record *rec;
	const struct schema_binding *binding;
};

/* Return non-zero to stop reading early (export_read then returns 0). */
typedef int (*export_row_fn)(void *ctx, const struct export_row *row);

/* The field bound to role: sets *len and returns it, or NULL when unbound. */
static inline const char *export_field(const struct export_row *row,
				       enum role role, size_t *len)
{
	int c = row->binding->column[role];
	if (c < 0) {
		*len = 0;
		return NULL;
	}
	*len = row->rec->lens[c];
	return row->rec->fields[c];
}

/* Defaults: auto compression and encoding, threaded gzip, kind recognised. */
void export_options_init(struct export_options *opts);

int export_read(const char *path, const struct export_options *opts,
		export_row_fn on_row, void *ctx, struct export_stats *stats,
		struct error *err);

void export_stats_release(struct export_stats *stats);

#endif
