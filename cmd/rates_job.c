/*
 * rates_job.c - reading exports into a rates table (see rates_job.h).
 *
 * Complaints are parsed first, and quickly: the main thread announces each
 * order id to the join's filter and spools the row (a packed record: shop,
 * times, outcome, order id; and the text) to a temporary file. Then, while
 * the main thread reads the orders, a feeder thread hands the spooled rows
 * to the classify pool, whose workers classify and pass the complaints on
 * to the join (or to the table, when a complaint has no order id). So the
 * classification - the costly part - runs beside the orders' inflate and
 * parse instead of before them, and the filter is complete before the first
 * order arrives, as the join needs.
 */
#include "cmd/rates_job.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzers/classify_pool.h"
#include "analyzers/partial.h"
#include "cmd/cmd.h"
#include "cmd/partial_file.h"
#include "cmd/progress.h"
#include "formats/timeparse.h"
#include "reports/rates_out.h"

int rates_job_init(struct rates_job *job, const struct rates_config *cfg,
		   const struct rule_set *rs, const struct classifier *classifier,
		   size_t join_budget, int keep_all_orders)
{
	struct error err;

	memset(job, 0, sizeof(*job));
	job->cfg = *cfg;
	job->rs = rs;
	job->classifier = classifier;
	job->card_shop = RATES_NO_SHOP;
	job->join_budget = join_budget;
	if (rs)
		job->rules = rules_fingerprint(rs);
	if (!(job->shops = shop_table_new()) || !(job->rates = rates_new(cfg, job->shops))) {
		fputs("tousu: out of memory\n", stderr);
		return EXIT_DATA;
	}
	if (!(job->join = join_new(join_budget, keep_all_orders, &err))) {
		error_print(stderr, &err);
		return EXIT_DATA;
	}
	return EXIT_OK;
}

static int finish_classifying(struct rates_job *job);

void rates_job_release(struct rates_job *job)
{
	finish_classifying(job);
	if (job->spool)
		fclose(job->spool);
	free(job->spool_buf);
	join_free(job->join);
	join_free(job->card_join);
	free(job->card_rec);
	rates_free(job->rates);
	shop_table_free(job->shops);
	free((void *)job->type_ids);
	for (size_t t = 0; t <= RATES_MAX_TYPES; t++)
		for (size_t k = 0; k < RATES_JOB_CARD_TEXTS; k++)
			free(job->card_texts[t][k].text);
	memset(job, 0, sizeof(*job));
}

const char *const *rates_job_type_ids(struct rates_job *job)
{
	if (!job->type_ids && job->rs) {
		size_t nt = rules_type_count(job->rs);
		const char **ids = calloc(nt + 1, sizeof(*ids));
		if (!ids)
			return NULL;
		for (size_t t = 0; t < nt; t++)
			ids[t] = rules_type(job->rs, t)->id;
		job->type_ids = ids;
	}
	return job->type_ids;
}

/* ---- fields ---- */

static uint32_t shop_of(struct rates_job *job, const struct export_row *row)
{
	size_t len;
	const char *s = export_field(row, ROLE_SHOP_ID, &len);
	if (!s || !len)
		return RATES_NO_SHOP;
	int64_t i = shop_table_intern(job->shops, s, len);
	if (i < 0) {
		job->failed = 1;
		return RATES_NO_SHOP;
	}
	return (uint32_t)i;
}

static int64_t time_of(const struct rates_job *job, const struct export_row *row, enum role role)
{
	size_t len;
	int64_t t;
	const char *s = export_field(row, role, &len);
	if (!s || !len || time_parse(s, len, job->in->tz, &t) < 0)
		return RATES_NO_TIME;
	return t;
}

static int ascii_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !strncasecmp(s, word, len);
}

/* 成立 / 不成立, or their English words; anything else (处理中) is neither. */
static enum rates_outcome outcome_of(const struct export_row *row)
{
	size_t len;
	const char *s = export_field(row, ROLE_OUTCOME, &len);
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	if (!s || !len)
		return OUTCOME_NONE;
	if ((len == 6 && !memcmp(s, "成立", 6)) || ascii_is(s, len, "established"))
		return OUTCOME_ESTABLISHED;
	if ((len == 9 && !memcmp(s, "不成立", 9)) || ascii_is(s, len, "not established") ||
	    ascii_is(s, len, "not_established"))
		return OUTCOME_NOT_ESTABLISHED;
	return OUTCOME_NONE;
}

