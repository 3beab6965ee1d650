#include "formats/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef const unsigned char *cur;

#define HIGH_BITS UINT64_C(0x8080808080808080)

static const char REPLACEMENT[3] = { '\xEF', '\xBF', '\xBD' };	/* U+FFFD */

const char *encoding_name(enum encoding e)
{
	switch (e) {
	case ENCODING_UTF8:
		return "utf-8";
	case ENCODING_GB18030:
		return "gb18030";
	}
	return "unknown";
}

int encoding_parse_name(const char *name, enum encoding *out)
{
	static const struct {
		const char *name;
		enum encoding enc;
	} names[] = {
		{ "utf-8", ENCODING_UTF8 },
		{ "utf8", ENCODING_UTF8 },
		{ "gb18030", ENCODING_GB18030 },
		/* Supersets: GB18030 decodes these (CP936's lone 0x80 aside). */
		{ "gbk", ENCODING_GB18030 },
		{ "gb2312", ENCODING_GB18030 },
		{ "cp936", ENCODING_GB18030 },
	};

	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*out = names[i].enc;
			return 0;
		}
	}
	return -1;
}

/*
 * UTF-8 lead byte c: sets the allowed range of the second byte (which is
 * where overlongs, surrogates and > U+10FFFF are excluded) and returns the
 * number of continuation bytes, or -1 if c cannot start a sequence.
 */
static int utf8_lead(unsigned char c, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c < 0xC2)
		return -1;	/* ASCII, stray 80-BF, overlong C0/C1 */
	if (c < 0xE0)
		return 1;
	if (c < 0xF0) {
		if (c == 0xE0)
			*lo = 0xA0;
		else if (c == 0xED)
			*hi = 0x9F;
		return 2;
	}
	if (c < 0xF5) {
		if (c == 0xF0)
			*lo = 0x90;
		else if (c == 0xF4)
			*hi = 0x8F;
		return 3;
	}
	return -1;
}

/*
 * For an invalid sequence at p (n > 0 bytes): the length of its maximal
 * ill-formed subpart (Unicode 15, 3.9), at least 1. Sets *cut when those
 * bytes are a valid start that n cut short, i.e. more input could make
 * them a character.
 */
static size_t utf8_bad_len(cur p, size_t n, int *cut)
{
	unsigned char lo, hi;
	int k = utf8_lead(p[0], &lo, &hi);

	*cut = 0;
	if (k < 0)
		return 1;
	for (size_t i = 1; i <= (size_t)k; i++) {
		if (i == n) {
			*cut = 1;
			return i;
		}
		if (p[i] < lo || p[i] > hi)
			return i;
		lo = 0x80;
		hi = 0xBF;
	}
	return (size_t)k + 1;	/* not reached: the sequence was valid */
}

static int word_is_ascii(cur p)
{
	uint64_t a, b;

	memcpy(&a, p, 8);
	memcpy(&b, p + 8, 8);
	return ((a | b) & HIGH_BITS) == 0;
}

size_t utf8_valid_prefix(const char *s, size_t len)
{
	cur start = (cur)s, p = start, end = start + len;
	size_t k;

	if (!s)
		return 0;
	while (p < end) {
		if (*p < 0x80) {
			p++;
			/* Runs of ASCII dominate CSV: 16 bytes per test. */
			while (end - p >= 16 && word_is_ascii(p))
				p += 16;
			continue;
		}
		uint32_t cp;
		if ((k = utf8_decode(p, (size_t)(end - p), &cp)) == 0)
			break;
		p += k;
	}
	return (size_t)(p - start);
}

int utf8_is_valid(const char *s, size_t len)
{
	return utf8_valid_prefix(s, len) == len;
}

/*
 * GB18030 at p (n > 0 bytes, p[0] >= 0x80): returns the length of a
 * well-formed character (2 or 4) and sets *bad = 0, or returns the number
 * of bytes to skip as one invalid sequence and sets *bad = 1. Sets *cut
 * instead when the bytes are a valid start that n cut short. An ASCII byte
 * is never swallowed into an invalid sequence, so the comma or newline
 * after a broken character survives.
 */
