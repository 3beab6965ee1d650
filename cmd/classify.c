/*
 * classify.c - `tousu classify COMPLAINTS...`: every complaint row out again
 * with its types, primary type, severity, points and the rule that decided;
 * or, with --summary, how the text's types agree with the platform's own.
 *
 * The main thread (the reader) parses CSV and copies each row's fields into
 * a batch; workers classify and format whole batches, and the reader
 * classifies one itself whenever the workers fall behind. gzip inflates on
 * the source's own thread when the machine has a core for it, else on the
 * reader's (see plan_threads). A batch is written when every earlier batch
 * is, so the output keeps the input's order, and the counts and notes are
 * merged in that same order: the result does not depend on the number of
 * threads. A worker that finishes a batch out of turn parks it and goes
 * on; whoever completes the next batch in turn writes every parked batch
 * that follows. The threads and their queue are analyzers/workers.h.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzers/classifier.h"
#include "analyzers/workers.h"
#include "cmd/cmd.h"
#include "cmd/input_options.h"
#include "cmd/options.h"
#include "cmd/progress.h"
#include "cmd/rule_options.h"
#include "formats/hash.h"
#include "formats/swar.h"
#include "reports/table.h"

#define MAX_COLUMNS 24
#define KEPT_NOTES 5
#define BATCH_ROWS 2048
#define WORKER_NICE 10
/* Bytes a gzip chunk inflates to when the reader inflates too: small
 * enough that a chunk stays in the core's cache until it is parsed
 * (measured on 2 cores, six alternating runs each: best 1.63 s with 256
 * KiB, 1.68 s with 128 KiB, 1.71 s with 1 MiB; 512 KiB as 256 KiB in
 * other runs). */
#define READER_CHUNK (256u << 10)

/* Rows copied out of the CSV reader, whose fields live only in a callback. */
struct batch {
	struct batch_link link;    /* first: the workers' queue (workers.h) */
	const char *file;
	size_t n;
	uint64_t line[BATCH_ROWS];
	/* Field j of row i, k = i * n_roles + j: arena + off[k], len[k] bytes;
	 * len -1 = absent. Rows are packed at the run's n_roles, not at
	 * ROLE_COUNT, so a row's offsets and lengths share cache lines with
	 * its neighbours' (cachegrind, 100,000 bench rows: 3 last-level and 2
	 * first-level misses a row fewer). */
	uint32_t off[BATCH_ROWS * ROLE_COUNT];
	int32_t len[BATCH_ROWS * ROLE_COUNT];
	char *arena;
	size_t arena_len, arena_cap;
	uint64_t seq;
	/* Filled by the worker for the ordered write: the formatted rows and
	 * what went wrong. A batch carries its own output, so a worker can go
	 * on to the next batch before earlier ones are written. */
	struct table out;
	uint64_t no_text, invalid, limited;
	char notes[KEPT_NOTES][640];
	size_t n_notes;
	struct worker *done_by;
};

struct agreement {
	char *platform;
	size_t platform_len;       /* kept: the lookup on every row compares it */
	uint64_t total, agree;
	int mapped;                /* the platform's type is one of the rules' */
	uint64_t *by_primary;      /* n_types + 1, the last is other */
};

struct worker {
	struct classify_run *run;
	struct matcher *m;
	/* The platform's type names repeat on every row: remember the mapping. */
	struct {
		char name[48];
		size_t len;
		int type;
	} platforms[32];
	size_t n_platforms;
	struct agreement *agreement;   /* --summary, merged at the end */
	size_t n_agreement;
	char *hits_buf;                /* --explain's cell, grown to the longest */
	size_t hits_cap;
	uint32_t *seen_hits;           /* --explain: hit index + 1 by span and type */
	size_t seen_cap, seen_mask;    /* the mask: this text's part of it */
	int failed;
};

