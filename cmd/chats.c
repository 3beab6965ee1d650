/*
 * chats.c - `tousu chats --chats FILES [--complaints FILES]`: per shop, the
 * service signals of its chats (analyzers/chats.h); with --complaints, one
 * row per complaint with the evidence the chats give for it.
 *
 * The main thread parses and spools every row (analyzers/chats.h); seller
 * chat messages alone also go to the pool's workers, which classify them
 * (is it abusive: does the rule set's `attitude` type hit?) and hand the
 * abusive ones, one batch at a time, to chats_add_abusive.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "analyzers/chats.h"
#include "analyzers/classifier.h"
#include "analyzers/classify_pool.h"
#include "analyzers/shop_table.h"
#include "cmd/chats_job.h"
#include "cmd/cmd.h"
#include "cmd/input_options.h"
#include "cmd/progress.h"
#include "cmd/rule_options.h"
#include "formats/timeparse.h"
#include "reports/table.h"

static struct strlist chat_files, complaint_files;
static const char *format_name = "tsv";
static uint64_t threads = UINT64_MAX, match_limit;
static struct input_flags in;
static struct rule_flags rf;

static const struct option chats_options[] = {
	OPT_FILES(0, "chats", &chat_files, "FILE...", "chat exports (required)"),
	OPT_FILES(0, "complaints", &complaint_files, "FILE...",
		  "complaints: print the evidence the chats give for each instead"),
	OPT_CHOICE(0, "format", &format_name, "tsv|csv|json", "output format (default tsv)"),
	OPT_U64('j', "threads", &threads, "N", "classify on N threads (default: one per core)"),
	OPT_U64(0, "match-limit", &match_limit, "N", "PCRE2 match limit (default 1m)"),
	RULE_OPTIONS(rf),
	INPUT_OPTIONS(in),
	OPT_END(),
};

static const struct command_usage chats_usage = {
	"tousu chats --chats FILE... [--complaints FILE...] [OPTIONS]",
	"Per shop: conversations, buyer and seller messages, first response (median\n"
	"and 90th percentile, seconds), sessions asked and left unanswered,\n"
	"seller-initiated contacts, night contacts (22:00-08:00 in --tz), burst\n"
	"buyers (5 seller contacts within 24 hours) and abusive seller messages\n"
	"(those the rules' attitude type hits). Rows may come in any order. With\n"
	"--complaints: one row per complaint with the evidence for harassment\n"
	"(supported, not_supported, no_chats) and the abusive messages for attitude.",
	chats_options,
};

/*
 * Seller texts repeat (canned replies, templates): a text the rules found
 * harmless once is not sent to them again. The reading thread owns a
 * direct-mapped table of such texts; the workers post the harmless texts
 * of each batch to a mailbox, which the reading thread empties into the
 * table now and then. A text is passed over only when its bytes are in the
 * table, and the rules give a text the same answer every time, so the
 * result is the same as classifying it.
 */
#define HARMLESS_SLOTS (1u << 15)
#define HARMLESS_TEXT 116
#define MAIL_EVERY 1024           /* seller texts between looks at the mailbox */

struct harmless {
	uint64_t h;
	uint32_t len;                /* 0: empty */
	char text[HARMLESS_TEXT];
};

struct mailbox {
	pthread_mutex_t lock;
	char *buf;                   /* records: uint32_t length, then the text */
	size_t len, cap;
};

struct chats_run {
	const struct input_flags *in;
	struct shop_table *shops;
	struct chats *chats;
	struct classify_pool *pool;
	int attitude, harassment;    /* type indexes, -1 if the rules lack them */
	int abusive;                 /* attitude's index in the abuse classifier */
	int evidence;                /* complaints will be weighed: buyers go with texts */
	const char *file;
	uint64_t no_shop, no_session, no_time, bad_sender, rows;
	int failed;
	struct error err;            /* the reading thread's */
	struct error pool_err;       /* the pool's callback's */
	struct harmless *harmless;   /* NULL: no table (out of memory is no error) */
	struct mailbox mail;
	char *mail_spare;            /* the reading thread's side of the mailbox */
	size_t mail_spare_cap;
	unsigned until_mail;
	/* The day of the last row's sent_at: rows come in runs. */
	char day[11];
	int have_day;
	int64_t day_base;
};

