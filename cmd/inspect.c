/*
 * inspect.c - `tousu inspect FILE...`: what is in an export, before any
 * analysis trusts it: its kind, compression, encoding, rows read and
 * rejected (with the first reasons and lines), distinct shops, the time
 * range, and the column bound to each role.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/shop_table.h"
#include "cmd/cmd.h"
#include "cmd/input_options.h"
#include "cmd/options.h"
#include "cmd/progress.h"
#include "formats/export.h"
#include "formats/timeparse.h"
#include "reports/table.h"

struct file_facts {
	struct export_stats stats;
	struct shop_table *shops;
	enum role time_role;  /* set after reading, for printing */
	int32_t tz;
	uint64_t times, bad_times, no_shop;
	/* Rows with a field that is not UTF-8: a UTF-8 export's broken rows
	 * pass through as they are (classify repairs each text and counts it),
	 * and this is where a user checks the file before trusting it. A
	 * GB18030 export's are counted by the transcoder (invalid_bytes). */
	uint64_t bad_utf8_rows, bad_utf8_line;
	int64_t first, last;
	int read_failed;
	struct error err;
};

static int on_row(void *v, const struct export_row *row)
{
	struct file_facts *f = v;
	size_t len;
	const char *s = export_field(row, ROLE_SHOP_ID, &len);

	for (size_t i = 0; i < row->rec->n_fields; i++)
		if (!utf8_is_valid(row->rec->fields[i], row->rec->lens[i])) {
			if (!f->bad_utf8_rows++)
				f->bad_utf8_line = row->rec->line;
			break;
		}

	if (len == 0)
		f->no_shop++;
	else if (shop_table_intern(f->shops, s, len) < 0)
		return 1;

	s = export_field(row, schema_time_role(row->binding->kind), &len);
	if (s && len) {
		int64_t t;
		if (time_parse(s, len, f->tz, &t) == 0) {
			if (!f->times || t < f->first)
				f->first = t;
			if (!f->times || t > f->last)
				f->last = t;
			f->times++;
		} else {
			f->bad_times++;
		}
	}
	return 0;
}

/* Set when a JSON string could not be written: the run then fails. */
static int json_failed;

/* As every json table writes strings (valid UTF-8 whatever a file name or
 * header holds), through the table writer's escaping. */
static void json_string(FILE *out, const char *s, size_t len)
{
	if (table_json_string(out, s, len) < 0)
		json_failed = 1;
}

static void format_time(const struct file_facts *f, int64_t t, char out[20])
{
	if (f->times)
		time_format(t, f->tz, out);
	else
		strcpy(out, "-");
}

static void print_text(FILE *out, const char *name, const struct file_facts *f)
{
	const struct export_stats *st = &f->stats;
	char a[20], b[20];

	fprintf(out, "%s\n", name);
	fprintf(out, "  kind         %s\n", schema_kind_name(st->has_header ? st->binding.kind : KIND_UNKNOWN));
	fprintf(out, "  compression  %s", source_compression_name(st->compression));
	if (st->compression == SOURCE_GZIP)
		fprintf(out, " (%llu member%s)", (unsigned long long)st->members,
			st->members == 1 ? "" : "s");
	fprintf(out, "\n  encoding     %s", encoding_name(st->encoding));
	if (st->invalid_bytes)
		fprintf(out, " (%llu invalid sequences replaced)", (unsigned long long)st->invalid_bytes);
	if (f->bad_utf8_rows)
		fprintf(out, " (%llu row%s with invalid UTF-8, the first at line %llu)",
			(unsigned long long)f->bad_utf8_rows, f->bad_utf8_rows == 1 ? "" : "s",
			(unsigned long long)f->bad_utf8_line);
	fprintf(out, "\n  lines        %llu\n", (unsigned long long)st->lines);
	fprintf(out, "  rows         %llu\n", (unsigned long long)st->rows);
	fprintf(out, "  rejected     %llu\n", (unsigned long long)st->rejected);
	for (size_t i = 0; i < st->n_kept; i++)
		fprintf(out, "    line %llu: %s\n", (unsigned long long)st->kept[i].line,
			st->kept[i].reason);
	if (st->rejected > st->n_kept)
		fprintf(out, "    ... and %llu more\n", (unsigned long long)(st->rejected - st->n_kept));
	fprintf(out, "  shops        %zu\n", shop_table_count(f->shops));
	if (f->no_shop)
		fprintf(out, "  no shop      %llu rows\n", (unsigned long long)f->no_shop);
	if (st->has_header) {
		format_time(f, f->first, a);
		format_time(f, f->last, b);
		fprintf(out, "  time range   %s .. %s (%s, UTC%+03d:%02d)\n", a, b,
			schema_role_name(f->time_role), f->tz / 3600, abs(f->tz % 3600) / 60);
		if (f->bad_times)
			fprintf(out, "  bad times    %llu rows\n", (unsigned long long)f->bad_times);
		fputs("  columns\n", out);
		for (size_t c = 0; c < st->binding.n_columns; c++)
			for (int r = 0; r < ROLE_COUNT; r++)
				if (st->binding.column[r] == (int)c)
					fprintf(out, "    %-3zu %-15s %s\n", c + 1,
						schema_role_name(r), st->header[c]);
				else if (st->binding.also[r] == (int)c)
					fprintf(out, "    %-3zu %-15s %s (not read: column %d is %s)\n",
						c + 1, "-", st->header[c], st->binding.column[r] + 1,
						schema_role_name(r));
	}
}

