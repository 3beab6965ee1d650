#include "analyzers/join.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "formats/hash.h"

#define FILTER_BITS (1u << 26)   /* 8 MiB */
#define FILTER_HASHES 4
#define FILTER_ALIGN (2u << 20)
#define PENDING 16               /* orders in flight: enough to cover a miss */
#define PENDING_KEY 48
#define MAX_PARTS 128            /* temporary files of a split join, per side */
#define MIN_BUDGET (1u << 20)
#define IO_BUFFER (1u << 20)

struct join {
	size_t budget;
	int keep_all;
	uint64_t *filter;
	FILE *left, *right;
	char *left_buf, *right_buf;  /* their stdio buffers */
	uint64_t n_left, n_right;
	uint64_t left_bytes;         /* what the lefts take in a pass, about */
	size_t right_len;
	/* Orders wait here while their filter word is prefetched: a lookup per
	 * order would otherwise stall on a cache miss every time. */
	struct pending {
		uint64_t hash;
		uint32_t key_len;
		char key[PENDING_KEY];
		unsigned char payload[JOIN_MAX_RIGHT];
	} pending[PENDING];
	unsigned n_pending, oldest;
	int failed;                  /* a write of a pending order failed */
	struct error failure;
};

/* One record of a temporary file: key length, payload length, key, payload. */
struct rec_head {
	uint32_t key_len;
	uint32_t payload_len;
};

/* An id of the pass being joined, and the best order found for it. */
struct entry {
	uint64_t hash;
	uint64_t key_off;            /* in the pass arena */
	uint32_t key_len;
	int found;
	unsigned char right[JOIN_MAX_RIGHT];
};

/* A complaint of the pass: its id's entry and its payload in the arena. */
struct left_ref {
	uint32_t entry;
	uint32_t payload_len;
	uint64_t payload_off;
};

/*
 * A blocked Bloom filter: all of a key's bits lie in one 64-bit word, so a
 * lookup - done for every order of the export - costs one cache miss, not
 * FILTER_HASHES of them. With 2 million ids in the 8 MiB filter, 1 unknown id
 * in 1,310 passes (measured: 15,267 of 20 million); the price of a false
 * pass is a few bytes of disk.
 */
static uint64_t filter_mask(uint64_t h)
{
	uint64_t mask = 0;
	for (unsigned i = 0; i < FILTER_HASHES; i++)
		mask |= 1ULL << ((h >> (40 + 6 * i)) & 63);
	return mask;
}

static void filter_add(uint64_t *f, uint64_t h)
{
	f[h & (FILTER_BITS / 64 - 1)] |= filter_mask(h);
}

static int filter_has(const uint64_t *f, uint64_t h)
{
	uint64_t mask = filter_mask(h);
	return (f[h & (FILTER_BITS / 64 - 1)] & mask) == mask;
}

static FILE *temp_file(char **buf, struct error *err)
{
	FILE *f = tmpfile();
	if (!f) {
		error_set(err, "", "cannot create a temporary file for the join: %s "
			  "(set TMPDIR to a writable folder)", strerror(errno));
		return NULL;
	}
	*buf = malloc(IO_BUFFER);
	if (*buf)
		setvbuf(f, *buf, _IOFBF, IO_BUFFER);
	return f;
}

struct join *join_new(size_t budget, int keep_all, struct error *err)
{
	struct join *j = calloc(1, sizeof(*j));
	if (!j) {
		error_set(err, "", "out of memory");
		return NULL;
	}
	j->budget = budget < MIN_BUDGET ? MIN_BUDGET : budget;
	j->keep_all = keep_all;
	/* Every order looks up a random word of the filter: huge pages (where the
	 * kernel gives them on request) save a TLB miss on top of the cache miss. */
	j->filter = aligned_alloc(FILTER_ALIGN, FILTER_BITS / 8);
	if (j->filter) {
		madvise(j->filter, FILTER_BITS / 8, MADV_HUGEPAGE);
		memset(j->filter, 0, FILTER_BITS / 8);
	}
	if (!j->filter) {
		error_set(err, "", "out of memory");
		join_free(j);
		return NULL;
	}
	if (!(j->left = temp_file(&j->left_buf, err)) ||
	    !(j->right = temp_file(&j->right_buf, err))) {
		join_free(j);
		return NULL;
	}
	return j;
}

