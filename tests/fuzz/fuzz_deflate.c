/*
 * libFuzzer harness for the DEFLATE decoder: any bytes are a stream that
 * zlib ends, cuts short or calls bad; tousu's decoder must say the same,
 * in the same words, and write the same bytes, fed whole or a byte at a
 * time, and never crash.
 *   make fuzz FUZZ_SECONDS=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "formats/deflate.h"

#define OUT_CAP (1u << 20)

static unsigned char whole[OUT_CAP], bytewise[OUT_CAP], theirs[OUT_CAP];

/* Decodes with input in pieces of `piece` bytes; returns the status. */
static enum deflate_status run(const uint8_t *data, size_t size, size_t piece,
			       unsigned char *out, size_t *len, const char **msg)
{
	struct deflate_decoder *d = deflate_decoder_new();
	struct deflate_stream s = { 0 };
	size_t given = piece < size ? piece : size;
	enum deflate_status st;

	if (!d)
		abort();
	s.next_in = data;
	s.next_out = out;
	s.end_out = out + OUT_CAP;
	s.history = out;
	for (;;) {
		/* The unread bytes stay where they are: data is one buffer. */
		s.end_in = data + given;
		s.in_last = given == size;
		st = deflate_decode(d, &s);
		if (st != DEFLATE_NEED_INPUT)
			break;
		given += piece;
		if (given > size)
			given = size;
	}
	*len = (size_t)(s.next_out - out);
	*msg = s.msg;
	deflate_decoder_free(d);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	z_stream z;
	size_t len, len1, zlen;
	const char *msg, *msg1;
	enum deflate_status st, st1;
	int ret;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, -15) != Z_OK)
		abort();
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)size;
	z.next_out = theirs;
	z.avail_out = OUT_CAP;
	ret = inflate(&z, Z_FINISH);
	zlen = OUT_CAP - z.avail_out;

	st = run(data, size, size ? size : 1, whole, &len, &msg);
	st1 = run(data, size, 1, bytewise, &len1, &msg1);
	if (st != st1 || len != len1 || memcmp(whole, bytewise, len) != 0 ||
	    (st == DEFLATE_ERROR && strcmp(msg, msg1) != 0))
		abort();
	if (ret == Z_STREAM_END &&
	    (st != DEFLATE_STREAM_END || len != zlen || memcmp(whole, theirs, len)))
		abort();
	if (ret == Z_DATA_ERROR &&
	    (st != DEFLATE_ERROR || strcmp(msg, z.msg) != 0))
		abort();
	if (ret == Z_BUF_ERROR && z.avail_out > 0 && st != DEFLATE_TRUNCATED)
		abort();
	inflateEnd(&z);
	return 0;
}