/* What the workers get back with a seller's chat text: its shop and time,
 * then (for evidence) the buyer's bytes. */
struct chat_rec {
	int64_t time;
	uint32_t shop;
	uint32_t buyer_len;
};

static int word_is(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && !strncasecmp(s, *words, len))
			return 1;
	return 0;
}

static const char *const buyer_words[] = {"buyer", "买家", "買家", "顾客", "customer", NULL};
static const char *const seller_words[] = {"seller", "卖家", "賣家", "客服", "商家", "shop", NULL};
static const char *const phone_words[] = {"电话", "電話", "phone", "call", "tel", NULL};
static const char *const sms_words[] = {"短信", "簡訊", "sms", "text", NULL};

static int two_digits(const char *s)
{
	return (unsigned)(s[0] - '0') < 10u && (unsigned)(s[1] - '0') < 10u ?
	       (s[0] - '0') * 10 + (s[1] - '0') : -1;
}

/* The seconds into the day of "HH:MM:SS" at s, or -1 when it is not that,
 * in range (as time_parse checks it). */
static int clock_secs(const char *s)
{
	int h = two_digits(s), m = two_digits(s + 3), sec = two_digits(s + 6);
	if (s[2] != ':' || s[5] != ':' || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 ||
	    sec > 59)
		return -1;
	return h * 3600 + m * 60 + sec;
}

/*
 * time_parse, with a shortcut for the usual "YYYY-MM-DD HH:MM:SS": when the
 * first 11 bytes are the last such row's, only the clock is read, and the
 * day's start (as time_parse computed it, offset included) is reused. Any
 * other text goes to time_parse, so the result is the same.
 */
static int sent_time(struct chats_run *r, const char *s, size_t len, int64_t *t)
{
	if (len == 19 && r->have_day && !memcmp(s, r->day, 11)) {
		int secs = clock_secs(s + 11);
		if (secs >= 0) {
			*t = r->day_base + secs;
			return 0;
		}
	}
	if (time_parse(s, len, r->in->tz, t) < 0)
		return -1;
	if (len == 19 && (s[4] == '-' || s[4] == '/') && s[7] == s[4] &&
	    (s[10] == ' ' || s[10] == 'T' || s[10] == 't') && two_digits(s) >= 0 &&
	    two_digits(s + 2) >= 0 && two_digits(s + 5) >= 0 && two_digits(s + 8) >= 0) {
		int secs = clock_secs(s + 11);
		if (secs >= 0) {
			memcpy(r->day, s, 11);
			r->have_day = 1;
			r->day_base = *t - secs;
		}
	}
	return 0;
}

/* A text's slot in the table: its length and three 8-byte samples (start,
 * middle, end), enough to spread texts over the slots; the bytes decide. */
static uint64_t text_hash(const char *s, size_t n)
{
	uint64_t a = 0, b = 0, c = 0;
	if (n < 8) {
		memcpy(&a, s, n);
	} else {
		memcpy(&a, s, 8);
		memcpy(&b, s + n / 2 - 4, 8);
		memcpy(&c, s + n - 8, 8);
	}
	uint64_t h = (a ^ n) * 0xff51afd7ed558ccdULL;
	h = (h ^ h >> 32 ^ b) * 0xc4ceb9fe1a85ec53ULL;
	h = (h ^ h >> 29 ^ c) * 0x9e3779b97f4a7c15ULL;
	return h ^ h >> 32;
}

static int known_harmless(const struct chats_run *r, const char *text, size_t len)
{
	if (!r->harmless || len > HARMLESS_TEXT)
		return 0;
	uint64_t h = text_hash(text, len);
	const struct harmless *e = &r->harmless[h & (HARMLESS_SLOTS - 1)];
	return e->len == len && e->h == h && !memcmp(e->text, text, len);
}

