/*
 * test_csv_reader.c - formats/csv_reader.c: what a user of the reader relies
 * on, checked through its public API only.
 *
 * - csv-spectrum conformance: every case's records, with physical lines.
 * - Chunking invariance: the whole input at once, one byte at a time, every
 *   two-way split (small inputs) and pseudo-random chunk sizes give the same
 *   callbacks, byte for byte. This is what keeps gzip chunk boundaries from
 *   changing results. Run on every file of csv_spectrum and of the rvl
 *   torture corpus, and on built-in inputs for the paths those files do not
 *   reach (bare CR, a stray quote over max_field, lines over the carry limit).
 * - RFC 4180 details, line numbers, rejects, stopping, and a round-trip
 *   property test on random records.
 *
 * Corpus data comes from $TOUSU_SHARED_DATA (default ../shared/data, relative
 * to the repo root); tests that need it skip() when it is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <csv.h>

#include "formats/csv_reader.h"
#include "tests/unit/rng.h"

/* ---------------------------------------------------------------- helpers */

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		assert_non_null(b->p);
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_fmt(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void buf_fmt(struct buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(tmp));
	buf_add(b, tmp, (size_t)n);
}

static void buf_free(struct buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* One record as the callback saw it, copied. */
struct rec {
	size_t n;
	char **f;        /* each NUL-terminated after lens[i] bytes */
	size_t *lens;
	uint64_t line, number, offset;
	char *span;      /* csv_record.span copied and NUL-terminated, or NULL */
};

struct rej {
	enum csv_reject_reason reason;
	uint64_t line, number, offset;
	size_t n_fields, expected;
	char desc[160];
};

/* Everything one run of the reader produced. */
struct run {
	struct buf log;          /* every callback, serialised, for comparing runs */
	struct rec *recs;
	size_t n_recs, cap_recs;
	struct rej *rejs;
	size_t n_rejs, cap_rejs;
	uint64_t stop_at;        /* on_record returns 1 for this record number */
	size_t callbacks_after_stop;
	int stopped;
	int rc_feed;             /* first non-zero feed return, else 0 */
	int rc_finish;
	uint64_t lines, records, rejected;
};

static void log_fields(struct buf *b, size_t n, const char *const *f,
		       const size_t *lens)
{
	for (size_t i = 0; i < n; i++) {
		buf_fmt(b, " %zu:", lens[i]);
		buf_add(b, f[i], lens[i]);
	}
}

static int on_record(void *ctx, const struct csv_record *r)
{
	struct run *run = ctx;

	if (run->stopped)
		run->callbacks_after_stop++;
	buf_fmt(&run->log, "R line=%llu number=%llu offset=%llu n=%zu",
		(unsigned long long)r->line, (unsigned long long)r->number,
		(unsigned long long)r->offset, r->n_fields);
	log_fields(&run->log, r->n_fields, r->fields, r->lens);
	buf_str(&run->log, "\n");

	if (run->n_recs == run->cap_recs) {
		run->cap_recs = run->cap_recs ? 2 * run->cap_recs : 64;
		run->recs = realloc(run->recs, run->cap_recs * sizeof(*run->recs));
		assert_non_null(run->recs);
	}
	struct rec *c = &run->recs[run->n_recs++];
	c->n = r->n_fields;
	c->line = r->line;
	c->number = r->number;
	c->offset = r->offset;
	c->f = calloc(r->n_fields + 1, sizeof(*c->f));
	c->lens = calloc(r->n_fields + 1, sizeof(*c->lens));
	assert_non_null(c->f);
	assert_non_null(c->lens);
	for (size_t i = 0; i < r->n_fields; i++) {
		/* Empty fields too point somewhere: callers pass them to memcpy. */
		assert_non_null(r->fields[i]);
		c->f[i] = malloc(r->lens[i] + 1);
		assert_non_null(c->f[i]);
		if (r->lens[i])
			memcpy(c->f[i], r->fields[i], r->lens[i]);
		c->f[i][r->lens[i]] = '\0';
		c->lens[i] = r->lens[i];
	}
	/* A span holds every field where it lies. Compared as integers: the
	 * fields of a record without a span may be in other blocks. */
	c->span = NULL;
	if (r->span) {
		uintptr_t lo = (uintptr_t)r->span, hi = lo + r->span_len;
		for (size_t i = 0; i < r->n_fields; i++)
			assert_true((uintptr_t)r->fields[i] >= lo &&
				    (uintptr_t)r->fields[i] + r->lens[i] <= hi);
		c->span = malloc(r->span_len + 1);
		assert_non_null(c->span);
		memcpy(c->span, r->span, r->span_len);
		c->span[r->span_len] = '\0';
	} else {
		assert_int_equal(r->span_len, 0);
	}
	if (run->stop_at && r->number == run->stop_at) {
		run->stopped = 1;
		return 1;
	}
	return 0;
}

static void on_reject(void *ctx, const struct csv_reject *r)
{
	struct run *run = ctx;

	if (run->stopped)
		run->callbacks_after_stop++;
	buf_fmt(&run->log, "X reason=%d line=%llu number=%llu offset=%llu",
		(int)r->reason, (unsigned long long)r->line,
		(unsigned long long)r->number, (unsigned long long)r->offset);
	if (r->reason == CSV_REJECT_FIELD_COUNT) {
		buf_fmt(&run->log, " n=%zu expected=%zu", r->n_fields, r->expected);
		log_fields(&run->log, r->n_fields, r->fields, r->lens);
	}
	buf_str(&run->log, "\n");

	if (run->n_rejs == run->cap_rejs) {
		run->cap_rejs = run->cap_rejs ? 2 * run->cap_rejs : 16;
		run->rejs = realloc(run->rejs, run->cap_rejs * sizeof(*run->rejs));
		assert_non_null(run->rejs);
	}
	struct rej *c = &run->rejs[run->n_rejs++];
	c->reason = r->reason;
	c->line = r->line;
	c->number = r->number;
	c->offset = r->offset;
	c->n_fields = r->n_fields;
	c->expected = r->expected;
	csv_reject_describe(r, c->desc, sizeof(c->desc));
}

static void run_free(struct run *run)
{
	for (size_t i = 0; i < run->n_recs; i++) {
		for (size_t j = 0; j < run->recs[i].n; j++)
			free(run->recs[i].f[j]);
		free(run->recs[i].f);
		free(run->recs[i].lens);
		free(run->recs[i].span);
	}
	free(run->recs);
	free(run->rejs);
	buf_free(&run->log);
	memset(run, 0, sizeof(*run));
}

/* How an input is cut into feed calls. */
enum chunk_mode { CHUNK_WHOLE, CHUNK_BYTES, CHUNK_SPLIT, CHUNK_RANDOM };

struct chunker {
	enum chunk_mode mode;
	size_t split;       /* CHUNK_SPLIT: the first call gets this many bytes */
	uint64_t seed;      /* CHUNK_RANDOM */
	size_t max;         /* CHUNK_RANDOM: chunk sizes 0..max */
};

static void chunker_name(const struct chunker *c, char *out, size_t n)
{
	switch (c->mode) {
	case CHUNK_WHOLE:
		snprintf(out, n, "whole input");
		break;
	case CHUNK_BYTES:
		snprintf(out, n, "one byte per call");
		break;
	case CHUNK_SPLIT:
		snprintf(out, n, "split at byte %zu", c->split);
		break;
	case CHUNK_RANDOM:
		snprintf(out, n, "random chunks up to %zu, seed %llu", c->max,
			 (unsigned long long)c->seed);
		break;
	}
}

/* Feeds data to a fresh reader as c says, then finishes; fills run. */
static void feed_run(const char *data, size_t len, const struct csv_options *opt,
		     const struct chunker *c, struct run *run)
{
	struct error err;
	struct csv_reader *r = csv_reader_new(opt, on_record, on_reject, run);
	uint64_t rng = c->seed;
	size_t pos = 0;
	int calls = 0;

	assert_non_null(r);
	error_clear(&err);
	while (pos < len || calls == 0) {
		size_t n = len - pos;
		switch (c->mode) {
		case CHUNK_WHOLE:
			break;
		case CHUNK_BYTES:
			n = n ? 1 : 0;
			break;
		case CHUNK_SPLIT:
			if (calls == 0 && c->split < n)
				n = c->split;
			break;
		case CHUNK_RANDOM:
			n = rng_below(&rng, c->max + 1);
			if (n > len - pos)
				n = len - pos;
			break;
		}
		/* Each chunk in a block of its own exact size: under ASan, a
		 * read past the chunk (the 16-byte steps of the fast path) fails. */
		char *chunk = malloc(n ? n : 1);
		assert_non_null(chunk);
		if (n)
			memcpy(chunk, data + pos, n);
		int rc = csv_reader_feed(r, chunk, n, &err);
		free(chunk);
		calls++;
		assert_int_not_equal(rc, -1);
		pos += n;
		if (rc == 1) {
			run->rc_feed = 1;
			break;
		}
	}
	run->rc_finish = csv_reader_finish(r, &err);
	assert_int_not_equal(run->rc_finish, -1);
	run->lines = csv_reader_lines(r);
	run->records = csv_reader_records(r);
	run->rejected = csv_reader_rejected(r);
	csv_reader_free(r);
}

static void feed_all(const char *data, size_t len, const struct csv_options *opt,
		     struct run *run)
{
	struct chunker whole = {.mode = CHUNK_WHOLE};
	feed_run(data, len, opt, &whole, run);
}

/* Prints a log with control bytes escaped, around byte at. */
static void print_log_excerpt(const char *label, const struct buf *b, size_t at)
{
	size_t from = at > 200 ? at - 200 : 0;
	size_t to = at + 200 < b->len ? at + 200 : b->len;
	print_message("%s (bytes %zu..%zu of %zu):\n", label, from, to, b->len);
	for (size_t i = from; i < to; i++) {
		unsigned char ch = (unsigned char)b->p[i];
		if (ch == '\n')
			print_message("\\n\n");
		else if (ch < 0x20 || ch == 0x7f)
			print_message("\\x%02x", ch);
		else
			print_message("%c", ch);
	}
	print_message("\n");
}

static void assert_same_run(const char *what, const struct chunker *c,
			    const struct run *want, const struct run *got)
{
	char how[96];

	if (want->log.len == got->log.len &&
	    (!want->log.len || !memcmp(want->log.p, got->log.p, want->log.len)) &&
	    want->lines == got->lines && want->records == got->records &&
	    want->rejected == got->rejected && want->rc_feed == got->rc_feed &&
	    want->rc_finish == got->rc_finish)
		return;
	chunker_name(c, how, sizeof(how));
	size_t at = 0;
	while (at < want->log.len && at < got->log.len && want->log.p[at] == got->log.p[at])
		at++;
	print_log_excerpt("whole input", &want->log, at);
	print_log_excerpt(how, &got->log, at);
	fail_msg("%s: %s gives other callbacks than the whole input "
		 "(lines %llu/%llu, records %llu/%llu, rejected %llu/%llu)",
		 what, how, (unsigned long long)want->lines,
		 (unsigned long long)got->lines, (unsigned long long)want->records,
		 (unsigned long long)got->records, (unsigned long long)want->rejected,
		 (unsigned long long)got->rejected);
}

/*
 * Feeds data whole, byte by byte, at every two-way split (when short) and in
 * random chunks of several size ranges; every run must match the first.
 */
static void check_chunking(const char *what, const char *data, size_t len,
			   const struct csv_options *opt)
{
	static const size_t maxes[] = {2, 3, 7, 16, 64, 1000, 5000};
	struct run want = {0};
	struct chunker c = {.mode = CHUNK_WHOLE};

	feed_run(data, len, opt, &c, &want);

	c.mode = CHUNK_BYTES;
	{
		struct run got = {0};
		feed_run(data, len, opt, &c, &got);
		assert_same_run(what, &c, &want, &got);
		run_free(&got);
	}
	if (len <= 4096) {
		c.mode = CHUNK_SPLIT;
		for (size_t k = 0; k <= len; k++) {
			struct run got = {0};
			c.split = k;
			feed_run(data, len, opt, &c, &got);
			assert_same_run(what, &c, &want, &got);
			run_free(&got);
		}
	}
	c.mode = CHUNK_RANDOM;
	for (size_t m = 0; m < sizeof(maxes) / sizeof(maxes[0]); m++) {
		for (uint64_t seed = 1; seed <= 4; seed++) {
			struct run got = {0};
			c.max = maxes[m];
			c.seed = seed * 7919 + m;
			feed_run(data, len, opt, &c, &got);
			assert_same_run(what, &c, &want, &got);
			run_free(&got);
		}
	}
	run_free(&want);
}

static void assert_field(const struct rec *r, size_t i, const char *want)
{
	assert_true(i < r->n);
	if (r->lens[i] != strlen(want) || memcmp(r->f[i], want, r->lens[i]) != 0)
		fail_msg("record %llu (line %llu) field %zu: got \"%s\" (%zu bytes), want \"%s\"",
			 (unsigned long long)r->number, (unsigned long long)r->line, i,
			 r->f[i], r->lens[i], want);
}

/* Asserts the record has exactly these fields (a NULL-terminated list). */
static void assert_fields(const struct rec *r, ...)
{
	va_list ap;
	size_t i = 0;
	const char *want;

	va_start(ap, r);
	while ((want = va_arg(ap, const char *)) != NULL)
		assert_field(r, i++, want);
	va_end(ap);
	if (r->n != i)
		fail_msg("record %llu (line %llu): %zu fields, want %zu",
			 (unsigned long long)r->number, (unsigned long long)r->line,
			 r->n, i);
}

static const char *data_dir(void)
{
	const char *d = getenv("TOUSU_SHARED_DATA");

	return d && *d ? d : "../shared/data";
}

static int dir_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.csv names in dir, sorted; *n gets their number. */
static char **list_csv(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (l < 5 || strcmp(e->d_name + l - 4, ".csv") != 0)
			continue;
		if (cnt == cap) {
			cap = cap ? 2 * cap : 32;
			names = realloc(names, cap * sizeof(*names));
			assert_non_null(names);
		}
		names[cnt] = strdup(e->d_name);
		assert_non_null(names[cnt]);
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(names, cnt, sizeof(*names), cmp_str);
	*n = cnt;
	return names;
}

static void free_list(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Runs the reader on a string literal fed whole. */
static void parse_str(const char *s, const struct csv_options *opt, struct run *run)
{
	feed_all(s, strlen(s), opt, run);
}

/* ------------------------------------------------------------ csv-spectrum */

#define SPECTRUM_MAX_ROWS 4
#define SPECTRUM_MAX_COLS 5

/*
 * Expected records, header first, transcribed from csv-spectrum's json/
 * files (values in header order), with the physical line each record starts on.
 */
struct spectrum_case {
	const char *file;
	size_t n_cols, n_rows;
	const char *cells[SPECTRUM_MAX_ROWS][SPECTRUM_MAX_COLS];
	uint64_t lines[SPECTRUM_MAX_ROWS];
};

static const struct spectrum_case spectrum[] = {
	{"comma_in_quotes.csv", 5, 2,
	 {{"first", "last", "address", "city", "zip"},
	  {"John", "Doe", "120 any st.", "Anytown, WW", "08123"}},
	 {1, 2}},
	{"empty.csv", 3, 3,
	 {{"a", "b", "c"}, {"1", "", ""}, {"2", "3", "4"}},
	 {1, 2, 3}},
	{"empty_crlf.csv", 3, 3,
	 {{"a", "b", "c"}, {"1", "", ""}, {"2", "3", "4"}},
	 {1, 2, 3}},
	{"escaped_quotes.csv", 2, 3,
	 {{"a", "b"}, {"1", "ha \"ha\" ha"}, {"3", "4"}},
	 {1, 2, 3}},
	{"json.csv", 2, 2,
	 {{"key", "val"},
	  {"1", "{\"type\": \"Point\", \"coordinates\": [102.0, 0.5]}"}},
	 {1, 2}},
	/*
	 * Upstream's location_coordinates.json does not describe this CSV (it is
	 * one object, not an array, and its phone number differs; see
	 * ../shared/data/SOURCES.md). The expectation here is what RFC 4180
	 * readers in lenient mode and libcsv give: the bare '"' inside the
	 * unquoted second field is data, and U+FFFD (EF BF BD) is kept as is.
	 */
	{"location_coordinates.csv", 4, 2,
	 {{"Contact Phone Number", "Location Coordinates", "Cities", "Counties"},
	  {"2095257564",
	   "37\xEF\xBF\xBD" "36'37.8\"N 121\xEF\xBF\xBD" "2'17.9\"W",
	   "Modesto", "Stanislaus"}},
	 {1, 2}},
	{"newlines.csv", 3, 4,
	 {{"a", "b", "c"}, {"1", "2", "3"}, {"Once upon \na time", "5", "6"},
	  {"7", "8", "9"}},
	 {1, 2, 3, 5}},
	{"newlines_crlf.csv", 3, 4,
	 {{"a", "b", "c"}, {"1", "2", "3"}, {"Once upon \r\na time", "5", "6"},
	  {"7", "8", "9"}},
	 {1, 2, 3, 5}},
	{"quotes_and_newlines.csv", 2, 3,
	 {{"a", "b"}, {"1", "ha \n\"ha\" \nha"}, {"3", "4"}},
	 {1, 2, 5}},
	{"simple.csv", 3, 2,
	 {{"a", "b", "c"}, {"1", "2", "3"}},
	 {1, 2}},
	{"simple_crlf.csv", 3, 2,
	 {{"a", "b", "c"}, {"1", "2", "3"}},
	 {1, 2}},
	{"utf8.csv", 3, 3,
	 {{"a", "b", "c"}, {"1", "2", "3"}, {"4", "5", "\xCA\xA4"}},
	 {1, 2, 3}},
};

static void test_csv_spectrum(void **state)
{
	char dir[4096], path[4200];
	(void)state;

	snprintf(dir, sizeof(dir), "%s/csv_spectrum/csvs", data_dir());
	if (!dir_exists(dir)) {
		print_message("skipping: %s not found (set TOUSU_SHARED_DATA)\n", dir);
		skip();
	}
	/* Every CSV upstream ships has a case here. */
	size_t n_files;
	char **files = list_csv(dir, &n_files);
	assert_int_equal(n_files, sizeof(spectrum) / sizeof(spectrum[0]));
	free_list(files, n_files);

	for (size_t k = 0; k < sizeof(spectrum) / sizeof(spectrum[0]); k++) {
		const struct spectrum_case *sc = &spectrum[k];
		size_t len;
		struct run run = {0};

		snprintf(path, sizeof(path), "%s/%s", dir, sc->file);
		char *data = slurp(path, &len);
		feed_all(data, len, NULL, &run);
		if (run.n_rejs)
			fail_msg("%s: unexpected reject at line %llu: %s", sc->file,
				 (unsigned long long)run.rejs[0].line, run.rejs[0].desc);
		if (run.n_recs != sc->n_rows)
			fail_msg("%s: %zu records, want %zu", sc->file, run.n_recs, sc->n_rows);
		for (size_t i = 0; i < sc->n_rows; i++) {
			const struct rec *r = &run.recs[i];
			if (r->n != sc->n_cols)
				fail_msg("%s: record %zu has %zu fields, want %zu",
					 sc->file, i + 1, r->n, sc->n_cols);
			for (size_t j = 0; j < sc->n_cols; j++) {
				const char *want = sc->cells[i][j];
				if (r->lens[j] != strlen(want) || memcmp(r->f[j], want, r->lens[j]))
					fail_msg("%s: record %zu field %zu: got \"%s\", want \"%s\"",
						 sc->file, i + 1, j, r->f[j], want);
			}
			if (r->line != sc->lines[i])
				fail_msg("%s: record %zu on line %llu, want %llu", sc->file,
					 i + 1, (unsigned long long)r->line,
					 (unsigned long long)sc->lines[i]);
			assert_int_equal(r->number, i + 1);
		}
		run_free(&run);
		free(data);
	}
}

/* --------------------------------------------------------- chunk invariance */

static void check_dir_chunking(const char *sub)
{
	char dir[4096], path[4400], what[4400];

	snprintf(dir, sizeof(dir), "%s/%s", data_dir(), sub);
	if (!dir_exists(dir)) {
		print_message("skipping: %s not found (set TOUSU_SHARED_DATA)\n", dir);
		skip();
	}
	size_t n;
	char **files = list_csv(dir, &n);
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		char *data = slurp(path, &len);
		snprintf(what, sizeof(what), "%s/%s", sub, files[i]);
		check_chunking(what, data, len, NULL);
		/* A small field cap takes the reject paths on the same files. */
		struct csv_options small = {.max_field = 8, .max_fields = 3};
		snprintf(what, sizeof(what), "%s/%s (max_field 8, max_fields 3)", sub, files[i]);
		check_chunking(what, data, len, &small);
		free(data);
	}
	free_list(files, n);
}

static void test_chunking_torture_corpus(void **state)
{
	(void)state;
	check_dir_chunking("rvl_csv_torture_corpus");
}

static void test_chunking_spectrum(void **state)
{
	(void)state;
	check_dir_chunking("csv_spectrum/csvs");
}

/* A header "a,b", a stray quote, then lines lines of "x,y" and "2,end". */
static char *stray_quote_input(size_t lines, size_t *len)
{
	struct buf b = {0};
	buf_str(&b, "a,b\n1,\"abc\n");
	for (size_t i = 0; i < lines; i++)
		buf_str(&b, "x,y\n");
	buf_str(&b, "2,end\n");
	*len = b.len;
	return b.p;
}

/* Inputs for the paths the corpus files do not reach. */
static void test_chunking_edge_inputs(void **state)
{
	static const char *const inputs[] = {
		"a,b\r1,2\r3,4\r",                        /* classic Mac line ends */
		"a,b\r1,2\r\n3,4\n5,6\r",
		"a,b\n\"x\ny\"\r1,2\n3,4\n",              /* bare CR ends a quoted record */
		"a,b\n\"x\ny\",z\r1,2\r\n\r\n3,4",
		"a,b\n1,\"p\rq\"\r\"r\",s\n",
		"\xEF\xBB\xBF" "a,b\n1,2",
		"\xEF\xBB\xBF",
		"\xEF\xBB" "a,b\n",
		"\xEF" "a,b\n",
		"a,b\n1,\"open",
		"a,b\n1,\"open\n2,3\n",
		"a,b\n\n\r\n\"\",\"\"\n,\n",
		"a,b\n1,2,3\n4\n\"5\",\"6\",\"7\"\n8,9",
		"a\n\"\"\n\"\"\"\"\n x \n",
		"a,b\r\n\"1\r\n\",\"\r\"\r\n",
		"a,b\n\"a\"b,c\n\"x\" ,y\n",
		/* Text after a closing quote: kept as it is at a line's start,
		 * libcsv's after a bare CR, whatever the chunks (a fuzzer find). */
		"a,b,c\n\"x\"y,2,3\n1,2,3\r\"x\"y,2,3\n4,5,6\n",
		"a,b,c\n\"p\rq\nr\",2,3\r\"x\"y,2,3\n4,5,6\n",
		"a,b\n\"x\"y,\"open\nz\"\n1,2\n",
		"a,b\n\"x\"y,z\r\n1,\"2\"3\r\n\"p\"\"q\"r,\"s\"\n",
	};
	(void)state;

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		char what[32];
		snprintf(what, sizeof(what), "edge input %zu", i);
		check_chunking(what, inputs[i], strlen(inputs[i]), NULL);
		struct csv_options tiny = {.max_field = 1, .max_fields = 2};
		snprintf(what, sizeof(what), "edge input %zu (tiny caps)", i);
		check_chunking(what, inputs[i], strlen(inputs[i]), &tiny);
	}

	/* A stray quote swallowing lines until the field cap is hit. */
	size_t len;
	char *data = stray_quote_input(2000, &len);
	struct csv_options small = {.max_field = 64};
	check_chunking("stray quote over max_field", data, len, &small);
	free(data);

	/*
	 * Lines longer than the reader's carry buffer (256 KiB) are streamed
	 * through libcsv when they arrive in pieces, but split in place when
	 * they arrive whole: both must give the same result.
	 */
	struct buf b = {0};
	buf_str(&b, "a,b\n1,");
	for (size_t i = 0; i < 300000; i++)
		buf_add(&b, "z", 1);
	buf_str(&b, "\n2,short\n3,");
	for (size_t i = 0; i < 100000; i++)
		buf_add(&b, i % 10 ? "w" : ",", 1);
	buf_str(&b, "\n4,last\n\"5\"");
	for (size_t i = 0; i < 300000; i++)
		buf_add(&b, "y", 1);
	buf_str(&b, ",after a quote\n6,last\n");
	check_chunking("long lines, default caps", b.p, b.len, NULL);
	check_chunking("long lines, max_field 64", b.p, b.len, &small);
	struct csv_options few = {.max_fields = 100};
	check_chunking("long lines, max_fields 100", b.p, b.len, &few);
	buf_free(&b);
}