struct classify_run {
	const struct rule_set *rs;
	const struct classifier *classifier;
	enum table_format format;
	int summary, explain;
	enum role roles[ROLE_COUNT];
	size_t n_roles;
	size_t text_at, type_at;   /* where ROLE_TEXT and ROLE_COMPLAINT_TYPE sit in roles */
	/* The types' ids with their lengths, "other" after the last type:
	 * written on every row, so not measured on every row. */
	struct type_name {
		const char *id;
		size_t len;
	} type_names[RULES_MAX_TYPES + 1];
	const char *names[MAX_COLUMNS];
	size_t n_names;
	uint32_t match_limit;
	/* The batch being filled by the main thread. */
	struct batch *filling;
	uint64_t next_seq;
	/* The threads, and the write turn: batches classified out of turn
	 * wait in done, by seq % n_batches. */
	struct workers *threads;
	struct batch **done;
	size_t n_batches;
	uint64_t write_turn;
	/* One per thread, and the reader's own after the running ones, for
	 * the batches it classifies itself (workers.h). */
	struct worker *workers;
	size_t n_workers;
	/* Totals, merged in input order. */
	uint64_t rows, no_text, invalid, limited;
	char notes[KEPT_NOTES][640];
	size_t n_notes;
	int write_failed, oom;
	struct table header;
};

/* ---- the worker's side: classify and format one batch ---- */

static void batch_note(struct batch *b, uint64_t line, const char *what)
{
	if (b->n_notes < KEPT_NOTES)
		snprintf(b->notes[b->n_notes++], sizeof(b->notes[0]), "%s:%llu: %s", b->file,
			 (unsigned long long)line, what);
}

/*
 * Whether a[0..len) and b[0..len) are the same bytes. Platform types are
 * a few CJK characters, 8 to 16 bytes: two words that overlap compare them
 * without a call. Measured: 60 instructions a row fewer than memcmp (four
 * names of the same length are compared on an average row).
 */
static int same_bytes(const char *a, const char *b, size_t len)
{
	if (len < 8 || len > 16)
		return !memcmp(a, b, len);
	return swar_load(a) == swar_load(b) && swar_load(a + len - 8) == swar_load(b + len - 8);
}

static int platform_type_of(struct worker *w, const char *s, size_t len)
{
	for (size_t i = 0; i < w->n_platforms; i++)
		if (w->platforms[i].len == len && same_bytes(w->platforms[i].name, s, len))
			return w->platforms[i].type;
	int t = rules_type_for_platform(w->run->rs, s, len);
	if (len < sizeof(w->platforms[0].name) && w->n_platforms < 32) {
		memcpy(w->platforms[w->n_platforms].name, s, len);
		w->platforms[w->n_platforms].len = len;
		w->platforms[w->n_platforms++].type = t;
	}
	return t;
}

static struct agreement *agreement_for(struct worker *w, const char *s, size_t len)
{
	for (size_t i = 0; i < w->n_agreement; i++)
		if (w->agreement[i].platform_len == len && same_bytes(w->agreement[i].platform, s, len))
			return &w->agreement[i];
	struct agreement *a = realloc(w->agreement, (w->n_agreement + 1) * sizeof(*a));
	if (!a)
		return NULL;
	w->agreement = a;
	a = &w->agreement[w->n_agreement];
	a->platform = strndup(s, len);
	a->platform_len = len;
	a->total = a->agree = 0;
	a->mapped = 0;
	a->by_primary = calloc(rules_type_count(w->run->rs) + 1, sizeof(*a->by_primary));
	if (!a->platform || !a->by_primary) {
		free(a->platform);
		free(a->by_primary);
		return NULL;
	}
	w->n_agreement++;
	return a;
}

/*
 * Whether hit i repeats an earlier one's type and span: several rules of a
 * type often match the same words, and the column names neither rule. A
 * set of the hits so far, not a scan of them: a long text with thousands
 * of hits took seconds when each looked at every earlier one. The set is
 * cleared by the caller (seen_clear) for each text.
 */
static int same_as_earlier(struct worker *w, const struct hit *hits, size_t i)
{
	const struct rule_set *rs = w->run->rs;
	int type = rules_atom(rs, hits[i].atom)->type;
	const uint32_t key[3] = {hits[i].start, hits[i].end, (uint32_t)type};
	size_t mask = w->seen_mask;
	for (size_t h = (size_t)hash_bytes(HASH_SEED, key, sizeof(key)) & mask;;
	     h = (h + 1) & mask) {
		uint32_t j = w->seen_hits[h];
		if (!j) {
			w->seen_hits[h] = (uint32_t)i + 1;
			return 0;
		}
		j--;
		if (hits[j].start == hits[i].start && hits[j].end == hits[i].end &&
		    rules_atom(rs, hits[j].atom)->type == type)
			return 1;
	}
}

