/*
 * test_workers.c - analyzers/workers.h: every submitted batch is worked on
 * once and done once, by the threads or, with none, by the reader; the
 * reader works on the oldest waiting batch itself when more than
 * help_after wait; wait returns with everything done; stop hands back
 * every batch it was given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/workers.h"

#define N_BATCHES 6

struct item {
	struct batch_link link;
	int id;
	int worked, done;
	const void *worked_by;
};

struct ctx {
	int id;
	/* When gate is set, work waits on it until opened. */
	pthread_mutex_t *lock;
	pthread_cond_t *cond;
	int *gate_open, *entered;
};

struct owner {
	struct workers *w;
	int done_count;
	int order[1000];
};

static void work(void *worker, struct batch_link *b)
{
	struct ctx *c = worker;
	struct item *it = (struct item *)b;

	if (c->lock) {
		pthread_mutex_lock(c->lock);
		(*c->entered)++;
		pthread_cond_broadcast(c->cond);
		while (!*c->gate_open)
			pthread_cond_wait(c->cond, c->lock);
		pthread_mutex_unlock(c->lock);
	}
	it->worked++;
	it->worked_by = c;
}

static void done(void *owner, struct batch_link *b)
{
	struct owner *o = owner;
	struct item *it = (struct item *)b;

	it->done++;
	o->order[o->done_count++] = it->id;
	workers_recycle(o->w, b);
}

static int list_length(struct batch_link *b)
{
	int n = 0;

	for (; b; b = b->next)
		n++;
	return n;
}

/* Many batches through 0 to 4 threads, each reused many times. */
static void test_every_batch_once(void **state)
{
	(void)state;
	for (size_t threads = 0; threads <= 4; threads++) {
		struct ctx c[5] = { { 0 } };
		struct item items[N_BATCHES];
		struct owner o = { 0 };
		int submitted = 0;

		memset(items, 0, sizeof(items));

		o.w = workers_start(threads, 0, c, sizeof(c[0]), work, done, &o, threads + 1);
		assert_non_null(o.w);
		assert_int_equal(workers_started(o.w), threads);
		for (int i = 0; i < N_BATCHES; i++)
			workers_recycle(o.w, &items[i].link);
		for (int round = 0; round < 500; round++) {
			struct item *it = (struct item *)workers_empty(o.w);

			workers_submit(o.w, &it->link);
			submitted++;
		}
		workers_wait(o.w);
		assert_int_equal(o.done_count, submitted);
		int worked = 0, finished = 0;
		for (int i = 0; i < N_BATCHES; i++) {
			worked += items[i].worked;
			finished += items[i].done;
			/* With no thread, the reader's context is the first. */
			if (threads == 0 && items[i].worked)
				assert_ptr_equal(items[i].worked_by, &c[0]);
		}
		assert_int_equal(worked, submitted);
		assert_int_equal(finished, submitted);
		assert_int_equal(list_length(workers_stop(o.w)), N_BATCHES);
	}
}

/*
 * One thread held inside its first batch: the reader queues more, and once
 * more than help_after wait it works on the oldest itself, with its own
 * context, in submission order.
 */
static void test_reader_helps_with_oldest(void **state)
{
	(void)state;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	int gate_open = 0, entered = 0;
	/* The thread's context, then the reader's. */
	struct ctx c[2] = {
		{ 1, &lock, &cond, &gate_open, &entered },
		{ 2, NULL, NULL, NULL, NULL },
	};
	struct ctx *held = &c[0], *reader = &c[1];
	struct item items[N_BATCHES];
	struct owner o = { 0 };

	memset(items, 0, sizeof(items));
	for (int i = 0; i < N_BATCHES; i++)
		items[i].id = i;
	o.w = workers_start(1, 0, c, sizeof(c[0]), work, done, &o, 2);
	assert_non_null(o.w);
	assert_int_equal(workers_started(o.w), 1);
	for (int i = N_BATCHES - 1; i >= 0; i--)
		workers_recycle(o.w, &items[i].link);

	/* Batch 0 goes to the thread, which stops inside it. */
	workers_submit(o.w, workers_empty(o.w));
	pthread_mutex_lock(&lock);
	while (!entered)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	/* 1 and 2 wait; with 3 queued, more than 2 wait: the reader takes 1. */
	workers_submit(o.w, workers_empty(o.w));
	workers_submit(o.w, workers_empty(o.w));
	assert_int_equal(o.done_count, 0);
	workers_submit(o.w, workers_empty(o.w));
	assert_int_equal(o.done_count, 1);
	assert_int_equal(o.order[0], 1);
	assert_ptr_equal(items[1].worked_by, reader);

	pthread_mutex_lock(&lock);
	gate_open = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	workers_wait(o.w);
	assert_int_equal(o.done_count, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(items[i].done, 1);
	assert_ptr_equal(items[0].worked_by, held);
	assert_int_equal(list_length(workers_stop(o.w)), N_BATCHES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_batch_once),
		cmocka_unit_test(test_reader_helps_with_oldest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