void join_free(struct join *j)
{
	if (!j)
		return;
	if (j->left)
		fclose(j->left);
	if (j->right)
		fclose(j->right);
	free(j->left_buf);
	free(j->right_buf);
	free(j->filter);
	free(j);
}

uint64_t join_lefts(const struct join *j)
{
	return j->n_left;
}

static int flush_pending(struct join *j);

uint64_t join_rights(struct join *j)
{
	flush_pending(j);
	return j->n_right;
}

static int write_rec(FILE *f, const char *key, size_t key_len, const void *payload,
		     size_t payload_len, struct error *err)
{
	struct rec_head h = {(uint32_t)key_len, (uint32_t)payload_len};
	if (fwrite_unlocked(&h, sizeof(h), 1, f) != 1 ||
	    fwrite_unlocked(key, 1, key_len, f) != key_len ||
	    fwrite_unlocked(payload, 1, payload_len, f) != payload_len)
		return error_set(err, "", "cannot write the join's temporary file: %s "
				 "(is $TMPDIR full?)", strerror(errno));
	return 0;
}

int join_add_left(struct join *j, const char *key, size_t key_len, const void *payload,
		  size_t payload_len, struct error *err)
{
	if (key_len > UINT32_MAX || payload_len > UINT32_MAX)
		return error_set(err, "", "join key too long");
	if (write_rec(j->left, key, key_len, payload, payload_len, err) < 0)
		return -1;
	j->n_left++;
	j->left_bytes += key_len + payload_len + sizeof(struct entry) + 2 * sizeof(uint32_t) +
			 sizeof(struct left_ref);
	return 0;
}

void join_expect(struct join *j, const char *key, size_t key_len)
{
	filter_add(j->filter, hash_bytes(HASH_SEED, key, key_len));
}

/* Keeps the order if the filter may know its id. */
static int keep_right(struct join *j, uint64_t hash, const char *key, size_t key_len,
		      const void *payload, struct error *err)
{
	if (!j->keep_all && !filter_has(j->filter, hash))
		return 0;
	if (write_rec(j->right, key, key_len, payload, j->right_len, err) < 0)
		return -1;
	j->n_right++;
	return 0;
}

/* Decides every pending order, oldest first; a failure is kept for later. */
static int flush_pending(struct join *j)
{
	for (; j->n_pending; j->n_pending--, j->oldest = (j->oldest + 1) % PENDING) {
		struct pending *p = &j->pending[j->oldest];
		if (!j->failed && keep_right(j, p->hash, p->key, p->key_len, p->payload,
					     &j->failure) < 0)
			j->failed = 1;
	}
	j->oldest = 0;
	return j->failed ? -1 : 0;
}

int join_add_right(struct join *j, const char *key, size_t key_len, const void *payload,
		   size_t payload_len, struct error *err)
{
	if (payload_len > JOIN_MAX_RIGHT || (j->right_len && payload_len != j->right_len) ||
	    !payload_len)
		return error_set(err, "", "join: order payloads must all be the same size");
	if (j->failed) {
		*err = j->failure;
		return -1;
	}
	j->right_len = payload_len;
	uint64_t h = hash_bytes(HASH_SEED, key, key_len);
	if (j->keep_all || key_len > PENDING_KEY)
		return keep_right(j, h, key, key_len, payload, err);
	if (j->n_pending == PENDING) {
		struct pending *p = &j->pending[j->oldest];
		if (keep_right(j, p->hash, p->key, p->key_len, p->payload, err) < 0)
			return -1;
		j->oldest = (j->oldest + 1) % PENDING;
		j->n_pending--;
	}
	struct pending *p = &j->pending[(j->oldest + j->n_pending++) % PENDING];
	p->hash = h;
	p->key_len = (uint32_t)key_len;
	memcpy(p->key, key, key_len);
	memcpy(p->payload, payload, payload_len);
	__builtin_prefetch(&j->filter[h & (FILTER_BITS / 64 - 1)]);
	return 0;
}