/* An empty set for n hits (at most half full), cleared only as far as this
 * text needs: one long text must not make every later row clear its size.
 * -1 when out of memory. */
static int seen_clear(struct worker *w, size_t n)
{
	size_t cap = 64;
	while (cap < 2 * n)
		cap *= 2;
	if (cap > w->seen_cap) {
		uint32_t *s = realloc(w->seen_hits, cap * sizeof(*s));
		if (!s)
			return -1;
		w->seen_hits = s;
		w->seen_cap = cap;
	}
	memset(w->seen_hits, 0, cap * sizeof(*w->seen_hits));
	w->seen_mask = cap - 1;
	return 0;
}

/* The hits cell: every hit, however many (a fixed 4 KiB cut the list short
 * without a mark). Returns -1 when out of memory. */
static int write_hits(struct worker *w, struct table *out, const struct classification *c,
		      const char *text, size_t text_len)
{
	size_t len = 0;
	if (seen_clear(w, c->n_hits) < 0)
		return -1;
	for (size_t i = 0; i < c->n_hits; i++) {
		const struct hit *h = &c->hits[i];
		const struct rule_atom *a = rules_atom(w->run->rs, h->atom);
		const struct type_name *t = &w->run->type_names[a->type];
		uint32_t from, to;
		if (same_as_earlier(w, c->hits, i))
			continue;
		/* The hit's span in the original text, before folding. */
		hit_original_span(c, h, text, text_len, &from, &to);
		/* ';' type ':' text '@' offset (10 digits at most) NUL */
		size_t need = len + 1 + t->len + 1 + (to - from) + 1 + 10 + 1;
		if (need > w->hits_cap) {
			size_t cap = w->hits_cap ? w->hits_cap : 4096;
			while (cap < need)
				cap *= 2;
			char *b = realloc(w->hits_buf, cap);
			if (!b)
				return -1;
			w->hits_buf = b;
			w->hits_cap = cap;
		}
		len += (size_t)snprintf(w->hits_buf + len, w->hits_cap - len, "%s%s:%.*s@%u",
					len ? ";" : "", t->id, (int)(to - from), text + from, from);
	}
	table_str(out, w->hits_buf, len);
	return 0;
}

