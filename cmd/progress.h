/*
 * progress.h - a progress line on stderr for long reads, only when stderr is
 * a terminal (cron mail must not fill with carriage returns), at most four
 * updates a second, erased when the work is done. --progress forces it on,
 * --no-progress off.
 */
#ifndef TOUSU_PROGRESS_H
#define TOUSU_PROGRESS_H

#include <stdint.h>

struct progress {
	int enabled;
	double last;          /* monotonic seconds of the last update */
	int shown;            /* a line is on the screen */
};

/* flag: 1 --progress, 0 --no-progress, -1 not given (decide by the tty). */
void progress_init(struct progress *p, int flag);

/* An export_options.progress callback; ctx is a struct progress. */
void progress_update(void *ctx, const char *name, uint64_t done, uint64_t total);

/* Erases the line, if one is shown. */
void progress_done(struct progress *p);

#endif