/* Reads the next record into *buf (grown as needed): 1, 0 at the end, -1. */
static int read_rec(FILE *f, struct rec_head *h, char **buf, size_t *cap, struct error *err)
{
	/* Each file is used by one thread at a time: no stdio locking needed. */
	if (fread_unlocked(h, sizeof(*h), 1, f) != 1)
		return ferror(f) ? error_set(err, "", "cannot read the join's temporary file: %s",
					     strerror(errno)) : 0;
	size_t need = (size_t)h->key_len + h->payload_len;
	if (need > *cap) {
		char *b = realloc(*buf, need);
		if (!b)
			return error_set(err, "", "out of memory");
		*buf = b;
		*cap = need;
	}
	if (fread_unlocked(*buf, 1, need, f) != need)
		return error_set(err, "", "the join's temporary file is short");
	return 1;
}

static int rewind_file(FILE *f, struct error *err)
{
	if (fflush(f) != 0 || fseeko(f, 0, SEEK_SET) != 0)
		return error_set(err, "", "cannot rewind the join's temporary file: %s",
				 strerror(errno));
	return 0;
}

/* One pass: the lefts already loaded, their table, then the orders. */
struct pass {
	char *arena;
	size_t arena_len, arena_cap;
	struct entry *entries;
	size_t n_entries, cap_entries;
	struct left_ref *lefts;
	size_t n_lefts, cap_lefts;
	uint32_t *slots;             /* entry + 1, 0 empty */
	size_t n_slots;
};

/* What the pass uses; the arrays grow by doubling and are kept from pass to
 * pass, so what it holds is at most twice the most it ever used. */
static size_t pass_bytes(const struct pass *p)
{
	return p->arena_len + p->n_entries * (sizeof(struct entry) + 2 * sizeof(uint32_t)) +
	       p->n_lefts * sizeof(struct left_ref);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 4096;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * size);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static int rehash(struct pass *p, size_t n)
{
	uint32_t *s = calloc(n, sizeof(*s));
	if (!s)
		return -1;
	for (size_t i = 0; i < p->n_entries; i++) {
		size_t h = p->entries[i].hash & (n - 1);
		while (s[h])
			h = (h + 1) & (n - 1);
		s[h] = (uint32_t)i + 1;
	}
	free(p->slots);
	p->slots = s;
	p->n_slots = n;
	return 0;
}

static struct entry *find(struct pass *p, uint64_t hash, const char *key, size_t len,
			  size_t *slot)
{
	size_t h = hash & (p->n_slots - 1);
	for (; p->slots[h]; h = (h + 1) & (p->n_slots - 1)) {
		struct entry *e = &p->entries[p->slots[h] - 1];
		if (e->hash == hash && e->key_len == len && !memcmp(p->arena + e->key_off, key, len))
			return e;
	}
	*slot = h;
	return NULL;
}

