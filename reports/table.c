#include "reports/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats/encoding.h"
#include "formats/swar.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define TABLE_BUFFER (256u << 10)

int table_format_parse(const char *name, enum table_format *out)
{
	if (!strcmp(name, "tsv"))
		*out = TABLE_TSV;
	else if (!strcmp(name, "csv"))
		*out = TABLE_CSV;
	else if (!strcmp(name, "json"))
		*out = TABLE_JSON;
	else
		return -1;
	return 0;
}

static void flush(struct table *t)
{
	if (!t->out)
		return;  /* a buffer table keeps everything until drained */
	if (t->len && fwrite(t->buf, 1, t->len, t->out) != t->len)
		t->failed = 1;
	t->len = 0;
}

static void reserve(struct table *t, size_t n)
{
	if (t->len + n <= t->cap)
		return;
	flush(t);
	if (t->len + n > t->cap) {
		size_t cap = t->cap * 2 > t->len + n ? t->cap * 2 : t->len + n;
		char *b = realloc(t->buf, cap);
		if (!b) {
			t->failed = 1;
			return;
		}
		t->buf = b;
		t->cap = cap;
	}
}

static void put(struct table *t, const char *s, size_t n)
{
	reserve(t, n);
	if (t->len + n <= t->cap) {
		memcpy(t->buf + t->len, s, n);
		t->len += n;
	}
}

static void putc_(struct table *t, char c)
{
	if (t->len == t->cap)
		reserve(t, 1);
	if (t->len < t->cap)
		t->buf[t->len++] = c;
}

/*
 * A JSON string. JSON text is UTF-8 and a string cannot carry raw bytes, so
 * each invalid UTF-8 sequence in s (a UTF-8 export's broken rows pass
 * through unconverted, see encoding.h) becomes U+FFFD, as jq and Python
 * would read it; tsv and csv keep the bytes as they were.
 */
static void json_escaped(struct table *t, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	putc_(t, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80) {
			uint32_t cp;
			size_t k = utf8_decode((const unsigned char *)s + i, n - i, &cp);
			if (k) {
				i += k - 1;
				continue;
			}
			put(t, s + run, i - run);
			i += utf8_invalid_span((const unsigned char *)s + i, n - i) - 1;
			run = i + 1;
			put(t, "\\ufffd", 6);
			continue;
		}
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(t, s + run, i - run);
		run = i + 1;
		char e[6] = {'\\', 0};
		switch (c) {
		case '"': e[1] = '"'; put(t, e, 2); break;
		case '\\': e[1] = '\\'; put(t, e, 2); break;
		case '\n': e[1] = 'n'; put(t, e, 2); break;
		case '\r': e[1] = 'r'; put(t, e, 2); break;
		case '\t': e[1] = 't'; put(t, e, 2); break;
		default:
			e[1] = 'u'; e[2] = '0'; e[3] = '0';
			e[4] = hex[c >> 4]; e[5] = hex[c & 15];
			put(t, e, 6);
		}
	}
	put(t, s + run, n - run);
	putc_(t, '"');
}

int table_json_string(FILE *out, const char *s, size_t len)
{
	struct table t = {.out = out, .format = TABLE_JSON, .cap = 4096};
	t.buf = malloc(t.cap);
	if (!t.buf)
		return -1;
	json_escaped(&t, s, len);
	flush(&t);
	free(t.buf);
	return t.failed ? -1 : 0;
}

/* Non-zero when one of the 8 bytes of x might need a TSV escape: below
 * 0x0E (TAB, LF, CR and a few that need none) or a backslash. */
static inline uint64_t tsv_special(uint64_t x)
{
	return swar_has_less(x, 0x0E) | swar_has_byte(x, '\\');
}

#ifdef __SSE2__
/* tsv_special() for 16 bytes: one bit per byte that is below 0x0E or a
 * backslash. */
static inline int tsv_special16(__m128i x)
{
	__m128i below = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x0D)), x);
	__m128i backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
	return _mm_movemask_epi8(_mm_or_si128(below, backslash));
}
#endif

