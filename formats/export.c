#include "formats/export.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct reading {
	const char *name;
	const struct export_options *opts;
	export_row_fn on_row;
	void *ctx;
	struct export_stats *stats;
	struct error *err;
	int failed;   /* the header could not be bound; err is filled */
	size_t header0_len;  /* the header's first name's length: a row's first test */
};

void export_options_init(struct export_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->source.compression = SOURCE_AUTO;
	opts->source.threaded = 1;
	opts->encoding_auto = 1;
	opts->encoding = ENCODING_UTF8;
	opts->kind = KIND_UNKNOWN;
}

void export_stats_release(struct export_stats *stats)
{
	if (stats->header) {
		for (size_t i = 0; i < stats->binding.n_columns; i++)
			free(stats->header[i]);
		free(stats->header);
	}
	stats->header = NULL;
}

static int bind_header(struct reading *rd, const struct csv_record *rec)
{
	struct export_stats *st = rd->stats;
	const struct export_options *o = rd->opts;

	if (schema_bind(o->kind, rec->fields, rec->lens, rec->n_fields,
			o->overrides, o->n_overrides, &st->binding, rd->err) < 0) {
		if (rd->err) {
			snprintf(rd->err->file, sizeof(rd->err->file), "%s", rd->name);
			rd->err->line = rec->line;
		}
		rd->failed = 1;
		return 1;
	}
	st->has_header = 1;
	rd->header0_len = rec->n_fields ? rec->lens[0] : 0;
	st->header = calloc(rec->n_fields, sizeof(*st->header));
	for (size_t i = 0; st->header && i < rec->n_fields; i++)
		st->header[i] = strndup(rec->fields[i], rec->lens[i]);
	return 0;
}

static void write_reject(FILE *out, const char *name, uint64_t line, const char *why,
			 const char *const *fields, const size_t *lens, size_t n_fields)
{
	char num[24];
	snprintf(num, sizeof(num), "%llu", (unsigned long long)line);
	csv_fwrite(out, name, strlen(name));
	fputc(',', out);
	fputs(num, out);
	fputc(',', out);
	csv_fwrite(out, why, strlen(why));
	for (size_t i = 0; fields && i < n_fields; i++) {
		fputc(',', out);
		csv_fwrite(out, fields[i], lens[i]);
	}
	fputc('\n', out);
}

/* Counts a rejected row, keeps the first reasons for the summary and
 * appends the row to --rejects. */
static void reject_row(struct reading *rd, uint64_t line, const char *why,
		       const char *const *fields, const size_t *lens, size_t n_fields)
{
	struct export_stats *st = rd->stats;

	st->rejected++;
	if (st->n_kept < EXPORT_KEPT_REJECTS) {
		st->kept[st->n_kept].line = line;
		snprintf(st->kept[st->n_kept].reason, sizeof(st->kept[0].reason), "%s", why);
		st->n_kept++;
	}
	if (rd->opts->rejects)
		write_reject(rd->opts->rejects, rd->name, line, why, fields, lens, n_fields);
}

/* A record that repeats the header, byte for byte: exports concatenated
 * (cat day1.csv.gz day2.csv.gz) carry one per part. Asked of every row, so
 * a row's first field's length settles it almost always. */
static int header_again(const struct reading *rd, const struct csv_record *rec)
{
	const struct export_stats *st = rd->stats;

	if (rec->n_fields != st->binding.n_columns || !rec->n_fields ||
	    rec->lens[0] != rd->header0_len || !st->header)
		return 0;
	for (size_t i = 0; i < rec->n_fields; i++)
		if (!st->header[i] || strlen(st->header[i]) != rec->lens[i] ||
		    memcmp(st->header[i], rec->fields[i], rec->lens[i]))
			return 0;
	return 1;
}