static void see_name(struct rates_job *job, const struct export_row *row, uint32_t shop,
		     int64_t t)
{
	size_t len;
	const char *name = export_field(row, ROLE_SHOP_NAME, &len);
	/* Kept even when the name is the shop key (no shop id column): the
	 * shop_name column promises the name, and a reader of the table should
	 * not have to know which export the key came from. */
	if (name && len && rates_see_name(job->rates, shop, name, len, t) < 0)
		job->failed = 1;
}

/* ---- reading ---- */

typedef int (*row_fn)(void *ctx, const struct export_row *row);

/* Reads every file with on_row; prints each file's rejects. */
static int read_files(struct rates_job *job, const char *const *files, size_t n,
		      enum record_kind kind, row_fn on_row)
{
	struct progress pg;
	int status = EXIT_OK;

	job->eo->kind = kind;
	progress_init(&pg, job->in->progress_flag);
	job->eo->progress = progress_update;
	job->eo->progress_ctx = &pg;
	for (size_t i = 0; i < n && !job->failed; i++) {
		struct export_stats st;
		struct error err;
		job->file = strcmp(files[i], "-") ? files[i] : "(stdin)";
		job->file_index = i;
		int rc = export_read(files[i], job->eo, on_row, job, &st, &err);
		progress_done(&pg);
		if (rc < 0) {
			error_print(stderr, &err);
			status = EXIT_DATA;
		}
		if (kind == KIND_COMPLAINTS && st.binding.column[ROLE_OUTCOME] >= 0)
			rates_totals(job->rates)->has_outcome = 1;
		if (input_flags_after_file(job->in, job->file, &st) < 0)
			status = EXIT_DATA;
		export_stats_release(&st);
	}
	return status;
}

/* ---- complaints: spooled, then classified beside the orders ---- */

/* A spooled complaint: this head, the packed record with its order id, the text. */
struct spool_head {
	uint64_t line;
	uint32_t file;               /* index in the complaints files */
	uint32_t rec_len, text_len;
	uint32_t zero;               /* no padding: every byte written is set */
};

#define SPOOL_BUFFER (1u << 20)

static int spool_failed(struct rates_job *job)
{
	error_set(&job->err, "", "cannot write the complaints' temporary file: %s "
		  "(is $TMPDIR full?)", strerror(errno));
	job->failed = 1;
	return 1;
}

static int on_complaint(void *ctx, const struct export_row *row)
{
	struct rates_job *job = ctx;
	struct rates_complaint c = {0};
	unsigned char rec[RATES_COMPLAINT_BYTES + 256];
	size_t text_len, id_len;
	const char *text = export_field(row, ROLE_TEXT, &text_len);
	const char *id = export_field(row, ROLE_ORDER_ID, &id_len);

	c.shop = shop_of(job, row);
	c.filed = time_of(job, row, ROLE_FILED_AT);
	c.finished = time_of(job, row, ROLE_FINISHED_AT);
	c.outcome = outcome_of(row);
	see_name(job, row, c.shop, c.filed);
	rates_complaint_pack(&c, rec);
	if (id_len > sizeof(rec) - RATES_COMPLAINT_BYTES)
		id_len = sizeof(rec) - RATES_COMPLAINT_BYTES;  /* no real order id is that long */
	if (id_len) {
		memcpy(rec + RATES_COMPLAINT_BYTES, id, id_len);
		join_expect(job->join, id, id_len);
	}
	struct spool_head h = {
		row->rec->line, (uint32_t)job->file_index,
		(uint32_t)(RATES_COMPLAINT_BYTES + id_len), (uint32_t)text_len, 0,
	};
	if (fwrite(&h, sizeof(h), 1, job->spool) != 1 ||
	    fwrite(rec, 1, h.rec_len, job->spool) != h.rec_len ||
	    fwrite(text, 1, text_len, job->spool) != text_len)
		return spool_failed(job);
	return job->failed;
}

/* The card's complaints in card_join: their place in the input, the packed
 * complaint, then the text. */
#define CARD_AT_BYTES 8
#define CARD_TEXT_OFF (CARD_AT_BYTES + RATES_COMPLAINT_BYTES)

