/*
 * source.c - plain, gzip and stdin input behind one zero-copy reader.
 *
 * Layout: struct input owns the file descriptor and one large read buffer.
 * A plain source lends slices of that buffer directly. A gzip source hands
 * the buffer to a decoder (struct inflater, a table of open/decode/close
 * functions; tousu's own DEFLATE decoder, formats/deflate.c, behind a gzip
 * member reader, is the only one today) that fills caller-sized output
 * chunks. Unthreaded, source_next() decodes into
 * one chunk buffer; threaded, a producer thread decodes into a ring of
 * chunk buffers and source_next() lends them in order.
 */
#include "formats/source.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/crc32.h"
#include "formats/deflate.h"

/*
 * 1 MiB reads keep syscalls rare (one per MiB of compressed input, some
 * 4 MiB of text) and give inflate long stretches in its fast loop.
 */
#define INPUT_SIZE (1024 * 1024)
#define DEFAULT_CHUNK (1024 * 1024)
/* Lent lengths are ssize_t; keep every lent buffer well inside it. */
#define MAX_CHUNK ((size_t)1 << 30)
/*
 * Four buffers: the caller holds one, the decoder fills one, and two spare
 * absorb jitter between parse speed and inflate speed.
 */
#define RING_SLOTS 4

/* The file and its read buffer, shared by the plain path and decoders. */
struct input {
	int fd;
	int eof;
	const char *name;     /* for messages, owned by struct source */
	unsigned char *buf;
	size_t cap;
	size_t len;           /* bytes read into buf by source_open() */
	uint64_t nread;       /* bytes read from fd so far */
	int cancel_fd;        /* readable when the reader should give up, or -1 */
};

/*
 * A decode thread reading a pipe may sit in read() for as long as the
 * writer pleases; source_close() must not wait for that, so such reads
 * first wait on the pipe and on cancel_fd together.
 */
static int input_cancelled(const struct input *in)
{
	struct pollfd p[2] = {
		{ .fd = in->fd, .events = POLLIN },
		{ .fd = in->cancel_fd, .events = POLLIN },
	};
	int rc;

	do
		rc = poll(p, 2, -1);
	while (rc < 0 && errno == EINTR);
	return rc > 0 && p[1].revents != 0;
}

/* Reads into in->buf + at; returns bytes read (0 at end) or -1 and fills err. */
static ssize_t input_fill(struct input *in, size_t at, struct error *err)
{
	ssize_t n;

	if (in->cancel_fd >= 0 && input_cancelled(in))
		return error_set_offset(err, in->name, in->nread,
					"reading stopped at byte %llu",
					(unsigned long long)in->nread);
	do
		n = read(in->fd, in->buf + at, in->cap - at);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return error_set_offset(err, in->name, in->nread,
					"read error at byte %llu: %s",
					(unsigned long long)in->nread,
					strerror(errno));
	if (n == 0)
		in->eof = 1;
	in->nread += (uint64_t)n;
	return n;
}

/* ---- decoders ---------------------------------------------------------- */

enum dec_status {
	DEC_MORE,   /* output buffer full, call again */
	DEC_END,    /* clean end of input after the bytes returned */
	DEC_ERROR,  /* err filled; the bytes returned came before the error */
};

/* Where a decoder stands, published with each chunk it produces. */
struct dec_progress {
	uint64_t in_pos;    /* compressed bytes consumed */
	uint64_t members;
};

/*
 * A decoder reads compressed bytes through struct input and writes decoded
 * bytes into caller buffers. decode() fills out completely unless it
 * returns DEC_END or DEC_ERROR; it may be called on another thread than
 * open(), never concurrently.
 */
struct inflater {
	void *(*open)(struct input *in, struct error *err);
	enum dec_status (*decode)(void *dec, unsigned char *out, size_t cap,
				  size_t *len, struct dec_progress *pr,
				  struct error *err);
	void (*close)(void *dec);
};

/*
 * The gzip decoder: member headers and trailers here, the DEFLATE data in
 * formats/deflate.c. Output is decoded into a window of its own (the last
 * 32 KiB that matches may copy from, then WINDOW_FILL more) and copied out
 * to the caller's buffers, which may be of any size.
 */