static size_t gb_seq(cur p, size_t n, int *bad, int *cut)
{
	unsigned char c = p[0];

	*bad = 1;
	*cut = 0;
	if (c == 0x80 || c == 0xFF)
		return 1;
	if (n < 2)
		goto cut;
	if ((p[1] >= 0x40 && p[1] <= 0x7E) || (p[1] >= 0x80 && p[1] <= 0xFE)) {
		*bad = 0;
		return 2;
	}
	if (p[1] < 0x30 || p[1] > 0x39)
		return 1;
	if (n < 3)
		goto cut;
	if (p[2] < 0x81 || p[2] > 0xFE)
		return 1;
	if (n < 4)
		goto cut;
	if (p[3] < 0x30 || p[3] > 0x39)
		return 1;
	*bad = 0;
	return 4;
cut:
	*cut = 1;
	return n;
}

/* Multi-byte characters and invalid sequences seen in a sample. */
struct tally {
	uint64_t chars;
	uint64_t bad;
};

static void tally_utf8(cur p, cur end, int at_eof, struct tally *t)
{
	int cut;
	size_t k;

	while (p < end) {
		size_t ok = utf8_valid_prefix((const char *)p, (size_t)(end - p));
		cur q = p + ok;

		/* A multi-byte character counts by its lead byte. */
		for (; p < q; p++)
			t->chars += *p >= 0xC0;
		if (p == end)
			break;
		k = utf8_bad_len(p, (size_t)(end - p), &cut);
		if (cut && !at_eof)
			break;
		t->bad++;
		p += k;
	}
}

static void tally_gb(cur p, cur end, int at_eof, struct tally *t)
{
	int bad, cut;
	size_t k;

	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		k = gb_seq(p, (size_t)(end - p), &bad, &cut);
		if (cut && !at_eof)
			break;
		if (bad)
			t->bad++;
		else
			t->chars++;
		p += k;
	}
}

/* Whether more than half of the sample's multi-byte sequences are
 * malformed. A share, not a count: a sample with a few Chinese characters
 * and one bad byte must not be judged like a megabyte's. */
static int mostly_bad(const struct tally *t)
{
	return t->bad > t->chars;
}

/* Whether a's share of malformed sequences is below b's. */
static int fewer_bad(const struct tally *a, const struct tally *b)
{
	return a->bad * (b->chars + b->bad) < b->bad * (a->chars + a->bad);
}

enum encoding encoding_detect(const char *buf, size_t len, int at_eof)
{
	cur p = (cur)buf, end = p + len;
	struct tally u = { 0, 0 }, g = { 0, 0 };
	size_t ok;
	int cut;

	if (!buf)
		return ENCODING_UTF8;
	ok = utf8_valid_prefix(buf, len);
	if (ok == len)
		return ENCODING_UTF8;
	utf8_bad_len(p + ok, len - ok, &cut);
	if (cut && !at_eof)
		return ENCODING_UTF8;

	tally_utf8(p, end, at_eof, &u);
	tally_gb(p, end, at_eof, &g);
	if (mostly_bad(&u) && fewer_bad(&g, &u))
		return ENCODING_GB18030;
	return ENCODING_UTF8;
}

struct transcoder {
	enum encoding from;
	iconv_t cd;		/* (iconv_t)-1 from UTF-8 */
	char *buf;
	size_t cap;
	size_t len;
	unsigned char carry[4];	/* a character cut by the last chunk */
	size_t carry_len;
	uint64_t invalid;
};

struct transcoder *transcoder_new(enum encoding from, struct error *err)
{
	struct transcoder *t = calloc(1, sizeof(*t));

	if (!t) {
		error_set(err, NULL, "out of memory");
		return NULL;
	}
	t->from = from;
	t->cd = (iconv_t)-1;
	/* Never NULL, so an empty result still has an address to lend. */
	t->cap = 4096;
	t->buf = malloc(t->cap);
	if (!t->buf) {
		error_set(err, NULL, "out of memory");
		free(t);
		return NULL;
	}
	if (from == ENCODING_GB18030) {
		t->cd = iconv_open("UTF-8", "GB18030");
		if (t->cd == (iconv_t)-1) {
			error_set(err, NULL, "cannot convert from gb18030: %s",
				  strerror(errno));
			transcoder_free(t);
			return NULL;
		}
	} else if (from != ENCODING_UTF8) {
		error_set(err, NULL, "unknown encoding %d", (int)from);
		transcoder_free(t);
		return NULL;
	}
	return t;
}