/* Hands row i, packed, to card_join with its place in the input and its
 * text: whether it counts for the card's shop is known only after the join
 * of every night's orders (rates_job_pick_texts). */
static int add_card_complaint(struct rates_job *job, const struct pool_batch *b, size_t i,
			      const unsigned char *packed)
{
	const char *id = (const char *)pool_record(b, i) + RATES_COMPLAINT_BYTES;
	size_t id_len = b->rec_len[i] - RATES_COMPLAINT_BYTES, file = 0;
	size_t need = CARD_TEXT_OFF + b->text_len[i];

	while (file < job->n_complaint_files && job->complaint_files[file] != b->file)
		file++;
	uint64_t at = (uint64_t)file << 40 | b->line[i];
	if (need > job->card_rec_cap) {
		unsigned char *r = realloc(job->card_rec, need);
		if (!r)
			return -1;
		job->card_rec = r;
		job->card_rec_cap = need;
	}
	memcpy(job->card_rec, &at, CARD_AT_BYTES);
	memcpy(job->card_rec + CARD_AT_BYTES, packed, RATES_COMPLAINT_BYTES);
	memcpy(job->card_rec + CARD_TEXT_OFF, b->arena + b->text_off[i], b->text_len[i]);
	join_expect(job->card_join, id, id_len);
	return join_add_left(job->card_join, id, id_len, job->card_rec, need, &job->feed_err);
}

/* Whether a complaint may count for the card's shop: its own, or one without
 * a shop whose order may be the shop's, which only the join can tell. */
static int for_card(const struct rates_job *job, const struct rates_complaint *c, size_t id_len)
{
	if (!job->card_join)
		return 0;
	return c->shop == RATES_NO_SHOP ? id_len > 0 : c->shop == job->card_shop;
}

/* On a worker, one batch at a time (the pool serialises this). */
static int complaints_classified(void *ctx, const struct pool_batch *b)
{
	struct rates_job *job = ctx;

	for (size_t i = 0; i < b->n; i++) {
		const struct pool_result *res = &b->result[i];
		const unsigned char *rec = pool_record(b, i);
		size_t id_len = b->rec_len[i] - RATES_COMPLAINT_BYTES;
		unsigned char packed[RATES_COMPLAINT_BYTES];
		struct rates_complaint c;

		rates_complaint_unpack(rec, &c);
		c.primary = res->primary;
		c.points = res->points;
		if (res->invalid || res->limited) {
			if (res->invalid)
				job->texts_invalid++;
			if (res->limited)
				job->texts_limited++;
			if (!job->note[0])
				snprintf(job->note, sizeof(job->note), "%s:%llu: %s", b->file,
					 (unsigned long long)b->line[i],
					 res->limited ? "a rule hit the match limit"
						      : "invalid UTF-8 in the text (replaced)");
		}
		rates_complaint_pack(&c, packed);
		if (for_card(job, &c, id_len) && add_card_complaint(job, b, i, packed) < 0)
			return -1;
		/* Even a complaint with no order id goes through the join (its
		 * empty id meets no order): the table is the main thread's while
		 * the orders are read. */
		if (join_add_left(job->join, (const char *)rec + RATES_COMPLAINT_BYTES, id_len,
				  packed, sizeof(packed), &job->feed_err) < 0)
			return -1;
	}
	return 0;
}

/* The feeder thread: spooled complaints into the pool, in batches. */
static void *feed(void *v)
{
	struct rates_job *job = v;
	struct spool_head h;
	char *buf = NULL;
	size_t cap = 0;

	while (fread(&h, sizeof(h), 1, job->spool) == 1) {
		size_t need = (size_t)h.rec_len + h.text_len;
		if (need > cap) {
			char *b = realloc(buf, need);
			if (!b) {
				job->feed_failed = 1;
				break;
			}
			buf = b;
			cap = need;
		}
		if (fread(buf, 1, need, job->spool) != need) {
			error_set(&job->feed_err, "", "the complaints' temporary file is short");
			job->feed_failed = 1;
			break;
		}
		if (classify_pool_add(job->pool, job->complaint_files[h.file], h.line,
				      buf + h.rec_len, h.text_len, buf, h.rec_len) < 0) {
			job->feed_failed = 1;
			break;
		}
	}
	if (ferror(job->spool)) {
		error_set(&job->feed_err, "", "cannot read the complaints' temporary file: %s",
			  strerror(errno));
		job->feed_failed = 1;
	}
	if (classify_pool_finish(job->pool) < 0)
		job->feed_failed = 1;
	free(buf);
	return NULL;
}

