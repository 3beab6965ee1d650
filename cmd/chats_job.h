/*
 * chats_job.h - the work of `tousu chats`, for the chats command and the
 * nightly report: read chat exports (and complaints, for evidence), write
 * the per-shop table and/or the evidence table.
 */
#ifndef TOUSU_CHATS_JOB_H
#define TOUSU_CHATS_JOB_H

#include <stdint.h>
#include <stdio.h>

#include "analyzers/classifier.h"
#include "cmd/input_options.h"
#include "cmd/options.h"
#include "cmd/rule_options.h"
#include "reports/table.h"

struct chats_params {
	const struct strlist *chat_files;
	const struct strlist *complaint_files;   /* NULL or none: no evidence */
	struct export_options *eo;
	const struct input_flags *in;
	const struct rule_set *rs;
	const struct classifier *classifier;
	const struct rule_flags *rule_flags;   /* to load the attitude rules alone */
	size_t threads;
	uint32_t match_limit;
	enum table_format format;
	int claims_only;             /* evidence rows for harassment and attitude only */
};

/*
 * Writes the per-shop table to shops_out and the evidence for each complaint
 * to evidence_out (either may be NULL). Returns an enum tousu_exit status,
 * having printed why on failure.
 */
int chats_job(const struct chats_params *p, FILE *shops_out, FILE *evidence_out);

#endif