/* Moves what the workers found harmless into the table. */
static void read_mail(struct chats_run *r)
{
	pthread_mutex_lock(&r->mail.lock);
	char *got = r->mail.buf;
	size_t len = r->mail.len, cap = r->mail.cap;
	r->mail.buf = r->mail_spare;
	r->mail.cap = r->mail_spare_cap;
	r->mail.len = 0;
	pthread_mutex_unlock(&r->mail.lock);
	for (size_t off = 0; off < len;) {
		uint32_t n;
		memcpy(&n, got + off, 4);
		const char *text = got + off + 4;
		uint64_t h = text_hash(text, n);
		struct harmless *e = &r->harmless[h & (HARMLESS_SLOTS - 1)];
		e->h = h;
		e->len = n;
		memcpy(e->text, text, n);
		off += 4 + n;
	}
	r->mail_spare = got;
	r->mail_spare_cap = cap;
}

static int on_chat(void *ctx, const struct export_row *row)
{
	struct chats_run *r = ctx;
	size_t len, sl, bl, tl, sender_len, channel_len, sent_len;
	const char *shop = export_field(row, ROLE_SHOP_ID, &len);
	const char *session = export_field(row, ROLE_SESSION_ID, &sl);
	const char *buyer = export_field(row, ROLE_BUYER_ID, &bl);
	const char *sender = export_field(row, ROLE_SENDER, &sender_len);
	const char *channel = export_field(row, ROLE_CHANNEL, &channel_len);
	const char *sent = export_field(row, ROLE_SENT_AT, &sent_len);
	struct chat_row c = {session, sl, buyer ? buyer : "", bl, 0, 0, 0, CHANNEL_CHAT};

	r->rows++;
	if (!shop || !len) {
		r->no_shop++;
		return 0;
	}
	if (!session || !sl) {
		r->no_session++;
		return 0;
	}
	if (!sent || sent_time(r, sent, sent_len, &c.time) < 0) {
		r->no_time++;
		return 0;
	}
	/* The usual spellings first, byte for byte: these run on every row. */
	if (sender && sender_len == 5 && !memcmp(sender, "buyer", 5))
		c.seller = 0;
	else if (sender && sender_len == 6 && !memcmp(sender, "seller", 6))
		c.seller = 1;
	else if (sender && word_is(sender, sender_len, seller_words))
		c.seller = 1;
	else if (!sender || !word_is(sender, sender_len, buyer_words)) {
		r->bad_sender++;
		return 0;
	}
	/* Rows come in runs of a shop: shop_table_intern tries the last key first. */
	int64_t idx = shop_table_intern(r->shops, shop, len);
	if (idx < 0) {
		r->failed = 1;
		return 1;
	}
	c.shop = (uint32_t)idx;
	if (!channel || (channel_len == 6 && !memcmp(channel, "旺旺", 6)))
		c.channel = CHANNEL_CHAT;
	else
		c.channel = word_is(channel, channel_len, phone_words) ? CHANNEL_PHONE
			  : word_is(channel, channel_len, sms_words) ? CHANNEL_SMS : CHANNEL_CHAT;
	if (chats_add(r->chats, &c, &r->err) < 0) {
		r->failed = 1;
		return 1;
	}
	/* Only a seller's chat text can be abusive: the rest skip the rules. */
	const char *text = export_field(row, ROLE_TEXT, &tl);
	if (!c.seller || c.channel != CHANNEL_CHAT || !text || !tl || r->abusive < 0)
		return 0;
	if (r->harmless && !--r->until_mail) {
		r->until_mail = MAIL_EVERY;
		read_mail(r);
	}
	if (known_harmless(r, text, tl))
		return 0;
	char buf[sizeof(struct chat_rec) + 65535];
	struct chat_rec rec = {c.time, c.shop, 0};
	if (r->evidence)
		rec.buyer_len = (uint32_t)(bl > 65535 ? 65535 : bl);
	memcpy(buf, &rec, sizeof(rec));
	if (rec.buyer_len)
		memcpy(buf + sizeof(rec), buyer, rec.buyer_len);
	if (classify_pool_add(r->pool, r->file, row->rec->line, text, tl, buf,
			      sizeof(rec) + rec.buyer_len) < 0) {
		r->failed = 1;
		return 1;
	}
	return 0;
}