/* Makes room for `extra` more output bytes. */
static int reserve(struct transcoder *t, size_t extra, struct error *err)
{
	size_t want, cap;
	char *nb;

	if (t->cap - t->len >= extra)
		return 0;
	if (__builtin_add_overflow(t->len, extra, &want))
		return error_set(err, NULL, "out of memory");
	cap = t->cap;
	while (cap < want) {
		if (__builtin_mul_overflow(cap, 2, &cap))
			return error_set(err, NULL, "out of memory");
	}
	nb = realloc(t->buf, cap);
	if (!nb)
		return error_set(err, NULL, "out of memory");
	t->buf = nb;
	t->cap = cap;
	return 0;
}

static int put_replacement(struct transcoder *t, struct error *err)
{
	if (reserve(t, sizeof(REPLACEMENT), err) < 0)
		return -1;
	memcpy(t->buf + t->len, REPLACEMENT, sizeof(REPLACEMENT));
	t->len += sizeof(REPLACEMENT);
	t->invalid++;
	return 0;
}

/*
 * Appends in[0..n) as UTF-8, sets *used to the bytes converted. Stops short
 * only at a character cut by n when !final; when final, that is invalid.
 */
static int span_utf8(struct transcoder *t, cur in, size_t n, int final,
		     size_t *used, struct error *err)
{
	size_t i = 0, ok, k;
	int cut;

	while (i < n) {
		ok = utf8_valid_prefix((const char *)in + i, n - i);
		if (ok > 0) {
			if (reserve(t, ok, err) < 0)
				return -1;
			memcpy(t->buf + t->len, in + i, ok);
			t->len += ok;
			i += ok;
		}
		if (i == n)
			break;
		k = utf8_bad_len(in + i, n - i, &cut);
		if (cut && !final)
			break;
		if (put_replacement(t, err) < 0)
			return -1;
		i += k;
	}
	*used = i;
	return 0;
}

/*
 * Converts in[0..n) with iconv, appending to t->buf; same contract as
 * span_utf8().
 */
static int iconv_region(struct transcoder *t, cur in, size_t n, int final,
			size_t *used, struct error *err)
{
	char *ip = (char *)in, *op;
	size_t left = n, room, k;
	int bad, cut;

	/*
	 * 1.5 output bytes per input byte hold any valid input (two GB18030
	 * bytes become at most three UTF-8 bytes); invalid bytes (one becomes
	 * three) may need more, and E2BIG grows the buffer then.
	 */
	if (reserve(t, n + n / 2 + 16, err) < 0)
		return -1;
	while (left > 0) {
		op = t->buf + t->len;
		room = t->cap - t->len;
		if (iconv(t->cd, &ip, &left, &op, &room) != (size_t)-1) {
			t->len = (size_t)(op - t->buf);
			break;
		}
		t->len = (size_t)(op - t->buf);
		switch (errno) {
		case E2BIG:
			if (reserve(t, t->cap - t->len + 16, err) < 0)
				return -1;
			continue;
		case EILSEQ:
		case EINVAL:
			/*
			 * iconv says EINVAL for any 4-byte start it cannot see
			 * the end of (even "81 30 20"): gb_seq decides whether
			 * it is really cut or already invalid. A well-formed
			 * 4-byte sequence that maps to nothing (beyond
			 * U+10FFFF, say) is skipped whole, as one character.
			 */
			k = gb_seq((cur)ip, left, &bad, &cut);
			if (cut && !final)
				goto out;
			if (put_replacement(t, err) < 0)
				return -1;
			ip += k;
			left -= k;
			continue;
		default:
			return error_set(err, NULL,
					 "cannot convert from gb18030: %s",
					 strerror(errno));
		}
	}
out:
	*used = n - left;
	return 0;
}

/* ASCII runs at least this long are copied instead of going through iconv. */
#define ASCII_RUN_MIN 32

/*
 * The first run of ASCII_RUN_MIN or more ASCII bytes in [p, end): returns
 * its start and sets *run_end, or returns end.
 */
static cur find_ascii_run(cur p, cur end, cur *run_end)
{
	cur r;

	while (p < end) {
		while (p < end && *p >= 0x80)
			p++;
		r = p;
		while (end - p >= 16 && word_is_ascii(p))
			p += 16;
		while (p < end && *p < 0x80)
			p++;
		if (p - r >= ASCII_RUN_MIN) {
			*run_end = p;
			return r;
		}
	}
	*run_end = end;
	return end;
}

