#include "analyzers/chats.h"

#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/hash.h"

#define CHUNK (16u << 10)         /* a part's buffer, written as one chunk */
#define MAX_KEY 65535
#define KEPT_TEXTS 3
#define RUN_ROWS 4096             /* a run longer than this is spooled in pieces */

enum { F_MARKER = 16, F_NIGHT = 32 };

/*
 * A spooled run: consecutive rows of one session, shop and buyer, as the
 * input gives them (an export lists a conversation's rows together, so a
 * session is usually one run). A head of RUN_HEAD bytes - shop (4), rows
 * (2), session and buyer lengths (2 + 2), bytes of times (4) - then the
 * session and buyer bytes, the times (each a varint of the zigzagged
 * difference from the one before, the first from 0: a byte or two where an
 * int64 took eight) and a kind per row (seller << 2 | channel). Records are
 * packed, so they are read with memcpy (struct run).
 */
#define RUN_HEAD 14

struct run {
	uint32_t shop, n, session_len, buyer_len, tbytes;
	const char *session, *buyer;
	const unsigned char *times, *kinds;
};

static uint32_t get32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint16_t get16(const char *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static void run_read(const char *p, struct run *r)
{
	r->shop = get32(p);
	r->n = get16(p + 4);
	r->session_len = get16(p + 6);
	r->buyer_len = get16(p + 8);
	r->tbytes = get32(p + 10);
	r->session = p + RUN_HEAD;
	r->buyer = r->session + r->session_len;
	r->times = (const unsigned char *)r->buyer + r->buyer_len;
	r->kinds = r->times + r->tbytes;
}

static unsigned char *put_varint(unsigned char *o, uint64_t v)
{
	while (v >= 0x80) {
		*o++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*o++ = (unsigned char)v;
	return o;
}

static const unsigned char *get_varint(const unsigned char *p, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned shift = 0;; shift += 7) {
		unsigned char b = *p++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80) || shift >= 63)
			break;
	}
	*v = x;
	return p;
}

/* A spooled seller-initiated contact, or a marker that S and B chatted. */
struct contact_head {
	int64_t time;
	uint32_t shop;
	uint16_t buyer_len;
	uint8_t flags, zero;
};

_Static_assert(sizeof(struct contact_head) % 8 == 0, "spooled heads keep 8-byte alignment");

struct abusive {
	uint32_t shop;
	int64_t time;
	char *buyer, *text;
	size_t buyer_len;
};

/*
 * Many parts in one temporary file (creating hundreds of files cost tens of
 * milliseconds on ext4, before a row was read). Each part gathers bytes in
 * its buffer; a full buffer is appended to the file as a chunk, and a part
 * is read back as its chunks in order, then what its buffer holds.
 */
struct chunk {
	uint64_t off;
	uint32_t len, next;          /* next: the part's next chunk + 1, 0 none */
};

struct spool {
	FILE *file;
	int fd;
	unsigned n_parts;
	size_t chunk;                /* a part's buffer, written as one chunk */
	char **buf;                  /* allocated at a part's first byte */
	size_t *len;                 /* bytes in buf */
	uint64_t *bytes;             /* the part's bytes, chunks and buf */
	uint32_t *first, *last;      /* chunk + 1, 0 none */
	struct chunk *chunks;
	size_t n_chunks, cap_chunks;
	uint64_t end;
	pthread_mutex_t lock;        /* the file's end and the chunk list */
};

struct chats {
	unsigned n_parts;
	int32_t tz;
	struct spool rows, contacts;
	pthread_mutex_t *contact_locks;  /* the sessions' walkers share the contact parts */
	/* The run being gathered: key = session bytes, then buyer bytes. */
	struct {
		uint32_t shop;
		uint16_t session_len, buyer_len;
		unsigned part;
		char *key;
		size_t key_cap;
		int64_t *t;
		uint8_t *kind;
		size_t n;
		char *out;               /* the record, built for one fwrite */
		size_t out_cap;
	} run;
	struct abusive *abusive;
	size_t n_abusive, cap_abusive;
	/* With complaints: markers for "S and B chatted", the abusive texts.
	 * Without, only the counts per shop are kept. */
	int evidence;
	uint64_t *shop_abusive;
	size_t n_shop_abusive;
};

/* Records are padded to 8 bytes, so the heads that start them are aligned
 * when a part is read back whole. */
static size_t pad8(size_t n)
{
	return (8 - n % 8) % 8;
}

static const char zeros[8];

const char *chats_evidence_name(enum chat_evidence e)
{
	static const char *const names[] = {"n/a", "supported", "not_supported", "no_chats"};
	return names[e];
}

static int spool_init(struct spool *s, unsigned n_parts, size_t chunk, struct error *err)
{
	s->n_parts = n_parts;
	s->chunk = chunk;
	s->fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	s->buf = calloc(n_parts, sizeof(*s->buf));
	s->len = calloc(n_parts, sizeof(*s->len));
	s->bytes = calloc(n_parts, sizeof(*s->bytes));
	s->first = calloc(n_parts, sizeof(*s->first));
	s->last = calloc(n_parts, sizeof(*s->last));
	if (!s->buf || !s->len || !s->bytes || !s->first || !s->last)
		return error_set(err, "", "out of memory");
	if (!(s->file = tmpfile()))
		return error_set(err, "", "cannot create a temporary file: %s (set TMPDIR to a "
				 "writable folder)", strerror(errno));
	s->fd = fileno(s->file);
	return 0;
}

static void spool_release(struct spool *s)
{
	if (s->file)
		fclose(s->file);
	for (unsigned i = 0; s->buf && i < s->n_parts; i++)
		free(s->buf[i]);
	free(s->buf);
	free(s->len);
	free(s->bytes);
	free(s->first);
	free(s->last);
	free(s->chunks);
	pthread_mutex_destroy(&s->lock);
}

static int write_failed(struct error *err)
{
	return error_set(err, "", "cannot write a temporary file: %s (is $TMPDIR full?)",
			 strerror(errno));
}