/* -------------------------------------------------------------- RFC 4180 */

static void test_quoted_fields_byte_for_byte(void **state)
{
	struct run run = {0};
	(void)state;

	parse_str("a,b,c\r\n"
		  "\"x, y\",\"say \"\"hi\"\"\",\"l1\r\nl2\nl3\rl4\"\r\n"
		  "\"\",\"\"\"\",\",\"\r\n"
		  "plain,\"\xE4\xB8\xAD\xE6\x96\x87, \xE4\xB8\xAD\",end\r\n",
		  NULL, &run);
	assert_int_equal(run.n_rejs, 0);
	assert_int_equal(run.n_recs, 4);
	assert_fields(&run.recs[0], "a", "b", "c", NULL);
	assert_fields(&run.recs[1], "x, y", "say \"hi\"", "l1\r\nl2\nl3\rl4", NULL);
	assert_fields(&run.recs[2], "", "\"", ",", NULL);
	assert_fields(&run.recs[3], "plain", "\xE4\xB8\xAD\xE6\x96\x87, \xE4\xB8\xAD", "end", NULL);
	assert_int_equal(run.recs[1].line, 2);
	assert_int_equal(run.recs[2].line, 5);
	assert_int_equal(run.recs[3].line, 6);
	assert_int_equal(run.lines, 6);
	run_free(&run);

	/* Only empty quoted fields, before the reader has stored any byte. */
	parse_str("\"\",\"\"\n", NULL, &run);
	assert_int_equal(run.n_recs, 1);
	assert_fields(&run.recs[0], "", "", NULL);
	run_free(&run);
}

