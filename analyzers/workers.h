/*
 * workers.h - batches handed from one reading thread to worker threads.
 *
 * The one pool of threads behind `classify` (rows written in input order)
 * and classify_pool.h (rates and report, results aggregated in any order).
 * The caller owns its batches, each starting with a struct batch_link, and
 * gives them to the pool empty. The reader takes an empty batch, fills it
 * and submits it; a worker runs `work` on it without the lock held, then
 * `done` with the lock held, in which the caller decides what becomes of
 * it: recycled at once, or kept until earlier batches are done too.
 *
 * The reader is the critical path (it parses, and may inflate too), so
 * workers run at a lower priority (`nice`; a nice value is per thread on
 * Linux, and failing to set it costs only speed), and when more than
 * `help_after` batches wait, submitting one makes the reader run the
 * oldest itself rather than read further ahead.
 *
 * With 0 threads, or when no thread could start, submit runs work and
 * done on the caller's thread. A caller gives threads + 1 worker contexts
 * (its own structs, one after another); the reader's is the one after
 * the threads that started.
 */
#ifndef TOUSU_WORKERS_H
#define TOUSU_WORKERS_H

#include <stddef.h>

struct batch_link {
	struct batch_link *next;
};

typedef void (*workers_work_fn)(void *worker, struct batch_link *b);
/* With the pool's lock held; may call workers_recycle(). */
typedef void (*workers_done_fn)(void *owner, struct batch_link *b);

struct workers;

/*
 * Starts up to `threads` threads, thread i running work with the context
 * at contexts + i * context_size. help_after 0: the reader never helps.
 * Returns NULL when out of memory.
 */
struct workers *workers_start(size_t threads, int nice, void *contexts,
			      size_t context_size, workers_work_fn work,
			      workers_done_fn done, void *owner, size_t help_after);

/* How many threads run (0: everything runs on the reader's thread). */
size_t workers_started(const struct workers *w);

/* Gives an empty batch to the pool: before submitting, or from done. */
void workers_recycle(struct workers *w, struct batch_link *b);

/* An empty batch for the reader to fill, waiting for one if need be. */
struct batch_link *workers_empty(struct workers *w);

void workers_submit(struct workers *w, struct batch_link *b);

/* Waits until every submitted batch is done. */
void workers_wait(struct workers *w);

/*
 * Stops and joins the threads once every submitted batch is done, frees
 * the pool, and returns the batches it held (empty ones, and any kept by
 * done are the caller's already) as a list for the caller to free.
 */
struct batch_link *workers_stop(struct workers *w);

#endif
