#include "formats/csv_reader.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "formats/swar.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define DEFAULT_MAX_FIELD (1u << 20)
#define DEFAULT_MAX_FIELDS 4096
/* A partial line longer than this goes to libcsv instead of waiting for
 * its newline in the carry buffer: libcsv streams, the fast path does not. */
#define CARRY_LIMIT (256u << 10)

struct csv_reader {
	struct csv_parser parser;
	struct csv_options opt;
	csv_record_fn on_record;
	csv_reject_fn on_reject;
	void *ctx;

	/* The start of a line whose newline is in a later chunk. */
	char *carry;
	size_t carry_len, carry_cap;

	/* Fields of the record being built: libcsv's bytes copied to arena,
	 * the fast path's left where they are. */
	char *arena;
	size_t arena_len, arena_cap;
	size_t *offs, *lens;
	const char **ptrs;
	size_t n_fields, fields_cap;
	int field_too_long, too_many_fields;
	/* csv_record.span of the record being built: the fast path's line
	 * when no field was unescaped, else NULL. */
	const char *span;
	size_t span_len;

	uint64_t lines;        /* LF bytes seen */
	uint64_t offset;       /* bytes consumed */
	uint64_t line_start;   /* offset of the current physical line */
	uint64_t rec_line, rec_offset;
	int in_record;         /* libcsv holds part of a record */
	int record_ended;      /* libcsv ended a record in the current segment */
	int skip_line;         /* drop bytes up to the next LF (after CSV_ENOMEM) */
	int partial_line;      /* bytes after the last LF were consumed */
	unsigned char bom[3];
	size_t bom_len;
	int bom_done;

	uint64_t records, rejected;
	size_t expected;       /* fields per record, set by the header */
	int stop;
	int oom;
};

/*
 * libcsv grows its field buffer with no upper bound, so one stray quote can
 * pull a whole file into a single field. Its realloc hook takes no context,
 * so the cap travels in a thread-local set before every csv_parse() call;
 * refusing makes csv_parse() stop with CSV_ENOMEM, which we report as a
 * field that is too long.
 */
static _Thread_local size_t entry_cap;

static void *capped_realloc(void *p, size_t n)
{
	return n > entry_cap ? NULL : realloc(p, n);
}

static int keep_spaces(unsigned char c)
{
	(void)c;
	return 0;
}

static int parser_init(struct csv_reader *r)
{
	if (csv_init(&r->parser, CSV_STRICT_FINI) != 0)
		return -1;
	csv_set_delim(&r->parser, (unsigned char)r->opt.delim);
	csv_set_space_func(&r->parser, keep_spaces);
	csv_set_realloc_func(&r->parser, capped_realloc);
	csv_set_blk_size(&r->parser, 64u << 10);
	return 0;
}

struct csv_reader *csv_reader_new(const struct csv_options *opts,
				  csv_record_fn on_record,
				  csv_reject_fn on_reject, void *ctx)
{
	struct csv_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	if (opts)
		r->opt = *opts;
	if (!r->opt.max_field)
		r->opt.max_field = DEFAULT_MAX_FIELD;
	if (!r->opt.max_fields)
		r->opt.max_fields = DEFAULT_MAX_FIELDS;
	if (!r->opt.delim)
		r->opt.delim = ',';
	r->on_record = on_record;
	r->on_reject = on_reject;
	r->ctx = ctx;
	r->fields_cap = 64;
	r->offs = malloc(r->fields_cap * sizeof(*r->offs));
	r->lens = malloc(r->fields_cap * sizeof(*r->lens));
	r->ptrs = malloc(r->fields_cap * sizeof(*r->ptrs));
	if (!r->offs || !r->lens || !r->ptrs || parser_init(r)) {
		free(r->offs);
		free(r->lens);
		free(r->ptrs);
		free(r);
		return NULL;
	}
	return r;
}

void csv_reader_free(struct csv_reader *r)
{
	if (!r)
		return;
	csv_free(&r->parser);
	free(r->carry);
	free(r->arena);
	free(r->offs);
	free(r->lens);
	free(r->ptrs);
	free(r);
}

uint64_t csv_reader_lines(const struct csv_reader *r)
{
	return r->lines + (r->partial_line ? 1 : 0);
}