/* A record split in place has a span, up to its line end, also when a
 * quoted field goes on over lines; one with a field unescaped, or parsed by
 * libcsv (a CRLF inside a quoted field), has none. */
static void test_record_span(void **state)
{
	struct run run = {0};
	(void)state;

	parse_str("a,b,c\r\n"
		  "1,\"x, y\",3\r\n"
		  "\"say \"\"hi\"\"\",2,3\n"
		  "\"l1\nl2\",5,6\n"
		  "7,8,\n"
		  "9,\"\",10",
		  NULL, &run);
	assert_int_equal(run.n_recs, 6);
	assert_string_equal(run.recs[0].span, "a,b,c");
	assert_string_equal(run.recs[1].span, "1,\"x, y\",3");
	assert_null(run.recs[2].span);
	assert_string_equal(run.recs[3].span, "\"l1\nl2\",5,6");
	assert_string_equal(run.recs[4].span, "7,8,");
	assert_string_equal(run.recs[5].span, "9,\"\",10");
	run_free(&run);

	/* Over lines: unescaped fields before and after the LF, a CRLF inside
	 * (libcsv's), and the line numbers after them. */
	parse_str("a,b\n"
		  "\"x\"\"y\",\"p\nq\"\"r\nz\"\n"
		  "\"c\r\nd\",e\r\n"
		  "f,\"g\n\"\n",
		  NULL, &run);
	assert_int_equal(run.n_recs, 4);
	assert_fields(&run.recs[1], "x\"y", "p\nq\"r\nz", NULL);
	assert_null(run.recs[1].span);
	assert_fields(&run.recs[2], "c\r\nd", "e", NULL);
	assert_null(run.recs[2].span);
	assert_fields(&run.recs[3], "f", "g\n", NULL);
	assert_string_equal(run.recs[3].span, "f,\"g\n\"");
	assert_int_equal(run.recs[1].line, 2);
	assert_int_equal(run.recs[2].line, 5);
	assert_int_equal(run.recs[3].line, 7);
	assert_int_equal(run.lines, 8);
	run_free(&run);
}

