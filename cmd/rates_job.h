/*
 * rates_job.h - the work behind `tousu rates`, `tousu merge` (and the
 * nightly report): read complaints and orders into a rates table, join them,
 * write the rows, a chart or a partial.
 *
 * The steps, in this order:
 *  1. rates_job_read_complaints(): each complaint is spooled to a temporary
 *     file (in $TMPDIR: about the size of the complaints' texts) and its
 *     order id announced to the join;
 *  2. rates_job_read_orders(): the spooled complaints are classified on
 *     worker threads while the orders are read; each complaint then goes to
 *     the join by its order id (or, without one, straight into the table),
 *     each order is counted and its id, shop and finished time go to the
 *     join;
 *  3. rates_job_join(): each complaint meets its order and is counted;
 *  4. rates_job_write(), or rates_job_write_partial() instead of 3 and 4.
 * Reading prints what each file lost (rejected rows) on stderr, as every
 * command does; rates_job_report() prints what the counting left out.
 *
 * Every function returns an enum tousu_exit status: EXIT_OK, or EXIT_DATA
 * after printing why.
 */
#ifndef TOUSU_RATES_JOB_H
#define TOUSU_RATES_JOB_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "analyzers/classifier.h"
#include "analyzers/join.h"
#include "analyzers/rates.h"
#include "analyzers/shop_table.h"
#include "cmd/input_options.h"
#include "reports/gnuplot.h"
#include "reports/table.h"

struct classify_pool;

#define RATES_JOB_CARD_TEXTS 3

struct rates_job {
	struct rates_config cfg;
	struct shop_table *shops;
	struct rates *rates;
	struct join *join;
	const struct rule_set *rs;
	const struct classifier *classifier;
	size_t threads;
	uint32_t match_limit;
	/* Reading: */
	struct export_options *eo;
	struct input_flags *in;
	const char *file;            /* the file being read, for messages */
	size_t file_index;
	int failed;                  /* out of memory or a join error: stop */
	struct error err;
	/* Complaints wait in a spool until the orders are read beside them. */
	FILE *spool;
	char *spool_buf;
	const char *const *complaint_files;
	struct classify_pool *pool;
	pthread_t feeder;
	int feeding, feed_failed;
	struct error feed_err;
	uint64_t texts_invalid, texts_limited;  /* the workers' counts */
	/* The report's shop card (rates_job_keep_texts): card_shop_id is the id
	 * asked for (borrowed); card_shop its index once the complaints are
	 * read, RATES_NO_SHOP until then and when no complaint has it. The
	 * workers hand the shop's complaints, and those without a shop that
	 * have an order id (their order's shop may be the card's), with their
	 * texts, to card_join; rates_job_pick_texts joins them to the orders of
	 * the table the card shows and keeps in card_texts the first few per
	 * primary type that this table counts for the shop. */
	const char *card_shop_id;
	uint32_t card_shop;
	struct join *card_join;
	size_t join_budget;
	unsigned char *card_rec;     /* a worker's record for card_join */
	size_t card_rec_cap;
	size_t n_complaint_files;
	struct card_text {
		char *text;
		uint64_t at;         /* file index << 40 | line: input order */
	} card_texts[RATES_MAX_TYPES + 1][RATES_JOB_CARD_TEXTS];
	char note[640];              /* the first bad text, with file and line */
	const char **type_ids;       /* rates_job_type_ids(); merge sets them */
	uint64_t rules;              /* rules_fingerprint(); merge sets it */
};

/* What the caller wants written. */
struct rates_output {
	enum table_format format;
	int chart;                   /* write a gnuplot script, not a table */
	struct gnuplot_chart gnuplot;
	struct rates_view_options view;
};

/* keep_all_orders: for a partial, keep every order's join record. */
int rates_job_init(struct rates_job *job, const struct rates_config *cfg,
		   const struct rule_set *rs, const struct classifier *classifier,
		   size_t join_budget, int keep_all_orders);
void rates_job_release(struct rates_job *job);

int rates_job_read_complaints(struct rates_job *job, const char *const *files, size_t n);
int rates_job_read_orders(struct rates_job *job, const char *const *files, size_t n);
int rates_job_join(struct rates_job *job);
int rates_job_write(struct rates_job *job, const struct rates_output *out, FILE *f);
void rates_job_report(struct rates_job *job, const char *command);

/*
 * Keep the complaint texts of the shop with this id for the shop card
 * (call before reading complaints; shop_id is borrowed and must outlive the
 * job): its complaints' and those of complaints without a shop_id that have
 * an order id, since the order may be the shop's. They wait, with the
 * complaints, in a temporary file of the join (join.h) until
 * rates_job_pick_texts; memory holds only the texts picked.
 * The id is looked up among the complaints' shops, never added to the
 * job's shops: a partial written from the job holds only shops that occur
 * in the data, whatever card was asked for.
 */
void rates_job_keep_texts(struct rates_job *job, const char *shop_id);

/*
 * The card's texts, in card_texts: up to RATES_JOB_CARD_TEXTS per primary
 * type, in input order, the first among the complaints kept since
 * rates_job_keep_texts that a table with cfg counts for the shop
 * (rates_complaint_counted), each joined as counted's join joined it:
 * counted holds the orders (after rates_job_join) and the shops of the
 * figures the card shows, so an example is always one of those figures'
 * complaints. EXIT_OK (nothing to do without rates_job_keep_texts), or
 * EXIT_DATA after printing why.
 */
int rates_job_pick_texts(struct rates_job *job, struct rates_job *counted,
			 const struct rates_config *cfg);

/*
 * Adds partials (analyzers/partial.h) into the job, whose type ids and
 * rules fingerprint they must match: counts and complaints of all, then
 * the orders of all, as the join needs. EXIT_OK or EXIT_DATA (printed).
 */
int rates_job_load_partials(struct rates_job *job, const char *const *paths, size_t n);

/*
 * The last step of rates and merge: with a partial pending (partial_file.h),
 * write it; otherwise join, report what was left out (as `command`) and
 * write the rows or chart to f.
 */
struct partial_out;
int rates_job_finish(struct rates_job *job, struct partial_out *partial, const char *command,
		     const struct rates_output *out, FILE *f);

/* The type ids of the rule set, for the output's columns. */
const char *const *rates_job_type_ids(struct rates_job *job);

#endif