int rates_job_read_complaints(struct rates_job *job, const char *const *files, size_t n)
{
	if (!(job->spool = tmpfile())) {
		fprintf(stderr, "tousu: cannot create a temporary file: %s (set TMPDIR to a "
			"writable folder)\n", strerror(errno));
		return EXIT_DATA;
	}
	if ((job->spool_buf = malloc(SPOOL_BUFFER)))
		setvbuf(job->spool, job->spool_buf, _IOFBF, SPOOL_BUFFER);
	job->complaint_files = files;
	job->n_complaint_files = n;
	if (job->card_shop_id) {
		struct error err;
		if (!(job->card_join = join_new(job->join_budget, 0, &err))) {
			error_print(stderr, &err);
			return EXIT_DATA;
		}
	}
	int status = read_files(job, files, n, KIND_COMPLAINTS, on_complaint);
	/* Every complaint's shop is known now, and none is classified yet (that
	 * starts with the orders): the card's shop is found here, not interned
	 * up front, which would give a shop with no complaints tonight an empty
	 * entry in the night's partial, and in every merge of it. */
	if (job->card_shop_id) {
		int64_t i = shop_table_find(job->shops, job->card_shop_id,
					    strlen(job->card_shop_id));
		job->card_shop = i < 0 ? RATES_NO_SHOP : (uint32_t)i;
	}
	if (job->failed) {
		error_print(stderr, &job->err);
		return EXIT_DATA;
	}
	return status;
}

/* Starts classifying the spooled complaints on the pool's workers. */
static int start_classifying(struct rates_job *job)
{
	if (!job->spool)
		return EXIT_OK;
	if (fflush(job->spool) != 0 || fseeko(job->spool, 0, SEEK_SET) != 0) {
		spool_failed(job);
		error_print(stderr, &job->err);
		return EXIT_DATA;
	}
	/* The orders' inflate and parse decide how long the run takes; the
	 * classification fills the time they leave. */
	job->pool = classify_pool_new(job->classifier, job->threads, job->match_limit, 10,
				      complaints_classified, job);
	if (!job->pool || pthread_create(&job->feeder, NULL, feed, job) != 0) {
		fputs("tousu: out of memory\n", stderr);
		return EXIT_DATA;
	}
	job->feeding = 1;
	return EXIT_OK;
}

/* Waits for the classification to end; EXIT_DATA after printing why it failed. */
static int finish_classifying(struct rates_job *job)
{
	if (!job->feeding)
		return EXIT_OK;
	pthread_join(job->feeder, NULL);
	job->feeding = 0;
	rates_totals(job->rates)->texts_invalid += job->texts_invalid;
	rates_totals(job->rates)->texts_limited += job->texts_limited;
	classify_pool_free(job->pool);
	job->pool = NULL;
	if (job->feed_failed)
		return cmd_print_failure(&job->feed_err);
	return EXIT_OK;
}

static int on_order(void *ctx, const struct export_row *row)
{
	struct rates_job *job = ctx;
	uint32_t shop = shop_of(job, row);
	int64_t created = time_of(job, row, ROLE_CREATED_AT);
	size_t id_len;
	const char *id = export_field(row, ROLE_ORDER_ID, &id_len);

	see_name(job, row, shop, created);
	if (rates_add_order(job->rates, shop, created) < 0)
		job->failed = 1;
	if (id && id_len) {
		unsigned char rec[RATES_ORDER_BYTES];
		rates_order_pack(shop, time_of(job, row, ROLE_FINISHED_AT), rec);
		if (join_add_right(job->join, id, id_len, rec, sizeof(rec), &job->err) < 0)
			job->failed = 1;
	} else {
		rates_totals(job->rates)->orders_no_id++;
	}
	return job->failed;
}

int rates_job_read_orders(struct rates_job *job, const char *const *files, size_t n)
{
	int status = start_classifying(job);
	if (status != EXIT_OK)
		return status;
	status = read_files(job, files, n, KIND_ORDERS, on_order);
	int classified = finish_classifying(job);
	if (classified != EXIT_OK)
		return classified;
	if (job->failed)
		return cmd_print_failure(&job->err);
	return status;
}

