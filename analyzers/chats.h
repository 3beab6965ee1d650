/*
 * chats.h - service signals from chat exports, in any row order, in bounded
 * memory: first-response times, unanswered sessions, seller-initiated
 * contacts, contact bursts, night contacts, abusive seller messages, and the
 * evidence chats give for harassment and attitude complaints.
 *
 * The definitions are DOMAIN.md's ("Chat signals"); where it leaves a choice
 * open, this is what tousu does:
 *  - rows are put in order by time; at the same second a buyer row comes
 *    before a seller row (so a reply in the same second is a reply, after
 *    0 s), then chat before phone before SMS, then by the buyer's bytes
 *    (a session may name several buyers), never by the input's order;
 *  - "a buyer message in the 30 minutes before" includes exactly 30:00;
 *  - a burst is 5 seller-initiated contacts to one buyer within 24 hours,
 *    both ends included: t[i+4] - t[i] <= 86400;
 *  - night is 22:00:00 to 07:59:59 local time (the tz given);
 *  - unanswered: sessions with a buyer message and no seller row at or
 *    after its earliest one, over sessions with a buyer message;
 *  - evidence for attitude complaints: the abusive seller messages from the
 *    shop to the buyer in [F - 7 days, F], like harassment's window.
 *
 * How, whatever the order: chats_add() gathers consecutive rows of one
 * session (and shop and buyer) into a run and spools each run, the key
 * bytes once and then its rows' times and kinds, to one of n_parts parts
 * (all in one temporary file) by a hash of its session; chats_run() loads
 * one part per thread at a time, groups its runs by session, sorts each
 * session's rows and walks them, spooling every seller-initiated contact
 * to parts by shop and buyer and every first response to parts by block of
 * shops; then it walks the contacts' parts, and last counts each block's
 * first responses per distinct second (for the median and p90). So memory
 * holds a part per thread, not the export (choose n_parts so that a part of
 * the input fits; the command takes it from the input's size), plus, per
 * thread, every shop's counters and one block of shops' response counts,
 * plus the abusive messages' texts when there are complaints to weigh them
 * for.
 *
 * chats_add and chats_add_abusive are not thread-safe (callers serialise
 * each), but one thread may add rows while another adds abusive messages.
 * Errors: -1 with err (temporary files, memory).
 */
#ifndef TOUSU_CHATS_H
#define TOUSU_CHATS_H

#include <stddef.h>
#include <stdint.h>

#include "formats/error.h"

enum chat_channel { CHANNEL_CHAT, CHANNEL_PHONE, CHANNEL_SMS };

#define CHATS_EVIDENCE_DAYS 7
#define CHATS_BURST_CONTACTS 5
#define CHATS_BURST_SECONDS 86400
#define CHATS_REPLY_SECONDS 1800

struct chat_row {
	const char *session;
	size_t session_len;
	const char *buyer;
	size_t buyer_len;
	uint32_t shop;               /* a shop_table index */
	int64_t time;                /* epoch seconds */
	int seller;                  /* else the buyer wrote it */
	enum chat_channel channel;
};

/* Per shop, after chats_run(). */
struct chat_shop {
	uint64_t rows;               /* 0: the shop had no chat rows */
	uint64_t conversations, buyer_messages, seller_messages;
	uint64_t asked, answered;    /* sessions with a buyer message; of them answered */
	double response_median, response_p90;  /* seconds; NaN when none answered */
	uint64_t seller_contacts, night_contacts, burst_buyers, abusive_messages;
};

enum chat_evidence { EVIDENCE_NA, EVIDENCE_SUPPORTED, EVIDENCE_NOT_SUPPORTED, EVIDENCE_NO_CHATS };
enum chat_claim { CLAIM_OTHER, CLAIM_HARASSMENT, CLAIM_ATTITUDE };

/* A complaint's filed time when its filed_at is missing or not a time:
 * earlier than any chat, and far enough above INT64_MIN that the evidence
 * window's start (filed minus CHATS_EVIDENCE_DAYS) cannot overflow. */
#define CHATS_FILED_UNKNOWN (INT64_MIN / 2)

/* A complaint to find evidence for; filled in by chats_run(). */
struct chat_complaint {
	uint32_t shop;
	char *buyer;                 /* owned by the caller */
	size_t buyer_len;
	int64_t filed;               /* or CHATS_FILED_UNKNOWN */
	enum chat_claim claim;
	/* Results: */
	enum chat_evidence evidence;
	uint32_t contacts, night_contacts;   /* seller-initiated, in [F - 7 days, F] */
	int burst;                   /* 5 of them within 24 hours */
	uint32_t abusive;            /* abusive seller messages in the window */
	char *abusive_texts;         /* attitude: up to 3 of them, joined by " | "; owned here */
};

struct chats;

/* tz: for night hours; evidence: complaints will be weighed (keep the
 * abusive messages' texts and who chatted with whom; else only the counts).
 * NULL with err on failure. */
struct chats *chats_new(unsigned n_parts, int32_t tz, int evidence, struct error *err);
void chats_free(struct chats *c);

int chats_add(struct chats *c, const struct chat_row *row, struct error *err);

/* A seller chat message of a row given to chats_add that the rules call
 * abusive (buyer and text are copied). */
int chats_add_abusive(struct chats *c, uint32_t shop, int64_t time, const char *buyer,
		      size_t buyer_len, const char *text, size_t text_len, struct error *err);

/*
 * Runs the analysis for shops 0..n_shops-1 (out[n_shops], zeroed by the
 * caller) and the complaints (NULL, 0 for none), whose results it fills,
 * on `threads` threads (parts are independent; the result is the same for
 * any number).
 */
int chats_run(struct chats *c, struct chat_shop *out, size_t n_shops,
	      struct chat_complaint *complaints, size_t n_complaints, unsigned threads,
	      struct error *err);

/* "supported", "not_supported", "no_chats", "n/a". */
const char *chats_evidence_name(enum chat_evidence e);

#endif