/* Adds a left to the pass; -1 if out of memory. */
static int pass_add(struct pass *p, const char *rec, const struct rec_head *h)
{
	uint64_t hash = hash_bytes(HASH_SEED, rec, h->key_len);
	size_t slot;

	if ((p->n_entries + 1) * 10 > p->n_slots * 7 &&
	    rehash(p, p->n_slots ? p->n_slots * 2 : 4096) < 0)
		return -1;
	if (grow((void **)&p->arena, &p->arena_cap, p->arena_len + h->key_len + h->payload_len, 1) < 0 ||
	    grow((void **)&p->lefts, &p->cap_lefts, p->n_lefts + 1, sizeof(*p->lefts)) < 0)
		return -1;
	struct entry *e = find(p, hash, rec, h->key_len, &slot);
	if (!e) {
		if (grow((void **)&p->entries, &p->cap_entries, p->n_entries + 1,
			 sizeof(*p->entries)) < 0)
			return -1;
		e = &p->entries[p->n_entries];
		e->hash = hash;
		e->key_off = p->arena_len;
		e->key_len = h->key_len;
		e->found = 0;
		memcpy(p->arena + p->arena_len, rec, h->key_len);
		p->arena_len += h->key_len;
		p->slots[slot] = (uint32_t)++p->n_entries;
	}
	struct left_ref *l = &p->lefts[p->n_lefts++];
	l->entry = (uint32_t)(e - p->entries);
	l->payload_len = h->payload_len;
	l->payload_off = p->arena_len;
	memcpy(p->arena + p->arena_len, rec + h->key_len, h->payload_len);
	p->arena_len += h->payload_len;
	return 0;
}

static void pass_reset(struct pass *p)
{
	p->arena_len = 0;
	p->n_entries = 0;
	p->n_lefts = 0;
	if (p->slots)
		memset(p->slots, 0, p->n_slots * sizeof(*p->slots));
}

static void pass_free(struct pass *p)
{
	free(p->arena);
	free(p->entries);
	free(p->lefts);
	free(p->slots);
}

/* Joins the lefts of one file with the rights of another, in passes of
 * at most the budget. Both files are read from their start. */
static int join_files(const struct join *j, FILE *left, FILE *right, struct pass *p,
		      join_better_fn better, join_pair_fn on_pair, void *ctx,
		      unsigned *n_passes, struct error *err)
{
	struct rec_head h;
	char *rec = NULL, *rrec = NULL;
	size_t cap = 0, rcap = 0;
	int rc = -1, more;

	if (rewind_file(left, err) < 0)
		return -1;
	more = read_rec(left, &h, &rec, &cap, err);
	while (more > 0) {
		/* Load lefts until the budget is spent; at least one per pass. */
		pass_reset(p);
		do {
			if (pass_add(p, rec, &h) < 0) {
				error_set(err, "", "out of memory");
				goto out;
			}
			more = read_rec(left, &h, &rec, &cap, err);
		} while (more > 0 && pass_bytes(p) < j->budget / 2);
		if (more < 0)
			goto out;
		++*n_passes;
		/* Then every order once, keeping the best for each id loaded. */
		struct rec_head rh;
		int got;
		if (rewind_file(right, err) < 0)
			goto out;
		while ((got = read_rec(right, &rh, &rrec, &rcap, err)) > 0) {
			size_t slot;
			struct entry *e = find(p, hash_bytes(HASH_SEED, rrec, rh.key_len), rrec,
					       rh.key_len, &slot);
			if (!e)
				continue;
			const void *payload = rrec + rh.key_len;
			if (!e->found || better(ctx, e->right, payload)) {
				memcpy(e->right, payload, rh.payload_len);
				e->found = 1;
			}
		}
		if (got < 0)
			goto out;
		for (size_t i = 0; i < p->n_lefts; i++) {
			const struct left_ref *l = &p->lefts[i];
			const struct entry *e = &p->entries[l->entry];
			if (on_pair(ctx, p->arena + l->payload_off, l->payload_len,
				    e->found ? e->right : NULL))
				goto out;
		}
	}
	rc = more < 0 ? -1 : 0;
out:
	free(rec);
	free(rrec);
	return rc;
}

/* Copies every record of src into parts[hash % n], by the high bits of the
 * hash (the low ones index the pass's table). */
