/*
 * deflate.c - raw DEFLATE decoding, table-driven and resumable.
 *
 * The bit buffer is 64 bits wide and filled least significant bit first.
 * Where at least FAST_IN bytes of input remain it is refilled by one
 * unaligned 8-byte load, with no branch: the bytes it takes are the whole
 * bytes that fit, and the bits above them are the next byte's own bits,
 * which the next load puts in the same place again. Near the end of the
 * input it is refilled a byte at a time, and past the last byte with zero
 * bytes that are counted (overrun): consuming one of their bits means the
 * stream was cut short.
 *
 * Each Huffman code has one table indexed by the next few bits of input
 * (LITLEN_BITS, DIST_BITS, PRECODE_BITS); longer codes continue in a
 * subtable. An entry says in
 * one 32-bit word how many bits to consume and what the symbol means.
 */
#include "formats/deflate.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CODE_LEN 15
#define LITLEN_SYMS 288
#define DIST_SYMS 32
#define PRECODE_SYMS 19

#define LITLEN_BITS 11
#define DIST_BITS 8
#define PRECODE_BITS 7

/*
 * Every subtable of a code has 2^(longest code - table bits) entries, and
 * there is at most one per symbol with a long code: simple, and small
 * enough (26 KiB and 17 KiB at most, of which a block touches little).
 */
#define LITLEN_TABLE ((1u << LITLEN_BITS) + \
		      LITLEN_SYMS * (1u << (MAX_CODE_LEN - LITLEN_BITS)))
#define DIST_TABLE ((1u << DIST_BITS) + \
		    DIST_SYMS * (1u << (MAX_CODE_LEN - DIST_BITS)))

/*
 * A table entry: bits 0-7 the bits to consume, 8-11 the extra bits that
 * follow (length and distance) or a subtable's index bits, 12-15 flags,
 * 16-31 the literal, the length or distance base, or a subtable's start.
 */
#define E_LEN(e)      ((e) & 0xffu)
#define E_EXTRA(e)    (((e) >> 8) & 0xfu)
#define E_VALUE(e)    ((e) >> 16)
#define E_LITERAL     0x1000u
#define E_END         0x2000u
#define E_SUB         0x4000u
#define E_BAD         0x8000u

/* Room the fast loop needs: a refill's 8-byte load twice, and on the out
 * side two literals, then the longest match with what its word copy may
 * write past its end (up to 40 bytes past a short one). */
#define FAST_IN 32
#define FAST_OUT (2 + DEFLATE_MAX_MATCH + 40 + 4)
/* Input that holds any one symbol, and any block header (at most 4,480 bits). */
#define SYMBOL_IN 16
#define HEADER_IN 600

enum block_state { BLOCK_HEADER, BLOCK_STORED, BLOCK_HUFFMAN };

struct deflate_decoder {
	uint64_t bitbuf;
	unsigned bitsleft;
	enum block_state state;
	int final;             /* the current block is the stream's last */
	int fixed_loaded;      /* the tables hold the fixed codes */
	uint32_t stored_left;
	uint32_t litlen[LITLEN_TABLE];
	uint32_t dist[DIST_TABLE];
	uint32_t precode[1u << PRECODE_BITS];
};

static const uint16_t length_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
};
static const uint8_t length_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
};
static const uint16_t dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193,
	12289, 16385, 24577,
};
static const uint8_t dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
};
static const uint8_t precode_order[PRECODE_SYMS] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
};

/* What each symbol means, less its code length: filled once. */
static uint32_t litlen_meaning[LITLEN_SYMS];
static uint32_t dist_meaning[DIST_SYMS];
static uint32_t precode_meaning[PRECODE_SYMS];

