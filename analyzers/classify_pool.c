#include "analyzers/classify_pool.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 64

struct pool_worker {
	struct classify_pool *pool;
	pthread_t thread;
	struct matcher *m;
};

struct classify_pool {
	pool_done_fn done;
	void *ctx;
	struct pool_batch *filling;
	/* Free and queued batches; `lock` guards them, `done_lock` the callback. */
	pthread_mutex_t lock, done_lock;
	pthread_cond_t changed;
	struct pool_batch *free_list, *queue_head, *queue_tail;
	size_t busy;                 /* batches taken by workers, not yet done */
	int stopping, failed;
	struct pool_worker *workers;
	size_t n_workers;
	int threaded;
	int nice;
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

/* Classifies b and hands it to done; returns non-zero on failure. */
static int run_batch(struct classify_pool *p, struct matcher *m, struct pool_batch *b)
{
	int failed = 0;

	for (size_t i = 0; i < b->n && !failed; i++) {
		struct classification c;
		struct pool_result *res = &b->result[i];
		if (classify_text(m, b->arena + b->text_off[i], b->text_len[i], &c) < 0) {
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
	return failed;
}

static void *worker_main(void *v)
{
	struct pool_worker *w = v;
	struct classify_pool *p = w->pool;

	/* The reader's threads (inflate, parse) are the critical path of a run:
	 * the workers take the CPU they leave. On Linux a nice value is per
	 * thread; failing to set it only costs speed. */
	if (p->nice)
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), p->nice);

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->queue_head && !p->stopping)
			pthread_cond_wait(&p->changed, &p->lock);
		struct pool_batch *b = p->queue_head;
		if (!b)
			break;
		p->queue_head = b->next;
		if (!p->queue_head)
			p->queue_tail = NULL;
		p->busy++;
		pthread_mutex_unlock(&p->lock);

		run_batch(p, w->m, b);

		pthread_mutex_lock(&p->lock);
		p->busy--;
		b->next = p->free_list;
		p->free_list = b;
		pthread_cond_broadcast(&p->changed);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
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
	p->nice = nice;
	p->threaded = threads > 0;
	p->n_workers = threads ? threads : 1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_mutex_init(&p->done_lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	p->workers = calloc(p->n_workers, sizeof(*p->workers));
	if (!p->workers)
		goto fail;
	/* Two batches per worker and one filling: a worker always has its next
	 * batch waiting while the reader fills another. */
	for (size_t i = 0; i < 2 * p->n_workers + 1; i++) {
		struct pool_batch *b = batch_new();
		if (!b)
			goto fail;
		b->next = p->free_list;
		p->free_list = b;
	}
	for (size_t i = 0; i < p->n_workers; i++) {
		p->workers[i].pool = p;
		if (!(p->workers[i].m = matcher_new(c, match_limit)))
			goto fail;
	}
	for (size_t i = 0; p->threaded && i < p->n_workers; i++)
		if (pthread_create(&p->workers[i].thread, NULL, worker_main, &p->workers[i])) {
			if (i == 0)
				goto fail;
			p->n_workers = i;  /* the ones running will do the work */
			break;
		}
	return p;
fail:
	p->threaded = 0;
	classify_pool_free(p);
	return NULL;
}

static void submit(struct classify_pool *p)
{
	struct pool_batch *b = p->filling;
	if (!b || !b->n)
		return;
	p->filling = NULL;
	if (!p->threaded) {
		run_batch(p, p->workers[0].m, b);
		p->filling = b;
		return;
	}
	pthread_mutex_lock(&p->lock);
	b->next = NULL;
	if (p->queue_tail)
		p->queue_tail->next = b;
	else
		p->queue_head = b;
	p->queue_tail = b;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
}

static struct pool_batch *filling(struct classify_pool *p)
{
	if (p->filling)
		return p->filling;
	pthread_mutex_lock(&p->lock);
	while (!p->free_list)
		pthread_cond_wait(&p->changed, &p->lock);
	p->filling = p->free_list;
	p->free_list = p->filling->next;
	pthread_mutex_unlock(&p->lock);
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
	if (p->threaded) {
		pthread_mutex_lock(&p->lock);
		while (p->queue_head || p->busy)
			pthread_cond_wait(&p->changed, &p->lock);
		pthread_mutex_unlock(&p->lock);
	}
	return p->failed ? -1 : 0;
}

void classify_pool_free(struct classify_pool *p)
{
	if (!p)
		return;
	if (p->threaded) {
		pthread_mutex_lock(&p->lock);
		p->stopping = 1;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		for (size_t i = 0; i < p->n_workers; i++)
			pthread_join(p->workers[i].thread, NULL);
	}
	for (size_t i = 0; p->workers && i < p->n_workers; i++)
		matcher_free(p->workers[i].m);
	free(p->workers);
	batch_free(p->filling);
	while (p->free_list) {
		struct pool_batch *b = p->free_list;
		p->free_list = b->next;
		batch_free(b);
	}
	while (p->queue_head) {
		struct pool_batch *b = p->queue_head;
		p->queue_head = b->next;
		batch_free(b);
	}
	pthread_mutex_destroy(&p->lock);
	pthread_mutex_destroy(&p->done_lock);
	pthread_cond_destroy(&p->changed);
	free(p);
}