/*
 * GB18030 to UTF-8. glibc's converter goes a character at a time, ASCII
 * included, so long ASCII runs (ids, times, amounts) are copied with memcpy
 * and iconv gets the rest: few calls, never one per character.
 */
static int span_gb(struct transcoder *t, cur in, size_t n, int final,
		   size_t *used, struct error *err)
{
	cur p = in, end = in + n, run, run_end;
	size_t u, k;

	while (p < end) {
		run = find_ascii_run(p, end, &run_end);
		if (run == end) {
			if (iconv_region(t, p, (size_t)(end - p), final, &u,
					 err) < 0)
				return -1;
			p += u;
			break;
		}
		if (run > p) {
			/*
			 * GB18030 trail bytes overlap ASCII: the run's first
			 * byte may end the character before it, and its
			 * second decides whether a lead and a digit before it
			 * are cut or invalid. Both go to iconv; after them
			 * nothing can be cut, so the region is final.
			 */
			if (iconv_region(t, p, (size_t)(run + 2 - p), 1, &u,
					 err) < 0)
				return -1;
			run += 2;
		}
		k = (size_t)(run_end - run);
		if (reserve(t, k, err) < 0)
			return -1;
		memcpy(t->buf + t->len, run, k);
		t->len += k;
		p = run_end;
	}
	*used = (size_t)(p - in);
	return 0;
}

static int span(struct transcoder *t, cur in, size_t n, int final,
		size_t *used, struct error *err)
{
	if (t->from == ENCODING_GB18030)
		return span_gb(t, in, n, final, used, err);
	return span_utf8(t, in, n, final, used, err);
}

int transcoder_convert(struct transcoder *t, const char *in, size_t len,
		       int at_eof, const char **out, size_t *out_len,
		       struct error *err)
{
	cur src = (cur)(in ? in : "");
	size_t off = 0, used;

	t->len = 0;
	*out_len = 0;
	*out = t->buf;
	if (!in)
		len = 0;

	/*
	 * A character cut by the last chunk: finish it in a small buffer with
	 * the first bytes of this one, so the whole chunk is never copied.
	 * Eight bytes hold any carry (<= 3) plus the rest of its character.
	 */
	if (t->carry_len > 0) {
		unsigned char tmp[8];
		size_t take = len < sizeof(tmp) - t->carry_len ?
			      len : sizeof(tmp) - t->carry_len;
		size_t n = t->carry_len + take;

		memcpy(tmp, t->carry, t->carry_len);
		if (take > 0)
			memcpy(tmp + t->carry_len, src, take);
		if (span(t, tmp, n, at_eof && take == len, &used, err) < 0)
			goto fail;
		if (used < t->carry_len) {
			/*
			 * Still cut. Only possible when all of in fitted in
			 * tmp: a character is at most 4 bytes.
			 */
			if (take < len || n - used > sizeof(t->carry)) {
				error_set(err, NULL,
					  "internal error: carry overflow");
				goto fail;
			}
			memmove(t->carry, tmp + used, n - used);
			t->carry_len = n - used;
			off = len;
		} else {
			off = used - t->carry_len;
			t->carry_len = 0;
		}
	}

	if (off < len) {
		if (span(t, src + off, len - off, at_eof, &used, err) < 0)
			goto fail;
		off += used;
		if (len - off > sizeof(t->carry)) {
			error_set(err, NULL, "internal error: carry overflow");
			goto fail;
		}
		memcpy(t->carry, src + off, len - off);
		t->carry_len = len - off;
	}

	if (at_eof) {
		/* span() with final set leaves nothing behind; start afresh. */
		t->carry_len = 0;
		if (t->cd != (iconv_t)-1)
			iconv(t->cd, NULL, NULL, NULL, NULL);
	}
	*out = t->buf;
	*out_len = t->len;
	return 0;
fail:
	t->len = 0;
	*out = t->buf;
	*out_len = 0;
	return -1;
}

uint64_t transcoder_invalid(const struct transcoder *t)
{
	return t->invalid;
}

void transcoder_free(struct transcoder *t)
{
	if (!t)
		return;
	if (t->cd != (iconv_t)-1)
		iconv_close(t->cd);
	free(t->buf);
	free(t);
}
