#include "cmd/partial_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzers/partial.h"

/* mkstemp makes the file 0600; a partial is an ordinary file of the user's. */
static int chmod_umask(const char *path)
{
	mode_t mask = umask(0);
	umask(mask);
	return chmod(path, 0666 & ~mask);
}

int partial_out_check_usage(const char *path, int chart, struct error *err)
{
	if (!strcmp(path, "-"))
		return error_set(err, NULL, "--partial: give a file name (a partial is binary)");
	if (chart)
		return error_set(err, NULL, "--partial writes aggregates, not a chart");
	return 0;
}

int partial_out_open(struct partial_out *p, const char *path, struct error *err)
{
	size_t len = strlen(path);
	struct stat st;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	p->path = path;
	if (partial_out_check_usage(path, 0, err) < 0)
		return -1;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return error_set(err, path, "not a regular file: a partial is written beside "
				 "its name and renamed over it");
	if (!(p->tmp = malloc(len + 16)))
		return error_set(err, NULL, "out of memory");
	snprintf(p->tmp, len + 16, "%s.tmp.XXXXXX", path);
	p->fd = mkstemp(p->tmp);
	if (p->fd < 0) {
		error_set(err, path, "cannot write the partial here: %s", strerror(errno));
		free(p->tmp);
		p->tmp = NULL;
		return -1;
	}
	return 0;
}

int partial_out_write(struct partial_out *p, struct rates_job *job)
{
	struct error err;
	const char *const *ids = rates_job_type_ids(job);

	if (!ids || partial_write(p->fd, job->rates, job->shops, job->join, ids, job->rules, &err) < 0) {
		if (!ids)
			error_set(&err, NULL, "out of memory");
		snprintf(err.file, sizeof(err.file), "%s", p->path);
		error_print(stderr, &err);
		return -1;
	}
	if (fsync(p->fd) != 0 || close(p->fd) != 0) {
		p->fd = -1;
		fprintf(stderr, "tousu: %s: cannot write the partial: %s\n", p->path,
			strerror(errno));
		return -1;
	}
	p->fd = -1;
	if (chmod_umask(p->tmp) || rename(p->tmp, p->path) != 0) {
		fprintf(stderr, "tousu: %s: cannot rename the partial into place: %s\n", p->path,
			strerror(errno));
		return -1;
	}
	free(p->tmp);
	p->tmp = NULL;
	return 0;
}

void partial_out_abort(struct partial_out *p)
{
	if (p->tmp) {
		if (p->fd >= 0)
			close(p->fd);
		unlink(p->tmp);
		free(p->tmp);
	}
	memset(p, 0, sizeof(*p));
	p->fd = -1;
}
