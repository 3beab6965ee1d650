/*
 * source.h - a stream of bytes from a plain file, a gzip file or stdin.
 *
 * source_open() opens a path ("-" is stdin) and decides whether it is gzip by
 * its first two bytes (1f 8b), never by its name; options can force either.
 * A gzip source reads every member of a multi-member file (bgzip, pigz,
 * split-and-joined exports). A truncated stream, a corrupt member (CRC,
 * length, bad deflate data) or bytes after the last member that are not a
 * gzip member are errors naming the compressed byte offset; every byte
 * decoded before the error has already been handed out, so callers can
 * account for the rows they read.
 *
 * Reading is zero-copy: source_next() lends a buffer that stays valid until
 * the next call to source_next() or source_close(). With options.threaded,
 * decompression runs on its own thread, filling a small ring of buffers
 * while the caller parses the previous one; memory is bounded by that ring
 * whatever the input size.
 *
 * gzip members are read by source.c and their DEFLATE data decoded by
 * formats/deflate.c (tousu's own decoder, tested against zlib), behind a
 * small table of functions, so another decoder can be added without
 * touching callers.
 *
 * Ownership: the source owns its buffers and file descriptor; source_close()
 * releases everything (stdin is not closed).
 */
#ifndef TOUSU_SOURCE_H
#define TOUSU_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "formats/error.h"

enum source_compression {
	SOURCE_AUTO = 0,  /* detect by magic bytes */
	SOURCE_PLAIN,
	SOURCE_GZIP,
};

struct source_options {
	enum source_compression compression;  /* SOURCE_AUTO by default */
	size_t chunk_size;  /* bytes per lent buffer; 0 = default (1 MiB) */
	int threaded;       /* decode gzip on a separate thread */
};

struct source;

/*
 * Opens path ("-" for stdin). opts may be NULL for defaults. Returns NULL
 * and fills err (file = path) if the file cannot be opened or read.
 */
struct source *source_open(const char *path, const struct source_options *opts,
			   struct error *err);

/*
 * Lends the next block of decoded bytes: sets *buf and returns its length
 * (> 0); returns 0 at the clean end of input; returns -1 and fills err on a
 * read or decode error (err->offset = compressed byte offset). After 0 or -1
 * every later call returns the same.
 */
ssize_t source_next(struct source *src, const char **buf, struct error *err);

/* What was detected or forced: SOURCE_PLAIN or SOURCE_GZIP. */
enum source_compression source_compression(const struct source *src);

/* "plain" or "gzip". */
const char *source_compression_name(enum source_compression c);

/* Number of gzip members seen so far (0 for plain input). */
uint64_t source_members(const struct source *src);

/* Bytes read from the underlying file so far (compressed bytes for gzip). */
uint64_t source_bytes_in(const struct source *src);

/* Decoded bytes handed out so far. */
uint64_t source_bytes_out(const struct source *src);

/* The name used in messages: the path, or "(stdin)" for "-". */
const char *source_name(const struct source *src);

/* Stops any decode thread and releases everything. Accepts NULL. */
void source_close(struct source *src);

#endif