static int on_record(void *v, const struct csv_record *rec)
{
	struct reading *rd = v;
	if (rd->failed)
		return 1;
	if (!rd->stats->has_header)
		return bind_header(rd, rec);
	if (header_again(rd, rec)) {
		/* No row, and not to be read as one (a shop named "shop_id"),
		 * but said, like any line that is not a row. */
		reject_row(rd, rec->line, "the header again (exports joined together?)",
			   rec->fields, rec->lens, rec->n_fields);
		return 0;
	}
	rd->stats->rows++;
	struct export_row row = {rec, &rd->stats->binding};
	return rd->on_row ? rd->on_row(rd->ctx, &row) : 0;
}

static void on_reject(void *v, const struct csv_reject *rej)
{
	struct reading *rd = v;
	char why[120];

	if (rd->failed)
		return;
	csv_reject_describe(rej, why, sizeof(why));
	if (!rd->stats->has_header) {
		/* The first record is the header. Rejected, it is no row, and
		 * the next line must not be taken for it: every row would be
		 * read against the wrong columns, or all of them rejected, and
		 * the run would still succeed. */
		error_set_line(rd->err, rd->name, rej->line, "the header cannot be read: %s", why);
		rd->failed = 1;
		return;
	}
	reject_row(rd, rej->line, why, rej->fields, rej->lens, rej->n_fields);
}

int export_read(const char *path, const struct export_options *opts,
		export_row_fn on_row, void *ctx, struct export_stats *stats,
		struct error *err)
{
	struct export_options defaults;
	struct reading rd = {0};
	struct transcoder *tr = NULL;
	struct csv_reader *csv = NULL;
	struct source *src;
	const char *buf;
	ssize_t n;
	int rc = 0, first = 1;

	if (!opts) {
		export_options_init(&defaults);
		opts = &defaults;
	}
	memset(stats, 0, sizeof(*stats));
	stats->encoding = opts->encoding;
	src = source_open(path, &opts->source, err);
	if (!src)
		return -1;
	rd = (struct reading){.name = source_name(src), .opts = opts, .on_row = on_row, .ctx = ctx,
			      .stats = stats, .err = err};
	csv = csv_reader_new(&opts->csv, on_record, on_reject, &rd);
	if (!csv) {
		rc = error_set(err, rd.name, "out of memory");
		goto out;
	}

	uint64_t total = 0;
	struct stat sb;
	if (opts->progress && strcmp(path, "-") && stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
		total = (uint64_t)sb.st_size;
	while ((n = source_next(src, &buf, err)) > 0) {
		size_t len = (size_t)n;
		if (opts->progress)
			opts->progress(opts->progress_ctx, rd.name, source_bytes_in(src), total);
		if (first) {
			first = 0;
			if (opts->encoding_auto)
				stats->encoding = encoding_detect(buf, len, 0);
			if (stats->encoding != ENCODING_UTF8 &&
			    !(tr = transcoder_new(stats->encoding, err))) {
				rc = -1;
				goto out;
			}
		}
		if (tr && transcoder_convert(tr, buf, len, 0, &buf, &len, err) < 0) {
			rc = -1;
			goto out;
		}
		int fed = csv_reader_feed(csv, buf, len, err);
		if (fed < 0 || rd.failed) {
			rc = -1;
			goto out;
		}
		if (fed > 0)
			goto out;  /* the caller asked to stop */
	}
	if (n < 0) {
		/* Keep what was read; the partial line at the break is not a row. */
		rc = -1;
		goto out;
	}
	if (tr) {
		size_t len;
		if (transcoder_convert(tr, NULL, 0, 1, &buf, &len, err) < 0 ||
		    csv_reader_feed(csv, buf, len, err) < 0) {
			rc = -1;
			goto out;
		}
	}
	if (csv_reader_finish(csv, err) < 0 || rd.failed)
		rc = -1;
out:
	if (rc < 0 && err && !err->file[0])
		snprintf(err->file, sizeof(err->file), "%s", rd.name ? rd.name : path);
	stats->compression = source_compression(src);
	stats->members = source_members(src);
	stats->bytes_in = source_bytes_in(src);
	stats->bytes_out = source_bytes_out(src);
	if (csv)
		stats->lines = csv_reader_lines(csv);
	if (tr)
		stats->invalid_bytes = transcoder_invalid(tr);
	transcoder_free(tr);
	csv_reader_free(csv);
	source_close(src);
	return rc;
}