static void meanings_init(void)
{
	unsigned s;

	for (s = 0; s < 256; s++)
		litlen_meaning[s] = E_LITERAL | (uint32_t)s << 16;
	litlen_meaning[256] = E_END;
	for (s = 257; s < 286; s++)
		litlen_meaning[s] = (uint32_t)length_base[s - 257] << 16 |
				    (uint32_t)length_extra[s - 257] << 8;
	litlen_meaning[286] = litlen_meaning[287] = E_BAD;
	for (s = 0; s < 30; s++)
		dist_meaning[s] = (uint32_t)dist_base[s] << 16 |
				  (uint32_t)dist_extra[s] << 8;
	dist_meaning[30] = dist_meaning[31] = E_BAD;
	for (s = 0; s < PRECODE_SYMS; s++)
		precode_meaning[s] = (uint32_t)s << 16;
}

static uint32_t reverse_bits(uint32_t code, unsigned len)
{
	uint32_t r = 0;

	while (len--) {
		r = r << 1 | (code & 1);
		code >>= 1;
	}
	return r;
}

/*
 * Builds the decode table of a canonical code from its code lengths.
 * Returns 0, or -1 if the lengths do not make a code: over-subscribed, or
 * incomplete where zlib refuses that too (a code that is incomplete is
 * allowed only as a single code of length 1, and not for the precode).
 * A code with no symbols at all gives a table of bad entries.
 */
static int build_table(uint32_t *table, unsigned bits, const uint8_t *lens,
		       unsigned n, const uint32_t *meaning, int may_be_incomplete)
{
	unsigned count[MAX_CODE_LEN + 1] = { 0 };
	unsigned offs[MAX_CODE_LEN + 2];
	uint16_t sorted[LITLEN_SYMS];
	const uint32_t size = 1u << bits;
	unsigned len, s, i, max = 0, sub_bits;
	uint32_t code, prefix = UINT32_MAX, next_sub = size, j;
	uint32_t *sub = NULL;
	int left = 1;

	for (s = 0; s < n; s++)
		count[lens[s]]++;
	for (len = 1; len <= MAX_CODE_LEN; len++) {
		left = (left << 1) - (int)count[len];
		if (left < 0)
			return -1;
		if (count[len])
			max = len;
	}
	if (max == 0 || left > 0) {
		if (max != 0 && (!may_be_incomplete || max != 1))
			return -1;
		/* A missing code is one bit long, as zlib counts it. */
		for (j = 0; j < size; j++)
			table[j] = E_BAD | 1;
		if (max == 0)
			return 0;
	}
	offs[1] = 0;
	for (len = 1; len <= MAX_CODE_LEN; len++)
		offs[len + 1] = offs[len] + count[len];
	for (s = 0; s < n; s++)
		if (lens[s])
			sorted[offs[lens[s]]++] = (uint16_t)s;

	/*
	 * Canonical codes taken in order of length, then value, are also in
	 * order of their first bits, so the long codes under one table entry
	 * come one after another and share a subtable made when the first
	 * of them appears.
	 */
	sub_bits = max > bits ? max - bits : 0;
	code = 0;
	i = 0;
	for (len = 1; len <= max; len++, code <<= 1) {
		for (s = 0; s < count[len]; s++, code++) {
			uint32_t rev = reverse_bits(code, len);
			uint32_t e = meaning[sorted[i++]];

			if (len <= bits) {
				for (j = rev; j < size; j += 1u << len)
					table[j] = e | len;
				continue;
			}
			if ((rev & (size - 1)) != prefix) {
				prefix = rev & (size - 1);
				table[prefix] = E_SUB | next_sub << 16 |
						sub_bits << 8 | bits;
				sub = table + next_sub;
				next_sub += 1u << sub_bits;
			}
			for (j = rev >> bits; j < 1u << sub_bits; j += 1u << (len - bits))
				sub[j] = e | (len - bits);
		}
	}
	return 0;
}