uint64_t csv_reader_records(const struct csv_reader *r)
{
	/* r->records numbers every record, rejects included (csv_record.number);
	 * the contract here is the records passed on. */
	return r->records - r->rejected;
}

uint64_t csv_reader_rejected(const struct csv_reader *r)
{
	return r->rejected;
}

void csv_reject_describe(const struct csv_reject *rej, char *buf, size_t n)
{
	switch (rej->reason) {
	case CSV_REJECT_FIELD_COUNT:
		snprintf(buf, n, "expected %zu fields, found %zu", rej->expected, rej->n_fields);
		break;
	case CSV_REJECT_FIELD_TOO_LONG:
		snprintf(buf, n, "field longer than the limit (--max-field)");
		break;
	case CSV_REJECT_TOO_MANY_FIELDS:
		snprintf(buf, n, "more than %zu fields", rej->expected);
		break;
	case CSV_REJECT_OPEN_QUOTE:
		snprintf(buf, n, "quoted field not closed before the end of input");
		break;
	}
}

static int grow_fields(struct csv_reader *r)
{
	size_t cap = r->fields_cap * 2;
	size_t *o = realloc(r->offs, cap * sizeof(*o));
	if (o)
		r->offs = o;
	size_t *l = realloc(r->lens, cap * sizeof(*l));
	if (l)
		r->lens = l;
	const char **p = realloc(r->ptrs, cap * sizeof(*p));
	if (p)
		r->ptrs = p;
	if (!o || !l || !p) {
		r->oom = 1;
		return -1;
	}
	r->fields_cap = cap;
	return 0;
}

static void reject(struct csv_reader *r, enum csv_reject_reason why)
{
	struct csv_reject rej = {
		.reason = why,
		.line = r->rec_line,
		.number = r->records,
		.offset = r->rec_offset,
		.n_fields = r->n_fields,
		.expected = why == CSV_REJECT_TOO_MANY_FIELDS ? r->opt.max_fields : r->expected,
		.fields = why == CSV_REJECT_FIELD_COUNT ? r->ptrs : NULL,
		.lens = why == CSV_REJECT_FIELD_COUNT ? r->lens : NULL,
	};
	r->rejected++;
	if (r->on_reject)
		r->on_reject(r->ctx, &rej);
}

/* Hands the record in ptrs/lens on, or rejects it; then resets it. */
static void end_record(struct csv_reader *r)
{
	r->records++;
	if (r->field_too_long)
		reject(r, CSV_REJECT_FIELD_TOO_LONG);
	else if (r->too_many_fields)
		reject(r, CSV_REJECT_TOO_MANY_FIELDS);
	else if (r->expected && r->n_fields != r->expected)
		reject(r, CSV_REJECT_FIELD_COUNT);
	else {
		struct csv_record rec = {
			.n_fields = r->n_fields,
			.fields = r->ptrs,
			.lens = r->lens,
			.line = r->rec_line,
			.number = r->records,
			.offset = r->rec_offset,
			.span = r->span,
			.span_len = r->span_len,
		};
		if (!r->expected)
			r->expected = r->n_fields;
		if (r->on_record && r->on_record(r->ctx, &rec))
			r->stop = 1;
	}
	r->n_fields = 0;
	r->arena_len = 0;
	r->field_too_long = 0;
	r->too_many_fields = 0;
	r->span = NULL;
	r->span_len = 0;
}

static void on_field(void *data, size_t len, void *v)
{
	struct csv_reader *r = v;
	if (r->n_fields == r->opt.max_fields) {
		r->too_many_fields = 1;
		return;
	}
	if (len > r->opt.max_field)
		r->field_too_long = 1;
	if (r->field_too_long || r->too_many_fields)
		return;
	if (r->n_fields == r->fields_cap && grow_fields(r))
		return;
	if (r->arena_len + len > r->arena_cap) {
		size_t cap = r->arena_cap ? r->arena_cap : 4096;
		while (cap < r->arena_len + len)
			cap *= 2;
		char *a = realloc(r->arena, cap);
		if (!a) {
			r->oom = 1;
			return;
		}
		r->arena = a;
		r->arena_cap = cap;
	}
	if (len)
		memcpy(r->arena + r->arena_len, data, len);
	r->offs[r->n_fields] = r->arena_len;
	r->lens[r->n_fields] = len;
	r->arena_len += len;
	r->n_fields++;
}

