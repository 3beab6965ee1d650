/*
 * input_options.h - the options every command that reads exports shares:
 * --kind, --col, --encoding, --compression, --max-field, --max-errors,
 * --rejects, --tz. INPUT_OPTIONS(flags) expands to their table entries, so
 * each command's --help lists them and they parse the same way everywhere.
 */
#ifndef TOUSU_INPUT_OPTIONS_H
#define TOUSU_INPUT_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "cmd/options.h"
#include "formats/export.h"

struct input_flags {
	const char *kind, *encoding, *compression, *max_errors, *rejects_path, *tz_name;
	struct strlist cols;
	uint64_t max_field;         /* UINT64_MAX unless --max-field */
	int progress_flag;          /* -1 unless --progress / --no-progress */
	/* Filled by input_flags_apply(): */
	int32_t tz;                 /* seconds east of UTC, default +08:00 */
	uint64_t max_errors_count;  /* when not a percentage */
	double max_errors_percent;  /* < 0 when a count */
	struct schema_override *overrides;
	FILE *rejects;
};

#define INPUT_OPTIONS(f) \
	OPT_CHOICE(0, "kind", &(f).kind, "orders|complaints|chats", \
		   "the export's kind (default: recognised from its header)"), \
	OPT_LIST(0, "col", &(f).cols, "ROLE=HEADER", \
		 "bind a role to a column, e.g. --col shop_id=卖家ID"), \
	OPT_CHOICE(0, "encoding", &(f).encoding, "auto|utf-8|gb18030", \
		   "input encoding (default auto: UTF-8, else GB18030)"), \
	OPT_CHOICE(0, "compression", &(f).compression, "auto|gzip|plain", \
		   "input compression (default auto, by magic bytes)"), \
	OPT_SIZE(0, "max-field", &(f).max_field, "SIZE", \
		 "reject a record with a field over SIZE bytes (default 1M; K, M, G = 1024^n)"), \
	OPT_STRING(0, "max-errors", &(f).max_errors, "N|P%", \
		   "fail (exit 1) when more rows than this are rejected in a file"), \
	OPT_STRING(0, "rejects", &(f).rejects_path, "FILE", \
		   "append rejected records to FILE as CSV: file,line,reason,fields..."), \
	OPT_STRING(0, "tz", &(f).tz_name, "OFFSET", \
		   "time zone of times without one (default +08:00)"), \
	OPT_BOOL(0, "progress", &(f).progress_flag, \
		 "show progress on stderr (--no-progress: never; default: only on a terminal)")

/* Before the options are parsed: marks the ones whose absence differs from
 * any value given. */
void input_flags_init(struct input_flags *f);

/* Checks the flags and fills opts; -1 with err on a bad value (a usage error). */
int input_flags_apply(struct input_flags *f, struct export_options *opts,
		      struct error *err);

/* Opens --rejects for appending when given; -1 with err if it cannot. */
int input_flags_open_rejects(struct input_flags *f, struct export_options *opts,
			     struct error *err);

/* 1 and err filled when the file's rejected rows exceed --max-errors. */
int input_flags_too_many_rejects(const struct input_flags *f, const char *file,
				 const struct export_stats *st, struct error *err);

/*
 * After a file is read by a command that prints tables: says on stderr
 * which role had two columns to read (and which it read), how many rows it
 * rejected (with the first reasons and lines), and whether that is over
 * --max-errors. Returns 0, or -1 when over (the command exits 1).
 */
int input_flags_after_file(const struct input_flags *f, const char *file,
			   const struct export_stats *st);

/*
 * Frees what apply allocated and closes the rejects file. Returns -1 (and
 * says so) when the rejects file could not be written whole: the command
 * must then exit 1, since rows it said were kept there are not.
 */
int input_flags_release(struct input_flags *f);

#endif