void rates_job_keep_texts(struct rates_job *job, const char *shop_id)
{
	job->card_shop_id = shop_id;
}

/* Picking the card's texts: the job that kept them, and what counts. */
struct card_pick {
	struct rates_job *job;
	const struct shop_table *shops;  /* the counting table's */
	const struct rates_config *cfg;
	uint32_t shop;               /* the card's, among those shops */
	struct error err;
};

/* Keeps a text for the shop card if it is among the first few of its type in
 * input order. The join hands complaints on in an order of its own, so the
 * texts kept stay sorted by their place in the input, and a text that came
 * before the last one kept takes its slot. */
static int keep_text(struct rates_job *job, size_t type, uint64_t at, const char *text,
		     size_t len)
{
	struct card_text *kept = job->card_texts[type];
	size_t n = 0, k;

	while (n < RATES_JOB_CARD_TEXTS && kept[n].text)
		n++;
	if (n == RATES_JOB_CARD_TEXTS && kept[n - 1].at < at)
		return 0;
	char *copy = strndup(text, len);
	if (!copy)
		return -1;
	if (n == RATES_JOB_CARD_TEXTS)
		free(kept[--n].text);
	for (k = n; k > 0 && kept[k - 1].at > at; k--)
		kept[k] = kept[k - 1];
	kept[k] = (struct card_text){copy, at};
	return 0;
}

static int card_order(void *ctx, const char *key, size_t key_len, const void *payload)
{
	struct card_pick *p = ctx;
	return join_add_right(p->job->card_join, key, key_len, payload, RATES_ORDER_BYTES,
			      &p->err) < 0;
}

static int card_better(void *ctx, const void *a, const void *b)
{
	const struct card_pick *p = ctx;
	return rates_order_better(p->shops, a, b);
}

static int card_pair(void *ctx, const void *left, size_t left_len, const void *right)
{
	struct card_pick *p = ctx;
	const unsigned char *rec = left;
	struct rates_complaint c;
	struct rates_order_match m;
	uint64_t at;
	uint32_t shop;
	size_t type;

	memcpy(&at, rec, CARD_AT_BYTES);
	rates_pair_unpack(rec + CARD_AT_BYTES, right, &c, &m);
	/* Its shop is an index among the night's shops: the card's, or none. */
	if (c.shop != RATES_NO_SHOP)
		c.shop = p->shop;
	if (!rates_complaint_counted(p->cfg, &c, &m, &shop, &type) || shop != p->shop)
		return 0;
	return keep_text(p->job, type, at, (const char *)rec + CARD_TEXT_OFF,
			 left_len - CARD_TEXT_OFF) < 0;
}

int rates_job_pick_texts(struct rates_job *job, struct rates_job *counted,
			 const struct rates_config *cfg)
{
	struct card_pick p = {.job = job, .shops = counted->shops, .cfg = cfg,
			      .shop = RATES_NO_SHOP};
	int rc = 0;

	if (!job->card_join)
		return EXIT_OK;
	error_clear(&p.err);
	int64_t shop = shop_table_find(counted->shops, job->card_shop_id,
				       strlen(job->card_shop_id));
	/* A shop the counting table does not know has no complaint counted. */
	if (shop >= 0) {
		p.shop = (uint32_t)shop;
		rc = join_each_right(counted->join, card_order, &p, &p.err) < 0 ||
		     join_run(job->card_join, card_better, card_pair, &p, NULL, &p.err) < 0;
	}
	/* The texts picked are all the card needs of the join. */
	join_free(job->card_join);
	job->card_join = NULL;
	return rc ? cmd_print_failure(&p.err) : EXIT_OK;
}

int rates_job_load_partials(struct rates_job *job, const char *const *paths, size_t n)
{
	struct error err;
	const char *const *ids = rates_job_type_ids(job);

	if (!ids) {
		fputs("tousu: out of memory\n", stderr);
		return EXIT_DATA;
	}
	for (int part = PARTIAL_COUNTS; part <= PARTIAL_ORDERS; part++)
		for (size_t i = 0; i < n; i++)
			if (partial_load(paths[i], (enum partial_part)part, job->rates, job->shops,
					 job->join, ids, job->rules, &err) < 0) {
				error_print(stderr, &err);
				return EXIT_DATA;
			}
	return EXIT_OK;
}

