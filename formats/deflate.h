/*
 * deflate.h - a resumable decoder of raw DEFLATE data (RFC 1951).
 *
 * Why not zlib's inflate(): on the complaint exports it is a third of
 * classify's CPU. This decoder does the same work in about half the time
 * (wide bit buffer refilled without branches, one table lookup for most
 * symbols, several literals a refill, matches copied a word at a time),
 * and a gzip job's speed is mostly the decoder's. zlib stays the reference
 * it is tested against byte for byte (tests/unit/test_deflate.c).
 *
 * Streaming: the caller owns both buffers and calls deflate_decode() again
 * after each DEFLATE_NEED_INPUT (keep the bytes from next_in on, append
 * more) or DEFLATE_OUTPUT_FULL (make room). The decoder stops only between
 * symbols, so it never holds a half-written match; between calls it keeps
 * fewer than 8 bits of input of its own.
 *
 * History: a match may reach back to s->history, which the caller keeps in
 * front of next_out: the last 32 KiB of output of this stream (or all of
 * it, when shorter) must sit unmoved between history and next_out.
 *
 * Ownership: the decoder is one allocation (its Huffman tables), freed by
 * deflate_decoder_free(); it never allocates while decoding.
 */
#ifndef TOUSU_DEFLATE_H
#define TOUSU_DEFLATE_H

#include <stddef.h>

#define DEFLATE_WINDOW 32768   /* farthest a match reaches back */
#define DEFLATE_MAX_MATCH 258  /* longest match; less room than this is full */

enum deflate_status {
	DEFLATE_NEED_INPUT,   /* only when !in_last: give more input */
	DEFLATE_OUTPUT_FULL,  /* fewer than DEFLATE_MAX_MATCH bytes of room */
	DEFLATE_STREAM_END,   /* the final block ended; next_in is the byte after */
	DEFLATE_TRUNCATED,    /* in_last, and the stream stops short */
	DEFLATE_ERROR,        /* bad data; msg says what, in zlib's words */
};

struct deflate_stream {
	const unsigned char *next_in;   /* advanced past what was used */
	const unsigned char *end_in;
	int in_last;                    /* no input follows end_in */
	unsigned char *next_out;        /* advanced past what was written */
	unsigned char *end_out;
	const unsigned char *history;   /* oldest byte a match may copy */
	const char *msg;                /* set with DEFLATE_ERROR */
};

struct deflate_decoder;

/* Returns NULL when out of memory. Ready for a new stream. */
struct deflate_decoder *deflate_decoder_new(void);

/* Forgets the current stream; the next call starts a new one. */
void deflate_decoder_reset(struct deflate_decoder *d);

enum deflate_status deflate_decode(struct deflate_decoder *d,
				   struct deflate_stream *s);

void deflate_decoder_free(struct deflate_decoder *d);

#endif