static int chats_classified(void *ctx, const struct pool_batch *b)
{
	struct chats_run *r = ctx;
	if (r->harmless) {
		/* Post the harmless texts the table can hold. */
		pthread_mutex_lock(&r->mail.lock);
		for (size_t i = 0; i < b->n; i++) {
			uint32_t n = b->text_len[i];
			if ((b->result[i].types >> r->abusive & 1) || n > HARMLESS_TEXT)
				continue;
			if (r->mail.len + 4 + n > r->mail.cap) {
				size_t cap = r->mail.cap ? 2 * r->mail.cap : 64u << 10;
				char *m = realloc(r->mail.buf, cap);
				if (!m)
					break;  /* the table just learns less */
				r->mail.buf = m;
				r->mail.cap = cap;
			}
			memcpy(r->mail.buf + r->mail.len, &n, 4);
			memcpy(r->mail.buf + r->mail.len + 4, b->arena + b->text_off[i], n);
			r->mail.len += 4 + n;
		}
		pthread_mutex_unlock(&r->mail.lock);
	}
	for (size_t i = 0; i < b->n; i++) {
		if (!(b->result[i].types >> r->abusive & 1))
			continue;
		struct chat_rec rec;
		const char *p = pool_record(b, i);
		memcpy(&rec, p, sizeof(rec));
		if (chats_add_abusive(r->chats, rec.shop, rec.time, p + sizeof(rec), rec.buyer_len,
				      b->arena + b->text_off[i], b->text_len[i], &r->pool_err) < 0)
			return -1;
	}
	return 0;
}

/* ---- complaints, for evidence ---- */

struct claims_reading {
	struct chats_run *run;
	struct matcher *m;
	struct chat_complaint *v;
	char **ids;                  /* complaint_id of each, for the output */
	size_t n, cap;
	int failed;
};

static int on_complaint(void *ctx, const struct export_row *row)
{
	struct claims_reading *cr = ctx;
	size_t sl, bl, fl, tl, il;
	const char *shop = export_field(row, ROLE_SHOP_ID, &sl);
	const char *buyer = export_field(row, ROLE_BUYER_ID, &bl);
	const char *filed = export_field(row, ROLE_FILED_AT, &fl);
	const char *text = export_field(row, ROLE_TEXT, &tl);
	const char *id = export_field(row, ROLE_COMPLAINT_ID, &il);
	struct classification c;

	if (cr->n == cr->cap) {
		size_t cap = cr->cap ? 2 * cr->cap : 256;
		struct chat_complaint *v = realloc(cr->v, cap * sizeof(*v));
		char **ids = v ? realloc(cr->ids, cap * sizeof(*ids)) : NULL;
		if (v)
			cr->v = v;
		if (!ids) {
			cr->failed = 1;
			return 1;
		}
		cr->ids = ids;
		cr->cap = cap;
	}
	struct chat_complaint *k = &cr->v[cr->n];
	memset(k, 0, sizeof(*k));
	int64_t s = shop && sl ? shop_table_intern(cr->run->shops, shop, sl) : -1;
	k->shop = s < 0 ? UINT32_MAX : (uint32_t)s;
	k->buyer = strndup(buyer ? buyer : "", bl);
	k->buyer_len = bl;
	if (!filed || time_parse(filed, fl, cr->run->in->tz, &k->filed) < 0)
		k->filed = CHATS_FILED_UNKNOWN;
	if (classify_text(cr->m, text ? text : "", tl, &c) < 0) {
		cr->failed = 1;
		return 1;
	}
	k->claim = c.primary >= 0 && c.primary == cr->run->harassment ? CLAIM_HARASSMENT
		 : c.primary >= 0 && c.primary == cr->run->attitude ? CLAIM_ATTITUDE : CLAIM_OTHER;
	cr->ids[cr->n] = strndup(id ? id : "", il);
	if (!k->buyer || !cr->ids[cr->n]) {
		cr->failed = 1;
		return 1;
	}
	cr->n++;
	return 0;
}

/* ---- output ---- */

static int cmp_shop_ids(const void *a, const void *b, void *ctx)
{
	return shop_table_cmp(ctx, *(const size_t *)a, *(const size_t *)b);
}