static int classify_row(struct worker *w, struct batch *b, size_t i)
{
	const struct classify_run *r = w->run;
	const struct rule_set *rs = r->rs;
	const char *text = NULL, *platform = NULL;
	size_t len = 0, plen = 0;
	struct classification c;

	const uint32_t *off = b->off + i * r->n_roles;
	const int32_t *lens = b->len + i * r->n_roles;

	if (lens[r->text_at] >= 0) {
		text = b->arena + off[r->text_at];
		len = (size_t)lens[r->text_at];
	}
	if (lens[r->type_at] >= 0) {
		platform = b->arena + off[r->type_at];
		plen = (size_t)lens[r->type_at];
	}
	if (len == 0) {
		b->no_text++;
		batch_note(b, b->line[i], "empty complaint text");
	}
	if (classify_text(w->m, text ? text : "", len, &c) < 0)
		return -1;
	if (c.invalid) {
		b->invalid++;
		batch_note(b, b->line[i], "invalid UTF-8 in the text (replaced before matching)");
	}
	if (c.limited) {
		char what[400];
		b->limited++;
		snprintf(what, sizeof(what), "a rule hit the PCRE2 match limit and was skipped (%s)",
			 c.limited_atom->where ? c.limited_atom->where : "?");
		batch_note(b, b->line[i], what);
	}
	int ptype = platform && plen ? platform_type_of(w, platform, plen) : -1;
	int agrees = ptype >= 0 && (c.types >> ptype & 1);

	if (r->summary) {
		struct agreement *a = agreement_for(w, platform ? platform : "", plen);
		if (!a)
			return -1;
		a->total++;
		a->agree += agrees;
		a->mapped = ptype >= 0;
		a->by_primary[c.primary < 0 ? rules_type_count(rs) : (size_t)c.primary]++;
		return 0;
	}

	table_cells(&b->out, b->arena, off, lens, r->n_roles);
	const char *types[RULES_MAX_TYPES];
	size_t type_lens[RULES_MAX_TYPES], nt = 0;
	/* The set bits of c.types, lowest first: the types in the rules' order. */
	for (uint64_t m = c.types; m; m &= m - 1) {
		const struct type_name *tn = &r->type_names[__builtin_ctzll(m)];
		types[nt] = tn->id;
		type_lens[nt++] = tn->len;
	}
	const struct type_name *other = &r->type_names[rules_type_count(rs)];
	if (nt)
		table_list(&b->out, types, type_lens, nt);
	else
		table_list(&b->out, &other->id, &other->len, 1);
	const struct type_name *primary = c.primary < 0 ? other : &r->type_names[c.primary];
	table_str(&b->out, primary->id, primary->len);
	if (c.penalty_type >= 0) {
		table_cstr(&b->out, c.severe ? "severe" : "general");
		table_int(&b->out, c.points);
	} else {
		table_null(&b->out);
		table_int(&b->out, 0);
	}
	if (c.decider && c.decider->where)
		table_str(&b->out, c.decider->where, c.decider->where_len);
	else
		table_null(&b->out);
	if (platform && plen) {
		if (ptype >= 0)
			table_str(&b->out, r->type_names[ptype].id, r->type_names[ptype].len);
		else
			table_cstr(&b->out, "unknown");
		table_cstr(&b->out, ptype < 0 ? "unknown" : agrees ? "yes" : "no");
	} else {
		table_null(&b->out);
		table_null(&b->out);
	}
	if (r->explain && write_hits(w, &b->out, &c, text ? text : "", len) < 0)
		return -1;
	table_row_end(&b->out);
	return 0;
}

static void classify_batch(void *worker, struct batch_link *link)
{
	struct worker *w = worker;
	struct batch *b = (struct batch *)link;

	b->no_text = b->invalid = b->limited = 0;
	b->n_notes = 0;
	b->done_by = w;
	for (size_t i = 0; i < b->n && !w->failed; i++)
		if (classify_row(w, b, i) < 0)
			w->failed = 1;
}

/* Called in input order: write the batch's rows and merge its counts. */
static void finish_batch(struct classify_run *r, struct batch *b)
{
	struct worker *w = b->done_by;
	if (!r->summary && table_drain(&b->out, stdout) < 0)
		r->write_failed = 1;
	r->rows += b->n;
	r->no_text += b->no_text;
	r->invalid += b->invalid;
	r->limited += b->limited;
	for (size_t k = 0; k < b->n_notes && r->n_notes < KEPT_NOTES; k++)
		memcpy(r->notes[r->n_notes++], b->notes[k], sizeof(b->notes[k]));
	if (w->failed)
		r->oom = 1;
	b->n = 0;
	b->arena_len = 0;
}

/*
 * With the workers' lock held: parks classified batch b; whoever completes
 * the next one to write writes every batch that is ready, in order. No
 * thread waits for another: it goes back for more work.
 */
static void park(void *run, struct batch_link *link)
{
	struct classify_run *r = run;
	struct batch *b = (struct batch *)link;
	struct batch *d;

	r->done[b->seq % r->n_batches] = b;
	while ((d = r->done[r->write_turn % r->n_batches]) && d->seq == r->write_turn) {
		r->done[r->write_turn % r->n_batches] = NULL;
		finish_batch(r, d);
		r->write_turn++;
		workers_recycle(r->threads, &d->link);
	}
}

/* ---- the main thread's side: copy rows into batches ---- */

static struct batch *batch_new(const struct classify_run *r)
{
	struct batch *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->arena_cap = 512u << 10;
	b->arena = malloc(b->arena_cap);
	if (!b->arena || table_begin_buffer(&b->out, r->format, r->names, r->n_names) < 0) {
		free(b->arena);
		free(b);
		return NULL;
	}
	return b;
}

