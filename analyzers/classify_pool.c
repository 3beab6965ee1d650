#include "analyzers/classify_pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 64

struct pool_worker {
	struct classify_pool *pool;
	struct matcher *m;
};

struct classify_pool {
	pool_done_fn done;
	void *ctx;
	struct pool_batch *filling;
	pthread_mutex_t done_lock;   /* `done` runs one batch at a time */
	int failed;
	/* threads + 1 matchers: the last is the reader's, when no thread runs. */
	struct pool_worker *workers;
	size_t n_workers;
	struct workers *threads;
};

static struct pool_batch *batch_new(void)
{
	struct pool_batch *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->arena_cap = 512u << 10;
	b->arena = malloc(b->arena_cap);
	if (!b->arena) {
		free(b);
		return NULL;
	}
	return b;
}

static void batch_free(struct pool_batch *b)
{
	if (b) {
		free(b->arena);
		free(b);
	}
}

/* Classifies the batch and hands it to done; runs on a worker's thread. */
static void run_batch(void *worker, struct batch_link *link)
{
	struct pool_worker *w = worker;
	struct classify_pool *p = w->pool;
	struct pool_batch *b = (struct pool_batch *)link;
	int failed = 0;

	for (size_t i = 0; i < b->n && !failed; i++) {
		struct classification c;
		struct pool_result *res = &b->result[i];
		if (classify_text(w->m, b->arena + b->text_off[i], b->text_len[i], &c) < 0) {
			failed = 1;
			break;
		}
		res->types = c.types;
		res->primary = c.primary;
		res->points = c.points;
		res->severe = c.severe;
		res->invalid = (uint32_t)c.invalid;
		res->limited = (uint32_t)c.limited;
	}
	pthread_mutex_lock(&p->done_lock);
	if (!failed && !p->failed && p->done(p->ctx, b))
		failed = 1;
	if (failed)
		p->failed = 1;
	pthread_mutex_unlock(&p->done_lock);
	b->n = 0;
	b->arena_len = 0;
}

/* With the workers' lock held: the batch is empty again. */
static void recycle(void *owner, struct batch_link *b)
{
	struct classify_pool *p = owner;

	workers_recycle(p->threads, b);
}

struct classify_pool *classify_pool_new(const struct classifier *c, size_t threads,
					uint32_t match_limit, int nice, pool_done_fn done,
					void *ctx)
{
	struct classify_pool *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	p->done = done;
	p->ctx = ctx;
	pthread_mutex_init(&p->done_lock, NULL);
	p->n_workers = threads + 1;
	p->workers = calloc(p->n_workers, sizeof(*p->workers));
	if (!p->workers)
		goto fail;
	for (size_t i = 0; i < p->n_workers; i++) {
		p->workers[i].pool = p;
		if (!(p->workers[i].m = matcher_new(c, match_limit)))
			goto fail;
	}
	p->threads = workers_start(threads, nice, p->workers, sizeof(*p->workers),
				   run_batch, recycle, p, 0);
	if (!p->threads)
		goto fail;
	/* Two batches per worker and one filling: a worker always has its next
	 * batch waiting while the reader fills another. */
	for (size_t i = 0; i < 2 * threads + 1; i++) {
		struct pool_batch *b = batch_new();
		if (!b)
			goto fail;
		workers_recycle(p->threads, &b->link);
	}
	return p;
fail:
	classify_pool_free(p);
	return NULL;
}

static void submit(struct classify_pool *p)
{
	struct pool_batch *b = p->filling;
	if (!b || !b->n)
		return;
	p->filling = NULL;
	workers_submit(p->threads, &b->link);
}

static struct pool_batch *filling(struct classify_pool *p)
{
	if (!p->filling)
		p->filling = (struct pool_batch *)workers_empty(p->threads);
	return p->filling;
}

int classify_pool_add(struct classify_pool *p, const char *file, uint64_t line,
		      const char *text, size_t text_len, const void *rec, size_t rec_len)
{
	struct pool_batch *b = filling(p);
	size_t need = text_len + rec_len + 8;

	if (p->failed)
		return -1;
	if (b->n && (b->arena_len + need > b->arena_cap || b->file != file)) {
		submit(p);
		b = filling(p);
	}
	if (need > b->arena_cap) {
		char *a = realloc(b->arena, need);
		if (!a)
			return -1;
		b->arena = a;
		b->arena_cap = need;
	}
	size_t i = b->n++;
	b->file = file;
	b->line[i] = line;
	b->text_off[i] = b->arena_len;
	b->text_len[i] = (uint32_t)text_len;
	memcpy(b->arena + b->arena_len, text, text_len);
	b->arena_len += text_len;
	/* Records are copied out with memcpy by the caller; keep them aligned
	 * anyway so a caller may also read them in place. */
	b->arena_len = (b->arena_len + 7) & ~(size_t)7;
	b->rec_off[i] = b->arena_len;
	b->rec_len[i] = (uint32_t)rec_len;
	memcpy(b->arena + b->arena_len, rec, rec_len);
	b->arena_len += rec_len;
	if (b->n == POOL_BATCH_ROWS)
		submit(p);
	return 0;
}

int classify_pool_finish(struct classify_pool *p)
{
	submit(p);
	workers_wait(p->threads);
	return p->failed ? -1 : 0;
}

void classify_pool_free(struct classify_pool *p)
{
	if (!p)
		return;
	if (p->threads) {
		struct batch_link *b = workers_stop(p->threads);
		while (b) {
			struct batch_link *next = b->next;
			batch_free((struct pool_batch *)b);
			b = next;
		}
	}
	for (size_t i = 0; p->workers && i < p->n_workers; i++)
		matcher_free(p->workers[i].m);
	free(p->workers);
	batch_free(p->filling);
	pthread_mutex_destroy(&p->done_lock);
	free(p);
}
