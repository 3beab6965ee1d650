/*
 * classify.c - `tousu classify COMPLAINTS...`: every complaint row out again
 * with its types, primary type, severity, points and the rule that decided;
 * or, with --summary, how the text's types agree with the platform's own.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzers/classifier.h"
#include "cmd/cmd.h"
#include "cmd/input_options.h"
#include "cmd/options.h"
#include "cmd/rule_options.h"
#include "reports/table.h"

#define MAX_COLUMNS 24
#define KEPT_NOTES 5

struct classify_run {
	const char *file;
	struct matcher *m;
	const struct rule_set *rs;
	struct table table;
	int summary, explain;
	enum role roles[ROLE_COUNT];
	size_t n_roles;
	/* What went wrong with texts, for the closing report. */
	uint64_t rows, no_text, invalid_rows, limited_rows;
	char notes[KEPT_NOTES][640];
	size_t n_notes;
	/* The platform's type names repeat on every row: remember the mapping. */
	struct platform_seen {
		char name[48];
		size_t len;
		int type;
	} platforms[32];
	size_t n_platforms;
	/* --summary: platform type (raw) x primary type counts. */
	struct agreement {
		char *platform;
		uint64_t total, agree;
		uint64_t *by_primary;      /* n_types + 1, last is other */
	} *agreement;
	size_t n_agreement;
};

static void note(struct classify_run *r, uint64_t line, const char *fmt, const char *what)
{
	if (r->n_notes < KEPT_NOTES)
		snprintf(r->notes[r->n_notes++], sizeof(r->notes[0]), "%s:%llu: %s%s", r->file,
			 (unsigned long long)line, fmt, what);
}

static struct agreement *agreement_for(struct classify_run *r, const char *s, size_t len)
{
	for (size_t i = 0; i < r->n_agreement; i++)
		if (strlen(r->agreement[i].platform) == len && !memcmp(r->agreement[i].platform, s, len))
			return &r->agreement[i];
	struct agreement *a = realloc(r->agreement, (r->n_agreement + 1) * sizeof(*a));
	if (!a)
		return NULL;
	r->agreement = a;
	a = &r->agreement[r->n_agreement];
	a->platform = strndup(s, len);
	a->total = a->agree = 0;
	a->by_primary = calloc(rules_type_count(r->rs) + 1, sizeof(*a->by_primary));
	if (!a->platform || !a->by_primary)
		return NULL;
	r->n_agreement++;
	return a;
}

static int platform_type_of(struct classify_run *r, const char *s, size_t len)
{
	for (size_t i = 0; i < r->n_platforms; i++)
		if (r->platforms[i].len == len && !memcmp(r->platforms[i].name, s, len))
			return r->platforms[i].type;
	int t = rules_type_for_platform(r->rs, s, len);
	if (len < sizeof(r->platforms[0].name) && r->n_platforms < 32) {
		struct platform_seen *p = &r->platforms[r->n_platforms++];
		memcpy(p->name, s, len);
		p->len = len;
		p->type = t;
	}
	return t;
}

static void write_hits(struct classify_run *r, const struct classification *c,
		       const char *text)
{
	char buf[4096];
	size_t len = 0;
	for (size_t i = 0; i < c->n_hits && len + 64 < sizeof(buf); i++) {
		const struct hit *h = &c->hits[i];
		const struct rule_atom *a = rules_atom(r->rs, h->atom);
		uint32_t from = c->origin[h->start], to = c->origin[h->end];
		/* A hit's span in the original text (before folding). */
		int n = snprintf(buf + len, sizeof(buf) - len, "%s%s:%.*s@%u",
				 i ? ";" : "", rules_type(r->rs, a->type)->id,
				 (int)(to - from), text + from, from);
		if (n < 0 || (size_t)n >= sizeof(buf) - len)
			break;
		len += (size_t)n;
	}
	table_str(&r->table, buf, len);
}

