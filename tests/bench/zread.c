/*
 * zread.c - the benchmark floor: the bare zlib read loop, nothing else.
 *
 *   zread FILE    prints the number of decompressed bytes
 *
 * tousu's own reading is measured against this; anything it adds on top of
 * gzread (parsing aside) is overhead to explain. Errors are checked the way
 * PITFALLS.md asks: gzread alone hides truncation, gzerror and gzclose don't.
 */
#include <stdio.h>
#include <stdlib.h>

#include <zlib.h>

#define BUF_SIZE (256 * 1024)

int main(int argc, char **argv)
{
	static char buf[BUF_SIZE];
	unsigned long long total = 0;
	const char *msg;
	gzFile f;
	int n, err, rc;

	if (argc != 2) {
		fprintf(stderr, "usage: zread FILE\n");
		return 2;
	}
	f = gzopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	gzbuffer(f, BUF_SIZE);
	while ((n = gzread(f, buf, BUF_SIZE)) > 0)
		total += (unsigned long long)n;
	msg = gzerror(f, &err);
	if (n < 0 || (err != Z_OK && err != Z_STREAM_END)) {
		fprintf(stderr, "zread: %s\n", msg);  /* msg names the file */
		gzclose(f);
		return 1;
	}
	rc = gzclose(f);
	if (rc != Z_OK) {
		fprintf(stderr, "zread: %s: gzclose failed (%d)\n", argv[1], rc);
		return 1;
	}
	printf("%llu\n", total);
	return 0;
}