static void batch_free(struct batch *b)
{
	if (!b)
		return;
	free(b->arena);
	table_end(&b->out);
	free(b);
}

static void submit(struct classify_run *r)
{
	struct batch *b = r->filling;
	if (!b || !b->n)
		return;
	r->filling = NULL;
	b->seq = r->next_seq++;
	workers_submit(r->threads, &b->link);
}

static struct batch *filling_batch(struct classify_run *r)
{
	if (!r->filling)
		r->filling = (struct batch *)workers_empty(r->threads);
	return r->filling;
}

struct file_reading {
	struct classify_run *run;
	const char *file;
	/* From the first row's binding, which holds for the whole file: the
	 * record's column of each kept role (-1: absent), and whether every
	 * column of the record is kept. */
	int mapped, keeps_all;
	int column[ROLE_COUNT];
};

/* Fills fr's column map from binding. */
static void map_columns(struct file_reading *fr, const struct schema_binding *binding)
{
	const struct classify_run *r = fr->run;
	size_t kept = 0;  /* distinct columns: two roles may share one */
	for (size_t j = 0; j < r->n_roles; j++) {
		int c = fr->column[j] = binding->column[r->roles[j]];
		int seen = 0;
		for (size_t k = 0; k < j && !seen; k++)
			seen = fr->column[k] == c;
		kept += c >= 0 && !seen;
	}
	fr->keeps_all = kept == binding->n_columns;
	fr->mapped = 1;
}

/* Bytes of the row's fields that classify keeps. */
static size_t kept_bytes(const struct file_reading *fr, const struct csv_record *rec)
{
	size_t need = 0;
	for (size_t j = 0; j < fr->run->n_roles; j++)
		if (fr->column[j] >= 0)
			need += rec->lens[fr->column[j]];
	return need;
}

/*
 * The bytes row rec takes in a batch, and in *whole whether to copy the
 * record's whole span rather than field by field: one memcpy instead of
 * one per field (10 on a complaints export). Measured: 70 instructions a
 * row fewer, and 90 more when every column is kept, as there, since the
 * kept bytes need not be counted. Only while the span holds little besides
 * the kept fields, so that a batch fills with rows and not with columns
 * nobody reads.
 */
static size_t copy_size(const struct file_reading *fr, const struct csv_record *rec, int *whole)
{
	*whole = rec->span && fr->keeps_all;
	if (*whole)
		return rec->span_len;
	size_t kept = kept_bytes(fr, rec);
	*whole = rec->span && rec->span_len <= 2 * kept + 256;
	return *whole ? rec->span_len : kept;
}

/* Copies the kept fields of rec to row i of b, at b->arena_len, with the
 * room there made. */
static void copy_fields(const struct file_reading *fr, struct batch *b, size_t i,
			const struct csv_record *rec, int whole)
{
	const int *column = fr->column;
	const size_t n = fr->run->n_roles;
	uint32_t *off = b->off + i * n;
	int32_t *len = b->len + i * n;
	const char *const *fields = rec->fields;
	const size_t *lens = rec->lens;
	size_t at = b->arena_len;

	/* Two loops, not one testing whole per role, with what they read
	 * in locals: measured, 18 instructions a row fewer. */
	if (whole) {
		const char *span = rec->span;
		memcpy(b->arena + at, span, rec->span_len);
		b->arena_len += rec->span_len;
		for (size_t j = 0; j < n; j++) {
			int c = column[j];
			if (c < 0) {
				len[j] = -1;
				continue;
			}
			off[j] = (uint32_t)(at + (size_t)(fields[c] - span));
			len[j] = (int32_t)lens[c];
		}
		return;
	}
	for (size_t j = 0; j < n; j++) {
		int c = column[j];
		if (c < 0) {
			len[j] = -1;
			continue;
		}
		memcpy(b->arena + at, fields[c], lens[c]);
		off[j] = (uint32_t)at;
		len[j] = (int32_t)lens[c];
		at += lens[c];
	}
	b->arena_len = at;
}