static int write_shops(const struct chats_run *r, const struct chat_shop *out, size_t n,
		       FILE *file, enum table_format f)
{
	static const char *const names[] = {
		"shop_id", "conversations", "buyer_messages", "seller_messages",
		"first_response_median_s", "first_response_p90_s", "asked", "unanswered",
		"unanswered_share", "seller_contacts", "night_contacts", "burst_buyers",
		"abusive_messages",
	};
	struct table t;
	size_t *order = malloc((n ? n : 1) * sizeof(*order)), m = 0;
	if (!order || table_begin(&t, file, f, names, sizeof(names) / sizeof(names[0])) < 0) {
		free(order);
		return -1;
	}
	/* By shop id, not by first appearance: the input's order must not show. */
	for (size_t s = 0; s < n; s++)
		if (out[s].rows)
			order[m++] = s;
	qsort_r(order, m, sizeof(*order), cmp_shop_ids, r->shops);
	for (size_t i = 0; i < m; i++) {
		size_t s = order[i];
		const struct chat_shop *c = &out[s];
		size_t len;
		const char *key = shop_table_key(r->shops, s, &len);
		table_str(&t, key, len);
		table_int(&t, (int64_t)c->conversations);
		table_int(&t, (int64_t)c->buyer_messages);
		table_int(&t, (int64_t)c->seller_messages);
		table_num(&t, c->response_median, 1);
		table_num(&t, c->response_p90, 0);
		table_int(&t, (int64_t)c->asked);
		table_int(&t, (int64_t)(c->asked - c->answered));
		table_num(&t, c->asked ? (double)(c->asked - c->answered) / (double)c->asked
				       : __builtin_nan(""), 4);
		table_int(&t, (int64_t)c->seller_contacts);
		table_int(&t, (int64_t)c->night_contacts);
		table_int(&t, (int64_t)c->burst_buyers);
		table_int(&t, (int64_t)c->abusive_messages);
		table_row_end(&t);
	}
	free(order);
	return table_end(&t);
}

static int write_evidence(const struct chats_run *r, const struct claims_reading *cr,
			  FILE *file, enum table_format f, int claims_only)
{
	static const char *const names[] = {
		"complaint_id", "shop_id", "buyer_id", "filed_at", "claim", "evidence",
		"contacts_7d", "night_contacts_7d", "burst_7d", "abusive_7d", "abusive_messages",
	};
	static const char *const claims[] = {"other", "harassment", "attitude"};
	struct table t;
	if (table_begin(&t, file, f, names, sizeof(names) / sizeof(names[0])) < 0)
		return -1;
	for (size_t i = 0; i < cr->n; i++) {
		const struct chat_complaint *k = &cr->v[i];
		size_t len;
		if (claims_only && k->claim == CLAIM_OTHER)
			continue;
		table_cstr(&t, cr->ids[i]);
		if (k->shop == UINT32_MAX)
			table_null(&t);
		else {
			const char *key = shop_table_key(r->shops, k->shop, &len);
			table_str(&t, key, len);
		}
		table_str(&t, k->buyer, k->buyer_len);
		if (k->filed == CHATS_FILED_UNKNOWN) {
			table_cstr(&t, "");
		} else {
			char when[20];
			time_format(k->filed, r->in->tz, when);
			table_cstr(&t, when);
		}
		table_cstr(&t, claims[k->claim]);
		table_cstr(&t, chats_evidence_name(k->evidence));
		if (k->claim == CLAIM_OTHER) {
			for (int j = 0; j < 5; j++)
				table_null(&t);
		} else {
			table_int(&t, k->contacts);
			table_int(&t, k->night_contacts);
			table_cstr(&t, k->burst ? "yes" : "no");
			if (k->claim == CLAIM_ATTITUDE) {
				table_int(&t, k->abusive);
				table_cstr(&t, k->abusive_texts ? k->abusive_texts : "");
			} else {
				/* Not looked for (only attitude rests on them): an
				 * empty cell, not a 0 that reads as measured. */
				table_null(&t);
				table_null(&t);
			}
		}
		table_row_end(&t);
	}
	return table_end(&t);
}

