/*
 * merge.c - `tousu merge PARTIALS...`: combines partials written by
 * `tousu rates --partial` into the output one run over all their inputs
 * would give, byte for byte. The grouping and period come from the partials
 * (they must agree); how to show the rows (--top, --sort, --format, --chart,
 * ...) is chosen here. Every partial is read twice (see partial.h): counts
 * and complaints first, then the orders, which the join filters against all
 * the complaints.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzers/partial.h"
#include "cmd/cmd.h"
#include "cmd/partial_file.h"
#include "cmd/rates_cli.h"
#include "cmd/rates_job.h"

static struct rates_flags flags;
static const char *partial_path;
static uint64_t memory = JOIN_DEFAULT_BUDGET;

static const struct option merge_options[] = {
	RATES_OUTPUT_OPTIONS(flags),
	OPT_STRING(0, "partial", &partial_path, "FILE",
		   "write the combined partial to FILE instead of rates (a tree of merges)"),
	OPT_SIZE(0, "memory", &memory, "SIZE", "memory for the join (default 64M)"),
	OPT_END(),
};

static const struct command_usage merge_usage = {
	"tousu merge [OPTIONS] PARTIAL...",
	"Combines partials from `tousu rates --partial` (made with the same --by,\n"
	"period, --tz and rules) into the rates one run over all their inputs gives:\n"
	"the same rows, byte for byte. A complaint and its order may be in different\n"
	"partials. --partial writes the combination as a partial again.",
	merge_options,
};

/* Partials are read twice (see partial.h), so each must be a file, and the
 * same file twice would count it twice. */
static int check_paths(char **paths, size_t n)
{
	struct stat *seen = calloc(n ? n : 1, sizeof(*seen));
	int rc = 0;

	if (!n) {
		fputs("tousu: merge: no partials given\n", stderr);
		rc = -1;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		if (!strcmp(paths[i], "-")) {
			fputs("tousu: merge: a partial is read twice, so it must be a file, not "
			      "standard input\n", stderr);
			rc = -1;
		} else if (seen && stat(paths[i], &seen[i]) == 0) {
			for (size_t k = 0; k < i && !rc; k++)
				if (seen[k].st_dev == seen[i].st_dev && seen[k].st_ino == seen[i].st_ino &&
				    seen[k].st_ino) {
					fprintf(stderr, "tousu: merge: %s and %s are the same file: it "
						"would count twice\n", paths[k], paths[i]);
					rc = -1;
				}
		}
	}
	free(seen);
	return rc;
}

static int run_merge(int argc, char **argv)
{
	char **paths;
	size_t n;
	int status = EXIT_OK;
	struct error err;
	struct partial_header first = {0};
	struct rates_output out;
	struct rates_job job = {0};
	struct partial_out partial = {0};

	if (cmd_parse(argc, argv, &merge_usage, "merge", 0, &paths, &n, &status))
		return status;
	if (check_paths(paths, n) < 0) {
		status = EXIT_USAGE;
		goto out;
	}
	if (partial_read_header(paths[0], &first, &err) < 0) {
		error_print(stderr, &err);
		status = EXIT_DATA;
		goto out;
	}
	if (rates_flags_apply_output(&flags, first.cfg.by, &out, &err) < 0 ||
	    (partial_path && partial_out_check_usage(partial_path, out.chart, &err) < 0)) {
		error_print(stderr, &err);
		status = EXIT_USAGE;
		goto out;
	}
	if (partial_path && partial_out_open(&partial, partial_path, &err) < 0) {
		error_print(stderr, &err);
		status = EXIT_DATA;
		goto out;
	}
	status = rates_job_init(&job, &first.cfg, NULL, NULL, (size_t)memory, partial_path != NULL);
	if (status != EXIT_OK)
		goto out;
	/* The ids stay first's: released below, after the job. */
	job.type_ids = calloc(first.cfg.n_types + 1, sizeof(*job.type_ids));
	if (!job.type_ids) {
		fputs("tousu: out of memory\n", stderr);
		status = EXIT_DATA;
		goto out;
	}
	for (size_t t = 0; t < first.cfg.n_types; t++)
		job.type_ids[t] = first.type_ids[t];
	job.rules = first.rules;
	status = rates_job_load_partials(&job, (const char *const *)paths, n);
	if (status != EXIT_OK)
		goto out;
	status = rates_job_finish(&job, partial_path ? &partial : NULL, "merge", &out, stdout);
out:
	partial_out_abort(&partial);
	rates_job_release(&job);
	partial_header_release(&first);
	free(paths);
	return cmd_finish_stdout(status);
}

const struct cmd cmd_merge = {
	"merge", "combine partials from rates --partial into one exact result",
	run_merge,
};
