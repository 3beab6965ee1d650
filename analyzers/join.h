/*
 * join.h - joins complaints to their orders by order id in bounded memory.
 *
 * Exports hold far more orders than complaints, and neither fits in memory
 * on a large run, so the join never holds either side whole:
 *  1. every complaint ("left": its order id and an opaque payload) is
 *     appended to a temporary file, and its id set in a Bloom filter of
 *     fixed size (join_expect: apart, so that a reader can announce the ids
 *     at once while the complaints are still being classified);
 *  2. every order ("right": id and a small fixed payload) whose id the filter
 *     may contain is appended to a second temporary file. With 2 million
 *     complaints about one order in 1,300 passes the filter by mistake;
 *     a mistake costs a few bytes of disk, never a wrong result;
 *  3. join_run() loads the complaints into a hash table by order id, scans
 *     the orders file once and keeps, for each id, the best order (the
 *     caller's `better` decides between rows with the same id), then hands
 *     each complaint its order, or none. When the complaints do not fit
 *     half the memory budget (the tables grow by doubling), both files are
 *     first split by id into as many parts as needed (a grace hash join),
 *     and joined part by part; a part that still does not fit takes more
 *     than one pass over its orders.
 * Memory is the filter, the stdio buffers and the budget, whatever the rows.
 * Complaints come back in an order that depends only on what was added and
 * on the budget: the order they were added in a single pass, part by part
 * after a split.
 *
 * With keep_all, every order is kept (no filter): for a partial (merge.h)
 * whose orders other shards' complaints may refer to.
 *
 * Every left's key must have been passed to join_expect() before the first
 * right is added (or the right may be dropped). join_expect() and
 * join_add_right() may run on one thread while join_add_left() runs on
 * another, once every expect is done; otherwise callers serialise.
 *
 * Temporary files are tmpfile(3)s in $TMPDIR (or /tmp): unlinked at once, so
 * nothing is left behind even on a crash. Errors: -1 with err filled (disk
 * full, out of memory).
 */
#ifndef TOUSU_JOIN_H
#define TOUSU_JOIN_H

#include <stddef.h>
#include <stdint.h>

#include "formats/error.h"

#define JOIN_MAX_RIGHT 16         /* bytes of an order's payload */
#define JOIN_DEFAULT_BUDGET (64u << 20)

struct join;

/* budget: bytes of memory for one pass (at least 1 MiB is used). */
struct join *join_new(size_t budget, int keep_all, struct error *err);
void join_free(struct join *j);

/* Announces a left's key to the filter. */
void join_expect(struct join *j, const char *key, size_t key_len);

int join_add_left(struct join *j, const char *key, size_t key_len,
		  const void *payload, size_t payload_len, struct error *err);

/* right_len must be the same for every order, 1 to JOIN_MAX_RIGHT bytes.
 * An order may be decided (kept or dropped) only at a later call: a write
 * error can surface there, or at join_run / join_each_right. */
int join_add_right(struct join *j, const char *key, size_t key_len,
		   const void *payload, size_t payload_len, struct error *err);

/* Lefts and rights added so far. */
uint64_t join_lefts(const struct join *j);
uint64_t join_rights(struct join *j);

/* Non-zero when b should replace a as the order of an id. */
typedef int (*join_better_fn)(void *ctx, const void *a, const void *b);
/* right is NULL when no order has the complaint's id. */
typedef int (*join_pair_fn)(void *ctx, const void *left, size_t left_len, const void *right);

/*
 * Runs the join; on_pair is called once per left. Returns 0, or -1 with err
 * (a read error, no memory, or on_pair returned non-zero: then err is left
 * for the caller). The passes it took are in *passes when not NULL.
 */
int join_run(struct join *j, join_better_fn better, join_pair_fn on_pair, void *ctx,
	     unsigned *passes, struct error *err);

/*
 * Reads back every right (for writing a partial): fn gets key and payload.
 * Call before or after join_run, not during.
 */
typedef int (*join_right_fn)(void *ctx, const char *key, size_t key_len, const void *payload);
int join_each_right(struct join *j, join_right_fn fn, void *ctx, struct error *err);
typedef int (*join_left_fn)(void *ctx, const char *key, size_t key_len, const void *payload,
			    size_t payload_len);
int join_each_left(struct join *j, join_left_fn fn, void *ctx, struct error *err);

#endif