static const char *const tsv_columns[] = {
	"file", "kind", "compression", "members", "encoding", "lines", "rows",
	"rejected", "shops", "no_shop", "time_role", "first", "last", "bad_times",
	"columns", "invalid_utf8_rows",
};

/* One tsv row through reports/table, so escaping matches every other table. */
static void print_tsv(struct table *t, const char *name, const struct file_facts *f)
{
	const struct export_stats *st = &f->stats;
	char a[20], b[20], columns[4096];
	size_t len = 0;

	table_cstr(t, name);
	table_cstr(t, schema_kind_name(st->has_header ? st->binding.kind : KIND_UNKNOWN));
	table_cstr(t, source_compression_name(st->compression));
	table_int(t, (int64_t)st->members);
	table_cstr(t, encoding_name(st->encoding));
	table_int(t, (int64_t)st->lines);
	table_int(t, (int64_t)st->rows);
	table_int(t, (int64_t)st->rejected);
	table_int(t, (int64_t)shop_table_count(f->shops));
	table_int(t, (int64_t)f->no_shop);
	if (st->has_header)
		table_cstr(t, schema_role_name(f->time_role));
	else
		table_null(t);
	if (f->times) {
		format_time(f, f->first, a);
		format_time(f, f->last, b);
		table_cstr(t, a);
		table_cstr(t, b);
	} else {
		table_null(t);
		table_null(t);
	}
	table_int(t, (int64_t)f->bad_times);
	for (int r = 0; st->has_header && r < ROLE_COUNT; r++) {
		int c = st->binding.column[r];
		if (c < 0)
			continue;
		int n = snprintf(columns + len, sizeof(columns) - len, "%s%s=%s", len ? ";" : "",
				 schema_role_name(r), st->header[c]);
		if (n < 0 || (size_t)n >= sizeof(columns) - len)
			break;
		len += (size_t)n;
	}
	table_str(t, columns, len);
	table_int(t, (int64_t)f->bad_utf8_rows);
	table_row_end(t);
}

static void print_json(FILE *out, const char *name, const struct file_facts *f)
{
	const struct export_stats *st = &f->stats;
	char a[20], b[20];

	fputs("{\"file\":", out);
	json_string(out, name, strlen(name));
	fprintf(out, ",\"kind\":\"%s\",\"compression\":\"%s\",\"members\":%llu,"
		"\"encoding\":\"%s\",\"lines\":%llu,\"rows\":%llu,\"rejected\":%llu,"
		"\"shops\":%zu,\"no_shop\":%llu,\"invalid_utf8_rows\":%llu",
		schema_kind_name(st->has_header ? st->binding.kind : KIND_UNKNOWN),
		source_compression_name(st->compression), (unsigned long long)st->members,
		encoding_name(st->encoding), (unsigned long long)st->lines,
		(unsigned long long)st->rows, (unsigned long long)st->rejected,
		shop_table_count(f->shops), (unsigned long long)f->no_shop,
		(unsigned long long)f->bad_utf8_rows);
	fputs(",\"rejects\":[", out);
	for (size_t i = 0; i < st->n_kept; i++) {
		fprintf(out, "%s{\"line\":%llu,\"reason\":", i ? "," : "",
			(unsigned long long)st->kept[i].line);
		json_string(out, st->kept[i].reason, strlen(st->kept[i].reason));
		fputc('}', out);
	}
	fputc(']', out);
	if (st->has_header) {
		format_time(f, f->first, a);
		format_time(f, f->last, b);
		fprintf(out, ",\"time_role\":\"%s\"", schema_role_name(f->time_role));
		if (f->times)
			fprintf(out, ",\"first\":\"%s\",\"last\":\"%s\"", a, b);
		else
			fputs(",\"first\":null,\"last\":null", out);
		fprintf(out, ",\"bad_times\":%llu,\"columns\":{", (unsigned long long)f->bad_times);
		int any = 0;
		for (int r = 0; r < ROLE_COUNT; r++) {
			int c = st->binding.column[r];
			if (c < 0)
				continue;
			fprintf(out, "%s\"%s\":", any++ ? "," : "", schema_role_name(r));
			json_string(out, st->header[c], strlen(st->header[c]));
		}
		fputc('}', out);
	}
	fputs("}\n", out);
}