/* Writes s escaped to o, a byte at a time; returns the bytes written. */
static size_t tsv_escape_bytes(char *o, const char *s, size_t n)
{
	char *start = o;
	for (size_t i = 0; i < n; i++) {
		char c = s[i], e;
		switch (c) {
		case '\t': e = 't'; break;
		case '\n': e = 'n'; break;
		case '\r': e = 'r'; break;
		case '\\': e = '\\'; break;
		default: *o++ = c; continue;
		}
		*o++ = '\\';
		*o++ = e;
	}
	return (size_t)(o - start);
}

/*
 * Writes s[0..n) escaped (TAB, LF, CR and backslash as \t \n \r \\) to o,
 * which has room for 2n bytes; returns the bytes written. Most cells need
 * no escape: they are checked and copied in one pass, 16 or 8 bytes a step,
 * with no call to memcpy; a cell with a special byte anywhere is written
 * again by the byte loop. A length that is not a multiple of the step ends
 * with a step that overlaps the one before (it ends at s + n), so nothing
 * outside s[0..n) is read, nor outside o[0..n) written.
 *
 * Measured with callgrind on classify's tsv (17 cells a row, 100,000 rows):
 * checking first and then calling memcpy cost 284 instructions a row more
 * than this one pass 8 bytes a step (a memcpy call per cell, and another
 * just to load a cell under 8 bytes); with SSE2, 16 bytes a step saves 254
 * more (the complaint text is most of a row's bytes), and a cell of 8 to
 * 15 bytes (ids, times, type names) checked as one register of two halves
 * 181 more than two SWAR words.
 */
static size_t tsv_copy(char *o, const char *s, size_t n)
{
#ifdef __SSE2__
	if (n >= 16) {
		for (size_t i = 0; i + 16 < n; i += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(s + i));
			if (tsv_special16(x))
				return tsv_escape_bytes(o, s, n);
			_mm_storeu_si128((__m128i *)(o + i), x);
		}
		__m128i last = _mm_loadu_si128((const __m128i *)(s + n - 16));
		if (tsv_special16(last))
			return tsv_escape_bytes(o, s, n);
		_mm_storeu_si128((__m128i *)(o + n - 16), last);
		return n;
	}
	if (n >= 8) {
		/* Two 8-byte halves that overlap, checked in one register. */
		__m128i head = _mm_loadl_epi64((const __m128i *)s);
		__m128i tail = _mm_loadl_epi64((const __m128i *)(s + n - 8));
		if (tsv_special16(_mm_unpacklo_epi64(head, tail)))
			return tsv_escape_bytes(o, s, n);
		_mm_storel_epi64((__m128i *)o, head);
		_mm_storel_epi64((__m128i *)(o + n - 8), tail);
		return n;
	}
#endif
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8) {
			uint64_t x = swar_load(s + i);
			if (tsv_special(x))
				return tsv_escape_bytes(o, s, n);
			swar_store(o + i, x);
		}
		uint64_t last = swar_load(s + n - 8);
		if (tsv_special(last))
			return tsv_escape_bytes(o, s, n);
		swar_store(o + n - 8, last);
		return n;
	}
	if (n >= 4) {
		uint32_t head = swar_load32(s), tail = swar_load32(s + n - 4);
		if (tsv_special((uint64_t)tail << 32 | head))
			return tsv_escape_bytes(o, s, n);
		swar_store32(o, head);
		swar_store32(o + n - 4, tail);
		return n;
	}
	/* Under 4 bytes (classify's agrees cell, yes or no): a byte at a
	 * time here, not through the escape loop's call and switch; measured,
	 * 8 instructions a classify row fewer. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x0E || c == '\\')
			return tsv_escape_bytes(o, s, n);
		o[i] = (char)c;
	}
	return n;
}

/* Writes s escaped straight into the buffer, room for the worst case made
 * once. */
static void tsv_escaped(struct table *t, const char *s, size_t n)
{
	reserve(t, 2 * n);
	if (t->len + 2 * n > t->cap)
		return;  /* out of memory: failed is set */
	t->len += tsv_copy(t->buf + t->len, s, n);
}