#define WINDOW_FILL (256 * 1024)
#define WINDOW_SIZE (DEFLATE_WINDOW + WINDOW_FILL)
/* Slide the window once less than this is free: the decoder's fast loop
 * wants a few hundred bytes of room. */
#define WINDOW_SLIDE_AT 4096

enum gzip_state { GZ_MEMBER_START, GZ_DEFLATE, GZ_TRAILER };

struct gzip_dec {
	struct input *in;
	const unsigned char *next, *end;  /* what is left of in->buf */
	struct deflate_decoder *deflate;
	enum gzip_state state;
	uint64_t members;
	uint32_t crc, size;     /* of the current member's output so far */
	unsigned char *win;     /* WINDOW_SIZE bytes */
	size_t pos;             /* bytes decoded into win */
	size_t lent;            /* of which copied out to the caller */
	size_t member_start;    /* where the member's output begins in win */
	int failed;             /* err is the stream's end, once win is lent */
	struct error err;
};

static void gzip_close(void *dec)
{
	struct gzip_dec *d = dec;

	if (!d)
		return;
	deflate_decoder_free(d->deflate);
	free(d->win);
	free(d);
}

static void *gzip_open(struct input *in, struct error *err)
{
	struct gzip_dec *d = calloc(1, sizeof(*d));

	if (d) {
		d->deflate = deflate_decoder_new();
		d->win = malloc(WINDOW_SIZE);
	}
	if (!d || !d->deflate || !d->win) {
		gzip_close(d);
		error_set(err, in->name, "out of memory");
		return NULL;
	}
	d->in = in;
	d->next = in->buf;
	d->end = in->buf + in->len;
	return d;
}

static uint64_t gzip_pos(const struct gzip_dec *d)
{
	return d->in->nread - (uint64_t)(d->end - d->next);
}

static int gzip_truncated(const struct gzip_dec *d, struct error *err)
{
	return error_set_offset(err, d->in->name, d->in->nread,
				"truncated gzip stream at byte %llu",
				(unsigned long long)d->in->nread);
}

static int gzip_corrupt(const struct gzip_dec *d, uint64_t at, const char *why,
			struct error *err)
{
	return error_set_offset(err, d->in->name, at,
				"corrupt gzip data at byte %llu: %s",
				(unsigned long long)at, why);
}

/* Moves what is left of the read buffer to its front and reads more. */
static int gzip_refill(struct gzip_dec *d, struct error *err)
{
	struct input *in = d->in;
	size_t keep = (size_t)(d->end - d->next);
	ssize_t n;

	if (keep && d->next != in->buf)
		memmove(in->buf, d->next, keep);
	n = input_fill(in, keep, err);
	if (n < 0)
		return -1;
	d->next = in->buf;
	d->end = in->buf + keep + (size_t)n;
	return 0;
}

/*
 * Checks that a new member starts at next. Returns 1 if it does, 0 if
 * more input is needed to tell, -1 (err filled) if not.
 */
static int gzip_member_start(struct gzip_dec *d, struct error *err)
{
	const unsigned char *p = d->next;
	size_t n = (size_t)(d->end - d->next);

	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return 1;
	if (n == 1 && p[0] == 0x1f && !d->in->eof)
		return 0;
	if (n == 1 && p[0] == 0x1f)
		return gzip_truncated(d, err);
	if (d->members == 0)
		return error_set_offset(err, d->in->name, gzip_pos(d),
					"not in gzip format at byte %llu",
					(unsigned long long)gzip_pos(d));
	return error_set_offset(err, d->in->name, gzip_pos(d),
				"trailing garbage after gzip member at byte %llu",
				(unsigned long long)gzip_pos(d));
}

/*
 * The length of the member header at p (RFC 1952: ten bytes, then the
 * optional extra field, name, comment and header CRC, the low 16 bits of
 * the CRC-32 of the bytes before it), 0 if it runs past p + n, or -1 with
 * *why.
 */