static int on_row(void *v, const struct export_row *row)
{
	struct file_reading *fr = v;
	struct classify_run *r = fr->run;
	const struct csv_record *rec = row->rec;

	if (!fr->mapped)
		map_columns(fr, row->binding);
	int whole;
	size_t copy = copy_size(fr, rec, &whole);
	struct batch *b = filling_batch(r);
	if (b->n && (b->arena_len + copy > b->arena_cap || b->file != fr->file)) {
		submit(r);
		b = filling_batch(r);
	}
	if (copy > b->arena_cap) {
		char *a = realloc(b->arena, copy);
		if (!a) {
			r->oom = 1;
			return 1;
		}
		b->arena = a;
		b->arena_cap = copy;
	}
	size_t i = b->n++;
	b->file = fr->file;
	b->line[i] = rec->line;
	copy_fields(fr, b, i, rec, whole);
	if (b->n == BATCH_ROWS)
		submit(r);
	return r->oom;
}

/* ---- set-up, the end, the summary ---- */

static int start_workers(struct classify_run *r, size_t n)
{
	/* Each worker's batch in hand and one waiting, the reader's turn at
	 * classifying, the one it fills and spares for jitter (measured on 2
	 * cores, one worker: 8 batches, helping at 3 waiting, did as well as
	 * 12 or 16 helping at 4 or 6). */
	size_t n_batches = n ? 2 * n + 6 : 1;

	r->n_workers = n + 1;
	r->workers = calloc(r->n_workers, sizeof(*r->workers));
	r->n_batches = n_batches;
	r->done = calloc(n_batches, sizeof(*r->done));
	if (!r->workers || !r->done)
		return -1;
	for (size_t i = 0; i < r->n_workers; i++) {
		struct worker *w = &r->workers[i];
		w->run = r;
		w->m = matcher_new(r->classifier, r->match_limit);
		if (!w->m)
			return -1;
		if (r->explain) {
			matcher_want_origin(w->m);
			matcher_want_all_hits(w->m);
		}
	}
	/* The reader helps once more batches wait than the workers can take
	 * next. */
	r->threads = workers_start(n, WORKER_NICE, r->workers, sizeof(*r->workers),
				   classify_batch, park, r, n + 1);
	if (!r->threads)
		return -1;
	for (size_t i = 0; i < n_batches; i++) {
		struct batch *b = batch_new(r);
		if (!b)
			return -1;
		workers_recycle(r->threads, &b->link);
	}
	return 0;
}

/* Classifies what is left, waits for the threads and frees the batches. */
static void stop_workers(struct classify_run *r)
{
	struct batch_link *b;

	if (!r->threads)
		return;
	submit(r);
	b = workers_stop(r->threads);
	r->threads = NULL;
	while (b) {
		struct batch_link *next = b->next;
		batch_free((struct batch *)b);
		b = next;
	}
}

static void release(struct classify_run *r)
{
	batch_free(r->filling);
	for (size_t i = 0; r->workers && i < r->n_workers; i++) {
		struct worker *w = &r->workers[i];
		for (size_t k = 0; k < w->n_agreement; k++) {
			free(w->agreement[k].platform);
			free(w->agreement[k].by_primary);
		}
		free(w->agreement);
		free(w->hits_buf);
		free(w->seen_hits);
		matcher_free(w->m);
	}
	free(r->workers);
	free(r->done);
}

/* Summary rows: the most complaints first, then by platform type, the
 * rows without one last. Not the order types were first met in: workers
 * meet them in batches, so that order changed with -j. */
static int by_complaints(const void *x, const void *y)
{
	const struct agreement *a = x, *b = y;
	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	if (!a->platform_len != !b->platform_len)
		return a->platform_len ? -1 : 1;
	return strcmp(a->platform, b->platform);
}