/*
 * A plain decimal number, [+-]digits[.digits][e[+-]digits], the only kind a
 * negative amount or rate needs to stay readable. Not strtod: it takes
 * "inf", "nan", hex floats and leading spaces, and stops at a NUL, so
 * "-1\0+HYPERLINK(...)" or "\t-1" passed for a number and kept its sign.
 */
static int looks_numeric(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (!digits)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp = 0;
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			exp++;
		if (!exp)
			return 0;
	}
	return i == n;
}

static void csv_escaped(struct table *t, const char *s, size_t n)
{
	int quote = 0;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	/* A cell a spreadsheet would evaluate (=cmd|' /C calc'!A0) is data here. */
	int neutralise = n && s[0] && strchr("=+-@\t\r", s[0]) && !looks_numeric(s, n);
	if (quote || neutralise)
		putc_(t, '"');
	if (neutralise)
		putc_(t, '\'');
	size_t run = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '"') {
			put(t, s + run, i + 1 - run);
			putc_(t, '"');
			run = i + 1;
		}
	put(t, s + run, n - run);
	if (quote || neutralise)
		putc_(t, '"');
}

static void cell_start_slow(struct table *t)
{
	if (t->format == TABLE_JSON) {
		putc_(t, t->column ? ',' : '{');
		json_escaped(t, t->names[t->column], strlen(t->names[t->column]));
		putc_(t, ':');
	} else if (t->column) {
		putc_(t, t->format == TABLE_TSV ? '\t' : ',');
	}
	t->column++;
}

/* What goes before a cell: a separator, or in json the key. A tsv or csv
 * cell after the first takes the inline branch. */
static inline void cell_start(struct table *t)
{
	if (t->format != TABLE_JSON && t->column && t->len < t->cap) {
		t->buf[t->len++] = t->format == TABLE_TSV ? '\t' : ',';
		t->column++;
		return;
	}
	cell_start_slow(t);
}

int table_begin(struct table *t, FILE *out, enum table_format format,
		const char *const *names, size_t n_columns)
{
	memset(t, 0, sizeof(*t));
	t->out = out;
	t->format = format;
	t->names = names;
	t->n_columns = n_columns;
	t->cap = TABLE_BUFFER;
	t->buf = malloc(t->cap);
	if (!t->buf)
		return -1;
	if (format == TABLE_JSON)
		return 0;
	if (format == TABLE_TSV)
		putc_(t, '#');
	for (size_t i = 0; i < n_columns; i++) {
		if (i)
			putc_(t, format == TABLE_TSV ? '\t' : ',');
		if (format == TABLE_TSV)
			tsv_escaped(t, names[i], strlen(names[i]));
		else
			csv_escaped(t, names[i], strlen(names[i]));
	}
	putc_(t, '\n');
	return 0;
}

int table_begin_buffer(struct table *t, enum table_format format,
		       const char *const *names, size_t n_columns)
{
	memset(t, 0, sizeof(*t));
	t->format = format;
	t->names = names;
	t->n_columns = n_columns;
	t->cap = 64u << 10;
	t->buf = malloc(t->cap);
	return t->buf ? 0 : -1;
}

int table_drain(struct table *t, FILE *out)
{
	if (t->len && fwrite(t->buf, 1, t->len, out) != t->len)
		t->failed = 1;
	t->len = 0;
	return t->failed ? -1 : 0;
}

void table_str(struct table *t, const char *s, size_t len)
{
	if (t->format == TABLE_TSV && t->column && t->cap - t->len > 2 * len) {
		/* Most cells: the separator and the cell, cell_start's tsv case
		 * written out (a classify row has 16 cells: 300 instructions a
		 * row fewer than through cell_start, even inlined), and room for
		 * both checked once (134 a row fewer than reserve() per cell). */
		char *o = t->buf + t->len;
		*o = '\t';
		t->len += 1 + tsv_copy(o + 1, s, len);
		t->column++;
		return;
	}
	cell_start(t);
	if (t->format == TABLE_JSON)
		json_escaped(t, s, len);
	else if (t->format == TABLE_TSV)
		tsv_escaped(t, s, len);
	else
		csv_escaped(t, s, len);
}

