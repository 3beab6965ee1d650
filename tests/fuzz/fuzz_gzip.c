/*
 * libFuzzer harness for the gzip reader (formats/source.c on
 * formats/deflate.c): any bytes as a gzip file, read through source_next
 * in small chunks, never crash; and where zlib reads every member to the
 * end cleanly, tousu must too, with the same bytes, and the other way
 * round (zlib here checks what tousu checks: trailers and header CRCs).
 *   make fuzz FUZZ_SECONDS=60
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "formats/source.h"

#define OUT_CAP (1u << 20)

static unsigned char ours[OUT_CAP], theirs[OUT_CAP];

/* zlib's reading of a multi-member gzip: 1 clean to the end, 0 not. */
static int zlib_gunzip(const uint8_t *data, size_t size, size_t *len)
{
	z_stream z;
	int ok = 0;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		abort();
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)size;
	z.next_out = theirs;
	z.avail_out = OUT_CAP;
	for (;;) {
		int ret = inflate(&z, Z_NO_FLUSH);

		if (ret == Z_STREAM_END) {
			if (z.avail_in == 0) {
				ok = 1;
				break;
			}
			inflateReset(&z);
			continue;
		}
		if (ret != Z_OK || z.avail_out == 0 || z.avail_in == 0)
			break;
	}
	*len = OUT_CAP - z.avail_out;
	inflateEnd(&z);
	return ok && size > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source_options o = { SOURCE_GZIP, 61, 0 };
	struct error err;
	struct source *src;
	char path[64];
	const char *buf;
	size_t len = 0, zlen;
	ssize_t n;
	int fd = memfd_create("fuzz_gzip", 0), zok;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	src = source_open(path, &o, &err);
	if (!src)
		abort();
	while ((n = source_next(src, &buf, &err)) > 0) {
		if (len + (size_t)n > OUT_CAP)
			break;  /* more than zlib is given room for: not compared */
		memcpy(ours + len, buf, (size_t)n);
		len += (size_t)n;
	}
	source_close(src);
	close(fd);
	if (n > 0)
		return 0;
	zok = zlib_gunzip(data, size, &zlen);
	if (zok && (n != 0 || len != zlen || memcmp(ours, theirs, len) != 0))
		abort();
	if (n == 0 && size > 0 && !zok && zlen < OUT_CAP)
		abort();
	return 0;
}
