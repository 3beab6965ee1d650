/*
 * classify_pool.h - classify texts on worker threads, in batches, unordered.
 *
 * For commands that aggregate what the classifier says (rates, report)
 * rather than print rows in order. The reading thread adds rows: a text and
 * an opaque record of the caller's (what it needs back: a shop, a time...),
 * both copied into the current batch. Full batches go to the workers; each
 * worker classifies a batch with its own matcher and hands it to `done`,
 * which runs on the worker's thread, one batch at a time (the pool holds a
 * lock around it), in no particular order. So `done` may update shared
 * state without locks of its own, and must not depend on the order.
 *
 * With threads = 0 everything runs on the caller's thread.
 *
 * Errors: add/finish return -1 when memory runs out or `done` failed (then
 * the pool stops calling it); the caller reports. A text's invalid UTF-8
 * and a rule stopped at the match limit are not errors: the result says so.
 */
#ifndef TOUSU_CLASSIFY_POOL_H
#define TOUSU_CLASSIFY_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "analyzers/classifier.h"
#include "analyzers/workers.h"

#define POOL_BATCH_ROWS 2048

struct pool_result {
	uint64_t types;              /* as struct classification */
	int primary;                 /* -1: other */
	int points;                  /* the classification's points */
	int severe;
	uint32_t invalid, limited;
};

struct pool_batch {
	struct batch_link link;      /* first: the workers' queue (workers.h) */
	size_t n;
	const char *file;            /* the file of every row in the batch */
	uint64_t line[POOL_BATCH_ROWS];
	struct pool_result result[POOL_BATCH_ROWS];
	/* Row i's text and record: arena + offsets. */
	uint64_t text_off[POOL_BATCH_ROWS], rec_off[POOL_BATCH_ROWS];
	uint32_t text_len[POOL_BATCH_ROWS], rec_len[POOL_BATCH_ROWS];
	char *arena;
	size_t arena_len, arena_cap;
};

static inline const void *pool_record(const struct pool_batch *b, size_t i)
{
	return b->arena + b->rec_off[i];
}

/* Return non-zero to fail the pool. */
typedef int (*pool_done_fn)(void *ctx, const struct pool_batch *b);

struct classify_pool;

/*
 * nice > 0 lowers the workers' priority by that much (Linux: per thread), so
 * that threads doing more urgent work in the same process - a reader on the
 * critical path - are not slowed by them; 0 leaves it.
 */
struct classify_pool *classify_pool_new(const struct classifier *c, size_t threads,
					uint32_t match_limit, int nice, pool_done_fn done,
					void *ctx);

/* Copies the row into the current batch (file must live until finish). */
int classify_pool_add(struct classify_pool *p, const char *file, uint64_t line,
		      const char *text, size_t text_len, const void *rec, size_t rec_len);

/* Classifies what is left and waits for every batch; 0 or -1. */
int classify_pool_finish(struct classify_pool *p);

void classify_pool_free(struct classify_pool *p);

#endif