static int load_fixed(struct deflate_decoder *d)
{
	uint8_t lens[LITLEN_SYMS];
	unsigned s;

	for (s = 0; s < 144; s++)
		lens[s] = 8;
	for (; s < 256; s++)
		lens[s] = 9;
	for (; s < 280; s++)
		lens[s] = 7;
	for (; s < LITLEN_SYMS; s++)
		lens[s] = 8;
	if (build_table(d->litlen, LITLEN_BITS, lens, LITLEN_SYMS,
			litlen_meaning, 0) < 0)
		return -1;
	memset(lens, 5, DIST_SYMS);
	return build_table(d->dist, DIST_BITS, lens, DIST_SYMS, dist_meaning, 0);
}

struct deflate_decoder *deflate_decoder_new(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct deflate_decoder *d = malloc(sizeof(*d));

	if (!d)
		return NULL;
	pthread_once(&once, meanings_init);
	d->fixed_loaded = 0;
	deflate_decoder_reset(d);
	return d;
}

void deflate_decoder_reset(struct deflate_decoder *d)
{
	d->bitbuf = 0;
	d->bitsleft = 0;
	d->state = BLOCK_HEADER;
	d->final = 0;
	d->stored_left = 0;
	/* The tables survive: fixed_loaded stays true of them. */
}

void deflate_decoder_free(struct deflate_decoder *d)
{
	free(d);
}

static uint64_t load_le64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/*
 * The bit reader. The hot loop (decode_fast) keeps the same state in
 * locals; everything else - block headers, stored blocks, the symbols near
 * either end of the buffers - reads through this one.
 */
struct bitreader {
	uint64_t buf;
	unsigned left;
	unsigned overrun;       /* made-up zero bytes past the last input */
	const unsigned char *in;
	const unsigned char *end;
	int last;
};

/* A byte at a time, then made-up zero bytes if the input is the last. */
static void br_refill(struct bitreader *br)
{
	while (br->left <= 56) {
		if (br->in < br->end)
			br->buf |= (uint64_t)*br->in++ << br->left;
		else if (br->last)
			br->overrun++;
		else
			break;
		br->left += 8;
	}
}

static unsigned br_take(struct bitreader *br, unsigned n)
{
	unsigned v;

	if (br->left < n)
		br_refill(br);
	v = (unsigned)(br->buf & ((UINT64_C(1) << n) - 1));
	br->buf >>= n;
	br->left -= n;
	return v;
}

/* A symbol of table t (index bits b): its entry. */
static uint32_t br_decode(struct bitreader *br, const uint32_t *t, unsigned b)
{
	uint32_t e;

	br_refill(br);
	e = t[br->buf & ((1u << b) - 1)];
	if (e & E_SUB) {
		br->buf >>= b;
		br->left -= b;
		e = t[E_VALUE(e) + (br->buf & ((1u << E_EXTRA(e)) - 1))];
	}
	br->buf >>= E_LEN(e);
	br->left -= E_LEN(e);
	return e;
}

/* A length or distance: its entry's base plus the extra bits after the code. */
static unsigned br_value(struct bitreader *br, uint32_t e)
{
	return E_VALUE(e) + br_take(br, E_EXTRA(e));
}

/* Whether a made-up byte's bit has been consumed: the stream was cut. */
static int br_overrun(const struct bitreader *br)
{
	return br->left < 8 * br->overrun;
}

/*
 * Hands the whole bytes it holds back to the input, so that the caller
 * may move what is left of it, and so that what follows (a stored block's
 * bytes, a gzip trailer) is read from the input. Not after an overrun.
 */
static void br_give_back(struct bitreader *br)
{
	br->in -= (br->left >> 3) - br->overrun;
	br->left &= 7;
	br->buf &= (UINT64_C(1) << br->left) - 1;
	br->overrun = 0;
}

/*
 * The copy of a match that may write past its end (up to 37 bytes past a
 * 3-byte match, 7 past a long one): words where the source is at least a
 * word behind, else bytes.
 */
