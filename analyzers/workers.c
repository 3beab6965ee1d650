/*
 * workers.c - one lock and one condition for the free list, the queue and
 * every wait: batches are thousands of rows, so the lock is taken a few
 * times a batch. What holds it longest is `done` (classify writes the rows
 * of every batch that is next in turn under it, so that output order needs
 * no lock of its own).
 */
#include "analyzers/workers.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

struct worker_thread {
	struct workers *pool;
	pthread_t thread;
	void *context;
};

struct workers {
	pthread_mutex_t lock;
	pthread_cond_t changed;          /* any batch queued, done or freed */
	struct batch_link *free_list, *queue_head, *queue_tail;
	size_t queued, busy;             /* waiting; taken and not yet done */
	int stopping;
	workers_work_fn work;
	workers_done_fn done;
	void *owner;
	int nice;
	size_t help_after;
	struct worker_thread *threads;
	size_t n_threads;                /* started */
	void *reader_context;
};

/* With the lock held: the oldest queued batch, now busy, or NULL. */
static struct batch_link *dequeue(struct workers *w)
{
	struct batch_link *b = w->queue_head;

	if (!b)
		return NULL;
	w->queue_head = b->next;
	if (!w->queue_head)
		w->queue_tail = NULL;
	w->queued--;
	w->busy++;
	return b;
}

/* With the lock held, released while the batch is worked on. */
static void run(struct workers *w, void *context, struct batch_link *b)
{
	pthread_mutex_unlock(&w->lock);
	w->work(context, b);
	pthread_mutex_lock(&w->lock);
	w->busy--;
	w->done(w->owner, b);
	pthread_cond_broadcast(&w->changed);
}

static void *thread_main(void *arg)
{
	struct worker_thread *t = arg;
	struct workers *w = t->pool;

	if (w->nice)
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), w->nice);
	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct batch_link *b;

		while (!w->queue_head && !w->stopping)
			pthread_cond_wait(&w->changed, &w->lock);
		b = dequeue(w);
		if (!b)
			break;  /* stopping, and nothing left to do */
		run(w, t->context, b);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct workers *workers_start(size_t threads, int nice, void *contexts,
			      size_t context_size, workers_work_fn work,
			      workers_done_fn done, void *owner, size_t help_after)
{
	struct workers *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->threads = calloc(threads ? threads : 1, sizeof(*w->threads));
	if (!w->threads) {
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->changed, NULL);
	w->work = work;
	w->done = done;
	w->owner = owner;
	w->nice = nice;
	w->help_after = help_after;
	/* If a thread cannot start, the ones running do the work, and the
	 * reader takes the next context. */
	for (size_t i = 0; i < threads; i++) {
		w->threads[i].pool = w;
		w->threads[i].context = (char *)contexts + i * context_size;
		if (pthread_create(&w->threads[i].thread, NULL, thread_main,
				   &w->threads[i]) != 0)
			break;
		w->n_threads = i + 1;
	}
	w->reader_context = (char *)contexts + w->n_threads * context_size;
	return w;
}

size_t workers_started(const struct workers *w)
{
	return w->n_threads;
}

void workers_recycle(struct workers *w, struct batch_link *b)
{
	b->next = w->free_list;
	w->free_list = b;
}

struct batch_link *workers_empty(struct workers *w)
{
	struct batch_link *b;

	pthread_mutex_lock(&w->lock);
	while (!w->free_list)
		pthread_cond_wait(&w->changed, &w->lock);
	b = w->free_list;
	w->free_list = b->next;
	pthread_mutex_unlock(&w->lock);
	return b;
}

void workers_submit(struct workers *w, struct batch_link *b)
{
	pthread_mutex_lock(&w->lock);
	if (!w->n_threads) {
		w->busy++;
		run(w, w->reader_context, b);
		pthread_mutex_unlock(&w->lock);
		return;
	}
	b->next = NULL;
	if (w->queue_tail)
		w->queue_tail->next = b;
	else
		w->queue_head = b;
	w->queue_tail = b;
	w->queued++;
	pthread_cond_broadcast(&w->changed);
	/* The workers are behind: rather than read further ahead, work on
	 * the oldest waiting batch here (for an ordered writer, the next one
	 * it can write). */
	if (w->help_after && w->queued > w->help_after)
		run(w, w->reader_context, dequeue(w));
	pthread_mutex_unlock(&w->lock);
}

void workers_wait(struct workers *w)
{
	pthread_mutex_lock(&w->lock);
	while (w->queue_head || w->busy)
		pthread_cond_wait(&w->changed, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

struct batch_link *workers_stop(struct workers *w)
{
	struct batch_link *left;

	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->lock);
	for (size_t i = 0; i < w->n_threads; i++)
		pthread_join(w->threads[i].thread, NULL);
	/* The threads leave only with the queue empty. */
	left = w->free_list;
	pthread_cond_destroy(&w->changed);
	pthread_mutex_destroy(&w->lock);
	free(w->threads);
	free(w);
	return left;
}