static void on_row(int term, void *v)
{
	struct csv_reader *r = v;
	(void)term;
	/* Until a non-empty field is stored there is no arena: NULL + 0 is
	 * undefined, and callers may pass fields to memcpy or strndup. */
	for (size_t i = 0; i < r->n_fields; i++)
		r->ptrs[i] = r->arena ? r->arena + r->offs[i] : "";
	end_record(r);
	r->record_ended = 1;
}

/* The first delimiter, quote or CR in [p, end), or end; 8 bytes a step. */
static inline const char *find_special_swar(const char *p, const char *end, char delim)
{
	while (end - p >= 8) {
		uint64_t x = swar_load(p), m;
		m = swar_has_byte(x, (unsigned char)delim) | swar_has_byte(x, '"') | swar_has_byte(x, '\r');
		if (m)
			return p + (__builtin_ctzll(m) >> 3);
		p += 8;
	}
	while (p < end && *p != delim && *p != '"' && *p != '\r')
		p++;
	return p;
}

#ifdef __SSE2__
/* One bit per byte of x that is the delimiter, a quote or a CR. */
static inline unsigned special16(__m128i x, char delim)
{
	__m128i m = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(delim)),
				 _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
					      _mm_cmpeq_epi8(x, _mm_set1_epi8('\r'))));
	return (unsigned)_mm_movemask_epi8(m);
}

/*
 * find_special_swar() 16 bytes a step, for p inside the line [line, end).
 * The last step loads the line's last 16 bytes, overlapping the step
 * before, so nothing outside the line is read; a line under 16 bytes goes
 * to the SWAR loop. Measured with callgrind on a complaints export (10
 * fields, 177 bytes a line): 362 instructions a line fewer than SWAR alone.
 */