static inline void copy_match_fast(unsigned char *dst, unsigned dist,
				   unsigned len)
{
	const unsigned char *src = dst - dist;
	unsigned char *end = dst + len;

	if (dist >= 8) {
		/* Most matches are short: five words with no branch, then more. */
		memcpy(dst, src, 8);
		memcpy(dst + 8, src + 8, 8);
		memcpy(dst + 16, src + 16, 8);
		memcpy(dst + 24, src + 24, 8);
		memcpy(dst + 32, src + 32, 8);
		dst += 40;
		src += 40;
		while (dst < end) {
			memcpy(dst, src, 8);
			dst += 8;
			src += 8;
		}
	} else if (dist == 1) {
		memset(dst, *src, len);
	} else {
		do
			*dst++ = *src++;
		while (dst < end);
	}
}

static inline void copy_match_exact(unsigned char *dst, unsigned dist,
				    unsigned len)
{
	const unsigned char *src = dst - dist;

	while (len--)
		*dst++ = *src++;
}

/*
 * Reads a dynamic block's code lengths and builds its tables. Returns NULL
 * or what is wrong, in zlib's words. The caller made sure HEADER_IN bytes
 * are there or the input is the last, and checks for overrun after.
 */
static const char *read_dynamic_header(struct deflate_decoder *d,
				       struct bitreader *br)
{
	uint8_t lens[LITLEN_SYMS + DIST_SYMS];
	unsigned nlit, ndist, ncode, i;

	nlit = br_take(br, 5) + 257;
	ndist = br_take(br, 5) + 1;
	ncode = br_take(br, 4) + 4;
	if (nlit > 286 || ndist > 30)
		return "too many length or distance symbols";
	memset(lens, 0, PRECODE_SYMS);
	for (i = 0; i < ncode; i++)
		lens[precode_order[i]] = (uint8_t)br_take(br, 3);
	if (build_table(d->precode, PRECODE_BITS, lens, PRECODE_SYMS,
			precode_meaning, 0) < 0)
		return "invalid code lengths set";
	if (d->precode[0] & E_BAD) {
		/*
		 * The precode is complete (build_table refuses it incomplete)
		 * or has no codes at all. zlib reads the lengths of the latter
		 * as 0, one bit each, and so finds no end-of-block code; doing
		 * the same keeps the two alike on cut streams too.
		 */
		for (i = 0; i < nlit + ndist; i++)
			br_take(br, 1);
		return "invalid code -- missing end-of-block";
	}
	for (i = 0; i < nlit + ndist;) {
		uint32_t e;
		unsigned rep;
		uint8_t val = 0;

		e = br_decode(br, d->precode, PRECODE_BITS);
		if (E_VALUE(e) < 16) {
			lens[i++] = (uint8_t)E_VALUE(e);
			continue;
		}
		if (E_VALUE(e) == 16) {
			/* Its count is read first, as zlib does: a stream cut
			 * there is cut, not wrong. */
			rep = 3 + br_take(br, 2);
			if (i == 0)
				return "invalid bit length repeat";
			val = lens[i - 1];
		} else if (E_VALUE(e) == 17) {
			rep = 3 + br_take(br, 3);
		} else {
			rep = 11 + br_take(br, 7);
		}
		if (i + rep > nlit + ndist)
			return "invalid bit length repeat";
		memset(lens + i, val, rep);
		i += rep;
	}
	if (lens[256] == 0)
		return "invalid code -- missing end-of-block";
	if (build_table(d->litlen, LITLEN_BITS, lens, nlit, litlen_meaning, 1) < 0)
		return "invalid literal/lengths set";
	if (build_table(d->dist, DIST_BITS, lens + nlit, ndist, dist_meaning, 1) < 0)
		return "invalid distances set";
	d->fixed_loaded = 0;
	return NULL;
}

/*
 * Reads a block's header: its final bit and type, a stored block's length,
 * a Huffman block's tables. Returns NULL or what is wrong.
 */
static const char *read_block_header(struct deflate_decoder *d,
				     struct bitreader *br)
{
	unsigned type;