static int on_row(void *v, const struct export_row *row)
{
	struct classify_run *r = v;
	struct classification c;
	size_t len, plen;
	const char *text = export_field(row, ROLE_TEXT, &len);
	const char *platform = export_field(row, ROLE_COMPLAINT_TYPE, &plen);
	const struct rule_set *rs = r->rs;

	r->rows++;
	if (len == 0) {
		r->no_text++;
		note(r, row->rec->line, "empty complaint text", "");
	}
	if (classify_text(r->m, text ? text : "", len, &c) < 0)
		return 1;
	if (c.invalid) {
		r->invalid_rows++;
		note(r, row->rec->line, "invalid UTF-8 in the text (replaced before matching)", "");
	}
	if (c.limited) {
		r->limited_rows++;
		char where[300];
		snprintf(where, sizeof(where), " (rule %s:%u skipped)", c.limited_atom->file,
			 c.limited_atom->line);
		note(r, row->rec->line, "a rule hit the PCRE2 match limit", where);
	}
	int platform_type = platform ? platform_type_of(r, platform, plen) : -1;
	int agrees = platform_type >= 0 && (c.types >> platform_type & 1);

	if (r->summary) {
		struct agreement *a = agreement_for(r, platform ? platform : "", platform ? plen : 0);
		if (!a)
			return 1;
		a->total++;
		a->agree += agrees;
		a->by_primary[c.primary < 0 ? rules_type_count(rs) : (size_t)c.primary]++;
		return 0;
	}

	for (size_t i = 0; i < r->n_roles; i++) {
		const char *s = export_field(row, r->roles[i], &len);
		if (s)
			table_str(&r->table, s, len);
		else
			table_null(&r->table);
	}
	const char *types[RULES_MAX_TYPES + 1];
	size_t nt = 0;
	for (size_t t = 0; t < rules_type_count(rs); t++)
		if (c.types >> t & 1)
			types[nt++] = rules_type(rs, t)->id;
	if (!nt)
		types[nt++] = "other";
	table_list(&r->table, types, nt);
	table_cstr(&r->table, c.primary < 0 ? "other" : rules_type(rs, (size_t)c.primary)->id);
	if (c.penalty_type >= 0) {
		table_cstr(&r->table, c.severe ? "severe" : "general");
		table_int(&r->table, c.points);
	} else {
		table_null(&r->table);
		table_int(&r->table, 0);
	}
	if (c.decider && c.decider->where) {
		table_cstr(&r->table, c.decider->where);
	} else {
		table_null(&r->table);
	}
	if (platform && plen) {
		if (platform_type >= 0)
			table_cstr(&r->table, rules_type(rs, (size_t)platform_type)->id);
		else
			table_cstr(&r->table, "unknown");
		table_cstr(&r->table, platform_type < 0 ? "unknown" : agrees ? "yes" : "no");
	} else {
		table_null(&r->table);
		table_null(&r->table);
	}
	if (r->explain)
		write_hits(r, &c, text ? text : "");
	table_row_end(&r->table);
	return 0;
}

static int write_summary(struct classify_run *r, enum table_format format)
{
	const struct rule_set *rs = r->rs;
	size_t nt = rules_type_count(rs), n = 0;
	const char **names = calloc(nt + 5, sizeof(*names));
	if (!names)
		return -1;
	names[n++] = "platform_type";
	names[n++] = "complaints";
	names[n++] = "agree";
	names[n++] = "agree_share";
	for (size_t t = 0; t < nt; t++)
		names[n++] = rules_type(rs, t)->id;
	names[n++] = "other";
	if (table_begin(&r->table, stdout, format, names, n) < 0) {
		free(names);
		return -1;
	}
	for (size_t i = 0; i < r->n_agreement; i++) {
		struct agreement *a = &r->agreement[i];
		table_cstr(&r->table, a->platform[0] ? a->platform : "(none)");
		table_int(&r->table, (int64_t)a->total);
		table_int(&r->table, (int64_t)a->agree);
		table_num(&r->table, a->total ? (double)a->agree / (double)a->total : 0, 3);
		for (size_t t = 0; t <= nt; t++)
			table_int(&r->table, (int64_t)a->by_primary[t]);
		table_row_end(&r->table);
	}
	int rc = table_end(&r->table);
	free(names);
	return rc;
}

static const char *format_name = "tsv";
static int summary, explain;
static uint64_t match_limit;
static struct input_flags in;
static struct rule_flags rf;

static const struct option classify_options[] = {
	OPT_CHOICE(0, "format", &format_name, "tsv|csv|json", "output format (default tsv)"),
	OPT_BOOL(0, "summary", &summary,
		 "print how the texts' types agree with the platform's type instead of rows"),
	OPT_BOOL(0, "explain", &explain, "add a column with each hit: type:matched text@offset"),
	OPT_U64(0, "match-limit", &match_limit, "N",
		"PCRE2 match limit per rule and text (default 1m)"),
	RULE_OPTIONS(rf),
	INPUT_OPTIONS(in),
	OPT_END(),
};

static const struct command_usage classify_usage = {
	"tousu classify [OPTIONS] COMPLAINTS...",
	"Streams complaint rows out with their types: the columns of a complaints\n"
	"export under their canonical names, then types (all that matched, or\n"
	"'other'), primary, severity (general or severe, for types with penalty\n"
	"points), points, rule (FILE:LINE of the rule that decided), platform_type\n"
	"(the export's own type, mapped) and agrees (yes when the text has that type).\n"
	"Invalid UTF-8, empty texts and rules stopped by the match limit are\n"
	"counted and reported on stderr with their lines.",
	classify_options,
};