static void test_crlf_line_ends(void **state)
{
	struct run run = {0};
	(void)state;

	/* No CR may leak into the last field, on the fast path or libcsv's. */
	parse_str("a,b\r\n1,2\r\n\"3\",4\r\n5,\"6\"\r\n7,8\r\n", NULL, &run);
	assert_int_equal(run.n_rejs, 0);
	assert_int_equal(run.n_recs, 5);
	assert_fields(&run.recs[0], "a", "b", NULL);
	assert_fields(&run.recs[1], "1", "2", NULL);
	assert_fields(&run.recs[2], "3", "4", NULL);
	assert_fields(&run.recs[3], "5", "6", NULL);
	assert_fields(&run.recs[4], "7", "8", NULL);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(run.recs[i].line, i + 1);
	assert_int_equal(run.recs[2].offset, 10);
	run_free(&run);
}

/* Feeds parts in turn; the first record must be "a","b" and the second
 * "1","2", the header line being header_len bytes after the BOM. */
static void expect_bom_dropped(const char *const *parts, size_t n_parts,
			       uint64_t header_len)
{
	struct run run = {0};
	struct error err;
	struct csv_reader *r = csv_reader_new(NULL, on_record, on_reject, &run);

	assert_non_null(r);
	for (size_t i = 0; i < n_parts; i++)
		assert_int_equal(csv_reader_feed(r, parts[i], strlen(parts[i]), &err), 0);
	assert_int_equal(csv_reader_finish(r, &err), 0);
	csv_reader_free(r);
	assert_int_equal(run.n_rejs, 0);
	assert_int_equal(run.n_recs, 2);
	assert_fields(&run.recs[0], "a", "b", NULL);
	assert_fields(&run.recs[1], "1", "2", NULL);
	assert_int_equal(run.recs[0].line, 1);
	assert_int_equal(run.recs[1].line, 2);
	/* Offsets stay offsets in the file, BOM included. */
	assert_int_equal(run.recs[0].offset, 3);
	assert_int_equal(run.recs[1].offset, 3 + header_len);
	run_free(&run);
}