static long gzip_header_len(const unsigned char *p, size_t n, const char **why)
{
	enum { FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16 };
	size_t at = 10;
	unsigned flags;

	if (n < at)
		return 0;
	if (p[2] != 8) {
		*why = "unknown compression method";
		return -1;
	}
	flags = p[3];
	if (flags & 0xe0) {
		*why = "unknown header flags set";
		return -1;
	}
	if (flags & FEXTRA) {
		if (n < at + 2)
			return 0;
		at += 2 + ((size_t)p[at] | (size_t)p[at + 1] << 8);
	}
	for (unsigned f = FNAME; f <= FCOMMENT; f <<= 1) {
		const unsigned char *zero;

		if (!(flags & f))
			continue;
		if (at >= n || !(zero = memchr(p + at, 0, n - at)))
			return 0;
		at = (size_t)(zero - p) + 1;
	}
	if (flags & FHCRC) {
		if (n < at + 2)
			return 0;
		if ((crc32_update(0, p, at) & 0xffff) != ((uint32_t)p[at] | (uint32_t)p[at + 1] << 8)) {
			*why = "header crc mismatch";
			return -1;
		}
		at += 2;
	}
	return at > n ? 0 : (long)at;
}

/* Starts the member at next. Returns 1 if started, 0 if it needs more
 * input (now read), -1 on error. */
static int gzip_begin_member(struct gzip_dec *d, struct error *err)
{
	const char *why = NULL;
	int start = gzip_member_start(d, err);
	long hlen;

	if (start < 0)
		return -1;
	if (start == 0)
		return gzip_refill(d, err);
	hlen = gzip_header_len(d->next, (size_t)(d->end - d->next), &why);
	if (hlen < 0)
		return gzip_corrupt(d, gzip_pos(d), why, err);
	if (hlen == 0) {
		if (d->in->eof)
			return gzip_truncated(d, err);
		if (d->next == d->in->buf && d->end == d->in->buf + d->in->cap)
			return gzip_corrupt(d, gzip_pos(d),
					    "member header longer than the 1 MiB read buffer",
					    err);
		return gzip_refill(d, err);
	}
	d->next += hlen;
	deflate_decoder_reset(d->deflate);
	d->member_start = d->pos;
	d->crc = d->size = 0;
	d->members++;
	d->state = GZ_DEFLATE;
	return 1;
}

/* Keeps the last 32 KiB of the window, all of it lent, at its front. */
static void gzip_slide(struct gzip_dec *d)
{
	size_t keep = d->pos < DEFLATE_WINDOW ? d->pos : DEFLATE_WINDOW;
	size_t drop = d->pos - keep;

	memmove(d->win, d->win + drop, keep);
	d->member_start = d->member_start > drop ? d->member_start - drop : 0;
	d->pos = d->lent = keep;
}