static inline const char *find_special(const char *line, const char *p, const char *end,
				       char delim)
{
	while (end - p >= 16) {
		unsigned m = special16(_mm_loadu_si128((const __m128i *)p), delim);
		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
	if (p == end)
		return p;
	if (end - line < 16)
		return find_special_swar(p, end, delim);
	/* Bit i is byte end - 16 + i: drop the bytes before p. */
	unsigned m = special16(_mm_loadu_si128((const __m128i *)(end - 16)), delim) >>
		     (16 - (end - p));
	return m ? p + __builtin_ctz(m) : end;
}
#else
static inline const char *find_special(const char *line, const char *p, const char *end,
				       char delim)
{
	(void)line;
	return find_special_swar(p, end, delim);
}
#endif

/*
 * Copies [p, end), where every quote is the first of a pair, to o with one
 * quote of each pair; returns the bytes written. A run between quotes at a
 * time (memchr and memcpy): measured, 31 instructions a row fewer than a
 * byte loop on a complaints export, where 7% of the texts quote someone.
 */
static size_t unescape_quotes(char *o, const char *p, const char *end)
{
	size_t k = 0;
	while (p < end) {
		const char *quote = memchr(p, '"', (size_t)(end - p));
		size_t run = quote ? (size_t)(quote + 1 - p) : (size_t)(end - p);
		memcpy(o + k, p, run);
		k += run;
		p += run + (quote ? 1 : 0);  /* and the second quote of the pair */
	}
	return k;
}

/*
 * A quoted field that started at q goes on past the LF at *lf, the end of
 * s[0..avail): takes the next line in, when it is all there, and returns
 * where the search for the closing quote goes on (the LF), with *end and *lf
 * at the new line's end; else NULL, for libcsv. Not after a CR (the field
 * would hold a CRLF: libcsv's), nor past --max-field (libcsv rejects it,
 * and a stray quote costs a search of max_field bytes at most).
 */
static const char *next_line(const struct csv_reader *r, const char *s, const char *q,
			     const char **end, const char **lf, size_t avail)
{
	const char *from = *lf, *stop = s + avail;
	if (!from || *end != from || (size_t)(from - q) > r->opt.max_field)
		return NULL;
	const char *nl = memchr(from + 1, '\n', (size_t)(stop - from - 1));
	if (!nl)
		return NULL;
	*lf = nl;
	*end = nl > s && nl[-1] == '\r' ? nl - 1 : nl;
	return from;
}

/*
 * Splits the record on the *np bytes at s, one line, in place: unquoted
 * fields, and quoted fields that close on the same line (a doubled quote
 * inside is unescaped into the arena). This is the bulk of any export and
 * runs several times faster than libcsv. A quoted field that goes on to
 * the next lines takes them in while they are among the avail bytes at s
 * (next_line()); *np is then the record's bytes. Measured with callgrind on
 * classify -j1 over a complaints export where 2.4% of the records hold an
 * LF in their text: 188 instructions a row fewer than sending those to
 * libcsv. Returns 1 when done, 0 when the line needs libcsv: a quoted field
 * still open at the end of the bytes, a quote inside an unquoted field,
 * text after a closing quote that does not leave the header's number of
 * fields (below), or a lone CR. Both paths give the same fields
 * (the chunking and property tests hold them to it).
 */
static int split_plain_line(struct csv_reader *r, const char *s, size_t *np, size_t avail,
			    int has_lf, int at_line_start)
{
	size_t n = *np;
	const char *end = s + n - (has_lf ? 1 : 0);
	const char *lf = has_lf ? end : NULL;  /* the LF ending the record so far */
	uint64_t more_lines = 0;
	const char delim = r->opt.delim;
	int in_place = 1;  /* no field was unescaped into the arena */
	int kept_as_is = 0;  /* a field with text after its closing quote */

	if (end > s && end[-1] == '\r')
		end--;
	r->n_fields = 0;
	r->arena_len = 0;
	for (const char *q = s;;) {
		const char *start = q, *field;
		size_t len;
		if (q < end && *q == '"') {
			/* A quoted field: find its closing quote on this line. */
			const char *c = ++q;
			int escaped = 0;
			for (;;) {
				c = memchr(c, '"', (size_t)(end - c));
				if (!c) {
					if (!(c = next_line(r, s, q, &end, &lf, avail)))
						goto use_libcsv;
					n = (size_t)(lf + 1 - s);
					more_lines++;
					/* Fields unescaped so far must not move. */
					if (!in_place && r->arena_cap < n)
						goto use_libcsv;
					continue;
				}
				if (c + 1 < end && c[1] == '"') {
					escaped = 1;
					c += 2;
					continue;
				}
				break;
			}
			if (c + 1 < end && c[1] != delim) {
				/*
				 * Text after the closing quote ("好评"返现是骗人的): not
				 * RFC 4180. libcsv takes the quote for data and keeps
				 * the field open up to the next quote that ends one,
				 * lines later, and the records between vanish into it.
				 * A text that starts with a quote, from a writer that
				 * quotes nothing, is the likelier story: the field runs
				 * on to the next delimiter and is kept byte for byte,
				 * quotes and all, if the record then has the header's
				 * number of fields. Otherwise libcsv decides, and so it
				 * does when the text ends with a quote ("他说"好评"是骗人的",
				 * a writer that did not double inner quotes): libcsv
				 * reads that field as meant, on this line.
				 *
				 * libcsv reads differently, so this is done only where
				 * libcsv never gets the record however the input is cut
				 * into chunks: a record that starts a line (not one after
				 * a bare CR ended libcsv's) of at most CARRY_LIMIT bytes,
				 * which always waits whole for its LF.
				 */
				const char *d = memchr(c + 1, delim, (size_t)(end - c - 1));
				const char *fe = d ? d : end;
				if (!at_line_start || !r->expected || fe[-1] == '"' ||
				    (size_t)(end - s) > CARRY_LIMIT ||
				    memchr(start, '\r', (size_t)(fe - start)))
					goto use_libcsv;
				kept_as_is = 1;
				field = start;
				len = (size_t)(fe - start);
				q = fe;
				goto add_field;
			}
			if (memchr(q, '\r', (size_t)(c - q)))
				goto use_libcsv;
			field = q;
			len = (size_t)(c - q);
			if (escaped) {
				in_place = 0;
				/* The arena is sized for the whole line, so earlier
				 * fields in it never move. */
				if (r->arena_cap < n) {
					char *a = realloc(r->arena, n);
					if (!a) {
						r->oom = 1;
						return 1;
					}
					r->arena = a;
					r->arena_cap = n;
				}
				field = r->arena + r->arena_len;
				len = unescape_quotes(r->arena + r->arena_len, q, c);
				r->arena_len += len;
			}
			q = c + 1;
		} else {
			q = find_special(s, q, end, delim);
			if (q < end && *q != delim)
				goto use_libcsv;  /* a quote or CR inside an unquoted field */
			field = start;
			len = (size_t)(q - start);
		}
	add_field:
		if (r->n_fields == r->opt.max_fields)
			r->too_many_fields = 1;
		else {
			if (r->n_fields == r->fields_cap && grow_fields(r))
				return 1;
			if (len > r->opt.max_field)
				r->field_too_long = 1;
			r->ptrs[r->n_fields] = field;
			r->lens[r->n_fields] = len;
			r->n_fields++;
		}
		if (q >= end)
			break;
		q++;  /* the delimiter */
		if (q == end) {
			/* A delimiter at the end of the line: one more, empty field. */
			if (r->n_fields == r->opt.max_fields)
				r->too_many_fields = 1;
			else if (r->n_fields < r->fields_cap || !grow_fields(r)) {
				r->ptrs[r->n_fields] = q;
				r->lens[r->n_fields++] = 0;
			}
			break;
		}
	}
	/* One line, where libcsv never gets it, with the header's count. */
	if (kept_as_is && (r->n_fields != r->expected || more_lines))
		goto use_libcsv;
	if (in_place) {
		r->span = s;
		r->span_len = (size_t)(end - s);
	}
	/* As many LFs counted before the record is passed on as libcsv's
	 * line-by-line path would have. */
	r->lines += more_lines;
	*np = n;
	end_record(r);
	return 1;
use_libcsv:
	r->n_fields = 0;
	r->arena_len = 0;
	r->too_many_fields = 0;
	r->field_too_long = 0;
	return 0;
}

static void parser_reset(struct csv_reader *r)
{
	csv_free(&r->parser);
	if (parser_init(r))
		r->oom = 1;
	r->n_fields = 0;
	r->arena_len = 0;
	r->field_too_long = 0;
	r->too_many_fields = 0;
	r->in_record = 0;
}

/*
 * Passes s to libcsv up to its first CR (or all of it); returns the bytes
 * taken. libcsv also ends a record at a bare CR in the middle of a line, and
 * at most one record can end per call this way: a record that starts after
 * such a CR gets its own line and offset, and a callback's request to stop
 * is seen before the next record, whatever the chunking.
 */
static size_t parse_with_libcsv(struct csv_reader *r, const char *s, size_t n)
{
	const char *cr = memchr(s, '\r', n);
	if (cr && cr + 1 < s + n)
		n = (size_t)(cr + 1 - s);
	r->record_ended = 0;
	entry_cap = r->opt.max_field + 1024;
	size_t used = csv_parse(&r->parser, s, n, on_field, on_row, r);
	if (used < n) {
		if (csv_error(&r->parser) == CSV_ENOMEM) {
			/* The field outgrew the cap: reject the record and go on
			 * with the next line, so one stray quote costs the lines
			 * it swallowed, not the rest of the file. The rest of this
			 * line may come in later chunks: skip_line drops it all,
			 * so chunking cannot turn it into a record. */
			r->field_too_long = 1;
			r->records++;
			reject(r, CSV_REJECT_FIELD_TOO_LONG);
			r->skip_line = 1;
		}
		parser_reset(r);
		return n;
	}
	r->in_record = !r->record_ended;
	return n;
}

/*
 * One physical line with its LF (has_lf), the last line of the input
 * (is_last), or the start of a line too long to wait for its LF. The
 * avail bytes from s, at least n, may hold the lines after it: a record
 * whose quoted field goes on to them is split there too. Returns the bytes
 * taken: n, or more when such a record took lines after it.
 */
static size_t segment(struct csv_reader *r, const char *s, size_t n, size_t avail,
		      int has_lf, int is_last)
{
	const char *start = s;
	while (n && !r->stop && !r->oom) {
		size_t take = n;
		if (r->skip_line)
			;
		else if (r->in_record)
			take = parse_with_libcsv(r, s, n);
		else if (*s == '\r' || *s == '\n')
			/* Between records libcsv ignores CR and LF: blank lines,
			 * and the LF of a CRLF whose CR ended a record. Skipping
			 * them here keeps them from starting a record. */
			take = 1;
		else {
			r->rec_line = r->lines + 1;
			r->rec_offset = r->offset;
			if (!(has_lf || is_last) ||
			    !split_plain_line(r, s, &n, avail, has_lf, r->offset == r->line_start))
				take = parse_with_libcsv(r, s, n);
			else
				take = n;  /* n may now hold more lines */
		}
		r->offset += take;
		s += take;
		n -= take;
		avail -= take;
	}
	r->offset += n;   /* the bytes left when a callback asked to stop */
	s += n;
	if (has_lf) {
		r->lines++;
		r->skip_line = 0;
		r->line_start = r->offset;
	}
	return (size_t)(s - start);
}

static int carry_append(struct csv_reader *r, const char *s, size_t n)
{
	if (r->carry_len + n > r->carry_cap) {
		size_t cap = r->carry_cap ? r->carry_cap : 4096;
		while (cap < r->carry_len + n)
			cap *= 2;
		char *c = realloc(r->carry, cap);
		if (!c)
			return r->oom = 1, -1;
		r->carry = c;
		r->carry_cap = cap;
	}
	memcpy(r->carry + r->carry_len, s, n);
	r->carry_len += n;
	return 0;
}

static void feed_bytes(struct csv_reader *r, const char *p, size_t len)
{
	const char *end = p + len;

	if (r->carry_len) {
		const char *nl = memchr(p, '\n', len);
		size_t take = nl ? (size_t)(nl + 1 - p) : len;
		if (carry_append(r, p, take))
			return;
		p += take;
		if (nl) {
			r->partial_line = 0;
			segment(r, r->carry, r->carry_len, r->carry_len, 1, 0);
			r->carry_len = 0;
		} else if (r->carry_len > CARRY_LIMIT) {
			segment(r, r->carry, r->carry_len, r->carry_len, 0, 0);
			r->carry_len = 0;
		}
	}
	while (p < end && !r->stop && !r->oom) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			r->partial_line = 1;
			if (r->in_record)
				segment(r, p, (size_t)(end - p), (size_t)(end - p), 0, 0);
			else
				carry_append(r, p, (size_t)(end - p));
			break;
		}
		r->partial_line = 0;
		p += segment(r, p, (size_t)(nl + 1 - p), (size_t)(end - p), 1, 0);
	}
}