static void test_bom(void **state)
{
	(void)state;
	{
		const char *p[] = {"\xEF\xBB\xBF" "a,b\n1,2\n"};
		expect_bom_dropped(p, 1, 4);
	}
	{
		const char *p[] = {"\xEF", "\xBB\xBF" "a,b\n1,2\n"};
		expect_bom_dropped(p, 2, 4);
	}
	{
		const char *p[] = {"\xEF\xBB", "\xBF" "a,b\n1,2\n"};
		expect_bom_dropped(p, 2, 4);
	}
	{
		const char *p[] = {"\xEF", "", "\xBB", "\xBF", "a", ",b\n1,2"};
		expect_bom_dropped(p, 6, 4);
	}
	{
		const char *p[] = {"\xEF\xBB\xBF" "\"a\",b\r\n1,\"2\"\n"};
		expect_bom_dropped(p, 1, 7);
	}

	struct run run = {0};
	/* Only at the very start: a BOM later is data. */
	parse_str("a,b\n\xEF\xBB\xBF" "1,2\n", NULL, &run);
	assert_int_equal(run.n_recs, 2);
	assert_fields(&run.recs[1], "\xEF\xBB\xBF" "1", "2", NULL);
	run_free(&run);
	/* Two BOMs: the second one is data. */
	parse_str("\xEF\xBB\xBF\xEF\xBB\xBF" "a\n", NULL, &run);
	assert_int_equal(run.n_recs, 1);
	assert_fields(&run.recs[0], "\xEF\xBB\xBF" "a", NULL);
	run_free(&run);
	/* A BOM's first bytes followed by something else are data. */
	parse_str("\xEF\xBBx,b\n", NULL, &run);
	assert_int_equal(run.n_recs, 1);
	assert_fields(&run.recs[0], "\xEF\xBBx", "b", NULL);
	assert_int_equal(run.recs[0].offset, 0);
	run_free(&run);
	/* The input is only the start of a BOM: data, emitted at finish. */
	parse_str("\xEF\xBB", NULL, &run);
	assert_int_equal(run.n_recs, 1);
	assert_fields(&run.recs[0], "\xEF\xBB", NULL);
	run_free(&run);
	/* A BOM alone is an empty input. */
	parse_str("\xEF\xBB\xBF", NULL, &run);
	assert_int_equal(run.n_recs, 0);
	assert_int_equal(run.n_rejs, 0);
	assert_int_equal(run.lines, 0);
	run_free(&run);
}

static void test_blank_lines_counted(void **state)
{
	struct run run = {0};
	(void)state;

	parse_str("\n"
		  "a,b\n"
		  "\n"
		  "1,2\n"
		  "\r\n"
		  "\n"
		  "\"3\",4\n"
		  "\n",
		  NULL, &run);
	assert_int_equal(run.n_rejs, 0);
	assert_int_equal(run.n_recs, 3);
	assert_fields(&run.recs[0], "a", "b", NULL);
	assert_fields(&run.recs[1], "1", "2", NULL);
	assert_fields(&run.recs[2], "3", "4", NULL);
	assert_int_equal(run.recs[0].line, 2);
	assert_int_equal(run.recs[1].line, 4);
	assert_int_equal(run.recs[2].line, 7);
	assert_int_equal(run.recs[0].number, 1);
	assert_int_equal(run.recs[1].number, 2);
	assert_int_equal(run.recs[2].number, 3);
	assert_int_equal(run.recs[0].offset, 1);
	assert_int_equal(run.recs[1].offset, 6);
	assert_int_equal(run.recs[2].offset, 13);
	assert_int_equal(run.lines, 8);
	assert_int_equal(run.records, 3);
	run_free(&run);
}

static void test_spaces_kept(void **state)
{
	struct run run = {0};
	(void)state;

	parse_str("a , b,c \n"
		  " 1 ,\t2\t,  \n"
		  " x ,\" q \",  \n",
		  NULL, &run);
	assert_int_equal(run.n_rejs, 0);
	assert_int_equal(run.n_recs, 3);
	assert_fields(&run.recs[0], "a ", " b", "c ", NULL);
	assert_fields(&run.recs[1], " 1 ", "\t2\t", "  ", NULL);
	assert_fields(&run.recs[2], " x ", " q ", "  ", NULL);
	run_free(&run);
}

static void test_last_line_without_newline(void **state)
{
	struct error err;
	(void)state;

	static const char *const inputs[] = {
		"a,b\n1,2", "a,b\n\"1\",\"2\"", "a,b\n1,2\r", "a,b\n1,\"x\ny\"",
	};
	static const char *const last[] = {"2", "2", "2", "x\ny"};
	for (size_t i = 0; i < 4; i++) {
		struct run run = {0};
		struct csv_reader *r = csv_reader_new(NULL, on_record, on_reject, &run);
		assert_non_null(r);
		assert_int_equal(csv_reader_feed(r, inputs[i], strlen(inputs[i]), &err), 0);
		assert_int_equal(run.n_recs, 1);      /* only the header so far */
		assert_int_equal(csv_reader_finish(r, &err), 0);
		assert_int_equal(run.n_recs, 2);
		assert_int_equal(run.n_rejs, 0);
		assert_fields(&run.recs[1], "1", last[i], NULL);
		assert_int_equal(run.recs[1].line, 2);
		assert_int_equal(csv_reader_lines(r), i == 3 ? 3 : 2);
		csv_reader_free(r);
		run_free(&run);
	}
}

/* ----------------------------------------------------------- line numbers */

static void test_line_numbers(void **state)
{
	struct run run = {0};
	(void)state;

	parse_str("id,text\n"                      /* 1 */
		  "1,\"one\ntwo\r\nthree\"\n"       /* 2-4 */
		  "2,after\n"                       /* 5 */
		  "\"3\nx\",\"y\",\"z\"\n"          /* 6-7: three fields, rejected */
		  "4,ok\n"                          /* 8 */
		  "5\n"                             /* 9: one field, rejected */
		  "\n"                              /* 10 */
		  "6,\"a\n\nb\"\n"                  /* 11-13 */
		  "7,end\n",                        /* 14 */
		  NULL, &run);
	assert_int_equal(run.n_recs, 6);
	assert_int_equal(run.n_rejs, 2);
	assert_fields(&run.recs[1], "1", "one\ntwo\r\nthree", NULL);
	assert_int_equal(run.recs[1].line, 2);
	assert_fields(&run.recs[2], "2", "after", NULL);
	assert_int_equal(run.recs[2].line, 5);
	assert_int_equal(run.rejs[0].line, 6);
	assert_int_equal(run.rejs[0].reason, CSV_REJECT_FIELD_COUNT);
	assert_fields(&run.recs[3], "4", "ok", NULL);
	assert_int_equal(run.recs[3].line, 8);
	assert_int_equal(run.rejs[1].line, 9);
	assert_fields(&run.recs[4], "6", "a\n\nb", NULL);
	assert_int_equal(run.recs[4].line, 11);
	assert_fields(&run.recs[5], "7", "end", NULL);
	assert_int_equal(run.recs[5].line, 14);
	/* Record numbers count rejects too: they are positions in the file. */
	assert_int_equal(run.recs[5].number, 8);
	assert_int_equal(run.lines, 14);
	run_free(&run);
}