	d->final = (int)br_take(br, 1);
	type = br_take(br, 2);
	if (type == 0) {
		uint32_t len, nlen;

		br_take(br, br->left & 7);
		len = br_take(br, 16);
		nlen = br_take(br, 16);
		if (len != (~nlen & 0xffff))
			return "invalid stored block lengths";
		d->stored_left = len;
		d->state = BLOCK_STORED;
		return NULL;
	}
	if (type == 1) {
		if (!d->fixed_loaded && load_fixed(d) < 0)
			return "invalid literal/lengths set";
		d->fixed_loaded = 1;
		d->state = BLOCK_HUFFMAN;
		return NULL;
	}
	if (type == 2) {
		d->state = BLOCK_HUFFMAN;
		return read_dynamic_header(d, br);
	}
	return "invalid block type";
}

#define BITS(n)     (bitbuf & ((UINT64_C(1) << (n)) - 1))
#define CONSUME(n)  do { bitbuf >>= (n); bitsleft -= (n); } while (0)

/* At least FAST_IN bytes of input left: one load, no branch. */
#define REFILL_FAST() do {                                         \
	bitbuf |= load_le64(in) << bitsleft;                       \
	in += (63 - bitsleft) >> 3;                                \
	bitsleft |= 56;                                            \
} while (0)

/* A symbol of table t (index bits b); leaves its entry in e. */
#define DECODE(e, t, b) do {                                       \
	(e) = (t)[BITS(b)];                                        \
	if ((e) & E_SUB) {                                         \
		CONSUME(b);                                        \
		(e) = (t)[E_VALUE(e) + BITS(E_EXTRA(e))];          \
	}                                                          \
	CONSUME(E_LEN(e));                                         \
} while (0)

/* br_value() on the locals. */
#define TAKE_VALUE(v, e) do {                                      \
	(v) = E_VALUE(e) + (unsigned)BITS(E_EXTRA(e));             \
	CONSUME(E_EXTRA(e));                                       \
} while (0)

/*
 * The hot loop: whole symbols of a Huffman block while FAST_IN bytes of
 * input and FAST_OUT of room remain, with the bit reader in locals and no
 * check inside a symbol. Stops there, or at the block's end (d->state is
 * then BLOCK_HEADER). Returns NULL, or what is wrong in zlib's words.
 */
static const char *decode_fast(struct deflate_decoder *d, struct bitreader *br,
			       unsigned char **next_out, unsigned char *out_end,
			       const unsigned char *history)
{
	const unsigned char *in = br->in;
	const unsigned char *const in_end = br->end;
	uint64_t bitbuf = br->buf;
	unsigned bitsleft = br->left;
	unsigned char *out = *next_out;
	const char *msg = NULL;

	while (in_end - in >= FAST_IN && out_end - out >= FAST_OUT) {
		uint32_t e;
		unsigned len, dist;

		REFILL_FAST();
		DECODE(e, d->litlen, LITLEN_BITS);
		if (e & E_LITERAL) {
			/* 56 bits hold three codes of at most 15. */
			*out++ = (unsigned char)E_VALUE(e);
			DECODE(e, d->litlen, LITLEN_BITS);
			if (e & E_LITERAL) {
				*out++ = (unsigned char)E_VALUE(e);
				DECODE(e, d->litlen, LITLEN_BITS);
				if (e & E_LITERAL) {
					*out++ = (unsigned char)E_VALUE(e);
					continue;
				}
			}
		}
		if (e & E_BAD) {
			msg = "invalid literal/length code";
			break;
		}
		if (e & E_END) {
			d->state = BLOCK_HEADER;
			break;
		}
		REFILL_FAST();
		TAKE_VALUE(len, e);
		DECODE(e, d->dist, DIST_BITS);
		if (e & E_BAD) {
			msg = "invalid distance code";
			break;
		}
		TAKE_VALUE(dist, e);
		if (dist > (size_t)(out - history)) {
			msg = "invalid distance too far back";
			break;
		}
		copy_match_fast(out, dist, len);
		out += len;
	}
	br->in = in;
	br->buf = bitbuf;
	br->left = bitsleft;
	*next_out = out;
	return msg;
}