void table_cells(struct table *t, const char *base, const uint32_t *off, const int32_t *len,
		 size_t n)
{
	if (t->format != TABLE_TSV) {
		for (size_t j = 0; j < n; j++)
			if (len[j] < 0)
				table_null(t);
			else
				table_str(t, base + off[j], (size_t)len[j]);
		return;
	}
	/* Room for the worst case of every cell made once, then each written
	 * with no check: measured, 187 instructions a row fewer than a
	 * table_str() call per cell (10 cells a classify row). */
	size_t room = n;
	for (size_t j = 0; j < n; j++)
		room += len[j] > 0 ? 2 * (size_t)len[j] : 0;
	reserve(t, room);
	if (t->len + room > t->cap)
		return;  /* out of memory: failed is set */
	char *o = t->buf + t->len;
	size_t column = t->column;
	for (size_t j = 0; j < n; j++) {
		if (column++)
			*o++ = '\t';
		if (len[j] > 0)
			o += tsv_copy(o, base + off[j], (size_t)len[j]);
	}
	t->column = column;
	t->len = (size_t)(o - t->buf);
}

void table_int(struct table *t, int64_t v)
{
	char b[24], *p = b + sizeof(b);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	cell_start(t);
	/* A byte loop, not put(): most numbers are a digit or two, and a
	 * memcpy call cost 15 instructions a cell more. */
	size_t n = (size_t)(b + sizeof(b) - p);
	reserve(t, n);
	if (t->len + n > t->cap)
		return;  /* out of memory: failed is set */
	for (size_t k = 0; k < n; k++)
		t->buf[t->len++] = p[k];
}

void table_num(struct table *t, double v, int decimals)
{
	char b[64];
	cell_start(t);
	if (isnan(v)) {
		if (t->format == TABLE_JSON)
			put(t, "null", 4);
		return;
	}
	int n = snprintf(b, sizeof(b), "%.*f", decimals, v);
	put(t, b, (size_t)n);
}

void table_null(struct table *t)
{
	cell_start(t);
	if (t->format == TABLE_JSON)
		put(t, "null", 4);
}

void table_list(struct table *t, const char *const *items, const size_t *lens, size_t n)
{
	cell_start(t);
	if (t->format == TABLE_JSON) {
		putc_(t, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				putc_(t, ',');
			json_escaped(t, items[i], lens ? lens[i] : strlen(items[i]));
		}
		putc_(t, ']');
		return;
	}
	/* Joined first, so csv quotes the whole list once. */
	char joined[2048];
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = lens ? lens[i] : strlen(items[i]);
		if (len + k + 1 >= sizeof(joined))
			break;
		if (i)
			joined[len++] = ',';
		memcpy(joined + len, items[i], k);
		len += k;
	}
	if (t->format == TABLE_TSV)
		tsv_escaped(t, joined, len);
	else
		csv_escaped(t, joined, len);
}

void table_row_end(struct table *t)
{
	if (t->format == TABLE_JSON)
		put(t, "}\n", 2);
	else
		putc_(t, '\n');
	t->column = 0;
}

int table_end(struct table *t)
{
	flush(t);
	free(t->buf);
	t->buf = NULL;
	return t->failed ? -1 : 0;
}

/*
 * Decodes the tsv escapes \t \n \r \\ of s[0..n) in place; returns the new
 * length. A backslash before anything else, or last, stays as it is.
 */
size_t table_tsv_unescape(char *s, size_t n)
{
	size_t i = 0, o = 0;
	while (i < n) {
		char c = s[i++];
		if (c == '\\' && i < n) {
			switch (s[i]) {
			case 't': c = '\t'; i++; break;
			case 'n': c = '\n'; i++; break;
			case 'r': c = '\r'; i++; break;
			case '\\': c = '\\'; i++; break;
			default: break;
			}
		}
		s[o++] = c;
	}
	return o;
}