/* Decodes into the window. Returns 0 or -1 (err filled). */
static int gzip_inflate(struct gzip_dec *d, struct error *err)
{
	struct deflate_stream s;
	enum deflate_status st;
	size_t made;

	if (WINDOW_SIZE - d->pos < WINDOW_SLIDE_AT)
		gzip_slide(d);
	s.next_in = d->next;
	s.end_in = d->end;
	s.in_last = d->in->eof;
	s.next_out = d->win + d->pos;
	s.end_out = d->win + WINDOW_SIZE;
	s.history = d->win + d->member_start;
	s.msg = NULL;
	st = deflate_decode(d->deflate, &s);
	made = (size_t)(s.next_out - (d->win + d->pos));
	d->crc = crc32_update(d->crc, d->win + d->pos, made);
	d->size += (uint32_t)made;
	d->pos += made;
	d->next = s.next_in;
	switch (st) {
	case DEFLATE_NEED_INPUT:
		return gzip_refill(d, err);
	case DEFLATE_OUTPUT_FULL:
		return 0;
	case DEFLATE_STREAM_END:
		d->state = GZ_TRAILER;
		return 0;
	case DEFLATE_TRUNCATED:
		return gzip_truncated(d, err);
	case DEFLATE_ERROR:
		break;
	}
	return gzip_corrupt(d, gzip_pos(d), s.msg, err);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Checks the member's trailer (CRC-32 then length, little-endian). Returns
 * 1 when checked, 0 if it needs more input (now read), -1 on error. */
static int gzip_end_member(struct gzip_dec *d, struct error *err)
{
	uint32_t crc, size;

	if (d->end - d->next < 8) {
		if (d->in->eof)
			return gzip_truncated(d, err);
		return gzip_refill(d, err);
	}
	crc = le32(d->next);
	size = le32(d->next + 4);
	if (crc != d->crc || size != d->size)
		return gzip_corrupt(d, gzip_pos(d),
				    crc != d->crc ? "incorrect data check"
						  : "incorrect length check",
				    err);
	d->next += 8;
	d->state = GZ_MEMBER_START;
	return 1;
}

static enum dec_status gzip_decode(void *dec, unsigned char *out, size_t cap,
				   size_t *len, struct dec_progress *pr,
				   struct error *err)
{
	struct gzip_dec *d = dec;
	enum dec_status st = DEC_MORE;
	size_t got = 0;

	for (;;) {
		size_t n = d->pos - d->lent;
		int rc = 0;

		if (n > cap - got)
			n = cap - got;
		memcpy(out + got, d->win + d->lent, n);
		d->lent += n;
		got += n;
		if (got == cap)
			break;
		if (d->failed) {
			*err = d->err;
			st = DEC_ERROR;
			break;
		}
		if (d->state == GZ_DEFLATE) {
			rc = gzip_inflate(d, &d->err);
		} else if (d->state == GZ_TRAILER) {
			rc = gzip_end_member(d, &d->err);
		} else if (d->next == d->end && d->in->eof) {
			st = DEC_END;
			break;
		} else if (d->next == d->end) {
			rc = gzip_refill(d, &d->err);
		} else {
			rc = gzip_begin_member(d, &d->err);
		}
		/* What was decoded before an error is lent before it. */
		if (rc < 0)
			d->failed = 1;
	}
	*len = got;
	pr->in_pos = gzip_pos(d);
	pr->members = d->members;
	return st;
}

static const struct inflater gzip_inflater = {
	gzip_open, gzip_decode, gzip_close,
};

/* ---- the decode thread ------------------------------------------------- */

struct slot {
	unsigned char *buf;
	size_t len;
	enum dec_status st;
	struct dec_progress pr;
};

/*
 * Slots go round in order: the producer fills slot[head], the consumer
 * lends slot[tail]; count is how many are filled (including the one the
 * consumer holds). The producer's last slot carries DEC_END or DEC_ERROR,
 * after which it exits, so the consumer never waits on a thread that is
 * gone.
 */
struct ring {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t filled;
	pthread_cond_t freed;
	struct slot slot[RING_SLOTS];
	unsigned head, tail, count;
	int stop;           /* source_close() asks the producer to quit */
	int held;           /* the consumer holds slot[tail] */
	int wake[2];        /* written to stop a producer blocked on a pipe */
	struct input *in;
	size_t chunk;
	const struct inflater *inf;
	void *dec;
	struct error err;   /* written by the producer before its DEC_ERROR slot */
};

static void *ring_producer(void *arg)
{
	struct ring *r = arg;
	enum dec_status st = DEC_MORE;

	while (st == DEC_MORE) {
		struct slot *s;

		pthread_mutex_lock(&r->lock);
		while (r->count == RING_SLOTS && !r->stop)
			pthread_cond_wait(&r->freed, &r->lock);
		if (r->stop) {
			pthread_mutex_unlock(&r->lock);
			break;
		}
		s = &r->slot[r->head];
		pthread_mutex_unlock(&r->lock);

		/* The slot is ours until published: decode without the lock. */
		st = r->inf->decode(r->dec, s->buf, r->chunk, &s->len, &s->pr,
				    &r->err);
		s->st = st;

		pthread_mutex_lock(&r->lock);
		r->head = (r->head + 1) % RING_SLOTS;
		r->count++;
		pthread_cond_signal(&r->filled);
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
}

static void ring_free(struct ring *r)
{
	unsigned i;

	if (r->wake[0] >= 0) {
		r->in->cancel_fd = -1;
		close(r->wake[0]);
		close(r->wake[1]);
	}
	for (i = 0; i < RING_SLOTS; i++)
		free(r->slot[i].buf);
	free(r);
}

/*
 * Starts a producer decoding through inf/dec. Returns NULL if memory or the
 * thread cannot be had; the caller then decodes on its own thread.
 */
static struct ring *ring_start(const struct inflater *inf, void *dec,
			       struct input *in, size_t chunk)
{
	struct ring *r = calloc(1, sizeof(*r));
	struct stat st;
	sigset_t all, old;
	unsigned i;
	int rc;

	if (!r)
		return NULL;
	r->in = in;
	r->wake[0] = r->wake[1] = -1;
	/* Regular files never block for long; only pipes and the like need waking. */
	if (fstat(in->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (pipe2(r->wake, O_CLOEXEC) != 0) {
			free(r);
			return NULL;
		}
		in->cancel_fd = r->wake[0];
	}
	for (i = 0; i < RING_SLOTS; i++) {
		r->slot[i].buf = malloc(chunk);
		if (!r->slot[i].buf) {
			ring_free(r);
			return NULL;
		}
	}
	r->chunk = chunk;
	r->inf = inf;
	r->dec = dec;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->freed, NULL);

	/*
	 * Signals belong to the main thread (the CLI's SIGINT cleanup), so
	 * the producer starts with all of them blocked.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&r->thread, NULL, ring_producer, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&r->freed);
		pthread_cond_destroy(&r->filled);
		pthread_mutex_destroy(&r->lock);
		ring_free(r);
		return NULL;
	}
	return r;
}

/* Asks the producer to stop, waits for it, and frees the ring. */
static void ring_stop(struct ring *r)
{
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	pthread_cond_signal(&r->freed);
	pthread_mutex_unlock(&r->lock);
	if (r->wake[1] >= 0) {
		/* Never fails but when full, and a full pipe wakes the reader too. */
		ssize_t w = write(r->wake[1], "", 1);

		(void)w;
	}
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->freed);
	pthread_cond_destroy(&r->filled);
	pthread_mutex_destroy(&r->lock);
	ring_free(r);
}

/* Gives back the slot lent last time and waits for the next filled one. */
static struct slot *ring_take(struct ring *r)
{
	struct slot *s;

	pthread_mutex_lock(&r->lock);
	if (r->held) {
		r->held = 0;
		r->tail = (r->tail + 1) % RING_SLOTS;
		r->count--;
		pthread_cond_signal(&r->freed);
	}
	while (r->count == 0)
		pthread_cond_wait(&r->filled, &r->lock);
	s = &r->slot[r->tail];
	r->held = 1;
	pthread_mutex_unlock(&r->lock);
	return s;
}

/* ---- the source -------------------------------------------------------- */

struct source {
	char *name;
	enum source_compression comp;
	size_t chunk;
	struct input in;
	size_t plain_pos;       /* next byte of in.buf to lend (plain) */
	int own_fd;             /* stdin is the caller's to close */

	const struct inflater *inf;
	void *dec;
	unsigned char *out;     /* the lent buffer when unthreaded */
	struct ring *ring;      /* the decode thread, when threaded */

	uint64_t bytes_in;
	uint64_t bytes_out;
	uint64_t members;
	int done;               /* 0 reading, 1 clean end, -1 failed */
	struct error fail;      /* what -1 reports, every time */
};

static ssize_t source_plain_next(struct source *src, const char **buf)
{
	size_t n;

	if (src->plain_pos == src->in.len) {
		ssize_t got = input_fill(&src->in, 0, &src->fail);

		src->plain_pos = 0;
		src->in.len = 0;
		if (got < 0) {
			src->done = -1;
			return 0;
		}
		if (got == 0) {
			src->done = 1;
			return 0;
		}
		src->in.len = (size_t)got;
	}
	n = src->in.len - src->plain_pos;
	if (n > src->chunk)
		n = src->chunk;
	*buf = (const char *)src->in.buf + src->plain_pos;
	src->plain_pos += n;
	src->bytes_in += n;
	return (ssize_t)n;
}

/* Records a decoder result seen by the caller; returns the bytes to lend. */
static size_t source_account(struct source *src, enum dec_status st,
			     size_t len, const struct dec_progress *pr,
			     const struct error *err)
{
	src->bytes_in = pr->in_pos;
	src->members = pr->members;
	if (st == DEC_END)
		src->done = 1;
	else if (st == DEC_ERROR) {
		src->done = -1;
		if (err != &src->fail)
			src->fail = *err;
	}
	return len;
}

static ssize_t source_gzip_next(struct source *src, const char **buf)
{
	struct dec_progress pr;
	size_t len;

	if (src->ring) {
		struct slot *s = ring_take(src->ring);

		len = source_account(src, s->st, s->len, &s->pr,
				     &src->ring->err);
		*buf = (const char *)s->buf;
	} else {
		enum dec_status st;

		st = src->inf->decode(src->dec, src->out, src->chunk, &len,
				      &pr, &src->fail);
		len = source_account(src, st, len, &pr, &src->fail);
		*buf = (const char *)src->out;
	}
	return (ssize_t)len;
}

ssize_t source_next(struct source *src, const char **buf, struct error *err)
{
	ssize_t n = 0;

	if (!src->done) {
		if (src->comp == SOURCE_PLAIN)
			n = source_plain_next(src, buf);
		else
			n = source_gzip_next(src, buf);
	}
	if (n > 0) {
		src->bytes_out += (uint64_t)n;
		return n;
	}
	*buf = NULL;
	if (src->done < 0) {
		if (err)
			*err = src->fail;
		return -1;
	}
	return 0;
}

/* Reads until at least 2 bytes (enough for the magic) or the end. */
static int source_prefetch(struct source *src, struct error *err)
{
	while (src->in.len < 2 && !src->in.eof) {
		ssize_t n = input_fill(&src->in, src->in.len, err);

		if (n < 0)
			return -1;
		src->in.len += (size_t)n;
	}
	return 0;
}

struct source *source_open(const char *path, const struct source_options *opts,
			   struct error *err)
{
	static const struct source_options defaults;
	struct source *src;
	int is_stdin = strcmp(path, "-") == 0;

	if (!opts)
		opts = &defaults;
	src = calloc(1, sizeof(*src));
	if (!src) {
		error_set(err, path, "out of memory");
		return NULL;
	}
	src->in.fd = -1;
	src->in.cancel_fd = -1;
	src->name = strdup(is_stdin ? "(stdin)" : path);
	src->in.buf = malloc(INPUT_SIZE);
	if (!src->name || !src->in.buf) {
		error_set(err, path, "out of memory");
		goto fail;
	}
	src->in.name = src->name;
	src->in.cap = INPUT_SIZE;
	src->chunk = opts->chunk_size ? opts->chunk_size : DEFAULT_CHUNK;
	if (src->chunk > MAX_CHUNK)
		src->chunk = MAX_CHUNK;

	if (is_stdin) {
		src->in.fd = STDIN_FILENO;
	} else {
		src->in.fd = open(path, O_RDONLY | O_CLOEXEC);
		if (src->in.fd < 0) {
			error_set(err, src->name, "cannot open: %s",
				  strerror(errno));
			goto fail;
		}
		src->own_fd = 1;
		/* Doubles the kernel's read-ahead on most file systems. */
		posix_fadvise(src->in.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}

	if (source_prefetch(src, err) < 0)
		goto fail;
	src->comp = opts->compression;
	if (src->comp == SOURCE_AUTO)
		src->comp = src->in.len >= 2 && src->in.buf[0] == 0x1f &&
			    src->in.buf[1] == 0x8b ? SOURCE_GZIP : SOURCE_PLAIN;
	if (src->comp == SOURCE_PLAIN)
		return src;

	src->inf = &gzip_inflater;
	src->dec = src->inf->open(&src->in, err);
	if (!src->dec)
		goto fail;
	if (opts->threaded)
		src->ring = ring_start(src->inf, src->dec, &src->in,
				       src->chunk);
	if (!src->ring) {
		src->out = malloc(src->chunk);
		if (!src->out) {
			error_set(err, src->name, "out of memory");
			goto fail;
		}
	}
	return src;
fail:
	source_close(src);
	return NULL;
}

enum source_compression source_compression(const struct source *src)
{
	return src->comp;
}

const char *source_compression_name(enum source_compression c)
{
	switch (c) {
	case SOURCE_PLAIN:
		return "plain";
	case SOURCE_GZIP:
		return "gzip";
	case SOURCE_AUTO:
		break;
	}
	return "auto";
}

uint64_t source_members(const struct source *src)
{
	return src->members;
}

uint64_t source_bytes_in(const struct source *src)
{
	return src->bytes_in;
}

uint64_t source_bytes_out(const struct source *src)
{
	return src->bytes_out;
}

const char *source_name(const struct source *src)
{
	return src->name;
}

void source_close(struct source *src)
{
	if (!src)
		return;
	/* The thread uses the decoder and the input: stop it first. */
	if (src->ring)
		ring_stop(src->ring);
	if (src->dec)
		src->inf->close(src->dec);
	if (src->own_fd)
		close(src->in.fd);
	free(src->out);
	free(src->in.buf);
	free(src->name);
	free(src);
}
