#include "cmd/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(struct progress *p, int flag)
{
	p->enabled = flag >= 0 ? flag : isatty(STDERR_FILENO);
	p->last = now();
	p->shown = 0;
}

void progress_update(void *ctx, const char *name, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;
	double t;

	if (!p->enabled || (t = now()) - p->last < 0.25)
		return;
	p->last = t;
	if (total)
		fprintf(stderr, "\rtousu: %s: %3.0f%% of %.1f MB", name,
			100.0 * (double)done / (double)total, (double)total / 1e6);
	else
		fprintf(stderr, "\rtousu: %s: %.1f MB read", name, (double)done / 1e6);
	fputs("\033[K", stderr);
	fflush(stderr);
	p->shown = 1;
}

void progress_done(struct progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->shown = 0;
	}
}