static int write_summary(struct classify_run *r)
{
	const struct rule_set *rs = r->rs;
	size_t nt = rules_type_count(rs), n = 0;
	const char **names = calloc(nt + 5, sizeof(*names));
	struct worker *all = &r->workers[0];
	struct table t;

	if (!names)
		return -1;
	/* Fold every worker's counts into the first worker's table. */
	for (size_t i = 1; i < r->n_workers; i++) {
		struct worker *w = &r->workers[i];
		for (size_t k = 0; k < w->n_agreement; k++) {
			struct agreement *src = &w->agreement[k];
			struct agreement *dst = agreement_for(all, src->platform, src->platform_len);
			if (!dst) {
				free(names);
				return -1;
			}
			dst->total += src->total;
			dst->agree += src->agree;
			dst->mapped |= src->mapped;
			for (size_t p = 0; p <= nt; p++)
				dst->by_primary[p] += src->by_primary[p];
		}
	}
	names[n++] = "platform_type";
	names[n++] = "complaints";
	names[n++] = "agree";
	names[n++] = "agree_share";
	for (size_t k = 0; k < nt; k++)
		names[n++] = rules_type(rs, k)->id;
	names[n++] = "other";
	if (table_begin(&t, stdout, r->format, names, n) < 0) {
		free(names);
		return -1;
	}
	qsort(all->agreement, all->n_agreement, sizeof(*all->agreement), by_complaints);
	for (size_t i = 0; i < all->n_agreement; i++) {
		struct agreement *a = &all->agreement[i];
		/* No platform type is an empty cell, not "(none)", which an
		 * export could hold; and agreement with a type the rules do not
		 * know (or with none) is unknown, not 0%. */
		if (a->platform[0])
			table_cstr(&t, a->platform);
		else
			table_null(&t);
		table_int(&t, (int64_t)a->total);
		if (a->mapped) {
			table_int(&t, (int64_t)a->agree);
			table_num(&t, (double)a->agree / (double)a->total, 3);
		} else {
			table_null(&t);
			table_null(&t);
		}
		for (size_t k = 0; k <= nt; k++)
			table_int(&t, (int64_t)a->by_primary[k]);
		table_row_end(&t);
	}
	int rc = table_end(&t);
	free(names);
	return rc;
}

/*
 * How many workers, and whether gzip inflates on a thread of its own.
 * Measured on 2 cores (README "Speed and memory"): an inflating thread
 * beside two workers puts four busy threads on two cores, and what they
 * lose switching and sharing caches is more than the thread gains; one
 * worker beside a reader that inflates, parses and helps classify is 5%
 * faster. With more cores inflating gets its own thread, and a worker
 * runs on each core. -j N sets the workers; inflating follows the cores.
 */
static size_t plan_threads(uint64_t requested, int *inflate_thread)
{
	size_t cores = cmd_cores();
	*inflate_thread = cores > 2;
	if (requested == UINT64_MAX && cores <= 2)
		return cores == 2 ? 1 : 0;
	return cmd_threads(requested);
}

static void type_names_init(struct classify_run *r)
{
	size_t n = rules_type_count(r->rs);
	for (size_t t = 0; t < n; t++) {
		r->type_names[t].id = rules_type(r->rs, t)->id;
		r->type_names[t].len = strlen(r->type_names[t].id);
	}
	r->type_names[n].id = "other";
	r->type_names[n].len = strlen("other");
}

static const char *format_name = "tsv";
static int summary, explain;
static uint64_t match_limit, threads = UINT64_MAX;
static struct input_flags in;
static struct rule_flags rf;

