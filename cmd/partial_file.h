/*
 * partial_file.h - writes a partial (analyzers/partial.h) whole or not at
 * all: opened as a temporary file beside its final name before any reading
 * (so an unwritable path fails at once, not after an hour), written,
 * synced, then renamed over the final name. Until then an earlier file of
 * that name stays as it was; partial_out_abort() removes the temporary.
 */
#ifndef TOUSU_PARTIAL_FILE_H
#define TOUSU_PARTIAL_FILE_H

#include "cmd/rates_job.h"
#include "formats/error.h"

/* The usage checks, before any work: "-" is refused (a partial is binary),
 * and so is a chart beside it (a partial replaces the output). */
int partial_out_check_usage(const char *path, int chart, struct error *err);

struct partial_out {
	const char *path;
	char *tmp;                   /* NULL when nothing is pending */
	int fd;
};

/* Creates the temporary file. A path that exists and is not a regular file
 * (a device, a FIFO, a symlink, a directory) is refused: the rename would
 * put a file in its place (as root, /dev/full became one). */
int partial_out_open(struct partial_out *p, const char *path, struct error *err);

/* Writes the job's aggregates and renames; prints the error, returns -1. */
int partial_out_write(struct partial_out *p, struct rates_job *job);

/* Removes the temporary file if the partial was not written. */
void partial_out_abort(struct partial_out *p);

#endif