static const char *format = "text";
static struct input_flags in;

static const struct option inspect_options[] = {
	OPT_CHOICE(0, "format", &format, "text|tsv|json", "output format (default text)"),
	INPUT_OPTIONS(in),
	OPT_END(),
};

static const struct command_usage inspect_usage = {
	"tousu inspect [OPTIONS] FILE...",
	"Reads each export (CSV, plain or gzip, '-' for stdin) and prints what it\n"
	"holds: kind (orders, complaints or chats), compression, encoding, rows read\n"
	"and rejected with the first reasons, distinct shops, time range and the\n"
	"column bound to each role. Exits 1 when a file cannot be read or its\n"
	"rejected rows exceed --max-errors.",
	inspect_options,
};

static int run_inspect(int argc, char **argv)
{
	char **files;
	size_t n_files;
	struct error err;
	struct export_options eo;
	int status = EXIT_OK;

	input_flags_init(&in);
	if (cmd_parse(argc, argv, &inspect_usage, "inspect", 1, &files, &n_files, &status))
		return status;
	const struct strlist operands = {(const char **)files, n_files, 0};
	if (cmd_stdin_once("inspect", (const struct strlist *[]){&operands}, 1) < 0) {
		free(files);
		return EXIT_USAGE;
	}
	if (input_flags_apply(&in, &eo, &err) < 0) {
		error_print(stderr, &err);
		input_flags_release(&in);
		free(files);
		return EXIT_USAGE;
	}
	if (input_flags_open_rejects(&in, &eo, &err) < 0) {
		error_print(stderr, &err);
		input_flags_release(&in);
		free(files);
		return EXIT_DATA;
	}

	struct progress pg;
	progress_init(&pg, in.progress_flag);
	eo.progress = progress_update;
	eo.progress_ctx = &pg;
	struct table tsv;
	if (!strcmp(format, "tsv") &&
	    table_begin(&tsv, stdout, TABLE_TSV, tsv_columns,
			sizeof(tsv_columns) / sizeof(tsv_columns[0])) < 0) {
		fputs("tousu: out of memory\n", stderr);
		input_flags_release(&in);
		free(files);
		return EXIT_DATA;
	}
	for (size_t i = 0; i < n_files; i++) {
		struct file_facts f = {0};
		f.shops = shop_table_new();
		f.tz = in.tz;
		error_clear(&f.err);
		if (!f.shops) {
			fputs("tousu: out of memory\n", stderr);
			status = EXIT_DATA;
			break;
		}
		int rc = export_read(files[i], &eo, on_row, &f, &f.stats, &f.err);
		progress_done(&pg);
		if (rc < 0) {
			error_print(stderr, &f.err);
			if (f.stats.rows)
				fprintf(stderr, "tousu: %s: %llu rows were read before the error\n",
					files[i], (unsigned long long)f.stats.rows);
			status = EXIT_DATA;
		}
		f.time_role = schema_time_role(f.stats.has_header ? f.stats.binding.kind : KIND_UNKNOWN);
		if (f.stats.has_header || f.stats.rows || !f.err.msg[0]) {
			const char *name = strcmp(files[i], "-") ? files[i] : "(stdin)";
			if (!strcmp(format, "tsv"))
				print_tsv(&tsv, name, &f);
			else if (!strcmp(format, "json"))
				print_json(stdout, name, &f);
			else
				print_text(stdout, name, &f);
		}
		if (input_flags_too_many_rejects(&in, files[i], &f.stats, &err)) {
			error_print(stderr, &err);
			status = EXIT_DATA;
		}
		export_stats_release(&f.stats);
		shop_table_free(f.shops);
	}
	if ((!strcmp(format, "tsv") && table_end(&tsv) < 0) || json_failed)
		status = EXIT_DATA;  /* cmd_finish_stdout says why */
	if (input_flags_release(&in) < 0)
		status = EXIT_DATA;
	free(files);
	return cmd_finish_stdout(status);
}

const struct cmd cmd_inspect = {
	"inspect", "say what an export holds: kind, encoding, rows, rejects, shops, time range",
	run_inspect,
};
