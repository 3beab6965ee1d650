#include "cmd/input_options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "formats/timeparse.h"

static int parse_max_errors(struct input_flags *f, struct error *err)
{
	char *end;
	const char *s = f->max_errors;

	f->max_errors_percent = -1;
	f->max_errors_count = UINT64_MAX;
	if (!s)
		return 0;
	errno = 0;
	if (s[0] && s[strlen(s) - 1] == '%') {
		double p = strtod(s, &end);
		if (errno || end == s || *end != '%' || p < 0 || p > 100)
			return error_set(err, NULL, "--max-errors: '%s' is not a percentage", s);
		f->max_errors_percent = p;
		return 0;
	}
	if (*s == '-')
		return error_set(err, NULL, "--max-errors: '%s' is not a count or a percentage", s);
	unsigned long long n = strtoull(s, &end, 10);
	if (errno || end == s || *end)
		return error_set(err, NULL, "--max-errors: '%s' is not a count or a percentage", s);
	f->max_errors_count = n;
	return 0;
}

void input_flags_init(struct input_flags *f)
{
	f->progress_flag = -1;
	f->max_field = UINT64_MAX;
}

int input_flags_apply(struct input_flags *f, struct export_options *opts,
		      struct error *err)
{
	export_options_init(opts);
	f->tz = 8 * 3600;
	if (f->tz_name && time_parse_tz(f->tz_name, &f->tz) < 0)
		return error_set(err, NULL, "--tz: '%s' is not an offset like +08:00", f->tz_name);
	if (f->kind && schema_kind_parse(f->kind, &opts->kind) < 0)
		return error_set(err, NULL, "--kind: unknown kind '%s'", f->kind);
	if (f->encoding && strcmp(f->encoding, "auto")) {
		opts->encoding_auto = 0;
		if (encoding_parse_name(f->encoding, &opts->encoding) < 0)
			return error_set(err, NULL, "--encoding: unknown encoding '%s'", f->encoding);
	}
	if (f->compression)
		opts->source.compression = !strcmp(f->compression, "gzip") ? SOURCE_GZIP :
					   !strcmp(f->compression, "plain") ? SOURCE_PLAIN :
									      SOURCE_AUTO;
	/* 0 used to mean the default, silently. */
	if (f->max_field == 0)
		return error_set(err, NULL, "--max-field: give a size of at least 1 byte");
	if (f->max_field != UINT64_MAX)
		opts->csv.max_field = f->max_field;
	if (parse_max_errors(f, err) < 0)
		return -1;
	if (f->cols.n) {
		f->overrides = calloc(f->cols.n, sizeof(*f->overrides));
		if (!f->overrides)
			return error_set(err, NULL, "out of memory");
		for (size_t i = 0; i < f->cols.n; i++) {
			const char *eq = strchr(f->cols.items[i], '=');
			if (!eq || eq == f->cols.items[i] || !eq[1])
				return error_set(err, NULL, "--col: '%s' is not ROLE=HEADER",
						 f->cols.items[i]);
			/* The role is the text before '=': copy it to end it there. */
			char *role = strndup(f->cols.items[i], (size_t)(eq - f->cols.items[i]));
			if (!role)
				return error_set(err, NULL, "out of memory");
			if (schema_role_parse(role) < 0) {
				error_set(err, NULL, "--col: unknown role '%s'", role);
				free(role);
				return -1;
			}
			f->overrides[i].role = role;
			f->overrides[i].header = eq + 1;
		}
		opts->overrides = f->overrides;
		opts->n_overrides = f->cols.n;
	}
	return 0;
}

int input_flags_open_rejects(struct input_flags *f, struct export_options *opts,
			     struct error *err)
{
	if (!f->rejects_path)
		return 0;
	f->rejects = fopen(f->rejects_path, "a");
	if (!f->rejects)
		return error_set(err, f->rejects_path, "cannot open rejects file: %s",
				 strerror(errno));
	opts->rejects = f->rejects;
	return 0;
}

int input_flags_too_many_rejects(const struct input_flags *f, const char *file,
				 const struct export_stats *st, struct error *err)
{
	uint64_t total = st->rows + st->rejected;
	if (f->max_errors_percent >= 0) {
		if (total && 100.0 * (double)st->rejected / (double)total > f->max_errors_percent) {
			error_set(err, file, "%llu of %llu rows rejected (%.2f%%), over --max-errors %s",
				  (unsigned long long)st->rejected, (unsigned long long)total,
				  100.0 * (double)st->rejected / (double)total, f->max_errors);
			return 1;
		}
		return 0;
	}
	if (st->rejected > f->max_errors_count) {
		error_set(err, file, "%llu rows rejected, over --max-errors %s",
			  (unsigned long long)st->rejected, f->max_errors);
		return 1;
	}
	return 0;
}

/* Names the role's second column and the one that was read. */
static void say_also(const char *file, const struct export_stats *st)
{
	const struct schema_binding *b = &st->binding;
	if (!st->has_header || !st->header)
		return;
	for (int r = 0; r < ROLE_COUNT; r++) {
		if (b->also[r] < 0 || b->column[r] < 0)
			continue;
		const char *read = st->header[b->column[r]], *other = st->header[b->also[r]];
		fprintf(stderr, "tousu: %s: column %d (%s) is also %s; column %d (%s) was read",
			file, b->also[r] + 1, other, schema_role_name(r), b->column[r] + 1, read);
		if (strcmp(read, other))
			fprintf(stderr, " (--col %s=%s reads the other)\n", schema_role_name(r),
				other);
		else
			fputs(" (the first of the two)\n", stderr);
	}
}

int input_flags_after_file(const struct input_flags *f, const char *file,
			   const struct export_stats *st)
{
	struct error err;

	say_also(file, st);
	if (st->rejected) {
		fprintf(stderr, "tousu: %s: %llu row%s rejected", file,
			(unsigned long long)st->rejected, st->rejected == 1 ? "" : "s");
		for (size_t k = 0; k < st->n_kept; k++)
			fprintf(stderr, "%s line %llu: %s", k ? ";" : " (first:",
				(unsigned long long)st->kept[k].line, st->kept[k].reason);
		fputs(st->n_kept ? ")\n" : "\n", stderr);
	}
	if (input_flags_too_many_rejects(f, file, st, &err)) {
		error_print(stderr, &err);
		return -1;
	}
	return 0;
}

int input_flags_release(struct input_flags *f)
{
	int rc = 0;

	for (size_t i = 0; f->overrides && i < f->cols.n; i++)
		free((char *)f->overrides[i].role);
	free(f->overrides);
	f->overrides = NULL;
	strlist_release(&f->cols);
	if (f->rejects) {
		/* A write error stays in ferror() until the close; the close
		 * flushes the rest and can fail on its own. */
		int failed = ferror(f->rejects);
		errno = 0;
		if (fclose(f->rejects) != 0 || failed) {
			fprintf(stderr, "tousu: %s: the rejects file is incomplete: %s\n",
				f->rejects_path, errno ? strerror(errno) : "write error");
			rc = -1;
		}
	}
	f->rejects = NULL;
	return rc;
}
