/*
 * partial.h - a run's exact aggregates in a file, for `tousu merge`.
 *
 * A partial holds everything a run knows before its last step, so that
 * merging any split of the inputs gives what one run over all of them gives:
 *  - the settings that shape the counts: grouping, period, time zone, the
 *    rule set's type ids and fingerprint (merge refuses partials that
 *    differ);
 *  - the shops (keys, names and the time each name was seen);
 *  - the cells: the order counts, and complaints that had no order id;
 *  - every other complaint, classified, with its order id, and every order's
 *    id, shop and finished time: the join waits for the merge, because a
 *    complaint's order may well be in another shard;
 *  - the totals (rows left out and why).
 * So a partial grows with its orders (about 12 bytes each, compressed): the
 * price of an exact join across shards.
 *
 * The file is a gzip stream (zlib) of a magic line "tousu partial 1\n" and
 * little-endian fields with varint lengths; the gzip CRC catches damage, and
 * an end marker with the section counts catches a cut file.
 */
#ifndef TOUSU_PARTIAL_H
#define TOUSU_PARTIAL_H

#include <stdio.h>

#include "analyzers/join.h"
#include "analyzers/rates.h"
#include "analyzers/shop_table.h"
#include "formats/error.h"

#define PARTIAL_MAGIC "tousu partial 1\n"

/* The header a merge checks: the same in every partial it combines. */
struct partial_header {
	struct rates_config cfg;
	char **type_ids;             /* cfg.n_types of them */
	uint64_t rules;              /* rules_fingerprint() of the rule set */
};

/*
 * Writes rates, shops and join (its lefts and rights) to fd, which the
 * caller opened and still owns (it is not closed). -1 with err.
 */
int partial_write(int fd, const struct rates *r, const struct shop_table *shops,
		  struct join *j, const char *const *type_ids, uint64_t rules,
		  struct error *err);

/* Reads path's header; free it with partial_header_release. */
int partial_read_header(const char *path, struct partial_header *h, struct error *err);
void partial_header_release(struct partial_header *h);

/* Whether two headers can be merged; fills err with the difference if not. */
int partial_header_same(const struct partial_header *a, const struct partial_header *b,
			const char *path, struct error *err);

/*
 * The join's filter must know every complaint before it sees an order, so a
 * merge reads each partial twice: first PARTIAL_COUNTS (totals, names,
 * cells, complaints), then, once all partials are in, PARTIAL_ORDERS.
 */
enum partial_part { PARTIAL_COUNTS, PARTIAL_ORDERS };

/*
 * Adds that part of the partial at path into r, shops and j (its shops are
 * interned into shops either way). The header must be the same as r's
 * (checked). -1 with err (err->file is path).
 */
int partial_load(const char *path, enum partial_part part, struct rates *r,
		 struct shop_table *shops, struct join *j, const char *const *type_ids,
		 uint64_t rules, struct error *err);

#endif