/*
 * libcsv, like Excel, also ends a record at a bare CR (classic Mac line
 * ends). A record that starts after one is on the line of its first byte,
 * and its offset is that byte's, not the offset of an earlier record.
 */
static void test_bare_cr(void **state)
{
	struct run run = {0};
	(void)state;

	parse_str("a,b\r1,2\r3,4\r", NULL, &run);
	assert_int_equal(run.n_rejs, 0);
	assert_int_equal(run.n_recs, 3);
	assert_fields(&run.recs[2], "3", "4", NULL);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(run.recs[i].line, 1);
		assert_int_equal(run.recs[i].offset, 4 * i);
	}
	run_free(&run);

	parse_str("a,b\n\"x\ny\",z\r1,2\n3,4\n", NULL, &run);
	assert_int_equal(run.n_rejs, 0);
	assert_int_equal(run.n_recs, 4);
	assert_fields(&run.recs[1], "x\ny", "z", NULL);
	assert_int_equal(run.recs[1].line, 2);
	assert_int_equal(run.recs[1].offset, 4);
	assert_fields(&run.recs[2], "1", "2", NULL);
	assert_int_equal(run.recs[2].line, 3);
	assert_int_equal(run.recs[2].offset, 12);
	assert_fields(&run.recs[3], "3", "4", NULL);
	assert_int_equal(run.recs[3].line, 4);
	assert_int_equal(run.recs[3].offset, 16);
	run_free(&run);

	/* A doubled CR before the LF is a blank, not the start of a record. */
	parse_str("a,b\r\r\n1,2\n\r\r\n\"3\",4\n", NULL, &run);
	assert_int_equal(run.n_rejs, 0);
	assert_int_equal(run.n_recs, 3);
	assert_int_equal(run.recs[1].line, 2);
	assert_int_equal(run.recs[1].offset, 6);
	assert_int_equal(run.recs[2].line, 4);
	assert_int_equal(run.recs[2].offset, 13);
	run_free(&run);
}

/* ------------------------------------------------------------ ragged rows */

static void test_ragged_rows(void **state)
{
	struct run run = {0};
	(void)state;

	parse_str("a,b,c\n"
		  "1,2\n"
		  "3,4,5\n"
		  "6,7,8,9\n"
		  "10,11,12\n"
		  "\"q\",\"r\"\n"
		  "\"13\",14,15\n"
		  "x,\"y\",z,\"w\"\n"
		  "16,17,18",
		  NULL, &run);
	assert_int_equal(run.n_recs, 5);
	assert_int_equal(run.n_rejs, 4);
	assert_int_equal(run.rejected, 4);
	assert_int_equal(run.records, 5);

	static const size_t found[] = {2, 4, 2, 4};
	static const uint64_t lines[] = {2, 4, 6, 8};
	for (size_t i = 0; i < 4; i++) {
		char want[64];
		assert_int_equal(run.rejs[i].reason, CSV_REJECT_FIELD_COUNT);
		assert_int_equal(run.rejs[i].line, lines[i]);
		assert_int_equal(run.rejs[i].n_fields, found[i]);
		assert_int_equal(run.rejs[i].expected, 3);
		snprintf(want, sizeof(want), "expected 3 fields, found %zu", found[i]);
		assert_string_equal(run.rejs[i].desc, want);
	}
	/* Every row after a bad one is intact. */
	assert_fields(&run.recs[1], "3", "4", "5", NULL);
	assert_int_equal(run.recs[1].line, 3);
	assert_fields(&run.recs[2], "10", "11", "12", NULL);
	assert_int_equal(run.recs[2].line, 5);
	assert_fields(&run.recs[3], "13", "14", "15", NULL);
	assert_int_equal(run.recs[3].line, 7);
	assert_fields(&run.recs[4], "16", "17", "18", NULL);
	assert_int_equal(run.recs[4].line, 9);
	run_free(&run);
}

static void test_reject_carries_fields(void **state)
{
	struct run run = {0};
	(void)state;

	/* A short row's reject shows what was read, for a rejects file. */
	parse_str("a,b,c\n\"x,1\",y\n", NULL, &run);
	assert_int_equal(run.n_rejs, 1);
	assert_non_null(strstr(run.log.p, "n=2 expected=3 3:x,1 1:y\n"));
	run_free(&run);
}

/* -------------------------------------------------------------- max_field */

static void test_field_too_long_unquoted(void **state)
{
	struct csv_options opt = {.max_field = 64};
	struct buf b = {0};
	struct run run = {0};
	(void)state;

	buf_str(&b, "a,b\n1,");
	for (int i = 0; i < 65; i++)
		buf_str(&b, "x");
	buf_str(&b, "\n2,ok\n3,");
	for (int i = 0; i < 64; i++)
		buf_str(&b, "y");               /* exactly the cap: fine */
	buf_str(&b, "\n4,");
	for (int i = 0; i < 100000; i++)
		buf_str(&b, "z");
	buf_str(&b, "\n5,fine\n");
	feed_all(b.p, b.len, &opt, &run);

	assert_int_equal(run.n_rejs, 2);
	assert_int_equal(run.rejs[0].reason, CSV_REJECT_FIELD_TOO_LONG);
	assert_int_equal(run.rejs[0].line, 2);
	assert_int_equal(run.rejs[1].reason, CSV_REJECT_FIELD_TOO_LONG);
	assert_int_equal(run.rejs[1].line, 5);
	assert_int_equal(run.n_recs, 4);
	assert_fields(&run.recs[1], "2", "ok", NULL);
	assert_int_equal(run.recs[1].line, 3);
	assert_int_equal(run.recs[2].lens[1], 64);
	assert_int_equal(run.recs[2].line, 4);
	assert_fields(&run.recs[3], "5", "fine", NULL);
	assert_int_equal(run.recs[3].line, 6);
	run_free(&run);
	buf_free(&b);
}

static void test_field_too_long_quoted(void **state)
{
	struct csv_options opt = {.max_field = 64};
	struct buf b = {0};
	struct run run = {0};
	(void)state;

	/* A closed quoted field over the cap, with a newline inside. */
	buf_str(&b, "a,b\n1,\"");
	for (int i = 0; i < 40; i++)
		buf_str(&b, "q");
	buf_str(&b, "\n");
	for (int i = 0; i < 40; i++)
		buf_str(&b, "r");
	buf_str(&b, "\"\n2,ok\n");
	feed_all(b.p, b.len, &opt, &run);
	assert_int_equal(run.n_rejs, 1);
	assert_int_equal(run.rejs[0].reason, CSV_REJECT_FIELD_TOO_LONG);
	assert_int_equal(run.rejs[0].line, 2);
	assert_int_equal(run.n_recs, 2);
	assert_fields(&run.recs[1], "2", "ok", NULL);
	assert_int_equal(run.recs[1].line, 4);
	run_free(&run);
	buf_free(&b);
}