/* Appends n bytes to the file as part k's next chunk. */
static int spool_chunk(struct spool *s, unsigned k, const char *data, size_t n,
		       struct error *err)
{
	pthread_mutex_lock(&s->lock);
	if (s->n_chunks == s->cap_chunks) {
		size_t cap = s->cap_chunks ? 2 * s->cap_chunks : 1024;
		struct chunk *a = cap < UINT32_MAX ? realloc(s->chunks, cap * sizeof(*a)) : NULL;
		if (!a) {
			pthread_mutex_unlock(&s->lock);
			return error_set(err, "", "out of memory");
		}
		s->chunks = a;
		s->cap_chunks = cap;
	}
	uint64_t off = s->end;
	s->end += n;
	uint32_t id = (uint32_t)++s->n_chunks;
	s->chunks[id - 1] = (struct chunk){off, (uint32_t)n, 0};
	if (s->last[k])
		s->chunks[s->last[k] - 1].next = id;
	else
		s->first[k] = id;
	s->last[k] = id;
	pthread_mutex_unlock(&s->lock);
	/* Chunks own disjoint ranges: written outside the lock. */
	for (size_t done = 0; done < n;) {
		ssize_t w = pwrite(s->fd, data + done, n - done, (off_t)(off + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return write_failed(err);
		done += (size_t)w;
	}
	return 0;
}

/* Adds n bytes to part k. Callers serialise the calls for one part. */
static int spool_put(struct spool *s, unsigned k, const void *data, size_t n,
		     struct error *err)
{
	if (!s->buf[k] && !(s->buf[k] = malloc(s->chunk)))
		return error_set(err, "", "out of memory");
	s->bytes[k] += n;
	if (s->len[k] + n > s->chunk) {
		if (s->len[k] && spool_chunk(s, k, s->buf[k], s->len[k], err) < 0)
			return -1;
		s->len[k] = 0;
		if (n > s->chunk)
			return spool_chunk(s, k, data, n, err);
	}
	memcpy(s->buf[k] + s->len[k], data, n);
	s->len[k] += n;
	return 0;
}

/* Reads chunk ch back into to (ch->len bytes). */
static int read_chunk(const struct spool *s, const struct chunk *ch, char *to, struct error *err)
{
	for (size_t done = 0; done < ch->len;) {
		ssize_t r = pread(s->fd, to + done, ch->len - done, (off_t)(ch->off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return error_set(err, "", "cannot read a temporary file back: %s",
					 r < 0 ? strerror(errno) : "it is shorter than written");
		done += (size_t)r;
	}
	return 0;
}

/* Part k's bytes, read back whole into *data (of *cap bytes, grown). */
static int spool_read(struct spool *s, unsigned k, char **data, size_t *cap, size_t *len,
		      struct error *err)
{
	size_t size = (size_t)s->bytes[k];
	if (size > *cap) {
		char *d = realloc(*data, size);
		if (!d)
			return error_set(err, "", "out of memory");
		*data = d;
		*cap = size;
	}
	size_t at = 0;
	for (uint32_t id = s->first[k]; id; id = s->chunks[id - 1].next) {
		const struct chunk *ch = &s->chunks[id - 1];
		if (read_chunk(s, ch, *data + at, err) < 0)
			return -1;
		at += ch->len;
	}
	if (s->len[k])
		memcpy(*data + at, s->buf[k], s->len[k]);
	*len = at + s->len[k];
	return 0;
}

struct chats *chats_new(unsigned n_parts, int32_t tz, int evidence, struct error *err)
{
	struct chats *c = calloc(1, sizeof(*c));
	if (!c || !n_parts) {
		free(c);
		error_set(err, "", "out of memory");
		return NULL;
	}
	c->n_parts = n_parts;
	c->tz = tz;
	c->evidence = evidence;
	c->contact_locks = calloc(n_parts, sizeof(*c->contact_locks));
	for (unsigned i = 0; c->contact_locks && i < n_parts; i++)
		pthread_mutex_init(&c->contact_locks[i], NULL);
	c->run.t = malloc(RUN_ROWS * sizeof(*c->run.t));
	c->run.kind = malloc(RUN_ROWS);
	if (!c->contact_locks || !c->run.t || !c->run.kind) {
		chats_free(c);
		error_set(err, "", "out of memory");
		return NULL;
	}
	if (spool_init(&c->rows, n_parts, CHUNK, err) < 0 ||
	    spool_init(&c->contacts, n_parts, CHUNK, err) < 0) {
		chats_free(c);
		return NULL;
	}
	return c;
}

void chats_free(struct chats *c)
{
	if (!c)
		return;
	if (c->rows.n_parts)
		spool_release(&c->rows);
	if (c->contacts.n_parts)
		spool_release(&c->contacts);
	for (size_t i = 0; i < c->n_abusive; i++) {
		free(c->abusive[i].buyer);
		free(c->abusive[i].text);
	}
	free(c->abusive);
	free(c->shop_abusive);
	for (unsigned i = 0; c->contact_locks && i < c->n_parts; i++)
		pthread_mutex_destroy(&c->contact_locks[i]);
	free(c->contact_locks);
	free(c->run.key);
	free(c->run.t);
	free(c->run.kind);
	free(c->run.out);
	free(c);
}

/* Writes the run gathered so far to its part, as one record. */
static int flush_run(struct chats *c, struct error *err)
{
	size_t n = c->run.n, kl = (size_t)c->run.session_len + c->run.buyer_len;
	if (!n)
		return 0;
	size_t most = RUN_HEAD + kl + n * 11;
	if (most > c->run.out_cap) {
		size_t cap = c->run.out_cap ? c->run.out_cap : 4096;
		while (cap < most)
			cap *= 2;
		char *o = realloc(c->run.out, cap);
		if (!o)
			return error_set(err, "", "out of memory");
		c->run.out = o;
		c->run.out_cap = cap;
	}
	char *o = c->run.out;
	uint32_t shop = c->run.shop;
	uint16_t rows = (uint16_t)n, sl = c->run.session_len, bl = c->run.buyer_len;
	memcpy(o, &shop, 4);
	memcpy(o + 4, &rows, 2);
	memcpy(o + 6, &sl, 2);
	memcpy(o + 8, &bl, 2);
	memcpy(o + RUN_HEAD, c->run.key, kl);
	unsigned char *t = (unsigned char *)o + RUN_HEAD + kl, *t0 = t;
	uint64_t prev = 0;
	for (size_t i = 0; i < n; i++) {
		/* Differences wrap around in unsigned arithmetic, both ways. */
		uint64_t d = (uint64_t)c->run.t[i] - prev;
		prev = (uint64_t)c->run.t[i];
		t = put_varint(t, d << 1 ^ (uint64_t)-(int64_t)(d >> 63));
	}
	uint32_t tbytes = (uint32_t)(t - t0);
	memcpy(o + 10, &tbytes, 4);
	memcpy(t, c->run.kind, n);
	size_t size = (size_t)(t + n - (unsigned char *)o);
	c->run.n = 0;
	return spool_put(&c->rows, c->run.part, o, size, err);
}

int chats_add(struct chats *c, const struct chat_row *row, struct error *err)
{
	size_t sl = row->session_len > MAX_KEY ? MAX_KEY : row->session_len;
	size_t bl = row->buyer_len > MAX_KEY ? MAX_KEY : row->buyer_len;

	if (!c->run.n || c->run.n == RUN_ROWS || row->shop != c->run.shop ||
	    sl != c->run.session_len || bl != c->run.buyer_len ||
	    memcmp(c->run.key, row->session, sl) || memcmp(c->run.key + sl, row->buyer, bl)) {
		if (flush_run(c, err) < 0)
			return -1;
		if (sl + bl > c->run.key_cap) {
			size_t cap = c->run.key_cap ? c->run.key_cap : 256;
			while (cap < sl + bl)
				cap *= 2;
			char *k = realloc(c->run.key, cap);
			if (!k)
				return error_set(err, "", "out of memory");
			c->run.key = k;
			c->run.key_cap = cap;
		}
		if (sl)
			memcpy(c->run.key, row->session, sl);
		if (bl)
			memcpy(c->run.key + sl, row->buyer, bl);
		c->run.shop = row->shop;
		c->run.session_len = (uint16_t)sl;
		c->run.buyer_len = (uint16_t)bl;
		c->run.part = (unsigned)(hash_bytes(HASH_SEED, row->session, sl) % c->n_parts);
	}
	c->run.t[c->run.n] = row->time;
	c->run.kind[c->run.n] = (uint8_t)((row->seller ? 4 : 0) | row->channel);
	c->run.n++;
	return 0;
}

int chats_add_abusive(struct chats *c, uint32_t shop, int64_t time, const char *buyer,
		      size_t buyer_len, const char *text, size_t text_len, struct error *err)
{
	size_t bl = buyer_len > MAX_KEY ? MAX_KEY : buyer_len;
	if (!c->evidence) {
		if (shop >= c->n_shop_abusive) {
			size_t n = c->n_shop_abusive ? 2 * c->n_shop_abusive : 1024;
			while (n <= shop)
				n *= 2;
			uint64_t *a = realloc(c->shop_abusive, n * sizeof(*a));
			if (!a)
				return error_set(err, "", "out of memory");
			memset(a + c->n_shop_abusive, 0, (n - c->n_shop_abusive) * sizeof(*a));
			c->shop_abusive = a;
			c->n_shop_abusive = n;
		}
		c->shop_abusive[shop]++;
		return 0;
	}
	if (c->n_abusive == c->cap_abusive) {
		size_t cap = c->cap_abusive ? 2 * c->cap_abusive : 64;
		struct abusive *a = realloc(c->abusive, cap * sizeof(*a));
		if (!a)
			return error_set(err, "", "out of memory");
		c->abusive = a;
		c->cap_abusive = cap;
	}
	struct abusive *a = &c->abusive[c->n_abusive];
	a->shop = shop;
	a->time = time;
	a->buyer_len = bl;
	a->buyer = malloc(bl + 1);
	a->text = strndup(text, text_len);
	if (!a->buyer || !a->text) {
		free(a->buyer);
		free(a->text);
		return error_set(err, "", "out of memory");
	}
	if (bl)
		memcpy(a->buyer, buyer, bl);
	a->buyer[bl] = '\0';
	c->n_abusive++;
	return 0;
}

/* ---- loading a part ---- */

/* A part read back whole, and the scratch its walk needs. */
struct part {
	char *data;
	size_t len, cap;
	uint64_t *at;                /* offsets of the records */
	uint64_t *h;                 /* their group hashes */
	uint32_t *next;              /* the next record of the same group, index + 1 */
	uint8_t *joined;             /* 1: not its group's first record */
	uint32_t *slot;              /* the group table: first record + 1, 0 empty */
	size_t n, n_cap, n_slots;
	struct srow *rows;           /* one group's rows, to sort */
	size_t rows_cap;
};

/* Reads part k's records (head size hs, then keys(head) bytes). */
static int load_part(struct spool *s, unsigned k, size_t hs, size_t (*keys)(const void *),
		     struct part *p, struct error *err)
{
	p->len = p->n = 0;
	if (spool_read(s, k, &p->data, &p->cap, &p->len, err) < 0)
		return -1;
	size_t size = p->len;
	for (size_t off = 0; off + hs <= size; off += hs + keys(p->data + off)) {
		if (p->n == p->n_cap) {
			size_t cap = p->n_cap ? 2 * p->n_cap : 4096;
			uint64_t *a = realloc(p->at, cap * sizeof(*a));
			if (a)
				p->at = a;
			uint64_t *h = a ? realloc(p->h, cap * sizeof(*h)) : NULL;
			if (h)
				p->h = h;
			uint32_t *nx = h ? realloc(p->next, cap * sizeof(*nx)) : NULL;
			if (nx)
				p->next = nx;
			uint8_t *jn = nx ? realloc(p->joined, cap) : NULL;
			if (!jn)
				return error_set(err, "", "out of memory");
			p->joined = jn;
			p->n_cap = cap;
		}
		p->at[p->n++] = off;
	}
	if (p->n >= UINT32_MAX)
		return error_set(err, "", "a part of over 4 billion records");
	return 0;
}

static size_t run_keys(const void *h)
{
	struct run r;
	run_read(h, &r);
	return (size_t)r.session_len + r.buyer_len + r.tbytes + r.n;
}

static size_t contact_keys(const void *h)
{
	size_t n = ((const struct contact_head *)h)->buyer_len;
	return n + pad8(n);
}

static int cmp_mem(const void *a, size_t al, const void *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	return c ? c : (al > bl) - (al < bl);
}

/*
 * The hash of a shop and key bytes (a session or a buyer). Each use has its
 * own salt, so that hashes that must not line up do not: a contact's part
 * and the table that groups the part's contacts, or the complaints' table
 * probed with a part's keys.
 */
#define SALT_RUN_GROUP HASH_SEED
#define SALT_CONTACT_PART 0xd6e8feb86659fd93ULL
#define SALT_CONTACT_GROUP 0x84222325cbf29ce4ULL
#define SALT_CLAIMS 0

static uint64_t shop_key_hash(uint64_t salt, uint32_t shop, const void *key, size_t n)
{
	return hash_bytes((uint64_t)shop * 0x9e3779b97f4a7c15ULL ^ salt, key, n);
}

static uint64_t run_group_hash(const char *rec)
{
	return shop_key_hash(SALT_RUN_GROUP, get32(rec), rec + RUN_HEAD, get16(rec + 6));
}

static uint64_t contact_group_hash(const struct contact_head *r)
{
	return shop_key_hash(SALT_CONTACT_GROUP, r->shop, r + 1, r->buyer_len);
}

static int same_run_group(const char *a, const char *b)
{
	return get32(a) == get32(b) &&
	       !cmp_mem(a + RUN_HEAD, get16(a + 6), b + RUN_HEAD, get16(b + 6));
}

static int same_contact_group(const struct contact_head *a, const struct contact_head *b)
{
	return a->shop == b->shop && !cmp_mem(a + 1, a->buyer_len, b + 1, b->buyer_len);
}

/*
 * Groups a part's records: sessions (rows = 1: shop and session) or shop and
 * buyer (contacts). An open-addressing table of the groups' first records,
 * each chaining the rest through next[]; the bytes decide, so two groups
 * with one hash stay apart. Each group is walked from its first record, in
 * the part's order (the data is read in sequence); the order of groups
 * changes no result (each adds to per-shop sums, or is looked up by its
 * key).
 */
static int group_part(struct part *p, int rows, struct error *err)
{
	size_t want = 16;
	while (want < 2 * p->n)
		want *= 2;
	if (want > p->n_slots) {
		free(p->slot);
		if (!(p->slot = malloc(want * sizeof(*p->slot)))) {
			p->n_slots = 0;
			return error_set(err, "", "out of memory");
		}
		p->n_slots = want;
	}
	memset(p->slot, 0, p->n_slots * sizeof(*p->slot));
	size_t mask = p->n_slots - 1;
	/* A record joins its group's chain just after the first: the order
	 * within a group is sorted out later. */
	for (size_t i = 0; i < p->n; i++) {
		const char *rec = p->data + p->at[i];
		uint64_t h = rows ? run_group_hash(rec) : contact_group_hash((const void *)rec);
		p->h[i] = h;
		p->next[i] = 0;
		p->joined[i] = 0;
		size_t s = (size_t)(h >> 32 ^ h) & mask;
		for (; p->slot[s]; s = (s + 1) & mask) {
			size_t j = p->slot[s] - 1;
			if (p->h[j] != h)
				continue;
			const char *o = p->data + p->at[j];
			if (rows ? same_run_group(o, rec)
				 : same_contact_group((const void *)o, (const void *)rec))
				break;
		}
		if (p->slot[s]) {
			size_t j = p->slot[s] - 1;
			p->next[i] = p->next[j];
			p->next[j] = (uint32_t)(i + 1);
			p->joined[i] = 1;
		} else {
			p->slot[s] = (uint32_t)(i + 1);
		}
	}
	return 0;
}

/* One row of a session, to sort and walk. */
struct srow {
	int64_t time;
	uint32_t tie;                /* seller << 16 | channel: buyer rows first in a second */
	uint16_t buyer_len;
	const char *buyer;
};

/* Time, buyer rows before seller rows, channel, then the buyer's bytes:
 * never the input's order. Rows equal here differ in nothing the walk looks
 * at. */
static int srow_before(const struct srow *a, const struct srow *b)
{
	if (a->time != b->time)
		return a->time < b->time;
	if (a->tie != b->tie)
		return a->tie < b->tie;
	if (a->buyer == b->buyer)
		return 0;
	return cmp_mem(a->buyer, a->buyer_len, b->buyer, b->buyer_len) < 0;
}

static int cmp_srows(const void *pa, const void *pb)
{
	const struct srow *a = pa, *b = pb;
	return srow_before(a, b) ? -1 : srow_before(b, a) ? 1 : 0;
}

static void sort_srows(struct srow *r, size_t n)
{
	size_t i = 1;
	while (i < n && !srow_before(&r[i], &r[i - 1]))
		i++;
	if (i == n)
		return;  /* already in order: the usual case */
	if (n > 32) {
		qsort(r, n, sizeof(*r), cmp_srows);
		return;
	}
	for (; i < n; i++) {
		struct srow x = r[i];
		size_t b = i;
		for (; b > 0 && srow_before(&x, &r[b - 1]); b--)
			r[b] = r[b - 1];
		r[b] = x;
	}
}

/* ---- per-shop response times ----
 *
 * The median and the 90th percentile must be exact, but keeping one value
 * per answered session in memory would make memory grow with the sessions.
 * The sessions' walk spools each first response as a record (shop and
 * seconds, 8 bytes) to a part per runner and block of shops; the shops'
 * sums then take one block at a time, count its records per shop and
 * distinct second (open addressing: a shop's replies take only so many
 * distinct values) and read the ranks off the counts. Memory holds one
 * block's counts per runner, whatever the number of sessions.
 */

/* A response time out of 32 bits (rare), or a shop that is the mark: the
 * mark, the shop, then the value as 8 bytes. */
#define TIME_WIDE UINT32_MAX

/* A response time of under 2^32 s and its count, in 8 bytes. */
struct tslot {
	uint32_t secs;
	uint32_t count;              /* 0: empty */
};

struct times {
	struct tslot *slot;          /* a value and its count side by side: one miss */
	size_t n, cap;               /* distinct values; slots */
	uint64_t total;
	int64_t *wide;               /* (value, count) pairs no slot holds: a value out
				      * of 32 bits, or counts past a full slot's */
	size_t n_wide;
};

static size_t tslot_of(int64_t v, size_t cap)
{
	return (size_t)((uint64_t)v * 0x9e3779b97f4a7c15ULL >> 20) & (cap - 1);
}

static int push_wide(struct times *t, int64_t v)
{
	size_t i = 0;
	while (i < t->n_wide && t->wide[2 * i] != v)
		i++;
	if (i == t->n_wide) {
		int64_t *a = realloc(t->wide, 2 * (i + 1) * sizeof(*a));
		if (!a)
			return -1;
		t->wide = a;
		a[2 * i] = v;
		a[2 * i + 1] = 0;
		t->n_wide++;
	}
	t->wide[2 * i + 1]++;
	t->total++;
	return 0;
}

static int push_time(struct times *t, int64_t v)
{
	if (v < 0 || v > (int64_t)UINT32_MAX)
		return push_wide(t, v);
	if (2 * (t->n + 1) > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct tslot *a = calloc(cap, sizeof(*a));
		if (!a)
			return -1;
		for (size_t i = 0; i < t->cap; i++)
			if (t->slot[i].count) {
				size_t h = tslot_of(t->slot[i].secs, cap);
				while (a[h].count)
					h = (h + 1) & (cap - 1);
				a[h] = t->slot[i];
			}
		free(t->slot);
		t->slot = a;
		t->cap = cap;
	}
	size_t h = tslot_of(v, t->cap);
	while (t->slot[h].count && t->slot[h].secs != (uint32_t)v)
		h = (h + 1) & (t->cap - 1);
	if (t->slot[h].count == UINT32_MAX)
		return push_wide(t, v);
	if (!t->slot[h].count) {
		t->slot[h].secs = (uint32_t)v;
		t->n++;
	}
	t->slot[h].count++;
	t->total++;
	return 0;
}

static int cmp_secs(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;
	return (*x > *y) - (*x < *y);
}

/* The value of 1-based rank r among the sorted (value, count) pairs. */
static double at_rank(const int64_t *pairs, size_t n, uint64_t r)
{
	uint64_t cum = 0;
	for (size_t i = 0; i < n; i++) {
		cum += (uint64_t)pairs[2 * i + 1];
		if (cum >= r)
			return (double)pairs[2 * i];
	}
	return NAN;
}

/* The median (mean of the middle two for an even count) and the 90th
 * percentile by nearest rank, as stats.h defines them, of the n values
 * counted in the (value, count) pairs[0..k). */
static void time_ranks(int64_t *pairs, size_t k, uint64_t n, double *median, double *p90)
{
	*median = *p90 = NAN;
	if (!n)
		return;
	/* Equal values from different runners end up side by side: at_rank
	 * counts through them in turn. A shop has a few dozen values: an
	 * insertion sort beats qsort's calls there. */
	if (k > 64) {
		qsort(pairs, k, 2 * sizeof(*pairs), cmp_secs);
	} else {
		for (size_t i = 1; i < k; i++) {
			int64_t v = pairs[2 * i], c = pairs[2 * i + 1];
			size_t j = i;
			for (; j > 0 && pairs[2 * (j - 1)] > v; j--) {
				pairs[2 * j] = pairs[2 * (j - 1)];
				pairs[2 * j + 1] = pairs[2 * (j - 1) + 1];
			}
			pairs[2 * j] = v;
			pairs[2 * j + 1] = c;
		}
	}
	*median = n % 2 ? at_rank(pairs, k, (n + 1) / 2)
			: (at_rank(pairs, k, n / 2) + at_rank(pairs, k, n / 2 + 1)) / 2.0;
	double r = ceil(0.9 * (double)n - 1e-9);
	uint64_t rank = r < 1.0 ? 1 : (uint64_t)r;
	*p90 = at_rank(pairs, k, rank > n ? n : rank);
}

static int is_night(int64_t t, int32_t tz)
{
	int64_t s = (t + tz) % 86400;
	if (s < 0)
		s += 86400;
	return s >= 22 * 3600 || s < 8 * 3600;
}


/*
 * A walker's contacts on their way to the shared contact parts: gathered
 * here, then handed over a part at a time (one lock per part per batch, not
 * one per contact).
 */
#define CONTACT_BATCH (64u << 10)

struct contact_batch {
	char *bytes;                 /* the records, each padded to 8 bytes */
	size_t len;
	uint32_t *part, *off;        /* each record's part and offset */
	uint32_t *order;             /* scratch: the records by part */
	size_t n, cap;
	uint32_t *count;             /* scratch: records per part */
};

static void contact_batch_release(struct contact_batch *b)
{
	free(b->bytes);
	free(b->part);
	free(b->off);
	free(b->order);
	free(b->count);
}

static int flush_contacts(struct chats *c, struct contact_batch *b, struct error *err)
{
	if (!b->n)
		return 0;
	if (!b->count && !(b->count = malloc(((size_t)c->n_parts + 1) * sizeof(*b->count))))
		return error_set(err, "", "out of memory");
	memset(b->count, 0, ((size_t)c->n_parts + 1) * sizeof(*b->count));
	for (size_t i = 0; i < b->n; i++)
		b->count[b->part[i] + 1]++;
	for (unsigned k = 0; k < c->n_parts; k++)
		b->count[k + 1] += b->count[k];
	for (size_t i = 0; i < b->n; i++)
		b->order[b->count[b->part[i]]++] = (uint32_t)i;
	int rc = 0;
	for (size_t i = 0; i < b->n && !rc;) {
		unsigned k = b->part[b->order[i]];
		pthread_mutex_lock(&c->contact_locks[k]);
		for (; i < b->n && b->part[b->order[i]] == k && !rc; i++) {
			uint32_t o = b->off[b->order[i]];
			const struct contact_head *h = (const void *)(b->bytes + o);
			rc = spool_put(&c->contacts, k, h, sizeof(*h) + h->buyer_len +
							  pad8(h->buyer_len), err);
		}
		pthread_mutex_unlock(&c->contact_locks[k]);
	}
	b->n = b->len = 0;
	return rc;
}

static int spool_contact(struct chats *c, struct contact_batch *b, uint32_t shop,
			 const char *buyer, size_t bl, int64_t t, uint8_t flags, struct error *err)
{
	struct contact_head h = {t, shop, (uint16_t)bl, flags, 0};
	size_t size = sizeof(h) + bl + pad8(bl);
	if ((b->len + size > CONTACT_BATCH && flush_contacts(c, b, err) < 0))
		return -1;
	if (!b->bytes) {
		b->cap = CONTACT_BATCH / sizeof(h);
		b->bytes = malloc(CONTACT_BATCH + sizeof(h) + MAX_KEY + 8);
		b->part = malloc(b->cap * sizeof(*b->part));
		b->off = malloc(b->cap * sizeof(*b->off));
		b->order = malloc(b->cap * sizeof(*b->order));
		if (!b->bytes || !b->part || !b->off || !b->order)
			return error_set(err, "", "out of memory");
	}
	char *o = b->bytes + b->len;
	memcpy(o, &h, sizeof(h));
	if (bl)
		memcpy(o + sizeof(h), buyer, bl);
	memcpy(o + sizeof(h) + bl, zeros, pad8(bl));
	b->part[b->n] = (uint32_t)(shop_key_hash(SALT_CONTACT_PART, shop, buyer, bl) % c->n_parts);
	b->off[b->n++] = (uint32_t)b->len;
	/* At most cap records: each takes sizeof(h) bytes or more. */
	b->len += size;
	return 0;
}

/* Walks one session's rows (sorted): counts, first response, contacts. */
static int walk_session(struct chats *c, struct contact_batch *cb, uint32_t shop,
			const struct srow *rows, size_t n, struct chat_shop *out, int64_t *response,
			struct error *err)
{
	int64_t earliest_buyer = 0, last_buyer = 0;
	int have_buyer = 0, prev_buyer = 0, answered = 0;
	const char *marked = NULL;
	size_t marked_len = 0;

	*response = -1;
	out[shop].conversations++;
	out[shop].rows += n;
	for (size_t i = 0; i < n; i++) {
		const struct srow *r = &rows[i];
		/* With complaints, one marker per buyer of the session: S and B
		 * chatted (a harassment claim with no contacts is then
		 * not_supported rather than no_chats). */
		if (c->evidence &&
		    (!marked || cmp_mem(r->buyer, r->buyer_len, marked, marked_len))) {
			if (spool_contact(c, cb, shop, r->buyer, r->buyer_len, r->time, F_MARKER,
					  err) < 0)
				return -1;
			marked = r->buyer;
			marked_len = r->buyer_len;
		}
		if (!(r->tie >> 16)) {
			out[shop].buyer_messages++;
			if (!have_buyer)
				earliest_buyer = r->time;
			have_buyer = 1;
			last_buyer = r->time;
			prev_buyer = 1;
			continue;
		}
		out[shop].seller_messages++;
		if (have_buyer && !answered) {
			answered = 1;
			*response = r->time - earliest_buyer;
		}
		int initiated = (r->tie & 0xffff) != CHANNEL_CHAT ||
				!(prev_buyer || (have_buyer && r->time - last_buyer <= CHATS_REPLY_SECONDS));
		prev_buyer = 0;
		if (initiated &&
		    spool_contact(c, cb, shop, r->buyer, r->buyer_len, r->time,
				  is_night(r->time, c->tz) ? F_NIGHT : 0, err) < 0)
			return -1;
	}
	if (have_buyer) {
		out[shop].asked++;
		out[shop].answered += (uint64_t)answered;
	}
	return 0;
}

/* ---- evidence ---- */

/* Complaints by (shop, buyer), chained through next[]. */
struct claims {
	struct chat_complaint *v;
	size_t n;
	size_t *slots, n_slots;      /* index + 1, 0 empty */
	size_t *next;                /* index + 1 */
};

/* The slot that heads (shop, buyer b)'s chain, or the empty slot where it
 * would: the table is at most half full, so there is one. */
static size_t claims_slot(const struct claims *cl, uint32_t shop, const char *b, size_t bl)
{
	size_t mask = cl->n_slots - 1, h = shop_key_hash(SALT_CLAIMS, shop, b, bl) & mask;
	for (; cl->slots[h]; h = (h + 1) & mask) {
		const struct chat_complaint *o = &cl->v[cl->slots[h] - 1];
		if (o->shop == shop && !cmp_mem(o->buyer, o->buyer_len, b, bl))
			break;
	}
	return h;
}

/* Chains the complaints by (shop, buyer) and gives each the evidence it has
 * with no chats; -1 when out of memory. */
static int claims_index(struct claims *cl)
{
	cl->n_slots = 16;
	while (cl->n_slots < 2 * cl->n)
		cl->n_slots *= 2;
	cl->slots = calloc(cl->n_slots, sizeof(*cl->slots));
	cl->next = calloc(cl->n ? cl->n : 1, sizeof(*cl->next));
	if (!cl->slots || !cl->next)
		return -1;
	for (size_t i = 0; i < cl->n; i++) {
		struct chat_complaint *k = &cl->v[i];
		size_t *head = &cl->slots[claims_slot(cl, k->shop, k->buyer, k->buyer_len)];
		/* Chain after the head found (or start one). */
		if (*head) {
			cl->next[i] = cl->next[*head - 1];
			cl->next[*head - 1] = i + 1;
		} else {
			*head = i + 1;
		}
		k->evidence = k->claim == CLAIM_OTHER ? EVIDENCE_NA : EVIDENCE_NO_CHATS;
	}
	return 0;
}

/* The first complaint against (shop, buyer b), as index + 1; 0 none. */
static size_t claims_find(const struct claims *cl, uint32_t shop, const char *b, size_t bl)
{
	if (!cl->n)
		return 0;
	return cl->slots[claims_slot(cl, shop, b, bl)];
}

/* A contact's time and night flag, to sort a (shop, buyer)'s contacts. */
struct ctime {
	int64_t t;
	uint8_t night;
};

/* Is there a burst among the contacts v[0..n) (sorted by time)? */
static int has_burst(const struct ctime *v, size_t n)
{
	for (size_t i = 0; i + CHATS_BURST_CONTACTS - 1 < n; i++)
		if (v[i + CHATS_BURST_CONTACTS - 1].t - v[i].t <= CHATS_BURST_SECONDS)
			return 1;
	return 0;
}

/* One (shop, buyer): its contacts v[0..n) (sorted by time) and markers. */
static void judge(struct claims *cl, size_t first, const struct ctime *v, size_t n)
{
	for (size_t k = first; k; k = cl->next[k - 1]) {
		struct chat_complaint *cp = &cl->v[k - 1];
		int64_t from = cp->filed - CHATS_EVIDENCE_DAYS * 86400;
		size_t lo = 0, hi;
		while (lo < n && v[lo].t < from)
			lo++;
		for (hi = lo; hi < n && v[hi].t <= cp->filed; hi++)
			;
		cp->contacts = (uint32_t)(hi - lo);
		cp->night_contacts = 0;
		for (size_t i = lo; i < hi; i++)
			cp->night_contacts += v[i].night;
		cp->burst = has_burst(v + lo, hi - lo);
		if (cp->claim == CLAIM_HARASSMENT)
			cp->evidence = cp->night_contacts || cp->burst ? EVIDENCE_SUPPORTED
								       : EVIDENCE_NOT_SUPPORTED;
		else if (cp->claim == CLAIM_ATTITUDE)
			cp->evidence = EVIDENCE_NOT_SUPPORTED;  /* until abusive texts are found */
	}
}

static int cmp_ctimes(const void *pa, const void *pb)
{
	const struct ctime *a = pa, *b = pb;
	if (a->t != b->t)
		return (a->t > b->t) - (a->t < b->t);
	return a->night - b->night;
}

/* The part's (shop, buyer) groups: contacts sorted by time, the shops'
 * counts, and the complaints against them judged. */
static int walk_contacts(struct part *p, struct chat_shop *out, size_t n_shops,
			 struct claims *cl, struct error *err)
{
	struct ctime *v = NULL;
	size_t cap = 0;

	for (size_t f = 0; f < p->n; f++) {
		if (p->joined[f])
			continue;
		const struct contact_head *g = (const void *)(p->data + p->at[f]);
		size_t n = 0;
		for (size_t i = f + 1; i; i = p->next[i - 1]) {
			const struct contact_head *r = (const void *)(p->data + p->at[i - 1]);
			if (r->flags & F_MARKER)
				continue;
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				struct ctime *a = realloc(v, cap * sizeof(*a));
				if (!a) {
					free(v);
					return error_set(err, "", "out of memory");
				}
				v = a;
			}
			v[n].t = r->time;
			v[n++].night = (r->flags & F_NIGHT) != 0;
		}
		if (n > 1)
			qsort(v, n, sizeof(*v), cmp_ctimes);
		if (g->shop < n_shops) {
			struct chat_shop *sh = &out[g->shop];
			sh->seller_contacts += n;
			for (size_t k = 0; k < n; k++)
				sh->night_contacts += v[k].night;
			sh->burst_buyers += (uint64_t)has_burst(v, n);
		}
		size_t first = claims_find(cl, g->shop, (const char *)(g + 1), g->buyer_len);
		if (first)
			judge(cl, first, v, n);
	}
	free(v);
	return 0;
}

/* (shop, buyer, time) of a against key's. */
static int cmp_abusive_key(const struct abusive *a, const struct abusive *key)
{
	if (a->shop != key->shop)
		return (a->shop > key->shop) - (a->shop < key->shop);
	int c = cmp_mem(a->buyer, a->buyer_len, key->buyer, key->buyer_len);
	if (c)
		return c;
	return (a->time > key->time) - (a->time < key->time);
}

/* Shop, buyer, time, then text. */
static int cmp_abusive(const void *pa, const void *pb)
{
	const struct abusive *a = pa, *b = pb;
	int c = cmp_abusive_key(a, b);
	return c ? c : strcmp(a->text, b->text);
}

/* Attitude complaints: the abusive messages from S to B in the window. */
static int find_abusive(struct chats *c, struct claims *cl, struct error *err)
{
	if (c->n_abusive)
		qsort(c->abusive, c->n_abusive, sizeof(*c->abusive), cmp_abusive);
	for (size_t k = 0; k < cl->n; k++) {
		struct chat_complaint *cp = &cl->v[k];
		int64_t from = cp->filed - CHATS_EVIDENCE_DAYS * 86400;
		size_t len = 0, kept = 0;
		if (cp->claim != CLAIM_ATTITUDE)
			continue;
		/* The first message to (shop, buyer) at or after from: the vector is
		 * sorted by shop, buyer, time. */
		struct abusive key = {cp->shop, from, cp->buyer, NULL, cp->buyer_len};
		size_t lo = 0, hi = c->n_abusive;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (cmp_abusive_key(&c->abusive[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo; i < c->n_abusive; i++) {
			const struct abusive *a = &c->abusive[i];
			if (a->shop != cp->shop || cmp_mem(a->buyer, a->buyer_len, cp->buyer,
							   cp->buyer_len) || a->time > cp->filed)
				break;
			cp->abusive++;
			if (kept++ >= KEPT_TEXTS)
				continue;
			size_t tl = strlen(a->text);
			char *s = realloc(cp->abusive_texts, len + tl + 4);
			if (!s)
				return error_set(err, "", "out of memory");
			cp->abusive_texts = s;
			if (len) {
				memcpy(s + len, " | ", 3);
				len += 3;
			}
			memcpy(s + len, a->text, tl + 1);
			len += tl;
		}
		if (cp->abusive)
			cp->evidence = EVIDENCE_SUPPORTED;
	}
	return 0;
}


/* One thread's share of chats_run: parts taken in turn from a counter, and
 * its own per-shop counters, summed at the end. */
struct runner {
	struct chats *c;
	struct claims *cl;
	size_t n_shops;
	pthread_mutex_t *lock;
	unsigned *next;              /* the next part (or block of shops) to take, under lock */
	unsigned limit;              /* parts, or blocks of shops */
	int phase;                   /* 0 sessions, 1 contacts, 2 the shops' sums */
	struct chat_shop *out;
	struct spool *times;         /* response times: part id * n_blocks + block */
	unsigned id, n_blocks;
	size_t block;                /* shops in a block */
	struct times *counts;        /* phase 2: one block's shops' counts */
	char *chunk;                 /* phase 2: a chunk of times read back */
	struct runner *all;          /* phase 2: every runner's counts, */
	unsigned n_all;
	struct chat_shop *sums;      /* summed into these */
	int64_t *pairs;              /* a shop's (response time, count) pairs */
	struct contact_batch cb;
	size_t pairs_cap;
	struct part p;
	struct error err;
	int failed;
	pthread_t thread;
};

static int take_part(struct runner *w)
{
	pthread_mutex_lock(w->lock);
	int k = *w->next < w->limit ? (int)(*w->next)++ : -1;
	pthread_mutex_unlock(w->lock);
	return k;
}

#define AHEAD 8                   /* sessions between a prefetch and its use */

/* Spools a session's first response, v seconds, to the runner's part for
 * the shop's block. */
static int spool_time(struct runner *w, uint32_t shop, int64_t v)
{
	char rec[16];
	size_t n = 8;
	unsigned k = w->id * w->n_blocks + (unsigned)(shop / w->block);
	if (v >= 0 && v <= (int64_t)UINT32_MAX && shop != TIME_WIDE) {
		uint32_t secs = (uint32_t)v;
		memcpy(rec, &shop, 4);
		memcpy(rec + 4, &secs, 4);
	} else {
		uint32_t mark = TIME_WIDE;
		memcpy(rec, &mark, 4);
		memcpy(rec + 4, &shop, 4);
		memcpy(rec + 8, &v, 8);
		n = 16;
	}
	return spool_put(w->times, k, rec, n, &w->err);
}

/* Each session of a part: its rows gathered from its runs, sorted, walked.
 * The sessions' shops are random, so their counters would cost a cache miss
 * each: they are fetched AHEAD sessions before they are used. */
static int walk_sessions(struct runner *w, struct part *p)
{
	for (size_t f = 0; f < p->n; f++) {
		if (f + AHEAD < p->n) {
			uint32_t a = get32(p->data + p->at[f + AHEAD]);
			if (a < w->n_shops)
				__builtin_prefetch(&w->out[a], 1);
		}
		if (p->joined[f])
			continue;
		size_t n = 0;
		uint32_t shop = 0;
		for (size_t i = f + 1; i; i = p->next[i - 1]) {
			struct run r;
			run_read(p->data + p->at[i - 1], &r);
			shop = r.shop;
			if (n + r.n > p->rows_cap) {
				size_t cap = p->rows_cap ? p->rows_cap : 256;
				while (cap < n + r.n)
					cap *= 2;
				struct srow *a = realloc(p->rows, cap * sizeof(*a));
				if (!a)
					return error_set(&w->err, "", "out of memory");
				p->rows = a;
				p->rows_cap = cap;
			}
			const unsigned char *t = r.times;
			uint64_t prev = 0;
			for (size_t j = 0; j < r.n; j++) {
				struct srow *x = &p->rows[n++];
				uint64_t z;
				t = get_varint(t, &z);
				prev += z >> 1 ^ (uint64_t)-(int64_t)(z & 1);
				x->time = (int64_t)prev;
				x->tie = (uint32_t)(r.kinds[j] >> 2) << 16 | (r.kinds[j] & 3);
				x->buyer_len = (uint16_t)r.buyer_len;
				x->buyer = r.buyer;
			}
		}
		sort_srows(p->rows, n);
		if (shop >= w->n_shops)
			continue;
		int64_t v;
		if (walk_session(w->c, &w->cb, shop, p->rows, n, w->out, &v, &w->err) < 0)
			return -1;
		if (v >= 0 && spool_time(w, shop, v) < 0)
			return -1;
	}
	return 0;
}

#define SHOP_BLOCK 256            /* shops in a block, at least */
#define MAX_BLOCKS 128            /* blocks grow past SHOP_BLOCK to keep to this */
#define TIME_CHUNK (4u << 10)     /* a part's buffer of times: many small parts */

/* Counts the n bytes of time records (of block from..) into w->counts. */
static int count_times(struct runner *w, size_t from, const char *d, size_t n)
{
	for (size_t off = 0; off + 8 <= n;) {
		uint32_t shop = get32(d + off);
		int64_t v;
		if (shop == TIME_WIDE) {
			shop = get32(d + off + 4);
			memcpy(&v, d + off + 8, 8);
			off += 16;
		} else {
			v = get32(d + off + 4);
			off += 8;
		}
		if (shop < from || shop - from >= w->block)
			continue;  /* cannot happen: a block's part holds its shops */
		if (push_time(&w->counts[shop - from], v) < 0)
			return error_set(&w->err, "", "out of memory");
	}
	return 0;
}

/* Phase 2: the runners' counts for the shops of block k, summed, and their
 * response times counted from the runners' parts for the block (a chunk at
 * a time) and ranked. */
static int sum_shops(struct runner *w, unsigned k)
{
	size_t from = (size_t)k * w->block, to = from + w->block;
	if (to > w->n_shops)
		to = w->n_shops;
	for (size_t s = 0; s < to - from; s++) {
		struct times *t = &w->counts[s];
		if (t->cap)
			memset(t->slot, 0, t->cap * sizeof(*t->slot));
		t->n = t->n_wide = 0;
		t->total = 0;
	}
	struct spool *sp = w->times;
	if (!w->chunk && !(w->chunk = malloc(TIME_CHUNK)))
		return error_set(&w->err, "", "out of memory");
	for (unsigned i = 0; i < w->n_all; i++) {
		unsigned part = i * w->n_blocks + k;
		for (uint32_t id = sp->first[part]; id; id = sp->chunks[id - 1].next) {
			const struct chunk *ch = &sp->chunks[id - 1];
			if (read_chunk(sp, ch, w->chunk, &w->err) < 0 ||
			    count_times(w, from, w->chunk, ch->len) < 0)
				return -1;
		}
		if (sp->len[part] && count_times(w, from, sp->buf[part], sp->len[part]) < 0)
			return -1;
	}
	for (size_t s = from; s < to; s++) {
		struct chat_shop *o = &w->sums[s];
		size_t np = 0;
		for (unsigned i = 0; i < w->n_all; i++) {
			const struct chat_shop *x = &w->all[i].out[s];
			o->rows += x->rows;
			o->conversations += x->conversations;
			o->buyer_messages += x->buyer_messages;
			o->seller_messages += x->seller_messages;
			o->asked += x->asked;
			o->answered += x->answered;
			o->seller_contacts += x->seller_contacts;
			o->night_contacts += x->night_contacts;
			o->burst_buyers += x->burst_buyers;
		}
		const struct times *t = &w->counts[s - from];
		if (t->n + t->n_wide > w->pairs_cap) {
			size_t cap = w->pairs_cap ? w->pairs_cap : 256;
			while (cap < t->n + t->n_wide)
				cap *= 2;
			int64_t *a = realloc(w->pairs, 2 * cap * sizeof(*a));
			if (!a)
				return error_set(&w->err, "", "out of memory");
			w->pairs = a;
			w->pairs_cap = cap;
		}
		for (size_t j = 0; j < t->cap; j++)
			if (t->slot[j].count) {
				w->pairs[2 * np] = t->slot[j].secs;
				w->pairs[2 * np + 1] = (int64_t)t->slot[j].count;
				np++;
			}
		if (t->n_wide)
			memcpy(w->pairs + 2 * np, t->wide, 2 * t->n_wide * sizeof(*t->wide));
		np += t->n_wide;
		time_ranks(w->pairs, np, t->total, &o->response_median, &o->response_p90);
	}
	return 0;
}

static void part_release(struct part *p)
{
	free(p->data);
	free(p->at);
	free(p->h);
	free(p->next);
	free(p->joined);
	free(p->slot);
	free(p->rows);
	*p = (struct part){0};
}

static void *run_parts(void *v)
{
	struct runner *w = v;
	struct chats *c = w->c;
	int k;

	while (!w->failed && (k = take_part(w)) >= 0) {
		struct part *p = &w->p;
		if (w->phase == 2) {
			if (sum_shops(w, (unsigned)k) < 0) {
				w->failed = 1;
				break;
			}
		} else if (w->phase == 0) {
			if (load_part(&c->rows, (unsigned)k, RUN_HEAD, run_keys, p, &w->err) < 0 ||
			    group_part(p, 1, &w->err) < 0 || walk_sessions(w, p) < 0) {
				w->failed = 1;
				break;
			}
		} else if (load_part(&c->contacts, (unsigned)k, sizeof(struct contact_head),
				     contact_keys, p, &w->err) < 0 || group_part(p, 0, &w->err) < 0 ||
			   walk_contacts(p, w->out, w->n_shops, w->cl, &w->err) < 0) {
			/* A complaint belongs to one (shop, buyer), so to one part:
			 * runners never write the same complaint. */
			w->failed = 1;
		}
	}
	/* Every contact spooled before the contacts' phase starts. */
	if (!w->failed && w->phase == 0 && flush_contacts(c, &w->cb, &w->err) < 0)
		w->failed = 1;
	return NULL;
}

int chats_run(struct chats *c, struct chat_shop *out, size_t n_shops,
	      struct chat_complaint *complaints, size_t n_complaints, unsigned threads,
	      struct error *err)
{
	struct claims cl = {complaints, n_complaints, NULL, 0, NULL};
	struct runner *w;
	struct spool times = {0};
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	unsigned next = 0, n = threads ? threads : 1;
	int rc = -1;

	if (flush_run(c, err) < 0)
		return -1;
	if (n > c->n_parts)
		n = c->n_parts;
	/* Blocks of SHOP_BLOCK shops, or more: at most MAX_BLOCKS of them, so a
	 * part per runner and block keeps few buffers. */
	size_t block = SHOP_BLOCK;
	while ((n_shops + block - 1) / block > MAX_BLOCKS)
		block *= 2;
	unsigned n_blocks = (unsigned)((n_shops + block - 1) / block);
	w = calloc(n, sizeof(*w));
	if (!w || claims_index(&cl) < 0) {
		error_set(err, "", "out of memory");
		goto out;
	}
	if (spool_init(&times, n * (n_blocks ? n_blocks : 1), TIME_CHUNK, err) < 0)
		goto out;
	for (unsigned i = 0; i < n; i++) {
		w[i] = (struct runner){.c = c, .cl = &cl, .n_shops = n_shops, .lock = &lock,
				       .next = &next, .all = w, .n_all = n, .sums = out,
				       .times = &times, .id = i, .n_blocks = n_blocks,
				       .block = block};
		w[i].out = calloc(n_shops ? n_shops : 1, sizeof(*w[i].out));
		w[i].counts = calloc(block, sizeof(*w[i].counts));
		if (!w[i].out || !w[i].counts) {
			error_set(err, "", "out of memory");
			goto out;
		}
	}
	/* Sessions, then (their contacts all spooled) each shop and buyer's
	 * contacts: one part per runner at a time; then the shops' sums, a
	 * block of shops at a time. */
	for (int phase = 0; phase < 3; phase++) {
		next = 0;
		for (unsigned i = 0; i < n; i++) {
			w[i].phase = phase;
			w[i].limit = phase < 2 ? c->n_parts : n_blocks;
			if (i && pthread_create(&w[i].thread, NULL, run_parts, &w[i]) != 0)
				w[i].failed = -1;  /* not started: the others take its parts */
		}
		run_parts(&w[0]);
		for (unsigned i = 1; i < n; i++)
			if (w[i].failed != -1)
				pthread_join(w[i].thread, NULL);
			else
				w[i].failed = 0;
		for (unsigned i = 0; i < n; i++)
			if (w[i].failed) {
				*err = w[i].err;
				goto out;
			}
		/* The parts' scratch is done with: the shops' sums reuse its
		 * memory. */
		for (unsigned i = 0; phase == 1 && i < n; i++)
			part_release(&w[i].p);
	}
	if (find_abusive(c, &cl, err) < 0)
		goto out;
	for (size_t i = 0; i < c->n_abusive; i++)
		if (c->abusive[i].shop < n_shops)
			out[c->abusive[i].shop].abusive_messages++;
	for (size_t s = 0; s < c->n_shop_abusive && s < n_shops; s++)
		out[s].abusive_messages += c->shop_abusive[s];
	rc = 0;
out:
	for (unsigned i = 0; w && i < n; i++) {
		for (size_t s = 0; w[i].counts && s < block; s++) {
			free(w[i].counts[s].slot);
			free(w[i].counts[s].wide);
		}
		free(w[i].counts);
		free(w[i].chunk);
		free(w[i].out);
		part_release(&w[i].p);
		free(w[i].pairs);
		contact_batch_release(&w[i].cb);
	}
	free(w);
	if (times.n_parts)
		spool_release(&times);
	free(cl.slots);
	free(cl.next);
	return rc;
}