int rates_job_finish(struct rates_job *job, struct partial_out *partial, const char *command,
		     const struct rates_output *out, FILE *f)
{
	if (partial)
		return partial_out_write(partial, job) < 0 ? EXIT_DATA : EXIT_OK;
	int status = rates_job_join(job);
	if (status == EXIT_OK) {
		rates_job_report(job, command);
		status = rates_job_write(job, out, f);
	}
	return status;
}

/* ---- the join ---- */

static int better_order(void *ctx, const void *a, const void *b)
{
	const struct rates_job *job = ctx;
	return rates_order_better(job->shops, a, b);
}

static int on_pair(void *ctx, const void *left, size_t left_len, const void *right)
{
	struct rates_job *job = ctx;

	(void)left_len;
	return rates_add_joined(job->rates, left, right);
}

int rates_job_join(struct rates_job *job)
{
	struct error err;
	error_clear(&err);
	if (join_run(job->join, better_order, on_pair, job, NULL, &err) < 0)
		return cmd_print_failure(&err);
	return EXIT_OK;
}

/* ---- output ---- */

int rates_job_write(struct rates_job *job, const struct rates_output *out, FILE *f)
{
	struct rates_view v;
	struct error err;
	struct rates_out o = {
		job->rates, job->shops, rates_job_type_ids(job),
		rates_totals(job->rates)->has_outcome,
	};

	if (!o.type_ids || rates_view(job->rates, &out->view, &v) < 0) {
		fputs("tousu: out of memory\n", stderr);
		return EXIT_DATA;
	}
	int rc = out->chart ? rates_write_chart(&o, &v, f, &out->gnuplot, &err)
			    : rates_write_table(&o, &v, f, out->format);
	rates_view_free(&v);
	if (rc < 0) {
		if (out->chart)
			error_print(stderr, &err);
		else
			fputs("tousu: error writing output\n", stderr);
		return EXIT_DATA;
	}
	return EXIT_OK;
}

/* Appends "N orders what" (or "1 order what") to a list in buf. */
static void count_of(char *buf, size_t cap, size_t *len, uint64_t n, const char *noun,
		     const char *what)
{
	if (!n || *len >= cap)
		return;
	*len += (size_t)snprintf(buf + *len, cap - *len, "%s%llu %s%s %s", *len ? ", " : "",
				 (unsigned long long)n, noun, n == 1 ? "" : "s", what);
}

void rates_job_report(struct rates_job *job, const char *command)
{
	const struct rates_totals *t = rates_totals(job->rates);
	char buf[1024];
	size_t len = 0;

	count_of(buf, sizeof(buf), &len, t->orders_no_shop, "order", "without a shop");
	count_of(buf, sizeof(buf), &len, t->complaints_no_shop, "complaint",
		 "without a shop (none on the row or its order)");
	count_of(buf, sizeof(buf), &len, t->orders_no_time, "order",
		 "whose created_at does not parse");
	count_of(buf, sizeof(buf), &len, t->complaints_no_time, "complaint",
		 "whose filed_at does not parse");
	if (len)
		fprintf(stderr, "tousu: %s: left out %s\n", command, buf);
	if (t->orders_no_id)
		fprintf(stderr, "tousu: %s: %llu %s no order_id (counted; no complaint can refer "
			"to %s)\n", command, (unsigned long long)t->orders_no_id,
			t->orders_no_id == 1 ? "order has" : "orders have",
			t->orders_no_id == 1 ? "it" : "them");
	if (t->no_order)
		fprintf(stderr, "tousu: %s: %llu %s no order in the orders export "
			"(counted; see no_order)\n", command, (unsigned long long)t->no_order,
			t->no_order == 1 ? "complaint has" : "complaints have");
	if (t->late)
		fprintf(stderr, "tousu: %s: %llu %s filed more than 15 days after "
			"the trade ended (not counted; see late_complaints)\n", command,
			(unsigned long long)t->late, t->late == 1 ? "complaint was" : "complaints were");
	if (t->texts_invalid || t->texts_limited) {
		fprintf(stderr, "tousu: %s: %llu texts with invalid UTF-8, %llu where a rule hit "
			"the match limit", command, (unsigned long long)t->texts_invalid,
			(unsigned long long)t->texts_limited);
		fprintf(stderr, job->note[0] ? " (first: %s)\n" : "\n", job->note);
	}
}