static void test_stray_quote_resumes(void **state)
{
	struct csv_options opt = {.max_field = 64};
	size_t len;
	const size_t n_lines = 2000;
	char *data = stray_quote_input(n_lines, &len);
	(void)state;

	/* Every chunking: the reject, then intact records to the end. */
	struct chunker modes[] = {
		{.mode = CHUNK_WHOLE},
		{.mode = CHUNK_BYTES},
		{.mode = CHUNK_RANDOM, .seed = 42, .max = 100},
	};
	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		struct run run = {0};
		feed_run(data, len, &opt, &modes[m], &run);
		assert_true(run.n_rejs >= 1);
		assert_int_equal(run.rejs[0].reason, CSV_REJECT_FIELD_TOO_LONG);
		assert_int_equal(run.rejs[0].line, 2);
		char desc[128];
		struct csv_reject probe = {.reason = CSV_REJECT_FIELD_TOO_LONG};
		csv_reject_describe(&probe, desc, sizeof(desc));
		assert_string_equal(run.rejs[0].desc, desc);
		/* The swallowed lines are lost, no more: resume after the cap. */
		assert_int_equal(run.n_rejs, 1);
		assert_true(run.n_recs > 100);
		const struct rec *last = &run.recs[run.n_recs - 1];
		assert_fields(last, "2", "end", NULL);
		assert_int_equal(last->line, n_lines + 3);
		/* Records after the cap are whole lines, on consecutive lines. */
		for (size_t i = 1; i + 1 < run.n_recs; i++) {
			assert_fields(&run.recs[i], "x", "y", NULL);
			assert_int_equal(run.recs[i].line + 1, run.recs[i + 1].line);
		}
		run_free(&run);
	}
	free(data);
}

/* ------------------------------------------------------------- open quote */

static void test_open_quote_at_end(void **state)
{
	static const char *const inputs[] = {
		"a,b\n1,\"abc",
		"a,b\n1,\"abc\n",
		"a,b\n1,\"abc\n2,3\n",
		"a,b\n1,\"ab\"\"c",
		"a,b\n\"",
	};
	(void)state;

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct run run = {0};
		parse_str(inputs[i], NULL, &run);
		if (run.n_rejs != 1)
			fail_msg("input %zu: %zu rejects, want 1 (records: %zu)", i,
				 run.n_rejs, run.n_recs);
		assert_int_equal(run.rejs[0].reason, CSV_REJECT_OPEN_QUOTE);
		assert_int_equal(run.rejs[0].line, 2);
		assert_int_equal(run.rejs[0].number, 2);
		assert_string_equal(run.rejs[0].desc,
				    "quoted field not closed before the end of input");
		assert_int_equal(run.n_recs, 1);
		assert_int_equal(run.rejected, 1);
		run_free(&run);
	}
	/* A quote that closes at the very end is fine. */
	struct run run = {0};
	parse_str("a,b\n1,\"abc\"", NULL, &run);
	assert_int_equal(run.n_rejs, 0);
	assert_int_equal(run.n_recs, 2);
	assert_fields(&run.recs[1], "1", "abc", NULL);
	run_free(&run);
}

/*
 * Text after a closing quote ("好评"返现是骗人的), from a writer that quotes
 * nothing. libcsv keeps such a field open up to the next quote that ends a
 * field, and every record between vanished into one text, silently. Now the
 * field runs to the next delimiter, byte for byte, when the record then has
 * the header's number of fields; a quoting writer that did not double inner
 * quotes ("他说"好评"是骗人的") still reads as libcsv reads it.
 */
static void test_text_after_closing_quote(void **state)
{
	struct buf b = {0};
	(void)state;

	buf_str(&b, "id,text,shop\n1,\"好评\"返现是骗人的,S1\n");
	for (int i = 2; i <= 50; i++)
		buf_str(&b, "9,质量太差,S1\n");
	buf_str(&b, "51,\"质量太差\",S1\n"
		    "52,\"他说\"好评\"是骗人的\",S1\n"
		    "53,\"a,b\"c,S1\n"
		    "54,\"x\"\"y\"z,S1\n"
		    "55,end,S1\n");
	/* However the input is cut, the same records as whole. */
	check_chunking("text after a closing quote", b.p, b.len, NULL);
	struct run run = {0};
	parse_str(b.p, NULL, &run);
	assert_int_equal(run.n_rejs, 0);
	assert_int_equal(run.n_recs, 56);
	assert_fields(&run.recs[1], "1", "\"好评\"返现是骗人的", "S1", NULL);
	assert_int_equal(run.recs[2].line, 3);
	assert_fields(&run.recs[51], "51", "质量太差", "S1", NULL);
	assert_fields(&run.recs[52], "52", "他说\"好评\"是骗人的", "S1", NULL);
	/* A delimiter inside the quotes stays in the text. */
	assert_fields(&run.recs[53], "53", "\"a,b\"c", "S1", NULL);
	assert_fields(&run.recs[54], "54", "\"x\"\"y\"z", "S1", NULL);
	assert_fields(&run.recs[55], "55", "end", "S1", NULL);
	assert_int_equal(run.recs[55].line, 56);
	run_free(&run);
	free(b.p);
}

/* ---------------------------------------------------------------- stopping */

static void test_stop(void **state)
{
	static const char *const inputs[] = {
		"a,b\n1,2\n3,4\n5,6\n",
		"a,b\n\"1\",2\n\"3\",4\n5,6\n",
		"a,b\r1,2\r3,4\r5,6\n",        /* several records in one libcsv call */
		"a,b\n1,\"x\ny\"\r3,4\r5,6\n",
	};
	struct error err;
	(void)state;

	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct run run = {.stop_at = 2};
		struct csv_reader *r = csv_reader_new(NULL, on_record, on_reject, &run);
		assert_non_null(r);
		int rc = csv_reader_feed(r, inputs[i], strlen(inputs[i]), &err);
		int rc2 = csv_reader_feed(r, "7,8\n", 4, &err);
		int rc3 = csv_reader_finish(r, &err);
		if (rc != 1 || rc2 != 1 || rc3 != 1 || run.n_recs != 2 ||
		    run.callbacks_after_stop)
			fail_msg("input %zu: feed %d, feed again %d, finish %d, %zu records, "
				 "%zu callbacks after stop; want 1, 1, 1, 2, 0", i, rc, rc2,
				 rc3, run.n_recs, run.callbacks_after_stop);
		assert_fields(&run.recs[1], "1", i == 3 ? "x\ny" : "2", NULL);
		csv_reader_free(r);
		run_free(&run);
	}

	/* Stopping at the last record, emitted by finish, makes finish return 1. */
	struct run run = {.stop_at = 2};
	struct csv_reader *r = csv_reader_new(NULL, on_record, on_reject, &run);
	assert_non_null(r);
	assert_int_equal(csv_reader_feed(r, "a\n1", 3, &err), 0);
	assert_int_equal(csv_reader_finish(r, &err), 1);
	assert_int_equal(run.n_recs, 2);
	csv_reader_free(r);
	run_free(&run);
}

/* ----------------------------------------------------------------- misc API */

static void test_counters_and_defaults(void **state)
{
	struct run run = {0};
	(void)state;

	/* No callbacks at all is allowed. */
	struct csv_reader *r = csv_reader_new(NULL, NULL, NULL, NULL);
	struct error err;
	assert_non_null(r);
	assert_int_equal(csv_reader_feed(r, "a,b\n1\n2,3\n", 10, &err), 0);
	assert_int_equal(csv_reader_finish(r, &err), 0);
	assert_int_equal(csv_reader_records(r), 2);
	assert_int_equal(csv_reader_rejected(r), 1);
	assert_int_equal(csv_reader_lines(r), 3);
	csv_reader_free(r);
	csv_reader_free(NULL);

	/* Empty input: nothing, and no error. */
	parse_str("", NULL, &run);
	assert_int_equal(run.n_recs, 0);
	assert_int_equal(run.n_rejs, 0);
	assert_int_equal(run.lines, 0);
	assert_int_equal(run.rc_finish, 0);
	run_free(&run);

	/* Another delimiter. */
	struct csv_options tab = {.delim = '\t'};
	parse_str("a\tb\n1,2\t\"x\ty\"\n", &tab, &run);
	assert_int_equal(run.n_recs, 2);
	assert_fields(&run.recs[1], "1,2", "x\ty", NULL);
	run_free(&run);

	/* max_fields: more fields than that is its own reject. */
	struct csv_options few = {.max_fields = 3};
	parse_str("a,b,c\n1,2,3,4\n\"1\",2,3,4,5\n5,6,7\n", &few, &run);
	assert_int_equal(run.n_rejs, 2);
	assert_int_equal(run.rejs[0].reason, CSV_REJECT_TOO_MANY_FIELDS);
	assert_int_equal(run.rejs[1].reason, CSV_REJECT_TOO_MANY_FIELDS);
	assert_string_equal(run.rejs[0].desc, "more than 3 fields");
	assert_int_equal(run.n_recs, 2);
	assert_fields(&run.recs[1], "5", "6", "7", NULL);
	run_free(&run);

	/* A record wider than the reader's first field array. */
	struct buf b = {0};
	for (int i = 0; i < 300; i++)
		buf_fmt(&b, "%sh%d", i ? "," : "", i);
	buf_str(&b, "\n");
	for (int i = 0; i < 300; i++)
		buf_fmt(&b, "%s\"v%d\"", i ? "," : "", i);
	buf_str(&b, "\n");
	feed_all(b.p, b.len, NULL, &run);
	assert_int_equal(run.n_recs, 2);
	assert_int_equal(run.recs[1].n, 300);
	assert_field(&run.recs[1], 299, "v299");
	run_free(&run);
	buf_free(&b);
}

