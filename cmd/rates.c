/*
 * rates.c - `tousu rates --orders FILES --complaints FILES`: complaint rates
 * per shop (or per day, type, ...), as a table, a gnuplot script or a
 * partial for `tousu merge`. The work is in rates_job.c; this file is the
 * command line: what the options mean and which combinations make sense.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "cmd/partial_file.h"
#include "cmd/rates_cli.h"
#include "cmd/rates_job.h"
#include "cmd/rule_options.h"
#include "formats/timeparse.h"
#include "reports/rates_out.h"

static struct strlist orders, complaints;
static struct rates_flags rates_flags;
static const char *partial_path;
static uint64_t memory = JOIN_DEFAULT_BUDGET, match_limit, threads = UINT64_MAX;
static struct input_flags in;
static struct rule_flags rf;

static const struct option rates_options[] = {
	OPT_FILES(0, "orders", &orders, "FILE...", "orders exports (required)"),
	OPT_FILES(0, "complaints", &complaints, "FILE...", "complaints exports (required)"),
	RATES_GROUPING_OPTIONS(rates_flags),
	RATES_OUTPUT_OPTIONS(rates_flags),
	OPT_STRING(0, "partial", &partial_path, "FILE",
		   "write the exact aggregates to FILE for `tousu merge`, not rates"),
	OPT_SIZE(0, "memory", &memory, "SIZE", "memory for the join (default 64M)"),
	OPT_U64('j', "threads", &threads, "N",
		"classify on N threads beside the reader (default: one per core)"),
	OPT_U64(0, "match-limit", &match_limit, "N",
		"PCRE2 match limit per pattern and text (default 1m)"),
	RULE_OPTIONS(rf),
	INPUT_OPTIONS(in),
	OPT_END(),
};

static const struct command_usage rates_usage = {
	"tousu rates --orders FILE... --complaints FILE... [OPTIONS]",
	"Complaint rates: per shop (or --by day, week, month, type, shop,day,\n"
	"shop,type, ...) the orders, the complaints (classified by the rules, joined\n"
	"to their orders by order_id), complaint_rate, rate_per_1000, the 95% Wilson\n"
	"interval, complaints per type, established complaints and penalty points,\n"
	"late complaints (filed more than 15 days after the trade ended: flagged,\n"
	"not counted), complaints with no order in the export, and the shop's\n"
	"percentile. Rows without a shop or a usable time are counted on stderr.\n"
	"--format gnuplot writes a chart script: tousu rates ... --format gnuplot |\n"
	"gnuplot > chart.png",
	rates_options,
};

static int run_rates(int argc, char **argv)
{
	char **operands;
	size_t n_operands;
	int status = EXIT_OK;
	struct export_options eo;
	struct error err;
	struct rates_config cfg;
	struct rates_output out;
	struct rates_job job = {0};
	struct partial_out partial = {0};

	input_flags_init(&in);
	if (cmd_parse(argc, argv, &rates_usage, "rates", 0, &operands, &n_operands, &status))
		return status;
	if (n_operands) {
		fprintf(stderr, "tousu: rates: unexpected '%s': name exports with --orders "
			"and --complaints\n", operands[0]);
		status = EXIT_USAGE;
		goto out;
	}
	if (!orders.n || !complaints.n) {
		fprintf(stderr, "tousu: rates: needs --orders FILE... and --complaints FILE...\n");
		status = EXIT_USAGE;
		goto out;
	}
	if (cmd_stdin_once("rates", (const struct strlist *[]){&orders, &complaints}, 2) < 0) {
		status = EXIT_USAGE;
		goto out;
	}
	if (input_flags_apply(&in, &eo, &err) < 0) {
		error_print(stderr, &err);
		status = EXIT_USAGE;
		goto out;
	}
	if (in.kind) {
		fputs("tousu: rates: --kind does not apply: --orders and --complaints say it\n",
		      stderr);
		status = EXIT_USAGE;
		goto out;
	}
	if (rates_flags_apply(&rates_flags, in.tz, time(NULL), &cfg, &out, &err) < 0 ||
	    (partial_path && partial_out_check_usage(partial_path, out.chart, &err) < 0)) {
		error_print(stderr, &err);
		status = EXIT_USAGE;
		goto out;
	}
	/* An unwritable partial must be found before an hour of reading. */
	if (partial_path && partial_out_open(&partial, partial_path, &err) < 0) {
		error_print(stderr, &err);
		status = EXIT_DATA;
		goto out;
	}
	if (input_flags_open_rejects(&in, &eo, &err) < 0) {
		error_print(stderr, &err);
		status = EXIT_DATA;
		goto out;
	}
	if (rule_flags_load(&rf) < 0) {
		status = EXIT_DATA;
		goto out;
	}
	cfg.n_types = rules_type_count(rf.rs);
	status = rates_job_init(&job, &cfg, rf.rs, rf.classifier, (size_t)memory,
				partial_path != NULL);
	if (status != EXIT_OK)
		goto out;
	job.eo = &eo;
	job.in = &in;
	job.match_limit = cmd_match_limit(match_limit);
	job.threads = cmd_threads(threads);

	status = rates_job_read_complaints(&job, complaints.items, complaints.n);
	if (!job.failed) {
		int s = rates_job_read_orders(&job, orders.items, orders.n);
		if (s != EXIT_OK)
			status = s;
	}
	if (job.failed)
		goto out;
	/* A file that could not be read makes the numbers wrong: no table, no
	 * partial, exit 1 (a nightly job must notice). */
	if (status != EXIT_OK) {
		fputs("tousu: rates: no output: an export could not be read in full\n", stderr);
		goto out;
	}
	status = rates_job_finish(&job, partial_path ? &partial : NULL, "rates", &out, stdout);
out:
	partial_out_abort(&partial);
	rates_job_release(&job);
	rule_flags_release(&rf);
	if (input_flags_release(&in) < 0)
		status = EXIT_DATA;
	strlist_release(&orders);
	strlist_release(&complaints);
	free(operands);
	return cmd_finish_stdout(status);
}

const struct cmd cmd_rates = {
	"rates", "complaint rates per shop, day, type, ... as tables or gnuplot charts",
	run_rates,
};