static int run_classify(int argc, char **argv)
{
	char **files;
	size_t n_files;
	struct error err;
	struct export_options eo;
	struct classify_run r = {0};
	enum table_format format;
	int status = EXIT_OK;
	const char *names[MAX_COLUMNS];
	size_t n_names = 0;

	switch (options_parse(argc, argv, &classify_usage, &files, &n_files, &err)) {
	case OPTIONS_HELP:
		return cmd_finish_stdout(EXIT_OK);
	case OPTIONS_ERROR:
		error_print(stderr, &err);
		return EXIT_USAGE;
	case OPTIONS_OK:
		break;
	}
	if (n_files == 0) {
		fputs("tousu: classify: no input files (use - for stdin)\n", stderr);
		free(files);
		return EXIT_USAGE;
	}
	table_format_parse(format_name, &format);
	if (input_flags_apply(&in, &eo, &err) < 0) {
		error_print(stderr, &err);
		status = EXIT_USAGE;
		goto out;
	}
	eo.kind = KIND_COMPLAINTS;
	if (input_flags_open_rejects(&in, &eo, &err) < 0) {
		error_print(stderr, &err);
		status = EXIT_DATA;
		goto out;
	}
	if (rule_flags_load(&rf) < 0) {
		status = EXIT_DATA;
		goto out;
	}
	r.rs = rf.rs;
	r.summary = summary;
	r.explain = explain;
	r.m = matcher_new(rf.classifier, (uint32_t)(match_limit > UINT32_MAX ? UINT32_MAX : match_limit));
	r.n_roles = schema_kind_roles(KIND_COMPLAINTS, r.roles, ROLE_COUNT);
	for (size_t i = 0; i < r.n_roles; i++)
		names[n_names++] = schema_role_name(r.roles[i]);
	static const char *const added[] = {
		"types", "primary", "severity", "points", "rule", "platform_type", "agrees", "hits",
	};
	for (size_t i = 0; i < sizeof(added) / sizeof(added[0]) - (explain ? 0 : 1); i++)
		names[n_names++] = added[i];
	if (!r.m || (!summary && table_begin(&r.table, stdout, format, names, n_names) < 0)) {
		fputs("tousu: out of memory\n", stderr);
		status = EXIT_DATA;
		goto out;
	}

	for (size_t i = 0; i < n_files; i++) {
		struct export_stats st;
		r.file = strcmp(files[i], "-") ? files[i] : "(stdin)";
		if (export_read(files[i], &eo, on_row, &r, &st, &err) < 0) {
			error_print(stderr, &err);
			status = EXIT_DATA;
		}
		if (st.rejected) {
			fprintf(stderr, "tousu: %s: %llu rows rejected", r.file,
				(unsigned long long)st.rejected);
			for (size_t k = 0; k < st.n_kept; k++)
				fprintf(stderr, "%s line %llu: %s", k ? ";" : " (first:",
					(unsigned long long)st.kept[k].line, st.kept[k].reason);
			fputs(st.n_kept ? ")\n" : "\n", stderr);
		}
		if (input_flags_too_many_rejects(&in, r.file, &st, &err)) {
			error_print(stderr, &err);
			status = EXIT_DATA;
		}
		export_stats_release(&st);
	}
	if (summary ? write_summary(&r, format) < 0 : table_end(&r.table) < 0) {
		fputs("tousu: classify: error writing output\n", stderr);
		status = EXIT_DATA;
	}
	if (r.no_text || r.invalid_rows || r.limited_rows) {
		fprintf(stderr, "tousu: classify: %llu rows: %llu with empty text, %llu with invalid "
			"UTF-8, %llu where a rule hit the match limit\n", (unsigned long long)r.rows,
			(unsigned long long)r.no_text, (unsigned long long)r.invalid_rows,
			(unsigned long long)r.limited_rows);
		for (size_t k = 0; k < r.n_notes; k++)
			fprintf(stderr, "tousu: %s\n", r.notes[k]);
	}
out:
	for (size_t i = 0; i < r.n_agreement; i++) {
		free(r.agreement[i].platform);
		free(r.agreement[i].by_primary);
	}
	free(r.agreement);
	matcher_free(r.m);
	rule_flags_release(&rf);
	input_flags_release(&in);
	free(files);
	return cmd_finish_stdout(status);
}

const struct cmd cmd_classify = {
	"classify", "tag complaints with their types (fake shipment, quality, harassment, ...)",
	run_classify,
};