/* ----------------------------------------------------------- property test */

/*
 * Writes one field RFC 4180 style, quoting only when it must, or always
 * quoted by libcsv's own csv_write (which quotes every field).
 */
static void write_field(struct buf *b, const char *f, size_t len, int alone,
			int always)
{
	if (always) {
		size_t need = csv_write(NULL, 0, f, len);
		char *tmp = malloc(need);
		assert_non_null(tmp);
		assert_int_equal(csv_write(tmp, need, f, len), need);
		buf_add(b, tmp, need);
		free(tmp);
		return;
	}
	int quote = alone && len == 0;   /* an empty lone field would be a blank line */
	for (size_t i = 0; i < len; i++)
		if (f[i] == ',' || f[i] == '"' || f[i] == '\r' || f[i] == '\n')
			quote = 1;
	if (!quote) {
		buf_add(b, f, len);
		return;
	}
	buf_add(b, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		if (f[i] == '"')
			buf_add(b, "\"", 1);
		buf_add(b, &f[i], 1);
	}
	buf_add(b, "\"", 1);
}

static void random_field(uint64_t *rng, struct buf *f)
{
	static const char *const atoms[] = {
		"a", "b", "Z", "0", "9", ",", "\"", "\r", "\n", "\r\n", " ", "\t",
		"\xE4\xB8\xAD", "\xE6\x96\x87", "\xE6\x8A\x95\xE8\xAF\x89", "\xEF\xBC\x8C",
		"\"\"", ".", "-",
	};
	size_t n = rng_below(rng, 8) == 0 ? 0 : rng_below(rng, 24);
	/* Mostly plain fields, as in real exports; some full of specials. */
	int plain = rng_below(rng, 3) != 0;
	for (size_t i = 0; i < n; i++) {
		const char *a = atoms[plain ? rng_below(rng, 5) : rng_below(rng, 19)];
		if (plain && rng_below(rng, 6) == 0)
			a = atoms[10 + rng_below(rng, 6)];   /* spaces, tabs, Chinese */
		buf_str(f, a);
	}
}

static void test_property_round_trip(void **state)
{
	const size_t n_records = 4000;
	uint64_t rng = 20240601;
	(void)state;

	/* Rounds: 1, 3 and 7 columns quoted when needed (the last with a BOM),
	 * then 4 columns all quoted by csv_write. */
	for (int round = 0; round < 4; round++) {
		static const size_t cols[] = {1, 3, 7, 4};
		size_t n_cols = cols[round];
		int always = round == 3;
		struct buf csv = {0};
		/* Expected records serialised like the log, then compared whole. */
		struct buf want = {0};
		uint64_t line = 1, offset = 0;

		if (round == 2) {
			buf_add(&csv, "\xEF\xBB\xBF", 3);
			offset = 3;
		}
		for (size_t r = 0; r < n_records; r++) {
			struct buf rec = {0};
			struct buf fields[7] = {{0}};
			for (size_t c = 0; c < n_cols; c++) {
				random_field(&rng, &fields[c]);
				if (!fields[c].p)
					buf_add(&fields[c], "", 0);
				if (c)
					buf_add(&rec, ",", 1);
				write_field(&rec, fields[c].p, fields[c].len, n_cols == 1,
					    always);
			}
			buf_fmt(&want, "R line=%llu number=%zu offset=%llu n=%zu",
				(unsigned long long)line, r + 1, (unsigned long long)offset,
				n_cols);
			for (size_t c = 0; c < n_cols; c++) {
				log_fields(&want, 1, (const char *const *)&fields[c].p,
					   &fields[c].len);
				buf_free(&fields[c]);
			}
			buf_str(&want, "\n");
			/* The line end: LF or CRLF, none after the very last record. */
			if (r + 1 < n_records || rng_below(&rng, 2))
				buf_str(&rec, rng_below(&rng, 2) ? "\r\n" : "\n");
			/* Now and then blank lines, which are skipped but counted. */
			if (r + 1 < n_records && rng_below(&rng, 20) == 0)
				buf_str(&rec, rng_below(&rng, 2) ? "\r\n\n" : "\n");
			for (size_t i = 0; i < rec.len; i++)
				line += rec.p[i] == '\n';
			offset += rec.len;
			buf_add(&csv, rec.p, rec.len);
			buf_free(&rec);
		}

		struct chunker modes[] = {
			{.mode = CHUNK_WHOLE},
			{.mode = CHUNK_BYTES},
			{.mode = CHUNK_RANDOM, .seed = 1, .max = 10},
			{.mode = CHUNK_RANDOM, .seed = 2, .max = 300},
			{.mode = CHUNK_RANDOM, .seed = 3, .max = 70000},
		};
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			struct run run = {0};
			feed_run(csv.p, csv.len, NULL, &modes[m], &run);
			if (run.log.len != want.len || memcmp(run.log.p, want.p, want.len)) {
				size_t at = 0;
				while (at < want.len && at < run.log.len && want.p[at] == run.log.p[at])
					at++;
				char how[96];
				chunker_name(&modes[m], how, sizeof(how));
				print_log_excerpt("written", &want, at);
				print_log_excerpt(how, &run.log, at);
				fail_msg("round %d (%zu columns): records read back differ (%s)",
					 round, n_cols, how);
			}
			assert_int_equal(run.n_rejs, 0);
			run_free(&run);
		}
		buf_free(&csv);
		buf_free(&want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_spectrum),
		cmocka_unit_test(test_chunking_torture_corpus),
		cmocka_unit_test(test_chunking_spectrum),
		cmocka_unit_test(test_chunking_edge_inputs),
		cmocka_unit_test(test_quoted_fields_byte_for_byte),
		cmocka_unit_test(test_record_span),
		cmocka_unit_test(test_crlf_line_ends),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_blank_lines_counted),
		cmocka_unit_test(test_spaces_kept),
		cmocka_unit_test(test_last_line_without_newline),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_bare_cr),
		cmocka_unit_test(test_ragged_rows),
		cmocka_unit_test(test_reject_carries_fields),
		cmocka_unit_test(test_field_too_long_unquoted),
		cmocka_unit_test(test_field_too_long_quoted),
		cmocka_unit_test(test_stray_quote_resumes),
		cmocka_unit_test(test_open_quote_at_end),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_counters_and_defaults),
		cmocka_unit_test(test_property_round_trip),
	};
	return cmocka_run_group_tests_name("csv_reader", tests, NULL, NULL);
}
