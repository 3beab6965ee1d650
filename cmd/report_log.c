#include "cmd/report_log.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "formats/timeparse.h"

static int real_stderr = -1, pipe_in = -1;
static int32_t log_tz;
static pthread_t copier;

static void stamp(char out[32])
{
	char t[20];
	int32_t tz = log_tz < 0 ? -log_tz : log_tz;
	time_format((int64_t)time(NULL), log_tz, t);
	t[10] = 'T';
	snprintf(out, 32, "%s%c%02d:%02d", t, log_tz < 0 ? '-' : '+', (int)(tz / 3600),
		 (int)(tz % 3600 / 60));
}

static void *copy_lines(void *v)
{
	FILE *in = fdopen(pipe_in, "r");
	char line[4096];
	int at_start = 1;

	(void)v;
	if (!in)
		return NULL;
	while (fgets(line, sizeof(line), in)) {
		char ts[32];
		size_t len = strlen(line);
		/* A line longer than the buffer comes in pieces: stamp its start only. */
		if (at_start) {
			stamp(ts);
			dprintf(real_stderr, "%s ", ts);
		}
		(void)!write(real_stderr, line, len);
		at_start = len && line[len - 1] == '\n';
	}
	fclose(in);
	return NULL;
}

int report_log_start(int32_t tz)
{
	int p[2];

	log_tz = tz;
	fflush(stderr);
	if (pipe(p) != 0)
		return -1;
	real_stderr = dup(2);
	if (real_stderr < 0 || dup2(p[1], 2) < 0) {
		close(p[0]);
		close(p[1]);
		if (real_stderr >= 0)
			close(real_stderr);
		real_stderr = -1;
		return -1;
	}
	close(p[1]);
	pipe_in = p[0];
	if (pthread_create(&copier, NULL, copy_lines, NULL) != 0) {
		dup2(real_stderr, 2);
		close(real_stderr);
		close(pipe_in);
		real_stderr = -1;
		return -1;
	}
	return 0;
}

void report_log_stop(void)
{
	if (real_stderr < 0)
		return;
	fflush(stderr);
	/* fd 2 held the pipe's only write end: this closes it, and the copier
	 * reads to the end and stops. */
	dup2(real_stderr, 2);
	pthread_join(copier, NULL);
	close(real_stderr);
	real_stderr = -1;
}