/* Parts for the spool: one per MiB of compressed input (about 75,000 rows),
 * at least 8: a part in memory is about six times its share of the
 * compressed bytes, so this keeps it near 6 MiB a thread whatever the input.
 * At most 256 (two files each; past that, parts grow). */
static unsigned parts_for(const struct strlist *files)
{
	uint64_t bytes = 0;
	for (size_t i = 0; i < files->n; i++) {
		struct stat st;
		if (strcmp(files->items[i], "-") && stat(files->items[i], &st) == 0)
			bytes += (uint64_t)st.st_size;
	}
	uint64_t n = bytes / (1u << 20);
	return (unsigned)(n < 8 ? 8 : n > 256 ? 256 : n);
}

static int read_all(struct chats_run *r, struct export_options *eo, const struct strlist *files,
		    enum record_kind kind, export_row_fn fn, void *ctx)
{
	int status = EXIT_OK;
	static struct progress pg;   /* eo keeps a pointer to it */
	eo->kind = kind;
	progress_init(&pg, r->in->progress_flag);
	eo->progress = progress_update;
	eo->progress_ctx = &pg;
	for (size_t i = 0; i < files->n; i++) {
		struct export_stats st;
		struct error err;
		r->file = files->items[i];
		int rc = export_read(files->items[i], eo, fn, ctx, &st, &err);
		progress_done(&pg);
		if (rc < 0) {
			error_print(stderr, &err);
			status = EXIT_DATA;
		}
		if (input_flags_after_file(r->in, r->file, &st) < 0)
			status = EXIT_DATA;
		export_stats_release(&st);
		if (r->failed)
			break;
	}
	return status;
}

int chats_job(const struct chats_params *p, FILE *shops_out, FILE *evidence_out)
{
	int status;
	struct error err;
	struct chats_run r = {0};
	struct claims_reading cr = {0};
	struct chat_shop *out = NULL;

	struct rule_set *abuse_rs = NULL;
	struct classifier *abuse = NULL;

	r.in = p->in;
	r.evidence = evidence_out && p->complaint_files && p->complaint_files->n;
	r.attitude = rules_type_find(p->rs, "attitude");
	r.harassment = rules_type_find(p->rs, "harassment");
	r.abusive = -1;
	status = EXIT_DATA;
	/* A seller message asks one question, is it abusive: the attitude rules
	 * alone answer it, at a fraction of the whole rule set's cost. */
	if (r.attitude >= 0) {
		if (rule_flags_load_only(p->rule_flags, "attitude", &abuse_rs, &abuse) < 0)
			goto out;
		r.abusive = rules_type_find(abuse_rs, "attitude");
	}
	pthread_mutex_init(&r.mail.lock, NULL);
	r.until_mail = MAIL_EVERY;
	if (r.abusive >= 0)
		r.harmless = calloc(HARMLESS_SLOTS, sizeof(*r.harmless));
	r.shops = shop_table_new();
	r.chats = r.shops ? chats_new(parts_for(p->chat_files), p->in->tz, r.evidence, &err)
			  : NULL;
	r.pool = r.chats ? classify_pool_new(abuse ? abuse : p->classifier, p->threads,
					     p->match_limit, 0, chats_classified, &r) : NULL;
	if (!r.pool) {
		if (!r.chats && r.shops)
			error_print(stderr, &err);
		else
			fputs("tousu: out of memory\n", stderr);
		goto out;
	}
	status = read_all(&r, p->eo, p->chat_files, KIND_CHATS, on_chat, &r);
	if (classify_pool_finish(r.pool) < 0 || r.failed) {
		status = cmd_print_failure(r.err.msg[0] ? &r.err : &r.pool_err);
		goto out;
	}
	if (r.evidence) {
		cr.run = &r;
		cr.m = matcher_new(p->classifier, p->match_limit);
		if (!cr.m) {
			fputs("tousu: out of memory\n", stderr);
			status = EXIT_DATA;
			goto out;
		}
		int s = read_all(&r, p->eo, p->complaint_files, KIND_COMPLAINTS, on_complaint, &cr);
		if (s != EXIT_OK)
			status = s;
		if (cr.failed) {
			fputs("tousu: out of memory\n", stderr);
			status = EXIT_DATA;
			goto out;
		}
	}
	if (status != EXIT_OK) {
		fputs("tousu: chats: no output: an export could not be read in full\n", stderr);
		goto out;
	}
	size_t n_shops = shop_table_count(r.shops);
	out = calloc(n_shops ? n_shops : 1, sizeof(*out));
	if (!out || chats_run(r.chats, out, n_shops, cr.v, cr.n,
				    (unsigned)(p->threads ? p->threads : 1), &err) < 0) {
		if (out)
			error_print(stderr, &err);
		else
			fputs("tousu: out of memory\n", stderr);
		status = EXIT_DATA;
		goto out;
	}
	if (r.no_shop || r.no_session || r.no_time || r.bad_sender)
		fprintf(stderr, "tousu: chats: left out %llu row%s without a shop, %llu without a "
			"session, %llu whose sent_at does not parse, %llu whose sender is neither "
			"buyer nor seller\n", (unsigned long long)r.no_shop, r.no_shop == 1 ? "" : "s",
			(unsigned long long)r.no_session, (unsigned long long)r.no_time,
			(unsigned long long)r.bad_sender);
	if ((shops_out && write_shops(&r, out, n_shops, shops_out, p->format) < 0) ||
	    (evidence_out && write_evidence(&r, &cr, evidence_out, p->format, p->claims_only) < 0)) {
		fputs("tousu: chats: error writing output\n", stderr);
		status = EXIT_DATA;
	}
out:
	classify_pool_free(r.pool);
	free(r.harmless);
	free(r.mail.buf);
	free(r.mail_spare);
	pthread_mutex_destroy(&r.mail.lock);
	chats_free(r.chats);
	shop_table_free(r.shops);
	for (size_t i = 0; i < cr.n; i++) {
		free(cr.v[i].buyer);
		free(cr.v[i].abusive_texts);
		free(cr.ids[i]);
	}
	free(cr.v);
	free(cr.ids);
	matcher_free(cr.m);
	free(out);
	classifier_free(abuse);
	rules_free(abuse_rs);
	return status;
}