static const struct option classify_options[] = {
	OPT_CHOICE(0, "format", &format_name, "tsv|csv|json", "output format (default tsv)"),
	OPT_BOOL(0, "summary", &summary,
		 "print how the texts' types agree with the platform's type instead of rows"),
	OPT_BOOL(0, "explain", &explain, "add a column with each hit: type:matched text@offset"),
	OPT_U64(0, "match-limit", &match_limit, "N",
		"PCRE2 match limit per pattern and text (default 1m)"),
	OPT_U64('j', "threads", &threads, "N",
		"classify on N threads beside the reader (default: one per core, 1 on 2 cores; 0: none)"),
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
	int status = EXIT_OK;

	input_flags_init(&in);
	if (cmd_parse(argc, argv, &classify_usage, "classify", 1, &files, &n_files, &status))
		return status;
	const struct strlist operands = {(const char **)files, n_files, 0};
	if (cmd_stdin_once("classify", (const struct strlist *[]){&operands}, 1) < 0) {
		free(files);
		return EXIT_USAGE;
	}
	table_format_parse(format_name, &r.format);
	if (input_flags_apply(&in, &eo, &err) < 0) {
		error_print(stderr, &err);
		status = EXIT_USAGE;
		goto out;
	}
	/* classify reads complaints only: a --kind saying otherwise is a mistake,
	 * not something to override quietly. */
	if (eo.kind != KIND_UNKNOWN && eo.kind != KIND_COMPLAINTS) {
		fprintf(stderr, "tousu: classify: --kind %s: classify reads complaints exports\n",
			schema_kind_name(eo.kind));
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
	type_names_init(&r);
	r.classifier = rf.classifier;
	r.summary = summary;
	r.explain = explain;
	r.match_limit = cmd_match_limit(match_limit);
	r.n_roles = schema_kind_roles(KIND_COMPLAINTS, r.roles, ROLE_COUNT);
	for (size_t i = 0; i < r.n_roles; i++) {
		r.names[r.n_names++] = schema_role_name(r.roles[i]);
		if (r.roles[i] == ROLE_TEXT)
			r.text_at = i;
		else if (r.roles[i] == ROLE_COMPLAINT_TYPE)
			r.type_at = i;
	}
	static const char *const added[] = {
		"types", "primary", "severity", "points", "rule", "platform_type", "agrees", "hits",
	};
	for (size_t i = 0; i < sizeof(added) / sizeof(added[0]) - (explain ? 0 : 1); i++)
		r.names[r.n_names++] = added[i];
	int inflate_thread;
	size_t n_threads = plan_threads(threads, &inflate_thread);
	eo.source.threaded = inflate_thread;
	if (!inflate_thread)
		eo.source.chunk_size = READER_CHUNK;
	/* A worker never waits for another (see park). */
	if (start_workers(&r, n_threads) < 0 ||
	    (!summary && (table_begin(&r.header, stdout, r.format, r.names, r.n_names) < 0 ||
			  table_end(&r.header) < 0))) {
		fputs("tousu: out of memory\n", stderr);
		stop_workers(&r);
		status = EXIT_DATA;
		goto out;
	}

	struct progress pg;
	progress_init(&pg, in.progress_flag);
	eo.progress = progress_update;
	eo.progress_ctx = &pg;
	for (size_t i = 0; i < n_files; i++) {
		struct export_stats st;
		struct file_reading fr = {.run = &r, .file = strcmp(files[i], "-") ? files[i] : "(stdin)"};
		int rc = export_read(files[i], &eo, on_row, &fr, &st, &err);
		progress_done(&pg);
		if (rc < 0) {
			error_print(stderr, &err);
			status = EXIT_DATA;
		}
		if (input_flags_after_file(&in, fr.file, &st) < 0)
			status = EXIT_DATA;
		export_stats_release(&st);
		if (r.oom)
			break;
	}
	stop_workers(&r);
	if (r.oom) {
		fputs("tousu: classify: out of memory\n", stderr);
		status = EXIT_DATA;
	}
	if (r.write_failed || (summary && write_summary(&r) < 0)) {
		fputs("tousu: classify: error writing output\n", stderr);
		status = EXIT_DATA;
	}
	if (r.no_text || r.invalid || r.limited) {
		fprintf(stderr, "tousu: classify: %llu rows: %llu with empty text, %llu with invalid "
			"UTF-8, %llu where a rule hit the match limit\n", (unsigned long long)r.rows,
			(unsigned long long)r.no_text, (unsigned long long)r.invalid,
			(unsigned long long)r.limited);
		for (size_t k = 0; k < r.n_notes; k++)
			fprintf(stderr, "tousu: %s\n", r.notes[k]);
	}
out:
	release(&r);
	rule_flags_release(&rf);
	if (input_flags_release(&in) < 0)
		status = EXIT_DATA;
	free(files);
	return cmd_finish_stdout(status);
}

const struct cmd cmd_classify = {
	"classify", "tag complaints with their types (fake shipment, quality, harassment, ...)",
	run_classify,
};