static int split(FILE *src, FILE **parts, unsigned n, struct error *err)
{
	struct rec_head h;
	char *rec = NULL;
	size_t cap = 0;
	int got;

	if (rewind_file(src, err) < 0)
		return -1;
	while ((got = read_rec(src, &h, &rec, &cap, err)) > 0) {
		uint64_t hash = hash_bytes(HASH_SEED, rec, h.key_len);
		FILE *f = parts[(hash >> 32) % n];
		if (write_rec(f, rec, h.key_len, rec + h.key_len, h.payload_len, err) < 0) {
			got = -1;
			break;
		}
	}
	free(rec);
	return got < 0 ? -1 : 0;
}

int join_run(struct join *j, join_better_fn better, join_pair_fn on_pair, void *ctx,
	     unsigned *passes, struct error *err)
{
	struct pass p = {0};
	unsigned n_passes = 0, n_parts;
	FILE *parts[2 * MAX_PARTS] = {0};
	int rc = -1;

	if (flush_pending(j) < 0) {
		*err = j->failure;
		return -1;
	}
	/*
	 * When the complaints fit the budget, one pass over each file. When
	 * not, scanning every order once per pass would cost passes x orders:
	 * split both files by id instead (a grace hash join), so that each
	 * part fits, and join part by part.
	 */
	n_parts = (unsigned)(j->left_bytes / (j->budget / 2) + 1);
	if (n_parts > 1)
		n_parts += n_parts / 4 + 1;  /* ids do not spread perfectly evenly */
	if (n_parts > MAX_PARTS)
		n_parts = MAX_PARTS;     /* a part over the budget takes more passes */
	if (n_parts == 1) {
		rc = join_files(j, j->left, j->right, &p, better, on_pair, ctx, &n_passes, err);
		goto out;
	}
	for (unsigned i = 0; i < 2 * n_parts; i++)
		if (!(parts[i] = tmpfile())) {
			error_set(err, "", "cannot create a temporary file for the join: %s "
				  "(set TMPDIR to a writable folder)", strerror(errno));
			goto out;
		}
	if (split(j->left, parts, n_parts, err) < 0 ||
	    split(j->right, parts + n_parts, n_parts, err) < 0)
		goto out;
	for (unsigned i = 0; i < n_parts; i++)
		if (join_files(j, parts[i], parts[n_parts + i], &p, better, on_pair, ctx,
			       &n_passes, err) < 0)
			goto out;
	rc = 0;
out:
	for (unsigned i = 0; i < 2 * MAX_PARTS; i++)
		if (parts[i])
			fclose(parts[i]);
	/* Later adds append. */
	if (fseeko(j->left, 0, SEEK_END) != 0 || fseeko(j->right, 0, SEEK_END) != 0)
		rc = error_set(err, "", "cannot seek the join's temporary file");
	if (passes)
		*passes = n_passes;
	pass_free(&p);
	return rc;
}

static int each(FILE *f, join_right_fn right_fn, join_left_fn left_fn, void *ctx,
		struct error *err)
{
	struct rec_head h;
	char *rec = NULL;
	size_t cap = 0;
	int got, rc = 0;

	if (rewind_file(f, err) < 0)
		return -1;
	while ((got = read_rec(f, &h, &rec, &cap, err)) > 0) {
		rc = right_fn ? right_fn(ctx, rec, h.key_len, rec + h.key_len)
			      : left_fn(ctx, rec, h.key_len, rec + h.key_len, h.payload_len);
		if (rc)
			break;
	}
	free(rec);
	if (got < 0 || rc)
		return -1;
	if (fseeko(f, 0, SEEK_END) != 0)
		return error_set(err, "", "cannot seek the join's temporary file");
	return 0;
}

int join_each_right(struct join *j, join_right_fn fn, void *ctx, struct error *err)
{
	if (flush_pending(j) < 0) {
		*err = j->failure;
		return -1;
	}
	return each(j->right, fn, NULL, ctx, err);
}

int join_each_left(struct join *j, join_left_fn fn, void *ctx, struct error *err)
{
	return each(j->left, NULL, fn, ctx, err);
}