static int status(struct csv_reader *r, struct error *err)
{
	if (r->oom)
		return error_set(err, NULL, "out of memory while reading a record");
	return r->stop ? 1 : 0;
}

int csv_reader_feed(struct csv_reader *r, const char *buf, size_t len,
		    struct error *err)
{
	static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};

	if (r->stop)
		return 1;
	/* The BOM may arrive split over calls: hold up to 3 bytes back. */
	while (!r->bom_done && len) {
		r->bom[r->bom_len++] = (unsigned char)*buf++;
		len--;
		if (memcmp(r->bom, bom, r->bom_len) != 0) {
			r->bom_done = 1;
			feed_bytes(r, (const char *)r->bom, r->bom_len);
		} else if (r->bom_len == 3) {
			r->bom_done = 1;
			r->offset = r->line_start = 3;
		}
	}
	if (len)
		feed_bytes(r, buf, len);
	return status(r, err);
}

int csv_reader_finish(struct csv_reader *r, struct error *err)
{
	if (r->stop)
		return 1;
	if (!r->bom_done && r->bom_len) {
		r->bom_done = 1;
		feed_bytes(r, (const char *)r->bom, r->bom_len);
	}
	if (r->carry_len) {
		segment(r, r->carry, r->carry_len, r->carry_len, 0, 1);
		r->carry_len = 0;
	}
	if (r->in_record && !r->stop) {
		r->record_ended = 0;
		/* libcsv 3.0.3 only honours CSV_STRICT_FINI together with
		 * CSV_STRICT, and strict parsing would refuse a stray quote
		 * inside an unquoted field: turn it on for csv_fini alone,
		 * which uses it for nothing else. */
		csv_set_opts(&r->parser, CSV_STRICT | CSV_STRICT_FINI);
		if (csv_fini(&r->parser, on_field, on_row, r) != 0) {
			r->records++;
			reject(r, CSV_REJECT_OPEN_QUOTE);
		}
		parser_reset(r);
	}
	return status(r, err);
}