enum deflate_status deflate_decode(struct deflate_decoder *d,
				   struct deflate_stream *s)
{
	struct bitreader br = {
		d->bitbuf, d->bitsleft, 0, s->next_in, s->end_in, s->in_last,
	};
	unsigned char *out = s->next_out;
	unsigned char *const out_end = s->end_out;
	const unsigned char *const history = s->history;
	const char *msg = NULL;
	enum deflate_status st;

	for (;;) {
		if (d->state == BLOCK_HEADER) {
			if (d->final) {
				/* The stream ends on a byte: skip to it. */
				br_take(&br, br.left & 7);
				st = DEFLATE_STREAM_END;
				goto out;
			}
			if (!br.last && br.end - br.in < HEADER_IN) {
				st = DEFLATE_NEED_INPUT;
				goto out;
			}
			msg = read_block_header(d, &br);
			if (br_overrun(&br))
				goto truncated;
			if (msg)
				goto failed;
			/* Stored bytes are read straight from the input. */
			if (d->state == BLOCK_STORED)
				br_give_back(&br);
			continue;
		}

		if (d->state == BLOCK_STORED) {
			size_t n = d->stored_left;

			if (n > (size_t)(br.end - br.in))
				n = (size_t)(br.end - br.in);
			if (n > (size_t)(out_end - out))
				n = (size_t)(out_end - out);
			memcpy(out, br.in, n);
			br.in += n;
			out += n;
			d->stored_left -= (uint32_t)n;
			if (d->stored_left == 0) {
				d->state = BLOCK_HEADER;
				continue;
			}
			if (out == out_end)
				st = DEFLATE_OUTPUT_FULL;
			else if (br.last)
				goto truncated;
			else
				st = DEFLATE_NEED_INPUT;
			goto out;
		}

		msg = decode_fast(d, &br, &out, out_end, history);
		if (msg)
			goto failed;
		if (d->state != BLOCK_HUFFMAN)
			continue;

		/* Near either end: one symbol at a time, each checked. */
		for (;;) {
			uint32_t e;
			unsigned len, dist;

			if (!br.last && br.end - br.in < SYMBOL_IN) {
				st = DEFLATE_NEED_INPUT;
				goto out;
			}
			if (out_end - out < DEFLATE_MAX_MATCH) {
				st = DEFLATE_OUTPUT_FULL;
				goto out;
			}
			if (br.end - br.in >= FAST_IN && out_end - out >= FAST_OUT)
				break;  /* back to the fast loop */
			e = br_decode(&br, d->litlen, LITLEN_BITS);
			if (br_overrun(&br))
				goto truncated;
			if (e & E_LITERAL) {
				*out++ = (unsigned char)E_VALUE(e);
				continue;
			}
			if (e & E_BAD) {
				msg = "invalid literal/length code";
				goto failed;
			}
			if (e & E_END) {
				d->state = BLOCK_HEADER;
				break;
			}
			len = br_value(&br, e);
			e = br_decode(&br, d->dist, DIST_BITS);
			dist = br_value(&br, e);
			if (br_overrun(&br))
				goto truncated;
			if (e & E_BAD) {
				msg = "invalid distance code";
				goto failed;
			}
			if (dist > (size_t)(out - history)) {
				msg = "invalid distance too far back";
				goto failed;
			}
			copy_match_exact(out, dist, len);
			out += len;
		}
	}

truncated:
	st = DEFLATE_TRUNCATED;
	goto out;
failed:
	s->msg = msg;
	st = DEFLATE_ERROR;
out:
	if (st != DEFLATE_ERROR && st != DEFLATE_TRUNCATED)
		br_give_back(&br);
	d->bitbuf = br.buf;
	d->bitsleft = br.left;
	s->next_in = br.in;
	s->next_out = out;
	return st;
}