static int run_chats(int argc, char **argv)
{
	char **operands;
	size_t n_operands;
	int status = EXIT_OK;
	struct export_options eo;
	struct error err;
	enum table_format format;

	input_flags_init(&in);
	if (cmd_parse(argc, argv, &chats_usage, "chats", 0, &operands, &n_operands, &status))
		return status;
	status = EXIT_USAGE;
	if (n_operands || !chat_files.n) {
		fputs("tousu: chats: needs --chats FILE... (and, for evidence, --complaints "
		      "FILE...)\n", stderr);
		goto out;
	}
	if (cmd_stdin_once("chats", (const struct strlist *[]){&chat_files, &complaint_files}, 2) < 0)
		goto out;
	if (input_flags_apply(&in, &eo, &err) < 0) {
		error_print(stderr, &err);
		goto out;
	}
	if (in.kind) {
		fputs("tousu: chats: --kind does not apply: --chats and --complaints say it\n", stderr);
		goto out;
	}
	table_format_parse(format_name, &format);
	status = EXIT_DATA;
	if (input_flags_open_rejects(&in, &eo, &err) < 0) {
		error_print(stderr, &err);
		goto out;
	}
	if (rule_flags_load(&rf) < 0)
		goto out;
	struct chats_params p = {
		&chat_files, &complaint_files, &eo, &in, rf.rs, rf.classifier, &rf,
		cmd_threads(threads), cmd_match_limit(match_limit), format, 0,
	};
	status = chats_job(&p, complaint_files.n ? NULL : stdout,
			   complaint_files.n ? stdout : NULL);
out:
	rule_flags_release(&rf);
	if (input_flags_release(&in) < 0)
		status = EXIT_DATA;
	strlist_release(&chat_files);
	strlist_release(&complaint_files);
	free(operands);
	return cmd_finish_stdout(status);
}

const struct cmd cmd_chats = {
	"chats", "service signals from chats (response times, bursts, night contacts) and evidence",
	run_chats,
};
