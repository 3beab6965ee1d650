/*
 * sample.c - `tousu sample`: realistic synthetic exports, deterministic by seed.
 *
 * One pass over the orders writes all three files. Each order may bring
 * complaints and chat rows, so a complaint always refers to an order that
 * exists, with the same shop and buyer, and memory holds only per-shop state
 * and a few buffers whatever --orders is.
 *
 * Determinism: separate random streams (shops, calendar, orders,
 * complaints, chats, and the dry run that calibrates complaint rates) are
 * seeded from --seed alone, so the orders file does not change when
 * --complaints or --chats do. The bytes are the same on any machine: no
 * rand(), and no libm transcendental functions (their last bit differs
 * between libms); only integer arithmetic and IEEE + - * / sqrt floor,
 * with floating-point contraction off.
 *
 * Output: rows are formatted by hand straight into a chunk buffer (through a
 * small row buffer and iconv for --encoding gb18030). Full chunks go to
 * write(2), or to a pool of compression threads: one gzip stream per file
 * compressed in order, or with --gzip-member-size independent members
 * compressed in parallel and written in order. Files are written under
 * temporary names in the output directory and renamed when all are done.
 *
 * The generative model (see DOMAIN.md) is the section "the model" below; a
 * complaint's truth (the type its text is really about, secondary and denied
 * types, planted contact bursts) is kept in struct complaint so a truth file
 * can be written beside the exports later.
 *
 * On top of the model, "planted edge cases" puts in the rows that `tousu
 * rates` must count exactly: complaints filed exactly 15 days after the
 * trade finished, orders missing from the export, rows without a shop, and
 * orders written twice.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "cmd/cmd.h"
#include "cmd/options.h"
#include "cmd/rng.h"
#include "cmd/sample_texts.h"
#include "formats/error.h"
#include "formats/schema.h"

#define NOUT 3
#define ROW_MAX 8192            /* longest UTF-8 row the formatters can write */
#define TEXT_MAX 2048           /* longest complaint text */
#define CHAT_TEXT_MAX 384       /* longest chat message */
#define PLAIN_CHUNK (1u << 20)  /* bytes per write(2) */
#define STREAM_CHUNK (4u << 20) /* bytes per compression job, one stream per file */
#define MAX_SLOTS 66            /* --threads 64, plus the one being filled and one spare */
#define DAY 86400
#define HOUR 3600
#define PRE_DAYS 3              /* chats can start before the first order */
#define POST_DAYS 80            /* shipping, 15-day window, late complaints */

/* ------------------------------------------------------------------ */
/* Random numbers: cmd/rng.h. */

static inline const char *rng_pick(struct rng *r, const struct sample_strings *l)
{
	return l->s[rng_below(r, l->n)];
}

/* ------------------------------------------------------------------ */
/* Deterministic math: the same bits everywhere (see the file comment). */

#define LN2 0.693147180559945309417

/*
 * log and exp to about 1e-9 relative: plenty for delays and prices, and
 * cheap. Exponent and mantissa are taken apart and put together through the
 * bits, which is exact; callers pass positive normal numbers.
 */
static double det_log(double x)
{
	uint64_t b;
	double m;
	memcpy(&b, &x, sizeof(b));
	int e = (int)((b >> 52) & 0x7FF) - 1022;
	b = (b & ~(0x7FFULL << 52)) | (1022ULL << 52);
	memcpy(&m, &b, sizeof(m));  /* x = m * 2^e, m in [0.5, 1) */
	if (m < 0.70710678118654752440) {
		m *= 2;
		e--;
	}
	/* log m = 2 atanh(s), |s| < 0.172 */
	double s = (m - 1) / (m + 1), s2 = s * s;
	double t = (((s2 * (1.0 / 11) + 1.0 / 9) * s2 + 1.0 / 7) * s2 + 1.0 / 5) * s2 + 1.0 / 3;
	return 2 * s * (t * s2 + 1) + e * LN2;
}

static double det_exp(double x)
{
	if (x < -700)
		return 0;
	if (x > 700)
		x = 700;
	double k = floor(x / LN2 + 0.5);
	double r = x - k * LN2, t = 1;  /* |r| <= 0.35 */
	for (int i = 10; i >= 1; i--)
		t = 1 + t * r / i;
	uint64_t b = (uint64_t)((int64_t)k + 1023) << 52;
	double p2;
	memcpy(&p2, &b, sizeof(p2));
	return t * p2;
}

/* Exponential with the given mean. */
static double rng_exp(struct rng *r, double mean)
{
	return -det_log(1.0 - rng_unit(r)) * mean;
}

/*
 * Roughly standard normal (Irwin-Hall of four uniforms): bounded tails suit
 * us. One draw per statement here and everywhere: the order in which a
 * compiler evaluates operands or arguments is unspecified, and the bytes
 * must not depend on it.
 */
static double rng_normal(struct rng *r)
{
	double s = rng_unit(r);
	s += rng_unit(r);
	s += rng_unit(r);
	s += rng_unit(r);
	return (s - 2) * 1.7320508075688772;
}

/*
 * Ids that look random but never collide: a keyed permutation of [0, mod).
 * With mod = a * b (a the divisor nearest sqrt(mod)), x = l * b + r is put
 * through four Feistel rounds (l, r) -> (r, (l + F(r)) mod |l|), which swap
 * the two radices each round; each round can be undone, so ids are unique.
 */
struct idmap {
	uint64_t a, b, key;
};

static void idmap_init(struct idmap *m, uint64_t mod, uint64_t key)
{
	uint64_t a = (uint64_t)sqrt((double)mod);
	while (a > 1 && a * a > mod)
		a--;
	while (mod % a)
		a--;
	m->a = a;
	m->b = mod / a;
	m->key = splitmix64(&key);
}

static uint64_t idmap_apply(const struct idmap *m, uint64_t n)
{
	uint64_t nl = m->a, nr = m->b;  /* the ranges of l and r */
	uint64_t x = n % (nl * nr), l = x / nr, r = x % nr;
	for (uint64_t round = 0; round < 4; round++) {
		uint64_t f = (r ^ (m->key + round)) * 0x9E3779B97F4A7C15ULL;
		f = (f ^ (f >> 29)) * 0xBF58476D1CE4E5B9ULL;
		uint64_t t = r, tn = nr;
		r = (l + (f >> 20) % nl) % nl;
		l = t;
		nr = nl;
		nl = tn;
	}
	return l * nr + r;
}

/* ------------------------------------------------------------------ */
/* Calendar. */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Parses YYYY-MM-DD into days since 1970-01-01; -1 if it is not a date. */
static int parse_date(const char *s, int64_t *days)
{
	unsigned y, m, d;
	int n = 0;
	if (sscanf(s, "%4u-%2u-%2u%n", &y, &m, &d, &n) != 3 || s[n] || n != 10)
		return -1;
	if (y < 1971 || y > 9000 || m < 1 || m > 12 || d < 1)
		return -1;
	static const unsigned mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Hand formatting: the hot path writes bytes, never snprintf. */

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static inline char *put_u64(char *p, uint64_t v)
{
	char tmp[20], *e = tmp + sizeof(tmp), *q = e;
	while (v >= 100) {
		q -= 2;
		memcpy(q, digit_pairs + (v % 100) * 2, 2);
		v /= 100;
	}
	if (v >= 10) {
		q -= 2;
		memcpy(q, digit_pairs + v * 2, 2);
	} else {
		*--q = (char)('0' + v);
	}
	memcpy(p, q, (size_t)(e - q));
	return p + (e - q);
}

static inline char *put_2(char *p, unsigned v)
{
	memcpy(p, digit_pairs + v * 2, 2);
	return p + 2;
}

static inline char *put_mem(char *p, const void *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define PUT_LIT(p, s) put_mem((p), (s), sizeof(s) - 1)

static inline char *put_str(char *p, const char *s)
{
	return put_mem(p, s, strlen(s));
}

/* One CSV field (RFC 4180): quoted only when it has to be. */
static char *put_csv(char *p, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] != ',' && s[i] != '"' && s[i] != '\n' && s[i] != '\r')
		i++;
	if (i == n)
		return put_mem(p, s, n);
	*p++ = '"';
	p = put_mem(p, s, i);
	for (; i < n; i++) {
		if (s[i] == '"')
			*p++ = '"';
		*p++ = s[i];
	}
	*p++ = '"';
	return p;
}

/* ------------------------------------------------------------------ */
/* Output files: temporary name, chunks, optional iconv and gzip. */

struct out;

/* A chunk of output on its way to the file. */
struct slot {
	struct out *o;
	unsigned char *in, *z;
	size_t in_len, in_cap, z_len, z_cap;
	int busy;       /* handed to the pool and not written out yet */
	int done;       /* set by the worker, under the pool lock */
	int failed;
	int last;       /* stream mode: finish the gzip stream */
	struct slot *next;
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct slot *head, *tail;
	int stop, level;
	pthread_t threads[64];
	int n;
};

struct out {
	const char *label;          /* "orders.csv.gz", for messages */
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd;
	int gzip, members;
	size_t flush_at;
	struct pool *pool;
	z_stream zs;                /* stream mode: the file's one gzip stream */
	int zs_ready;
	int zs_busy;                /* a worker is deflating zs (pool lock) */
	struct slot slots[MAX_SLOTS];
	int nslots, cur;
	char *buf;                  /* == slots[cur].in */
	size_t len;
	iconv_t cd;                 /* (iconv_t)-1 for UTF-8 */
	char *row;                  /* the UTF-8 row before iconv */
	int crlf;
	uint64_t rows, bytes;       /* data rows, uncompressed bytes */
	struct error err;
};

/* Temporary files to remove if a signal ends the run (zstd's fileio.c does the same). */
static char cleanup_paths[NOUT][PATH_MAX];
static volatile sig_atomic_t cleanup_n;

static void on_signal(int sig)
{
	for (int i = 0; i < cleanup_n; i++)
		if (cleanup_paths[i][0])
			unlink(cleanup_paths[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int write_all(struct out *o, const void *data, size_t n)
{
	const char *p = data;
	while (n) {
		ssize_t w = write(o->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return error_set(&o->err, o->label, "write failed: %s", strerror(errno));
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Compresses s into s->z with zs; returns 0 or -1 (out of memory, zlib error). */
static int deflate_slot(z_stream *zs, struct slot *s, int flush)
{
	zs->next_in = s->in;
	zs->avail_in = (uInt)s->in_len;
	s->z_len = 0;
	for (;;) {
		if (s->z_len == s->z_cap) {
			size_t cap = s->z_cap ? 2 * s->z_cap : s->in_len / 3 + 65536;
			unsigned char *z = realloc(s->z, cap);
			if (!z)
				return -1;
			s->z = z;
			s->z_cap = cap;
		}
		zs->next_out = s->z + s->z_len;
		zs->avail_out = (uInt)(s->z_cap - s->z_len);
		int rc = deflate(zs, flush);
		s->z_len = s->z_cap - zs->avail_out;
		if (rc == Z_STREAM_END)
			return 0;
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return -1;
		/* mid-stream, whatever deflate still holds comes out with the next piece
		 * (Z_BUF_ERROR here only means it had nothing more to do) */
		if (flush == Z_NO_FLUSH && zs->avail_in == 0)
			return 0;
		if (rc == Z_BUF_ERROR && zs->avail_out > 0)
			return -1;  /* no progress although there was room */
	}
}

/*
 * The first queued job a worker may take: any member, or a piece of a
 * single stream that no other worker is deflating (pieces of one stream are
 * queued in order, so the first one found is the next one due).
 */
static struct slot *pool_take(struct pool *p)
{
	struct slot *prev = NULL;
	for (struct slot *s = p->head; s; prev = s, s = s->next) {
		if (!s->o->members && s->o->zs_busy)
			continue;
		if (prev)
			prev->next = s->next;
		else
			p->head = s->next;
		if (p->tail == s)
			p->tail = prev;
		if (!s->o->members)
			s->o->zs_busy = 1;
		return s;
	}
	return NULL;
}

static void *pool_main(void *arg)
{
	struct pool *p = arg;
	z_stream zs;
	memset(&zs, 0, sizeof(zs));
	int zs_ok = deflateInit2(&zs, p->level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct slot *s;
		while (!(s = pool_take(p)) && !(p->stop && !p->head))
			pthread_cond_wait(&p->work, &p->mu);
		if (!s)
			break;
		pthread_mutex_unlock(&p->mu);

		int rc;
		if (s->o->members)
			/* a member of its own: header, deflate data, trailer */
			rc = zs_ok && deflateReset(&zs) == Z_OK ? deflate_slot(&zs, s, Z_FINISH) : -1;
		else
			rc = deflate_slot(&s->o->zs, s, s->last ? Z_FINISH : Z_NO_FLUSH);

		pthread_mutex_lock(&p->mu);
		if (!s->o->members) {
			s->o->zs_busy = 0;
			pthread_cond_broadcast(&p->work);  /* its next piece may be waiting */
		}
		s->failed = rc != 0;
		s->done = 1;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	if (zs_ok)
		deflateEnd(&zs);
	return NULL;
}

static int pool_start(struct pool *p, int n, int level, struct error *err)
{
	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	p->level = level;
	for (; p->n < n; p->n++) {
		int rc = pthread_create(&p->threads[p->n], NULL, pool_main, p);
		if (rc) {
			error_set(err, NULL, "cannot start a compression thread: %s", strerror(rc));
			return -1;
		}
	}
	return 0;
}

/* Stops the workers; with drop, jobs not yet started are abandoned. */
static void pool_stop(struct pool *p, int drop)
{
	pthread_mutex_lock(&p->mu);
	if (drop)
		p->head = p->tail = NULL;
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->n; i++)
		pthread_join(p->threads[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
}

static void pool_submit(struct pool *p, struct slot *s)
{
	pthread_mutex_lock(&p->mu);
	s->busy = 1;
	s->done = 0;
	s->next = NULL;
	if (p->tail)
		p->tail->next = s;
	else
		p->head = s;
	p->tail = s;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

/* Waits for a slot's compression and writes its output to the file. */
static int slot_collect(struct out *o, struct slot *s)
{
	struct pool *p = o->pool;
	pthread_mutex_lock(&p->mu);
	while (!s->done)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
	s->busy = 0;
	if (s->failed)
		return error_set(&o->err, o->label, "compression failed (out of memory?)");
	return write_all(o, s->z, s->z_len);
}

static int slot_alloc(struct out *o, struct slot *s)
{
	s->o = o;
	s->in_cap = o->flush_at + 2 * ROW_MAX + 64;
	s->in = malloc(s->in_cap);
	if (!s->in)
		return error_set(&o->err, o->label, "out of memory");
	return 0;
}

/*
 * Hands the current chunk on (written, or queued for compression) and makes
 * an empty chunk current. last finishes a single gzip stream.
 */
static int out_flush(struct out *o, int last)
{
	struct slot *s = &o->slots[o->cur];
	s->in_len = o->len;
	o->bytes += o->len;
	if (!o->gzip) {
		o->len = 0;
		return write_all(o, s->in, s->in_len);
	}
	if (o->len == 0 && (o->members || !last))
		return 0;
	s->last = last;
	pool_submit(o->pool, s);
	o->cur = (o->cur + 1) % o->nslots;
	o->len = 0;
	if (last)
		return 0;
	struct slot *n = &o->slots[o->cur];
	/* the ring is in submission order: this is the oldest in flight */
	if (n->busy && slot_collect(o, n))
		return -1;
	if (!n->in && slot_alloc(o, n))
		return -1;
	o->buf = (char *)n->in;
	return 0;
}

/* Where the next row's UTF-8 bytes go; there is always room for ROW_MAX. */
static inline char *row_begin(struct out *o)
{
	return o->row ? o->row : o->buf + o->len;
}

static int row_end(struct out *o, char *end)
{
	if (o->row) {
		char *in = o->row, *outp = o->buf + o->len;
		size_t in_left = (size_t)(end - o->row), out_left = 2 * ROW_MAX + 32;
		if (iconv(o->cd, &in, &in_left, &outp, &out_left) == (size_t)-1)
			return error_set(&o->err, o->label, "iconv: %s", strerror(errno));
		o->len = (size_t)(outp - o->buf);
	} else {
		o->len = (size_t)(end - o->buf);
	}
	o->rows++;
	if (o->len >= o->flush_at)
		return out_flush(o, 0);
	return 0;
}

struct out_config {
	const char *dir;
	int gzip, crlf, bom, gb18030;
	size_t member_size;
	int level, threads;
	struct pool *pool;
};

static int out_open(struct out *o, const char *name, const struct out_config *c,
		    struct error *err)
{
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->cd = (iconv_t)-1;
	o->label = name;
	if (snprintf(o->path, sizeof(o->path), "%s/%s", c->dir, name) >= (int)sizeof(o->path) ||
	    snprintf(o->tmp, sizeof(o->tmp), "%s/.%s.XXXXXX", c->dir, name) >= (int)sizeof(o->tmp))
		return error_set(err, c->dir, "path too long");
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0) {
		o->tmp[0] = '\0';
		return error_set(err, c->dir, "cannot create %s here: %s", name, strerror(errno));
	}
	memcpy(cleanup_paths[cleanup_n], o->tmp, sizeof(o->tmp));
	cleanup_n++;
	/* mkstemp makes 0600; exports are ordinary files */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(o->fd, 0666 & ~mask);

	o->gzip = c->gzip;
	o->members = c->gzip && c->member_size > 0;
	o->crlf = c->crlf;
	o->pool = c->pool;
	o->flush_at = !c->gzip ? PLAIN_CHUNK : o->members ? c->member_size : STREAM_CHUNK;
	/* enough chunks in flight for every thread, and one being filled */
	o->nslots = !c->gzip ? 1 : c->threads + 2;
	if (o->gzip && !o->members) {
		if (deflateInit2(&o->zs, c->level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			return error_set(err, name, "cannot start zlib");
		o->zs_ready = 1;
	}
	if (c->gb18030) {
		o->cd = iconv_open("GB18030", "UTF-8");
		if (o->cd == (iconv_t)-1)
			return error_set(err, NULL, "iconv cannot convert UTF-8 to GB18030: %s",
					 strerror(errno));
		o->row = malloc(ROW_MAX);
		if (!o->row)
			return error_set(err, NULL, "out of memory");
	}
	if (slot_alloc(o, &o->slots[0])) {
		*err = o->err;
		return -1;
	}
	o->buf = (char *)o->slots[0].in;
	if (c->bom) {
		/* U+FEFF goes through iconv like the rest: GB18030 has its own form */
		char *p = row_begin(o);
		p = PUT_LIT(p, "\xEF\xBB\xBF");
		if (o->row) {
			char *in = o->row, *outp = o->buf;
			size_t il = 3, ol = 16;
			if (iconv(o->cd, &in, &il, &outp, &ol) == (size_t)-1)
				return error_set(err, name, "iconv: %s", strerror(errno));
			o->len = (size_t)(outp - o->buf);
		} else {
			o->len = 3;
		}
	}
	return 0;
}

/* Writes what is left, waits for the compressors, closes the file. */
static int out_finish(struct out *o)
{
	if (out_flush(o, 1))
		return -1;
	if (o->gzip)
		for (int k = 0; k < o->nslots; k++) {
			struct slot *s = &o->slots[(o->cur + k) % o->nslots];
			if (s->busy && slot_collect(o, s))
				return -1;
		}
	int fd = o->fd;
	o->fd = -1;
	if (close(fd) != 0)
		return error_set(&o->err, o->label, "write failed: %s", strerror(errno));
	return 0;
}

/* Frees everything; removes the temporary file unless it was renamed. */
static void out_release(struct out *o)
{
	if (o->fd >= 0)
		close(o->fd);
	if (o->tmp[0])
		unlink(o->tmp);
	for (int i = 0; i < MAX_SLOTS; i++) {
		free(o->slots[i].in);
		free(o->slots[i].z);
	}
	if (o->zs_ready)
		deflateEnd(&o->zs);
	if (o->cd != (iconv_t)-1)
		iconv_close(o->cd);
	free(o->row);
	memset(o, 0, sizeof(*o));
}

/* ------------------------------------------------------------------ */
/* The model. */

enum shop_flag {
	SHOP_FAKE_SHIPPER = 1,   /* marks orders shipped with nothing sent */
	SHOP_HARASSER = 2,       /* pesters buyers over reviews, bursts at night */
	SHOP_COUNTERFEITER = 4,
	SHOP_RUDE = 8,
	SHOP_SLOW = 16,          /* late shipments */
};

enum status { ST_SUCCESS, ST_CLOSED, ST_SHIPPED, ST_WAITING };
static const char *const status_zh[] = {"交易成功", "交易关闭", "已发货", "等待发货"};

enum outcome { OUT_UPHELD, OUT_REJECTED, OUT_PENDING };
static const char *const outcome_zh[] = {"成立", "不成立", "处理中"};

enum sender { BUYER, SELLER };
enum channel { CH_CHAT, CH_PHONE, CH_SMS };
static const char *const channel_zh[] = {"旺旺", "电话", "短信"};

struct shop {
	uint64_t id;
	char *name, *name_csv;
	size_t name_csv_len;
	uint32_t alias, prob;         /* Walker alias table, by shop index */
	unsigned flags;
	double rate;                  /* complaints per eligible order, before scaling */
	uint32_t type_w[SAMPLE_TYPE_COUNT];
	uint32_t price;               /* median order amount, cents */
	uint8_t courier[2];
	double ship_mean;             /* seconds from payment to shipment */
	double late_p, fake_p, refund_p;
	double resp_mean, reply_p, rude_p, review_p, pester_p;
	char ring[4][24];             /* recent tracking numbers, for reuse */
	uint8_t ring_len[4], ring_n, ring_pos;
	uint64_t orders, complaints;
};

struct order {
	uint64_t index, id;
	struct shop *shop;
	uint64_t buyer;
	char nick[64];
	size_t nick_len;
	int64_t created, paid, shipped, finished;  /* -1: empty */
	uint64_t cents;
	enum status status;
	char tracking[24];
	size_t tracking_len;
	unsigned courier, item;
	int fake, late, refunded;
	int no_shop;                  /* planted: shop_id and shop_name left empty */
	int64_t dup_finished;         /* planted: written twice, the other row finished then; or -1 */
	int dup_later_first;          /* the row with dup_finished comes first */
	int dup_owed;                 /* one of the two sure duplicates: gets a complaint */
};

/* One complaint and its truth, for the row now and a truth file later. */
struct complaint {
	uint64_t id;
	enum sample_type filed;       /* the platform's type */
	enum sample_type text_type;   /* what the text is about */
	int secondary;                /* another type the text adds, or -1 */
	int denied;                   /* a type the text denies, or -1 */
	int has_order, late;          /* late: filed after the 15-day window */
	int orphan, no_shop;          /* planted: order_id not in the export; shop_id empty */
	int64_t filed_at;
	enum outcome outcome;
	int burst, night;             /* contacts planted in the chats */
};

struct chat_msg {
	int64_t t;
	uint64_t session;
	uint8_t sender, channel;
	uint16_t off, len;
};

#define BATCH_MAX 48

struct gen {
	/* settings */
	uint64_t n_orders, n_shops, seed, days;
	uint64_t complaints_target, chats_target;
	int zh, progress;
	/* state */
	struct rng r_orders, r_complaints, r_chats;
	struct shop *shops;
	struct daystr {
		char iso[10];
		char zh[10];
		uint8_t zh_len;
	} *day;
	size_t n_day;
	int64_t t0, t_max, snapshot;
	double *day_cum, hour_cum[25];
	uint64_t day_cursor;
	uint64_t buyers;
	double complaint_scale;       /* turns per-shop rates into probabilities */
	int dry_run;                  /* estimating: leave shop state alone */
	uint64_t complaints, chats, sessions;
	struct idmap id_name, id_shop, id_buyer, id_order, id_complaint, id_session;
	/* planted edge cases */
	struct rng r_plant;           /* the complaints owed to planted duplicates */
	uint64_t plants_seen;         /* the enum plant kinds written so far, a bit each */
	uint64_t dups_owed, owed_complaints, orphans;
	struct order pending;         /* a duplicated order's row still to write */
	uint64_t pending_after;       /* written once this order index is passed */
	int has_pending;
	struct out *out[NOUT];
	/* scratch */
	char text[TEXT_MAX + 64];
	struct chat_msg batch[BATCH_MAX];
	size_t batch_n, arena_len;
	char arena[BATCH_MAX * CHAT_TEXT_MAX];
	struct error err;
};

enum { OUT_ORDERS, OUT_COMPLAINTS, OUT_CHATS };

/* ---- times ---- */

static inline char *put_time(char *p, const struct gen *g, int64_t t)
{
	if (t < 0)
		t = 0;
	if (t > g->t_max)
		t = g->t_max;
	const struct daystr *d = &g->day[t / DAY];
	unsigned sod = (unsigned)(t % DAY), h = sod / 3600, m = sod / 60 % 60;
	if (!g->zh) {
		p = put_mem(p, d->iso, 10);
		*p++ = ' ';
		p = put_2(p, h);
		*p++ = ':';
		p = put_2(p, m);
		*p++ = ':';
		return put_2(p, sod % 60);
	}
	/* "2026/10/9 9:05", as spreadsheets write it */
	p = put_mem(p, d->zh, d->zh_len);
	*p++ = ' ';
	if (h >= 10)
		p = put_2(p, h);
	else
		*p++ = (char)('0' + h);
	*p++ = ':';
	return put_2(p, m);
}

static inline char *put_opt_time(char *p, const struct gen *g, int64_t t)
{
	return t < 0 ? p : put_time(p, g, t);
}

static char *put_amount(char *p, const struct gen *g, uint64_t cents)
{
	uint64_t yuan = cents / 100;
	if (!g->zh) {
		p = put_u64(p, yuan);
		*p++ = '.';
		return put_2(p, (unsigned)(cents % 100));
	}
	/* "¥1,299.00": the comma makes it a quoted field */
	char digits[24], *e = put_u64(digits, yuan);
	size_t n = (size_t)(e - digits);
	if (n > 3)
		*p++ = '"';
	p = PUT_LIT(p, "¥");
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			*p++ = ',';
		*p++ = digits[i];
	}
	*p++ = '.';
	p = put_2(p, (unsigned)(cents % 100));
	if (n > 3)
		*p++ = '"';
	return p;
}

static inline char *put_eol(char *p, const struct out *o)
{
	if (o->crlf)
		*p++ = '\r';
	*p++ = '\n';
	return p;
}

static int64_t day_start(int64_t t)
{
	return t - t % DAY;
}

/* ---- setup ---- */

static int setup_calendar(struct gen *g, int64_t start_days)
{
	g->n_day = PRE_DAYS + g->days + POST_DAYS;
	g->day = calloc(g->n_day, sizeof(*g->day));
	g->day_cum = calloc(g->days + 1, sizeof(*g->day_cum));
	if (!g->day || !g->day_cum)
		return error_set(&g->err, NULL, "out of memory");
	for (size_t i = 0; i < g->n_day; i++) {
		int y;
		unsigned m, d;
		civil_from_days(start_days - PRE_DAYS + (int64_t)i, &y, &m, &d);
		char *p = put_u64(g->day[i].iso, (uint64_t)y);
		*p++ = '-';
		p = put_2(p, m);
		*p++ = '-';
		put_2(p, d);
		p = put_u64(g->day[i].zh, (uint64_t)y);
		*p++ = '/';
		p = put_u64(p, m);
		*p++ = '/';
		p = put_u64(p, d);
		g->day[i].zh_len = (uint8_t)(p - g->day[i].zh);
	}
	g->t0 = (int64_t)PRE_DAYS * DAY;
	g->t_max = (int64_t)g->n_day * DAY - 1;
	/* the export was taken two days after the last order */
	g->snapshot = g->t0 + (int64_t)(g->days + 2) * DAY;

	/* weekends and one promotion day sell more; the rest is noise */
	struct rng r;
	rng_seed(&r, g->seed, 5);
	int64_t promo = g->days >= 7 ? (int64_t)rng_below(&r, g->days) : -1;
	double sum = 0;
	for (uint64_t d = 0; d < g->days; d++) {
		int64_t wd = (start_days + (int64_t)d + 4) % 7;  /* 0 = Sunday */
		double w = (wd == 0 || wd == 6 ? 1.15 : 1.0) * (0.9 + 0.2 * rng_unit(&r));
		if ((int64_t)d == promo)
			w *= 2.2;
		sum += w;
		g->day_cum[d + 1] = sum;
	}
	for (uint64_t d = 1; d <= g->days; d++)
		g->day_cum[d] /= sum;
	g->day_cum[g->days] = 1.0;

	/* a shopping day: quiet nights, a morning and an evening peak */
	static const int hour_w[24] = {30, 18, 10, 6, 5, 6, 10, 20, 40, 60, 75, 80,
				       70, 65, 72, 75, 70, 62, 60, 72, 90, 100, 85, 55};
	int hs = 0;
	for (int h = 0; h < 24; h++)
		hs += hour_w[h];
	int acc = 0;
	for (int h = 0; h < 24; h++) {
		g->hour_cum[h] = (double)acc / hs;
		acc += hour_w[h];
	}
	g->hour_cum[24] = 1.0;
	return 0;
}

static char *xstrdup_csv(const char *s, size_t *csv_len)
{
	size_t n = strlen(s);
	char *c = malloc(2 * n + 3);
	if (c) {
		*csv_len = (size_t)(put_csv(c, s, n) - c);
		c[*csv_len] = '\0';
	}
	return c;
}

/* Platform-wide mix of complaint types, per mille. */
static const uint32_t base_type_w[SAMPLE_TYPE_COUNT] = {
	[SAMPLE_FAKE_SHIPMENT] = 30, [SAMPLE_LATE_SHIPMENT] = 100, [SAMPLE_QUALITY] = 180,
	[SAMPLE_NOT_AS_DESCRIBED] = 140, [SAMPLE_DAMAGED_LOST] = 80, [SAMPLE_LOGISTICS] = 120,
	[SAMPLE_COUNTERFEIT] = 30, [SAMPLE_AFTER_SALES] = 90, [SAMPLE_REFUND] = 100,
	[SAMPLE_SHIPPING_FEE] = 40, [SAMPLE_ATTITUDE] = 70, [SAMPLE_HARASSMENT] = 20,
};

static void shop_name(struct gen *g, uint64_t k, const char *special, char *buf, size_t cap)
{
	const struct sample_strings *P = &sample_shop_prefix, *C = &sample_shop_core,
				    *S = &sample_shop_suffix;
	uint64_t combos = P->n * C->n * S->n;
	/* a bijection of k, so names only repeat past `combos` shops, with a number */
	uint64_t c = idmap_apply(&g->id_name, k);
	const char *pre = P->s[c % P->n], *core = C->s[c / P->n % C->n],
		   *suf = S->s[c / (P->n * C->n)];
	char num[24] = "";
	if (k >= combos)
		*put_u64(num, k / combos + 1) = '\0';
	if (special && !strcmp(special, "`"))
		snprintf(buf, cap, "%s", sample_shop_backquote);
	else if (special && !strcmp(special, ","))
		snprintf(buf, cap, "%s,%s%s%s", pre, core, suf, num);
	else if (special && !strcmp(special, "\""))
		snprintf(buf, cap, "\"%s\"%s%s%s", pre, core, suf, num);
	else if (special && !strcmp(special, "_"))
		snprintf(buf, cap, "%s_%s%s%s", pre, core, suf, num);
	else
		snprintf(buf, cap, "%s%s%s%s", pre, core, suf, num);
}

static int setup_shops(struct gen *g)
{
	uint64_t n = g->n_shops;
	struct rng r;
	rng_seed(&r, g->seed, 1);
	idmap_init(&g->id_name, sample_shop_prefix.n * sample_shop_core.n * sample_shop_suffix.n,
		   g->seed);
	g->shops = calloc(n, sizeof(*g->shops));
	double *w = malloc(n * sizeof(*w));
	uint32_t *small = malloc(n * sizeof(*small)), *large = malloc(n * sizeof(*large));
	if (!g->shops || !w || !small || !large) {
		free(w), free(small), free(large);
		return error_set(&g->err, NULL, "out of memory");
	}

	/* Zipf-like sizes: shop k (0 = biggest) sells in proportion to 1/(k+1)^1.1 */
	double total = 0;
	for (uint64_t k = 0; k < n; k++)
		total += w[k] = det_exp(-1.1 * det_log((double)(k + 1)));

	/* special names on distinct shops: the comma one among the biggest */
	static const char *const specials[] = {"`", ",", "\"", "_"};
	const char *special_of[4] = {0};
	uint64_t special_at[4];
	size_t n_special = n < 4 ? n : 4;
	for (size_t i = 0; i < n_special; i++) {
		uint64_t k;
		int taken;
		do {
			k = i == 1 ? rng_below(&r, n < 3 ? n : 3) : rng_below(&r, n);
			taken = 0;
			for (size_t j = 0; j < i; j++)
				taken |= special_at[j] == k;
		} while (taken);
		special_at[i] = k;
		special_of[i] = specials[i];
	}

	/* bad shops: a few, always one harasser with volume and one fake shipper */
	uint64_t harasser = n >= 5 ? 1 + rng_below(&r, n < 6 ? n - 1 : 5) : UINT64_MAX;
	uint64_t faker = n >= 5 ? rng_below(&r, n) : UINT64_MAX;
	if (faker == harasser)
		faker = (faker + 1) % n;

	for (uint64_t k = 0; k < n; k++) {
		struct shop *s = &g->shops[k];
		char name[256];
		const char *special = NULL;
		for (size_t i = 0; i < n_special; i++)
			if (special_at[i] == k)
				special = special_of[i];
		shop_name(g, k, special, name, sizeof(name));
		s->name = strdup(name);
		s->name_csv = xstrdup_csv(name, &s->name_csv_len);
		if (!s->name || !s->name_csv) {
			free(w), free(small), free(large);
			return error_set(&g->err, NULL, "out of memory");
		}
		s->id = 100000000 + idmap_apply(&g->id_shop, k);

		if (k == harasser)
			s->flags = SHOP_HARASSER | (rng_chance(&r, 0.5) ? SHOP_RUDE : 0);
		else if (k == faker)
			s->flags = SHOP_FAKE_SHIPPER | (rng_chance(&r, 0.5) ? SHOP_SLOW : 0);
		else if (rng_chance(&r, 0.12)) {
			static const unsigned kinds[] = {SHOP_FAKE_SHIPPER, SHOP_HARASSER,
							 SHOP_COUNTERFEITER, SHOP_RUDE, SHOP_SLOW};
			s->flags = kinds[rng_below(&r, 5)];
		}
		/* most shops near the median, bad ones several times it */
		s->rate = s->flags ? 3 + 5 * rng_unit(&r) : det_exp(0.45 * rng_normal(&r));
		for (int t = 0; t < SAMPLE_TYPE_COUNT; t++)
			s->type_w[t] = (uint32_t)(base_type_w[t] * (0.6 + 0.8 * rng_unit(&r))) + 1;
		if (s->flags & SHOP_FAKE_SHIPPER)
			s->type_w[SAMPLE_FAKE_SHIPMENT] += 900, s->type_w[SAMPLE_LATE_SHIPMENT] += 250;
		if (s->flags & SHOP_HARASSER)
			s->type_w[SAMPLE_HARASSMENT] += 900, s->type_w[SAMPLE_ATTITUDE] += 250;
		if (s->flags & SHOP_COUNTERFEITER)
			s->type_w[SAMPLE_COUNTERFEIT] += 800, s->type_w[SAMPLE_NOT_AS_DESCRIBED] += 300;
		if (s->flags & SHOP_RUDE)
			s->type_w[SAMPLE_ATTITUDE] += 700;
		if (s->flags & SHOP_SLOW)
			s->type_w[SAMPLE_LATE_SHIPMENT] += 600, s->type_w[SAMPLE_LOGISTICS] += 200;

		/* median price 20-2000 yuan, log-uniform */
		s->price = (uint32_t)(det_exp(det_log(2000.0) + rng_unit(&r) * det_log(100.0)));
		s->courier[0] = (uint8_t)rng_below(&r, sample_n_couriers);
		s->courier[1] = (uint8_t)rng_below(&r, sample_n_couriers);
		s->ship_mean = (6 + 30 * rng_unit(&r)) * HOUR;
		s->late_p = s->flags & SHOP_SLOW ? 0.25 : s->flags & SHOP_FAKE_SHIPPER ? 0.1 : 0.02;
		s->fake_p = s->flags & SHOP_FAKE_SHIPPER ? 0.12 : 0.002;
		s->refund_p = 0.03 + 0.03 * rng_unit(&r) + (s->flags ? 0.04 : 0);
		s->resp_mean = det_exp(det_log(40.0) + 1.0 * rng_normal(&r));
		if (s->flags & (SHOP_RUDE | SHOP_SLOW))
			s->resp_mean *= 8;
		s->reply_p = s->flags & SHOP_RUDE ? 0.7 : 0.97 - 0.1 * rng_unit(&r);
		s->rude_p = s->flags & SHOP_RUDE ? 0.25 : s->flags & SHOP_HARASSER ? 0.1 : 0.01;
		s->review_p = s->flags & SHOP_HARASSER ? 0.10 : 0.03;
		s->pester_p = s->flags & SHOP_HARASSER ? 0.03 : 0;
	}

	/* Walker's alias table (Vose's construction) for O(1) shop picks */
	size_t ns = 0, nl = 0;
	for (uint64_t k = 0; k < n; k++) {
		w[k] = w[k] / total * (double)n;
		if (w[k] < 1)
			small[ns++] = (uint32_t)k;
		else
			large[nl++] = (uint32_t)k;
	}
	while (ns && nl) {
		uint32_t s = small[--ns], l = large[--nl];
		g->shops[s].prob = (uint32_t)(w[s] * 4294967295.0);
		g->shops[s].alias = l;
		w[l] = (w[l] + w[s]) - 1;
		if (w[l] < 1)
			small[ns++] = l;
		else
			large[nl++] = l;
	}
	while (nl)
		g->shops[large[--nl]].prob = UINT32_MAX;
	while (ns)
		g->shops[small[--ns]].prob = UINT32_MAX;
	free(w), free(small), free(large);

	g->buyers = g->n_orders / 3 + 2 * n + 20;
	return 0;
}

/* ---- orders ---- */

static struct shop *pick_shop(struct gen *g, struct rng *r)
{
	uint64_t x = rng_next(r);
	uint64_t k = ((x >> 32) * g->n_shops) >> 32;
	struct shop *s = &g->shops[k];
	return (uint32_t)x <= s->prob ? s : &g->shops[s->alias];
}

static int64_t order_time(struct gen *g, struct rng *r, uint64_t i)
{
	double u = ((double)i + rng_unit(r)) / (double)g->n_orders;
	while (g->day_cursor + 1 < g->days && g->day_cum[g->day_cursor + 1] <= u)
		g->day_cursor++;
	uint64_t d = g->day_cursor;
	double lo = g->day_cum[d], hi = g->day_cum[d + 1];
	double f = hi > lo ? (u - lo) / (hi - lo) : 0;
	if (f < 0)
		f = 0;
	int h = 0;
	while (h < 23 && g->hour_cum[h + 1] <= f)
		h++;
	double fh = (f - g->hour_cum[h]) / (g->hour_cum[h + 1] - g->hour_cum[h]);
	int64_t sec = h * HOUR + (int64_t)(fh * HOUR);
	if (sec >= DAY)
		sec = DAY - 1;
	return g->t0 + (int64_t)d * DAY + sec;
}

static void buyer_nick(struct gen *g, uint64_t b, char *nick, size_t *len)
{
	uint64_t h = b ^ g->seed;
	h = splitmix64(&h);
	char *p = nick;
	if (h % 100 < 58) {
		/* "tb" and ten digits, a bijection of the buyer index */
		p = PUT_LIT(p, "tb");
		p = put_u64(p, 1000000000 + idmap_apply(&g->id_buyer, b));
	} else {
		const struct sample_strings *H = &sample_nick_head, *T = &sample_nick_tail;
		p = put_str(p, H->s[(h >> 8) % H->n]);
		if ((h >> 20) % 10 == 0)
			*p++ = '_';
		p = put_str(p, T->s[(h >> 24) % T->n]);
		/* the index keeps nicks unique */
		p = put_u64(p, b + 1);
	}
	*len = (size_t)(p - nick);
}

static void make_tracking(struct rng *r, struct order *o)
{
	const struct sample_courier *c = &sample_couriers[o->courier];
	char *p = put_str(o->tracking, c->prefix);
	for (unsigned i = 0; i < c->digits; i++)
		*p++ = (char)('0' + rng_below(r, 10));
	o->tracking_len = (size_t)(p - o->tracking);
}

/* Keeps the shop's last four tracking numbers, for reuse. */
static void remember_tracking(struct shop *s, const struct order *o)
{
	memcpy(s->ring[s->ring_pos], o->tracking, o->tracking_len);
	s->ring_len[s->ring_pos] = (uint8_t)o->tracking_len;
	s->ring_pos = (uint8_t)((s->ring_pos + 1) % 4);
	if (s->ring_n < 4)
		s->ring_n++;
}

static void gen_order(struct gen *g, uint64_t i, struct order *o)
{
	struct rng *r = &g->r_orders;
	struct shop *s = pick_shop(g, r);
	o->index = i;
	o->shop = s;
	/* buyers: a skewed population, so some buy again and again */
	double u = rng_unit(r);
	o->buyer = (uint64_t)((double)g->buyers * u * u * sqrt(u));
	buyer_nick(g, o->buyer, o->nick, &o->nick_len);
	/* Taobao-like 19 digits; the last four echo the buyer as Taobao's do */
	o->id = 1000000000000000000ULL +
		idmap_apply(&g->id_order, i) * 10000 + o->buyer % 10000;
	o->created = order_time(g, r, i);
	o->item = rng_below(r, sample_items.n);
	o->courier = s->courier[rng_below(r, 4) == 0];

	uint64_t yuan = (uint64_t)(s->price / 100.0 * det_exp(0.55 * rng_normal(r)));
	static const unsigned endings[] = {0, 0, 90, 99, 80, 50};
	o->cents = (yuan ? yuan : 1) * 100 + endings[rng_below(r, 6)];
	if (o->cents > 9999999)
		o->cents = 9999999;

	o->paid = o->shipped = o->finished = -1;
	o->tracking_len = 0;
	o->tracking[0] = '\0';
	o->fake = o->late = o->refunded = 0;

	if (rng_chance(r, 0.03)) {
		/* never paid: the platform closes it */
		o->finished = o->created + 900 + (int64_t)rng_exp(r, 6 * HOUR);
		if (o->finished > o->created + 72 * HOUR)
			o->finished = o->created + 72 * HOUR;
		if (o->finished > g->snapshot)
			o->finished = g->snapshot;
		o->status = ST_CLOSED;
		return;
	}
	o->paid = o->created + 3 + (int64_t)rng_exp(r, 90);

	double refund_p = s->refund_p;
	if (rng_chance(r, s->fake_p)) {
		/* marked as shipped at once, nothing sent */
		o->fake = 1;
		o->shipped = o->paid + 600 + (int64_t)rng_exp(r, 2 * HOUR);
		double v = rng_unit(r);
		if (v < 0.45) {
			o->tracking_len = 0;
		} else if (v < 0.8 && s->ring_n) {
			unsigned k = rng_below(r, s->ring_n);
			memcpy(o->tracking, s->ring[k], s->ring_len[k]);
			o->tracking_len = s->ring_len[k];
		} else {
			make_tracking(r, o);
		}
		refund_p += 0.4;
	} else {
		double delay;
		if (rng_chance(r, s->late_p)) {
			delay = 3 * DAY + rng_unit(r) * 6 * DAY;
			refund_p += 0.1;
		} else {
			delay = 600 + rng_exp(r, s->ship_mean);
		}
		o->late = delay > 72 * HOUR;
		o->shipped = o->paid + (int64_t)delay;
		if (rng_chance(r, 0.001) && s->ring_n) {
			/* a careless reuse by an ordinary shop */
			unsigned k = rng_below(r, s->ring_n);
			memcpy(o->tracking, s->ring[k], s->ring_len[k]);
			o->tracking_len = s->ring_len[k];
		} else {
			make_tracking(r, o);
			if (!g->dry_run)
				remember_tracking(s, o);
		}
	}

	if (rng_chance(r, refund_p)) {
		o->refunded = 1;
		if (o->late && rng_chance(r, 0.3)) {
			/* refunded before it ever shipped */
			o->finished = o->paid + HOUR + (int64_t)rng_exp(r, 2 * DAY);
			o->shipped = -1;
			o->tracking_len = 0;
		} else {
			o->finished = o->shipped + HOUR + (int64_t)rng_exp(r, 3 * DAY);
		}
	} else {
		/* confirmed by the buyer, or automatically ten days after shipment */
		int64_t f = o->shipped + (int64_t)(1.5 * DAY + rng_exp(r, 2.5 * DAY));
		int64_t cap = o->shipped + 10 * DAY + 2 * HOUR;
		o->finished = f < cap ? f : cap;
	}

	/* the export is a snapshot: recent orders are still on their way */
	int64_t first = o->shipped >= 0 ? o->shipped : o->finished;
	if (first > g->snapshot) {
		o->status = ST_WAITING;
		o->shipped = o->finished = -1;
		o->tracking_len = 0;
	} else if (o->finished > g->snapshot) {
		o->status = ST_SHIPPED;
		o->finished = -1;
	} else {
		o->status = o->refunded ? ST_CLOSED : ST_SUCCESS;
	}
	/* NUL-terminated too: texts quote it */
	o->tracking[o->tracking_len] = '\0';
}

static int write_order(struct gen *g, const struct order *o)
{
	struct out *out = g->out[OUT_ORDERS];
	char *p = row_begin(out);
	p = put_u64(p, o->id);
	*p++ = ',';
	if (!o->no_shop) {
		p = put_u64(p, o->shop->id);
		*p++ = ',';
		p = put_mem(p, o->shop->name_csv, o->shop->name_csv_len);
	} else {
		*p++ = ',';
	}
	*p++ = ',';
	p = put_mem(p, o->nick, o->nick_len);
	*p++ = ',';
	p = put_time(p, g, o->created);
	*p++ = ',';
	p = put_opt_time(p, g, o->paid);
	*p++ = ',';
	p = put_amount(p, g, o->cents);
	*p++ = ',';
	p = put_str(p, status_zh[o->status]);
	*p++ = ',';
	p = put_mem(p, o->tracking, o->tracking_len);
	*p++ = ',';
	p = put_opt_time(p, g, o->shipped);
	*p++ = ',';
	p = put_opt_time(p, g, o->finished);
	p = put_eol(p, out);
	return row_end(out, p);
}

/* ---- complaint texts ---- */

/* Where a complaint type is easily confused with another. */
static const enum sample_type related[SAMPLE_TYPE_COUNT] = {
	[SAMPLE_FAKE_SHIPMENT] = SAMPLE_LATE_SHIPMENT,
	[SAMPLE_LATE_SHIPMENT] = SAMPLE_LOGISTICS,
	[SAMPLE_QUALITY] = SAMPLE_NOT_AS_DESCRIBED,
	[SAMPLE_NOT_AS_DESCRIBED] = SAMPLE_QUALITY,
	[SAMPLE_DAMAGED_LOST] = SAMPLE_LOGISTICS,
	[SAMPLE_LOGISTICS] = SAMPLE_DAMAGED_LOST,
	[SAMPLE_COUNTERFEIT] = SAMPLE_QUALITY,
	[SAMPLE_AFTER_SALES] = SAMPLE_REFUND,
	[SAMPLE_REFUND] = SAMPLE_AFTER_SALES,
	[SAMPLE_SHIPPING_FEE] = SAMPLE_REFUND,
	[SAMPLE_ATTITUDE] = SAMPLE_AFTER_SALES,
	[SAMPLE_HARASSMENT] = SAMPLE_ATTITUDE,
};

static void text_slots(struct rng *r, const struct order *o, struct sample_slots *sl)
{
	static const unsigned hours[] = {24, 48, 72};
	sl->days = 3 + rng_below(r, 13);
	sl->hours = hours[rng_below(r, 3)];
	sl->count = 3 + rng_below(r, 18);
	sl->amount_cents = o->cents;
	sl->item = sample_items.s[o->item];
	sl->courier = sample_couriers[o->courier].name;
	sl->tracking = o->tracking_len ? o->tracking : "";
	sl->shop = o->shop->name;
}

/* Replaces buf[at..at+n) by rep[0..rn); returns the new length (capped). */
static size_t text_splice(char *buf, size_t len, size_t cap, size_t at, size_t n,
		     const char *rep, size_t rn)
{
	if (len - n + rn > cap)
		return len;
	memmove(buf + at + rn, buf + at + n, len - at - n);
	memcpy(buf + at, rep, rn);
	return len - n + rn;
}

static size_t add_noise(struct rng *r, char *t, size_t len, size_t cap, int english)
{
	if (!english && rng_chance(r, 0.07)) {
		/* stray pinyin: "发(fā)货" */
		size_t k0 = rng_below(r, sample_n_pinyin_noise);
		for (size_t j = 0; j < sample_n_pinyin_noise; j++) {
			const struct sample_pinyin *pn = &sample_pinyin_noise[(k0 + j) % sample_n_pinyin_noise];
			char *hit = memmem(t, len, pn->word, strlen(pn->word));
			if (hit) {
				len = text_splice(t, len, cap, (size_t)(hit - t), strlen(pn->word),
					     pn->noisy, strlen(pn->noisy));
				break;
			}
		}
	}
	if (!english && rng_chance(r, 0.25)) {
		/* half-width commas from a phone keyboard: the field must be quoted */
		char *hit;
		while ((hit = memmem(t, len, "，", 3)))
			len = text_splice(t, len, cap, (size_t)(hit - t), 3, ",", 1);
	}
	if (rng_chance(r, 0.03)) {
		/* a line break inside the text, quoted in CSV */
		char *hit = memmem(t, len, "，", 3);
		if (!hit)
			hit = memmem(t, len, ",", 1);
		if (hit) {
			size_t n = *hit == ',' ? 1 : 3;
			len = text_splice(t, len, cap, (size_t)(hit - t), n, "\n", 1);
		}
	}
	if (rng_chance(r, 0.15)) {
		unsigned k = 1 + rng_below(r, 3);
		const char *e = rng_pick(r, &sample_emoji);
		for (unsigned i = 0; i < k && len + strlen(e) <= cap; i++) {
			memcpy(t + len, e, strlen(e));
			len += strlen(e);
		}
	}
	return len;
}

/* Writes the complaint's text into g->text and returns its length. */
static size_t complaint_text(struct gen *g, const struct order *o, struct complaint *c)
{
	struct rng *r = &g->r_complaints;
	const struct sample_type_texts *tt = &sample_types[c->text_type];
	struct sample_slots sl;
	char *t = g->text;
	size_t len = 0, cap = TEXT_MAX;
	text_slots(r, o, &sl);

	double lang = rng_unit(r);
	if (lang < 0.08 && tt->en.n) {
		c->secondary = c->denied = -1;
		len = sample_fill(t, len, cap, rng_pick(r, &tt->en), &sl);
		return add_noise(r, t, len, cap, 1);
	}
	int trad = lang < 0.30;
	if (c->denied >= 0)
		len = sample_fill(t, len, cap, rng_pick(r, &sample_types[c->denied].neg), &sl);
	if (trad && rng_chance(r, 0.3))
		len = sample_fill(t, len, cap, rng_pick(r, &tt->zht), &sl);
	else
		len = sample_fill(t, len, cap, rng_pick(r, &tt->zh), &sl);
	if (c->secondary >= 0)
		len = sample_fill(t, len, cap, rng_pick(r, &sample_types[c->secondary].also), &sl);
	if (rng_chance(r, 0.08)) {
		len = sample_fill(t, len, cap, "，", &sl);
		len = sample_fill(t, len, cap, rng_pick(r, &sample_quoted), &sl);
	}
	if (rng_chance(r, 0.3)) {
		len = sample_fill(t, len, cap, rng_chance(r, 0.5) ? "。" : "！", &sl);
		len = sample_fill(t, len, cap, rng_pick(r, &sample_closings), &sl);
	}
	if (trad)
		sample_to_traditional(t, len);
	return add_noise(r, t, len, cap, 0);
}

/* ---- planted edge cases ---- */

/*
 * The rows `tousu rates` must count exactly (README, "tousu rates"). Whether
 * a row is planted is a hash of the seed and the row's number, so planting
 * draws from no random stream and moves no other row, and orders.csv still
 * depends on the orders' arguments alone. Besides the rates below, a run with
 * 100 orders or more plants one order without a shop and two duplicated
 * orders each with a complaint, and a run of 20 complaints or more plants
 * every complaint kind at least once, early: the small samples have them all.
 */
enum plant {
	PLANT_LATE,         /* filed after the window: the model's 2%, and once for sure */
	PLANT_AT_15_DAYS,   /* filed 15 x 86400 s after finished_at: still in the window */
	PLANT_ORPHAN,       /* order_id of no order in the export */
	PLANT_NO_SHOP_ID,   /* empty shop_id and shop_name: the shop comes from the order */
	PLANT_NO_SHOP,      /* empty shop_id, and no order_id or an orphan one: no shop at all */
	PLANT_KINDS
};
static const double plant_p[PLANT_KINDS] = {0, 0.003, 0.005, 0.003, 0.001};
#define PLANT_ORDER_NO_SHOP_P 0.001
#define PLANT_ORDER_DUP_P 0.0005

/* A number in [0, 1) fixed by the seed, what is being planted, and the row's number. */
static double plant_unit(const struct gen *g, uint64_t what, uint64_t n)
{
	uint64_t x = g->seed * 0x9E3779B97F4A7C15ULL + what;
	x = splitmix64(&x) ^ n;
	return (double)(splitmix64(&x) >> 11) * 0x1.0p-53;
}

/*
 * Plants on an order: an empty shop, or a second row of the same order_id
 * from a later export, after an after-sales refund closed the trade 2 to 10
 * days later (交易关闭). Either row may come first; the second follows within
 * 40 orders. Only finished orders are duplicated.
 */
static void plant_order(struct gen *g, struct order *o)
{
	uint64_t i = o->index, n = g->n_orders;
	int sure = n >= 100;
	o->no_shop = plant_unit(g, 1, i) < PLANT_ORDER_NO_SHOP_P || (sure && i == n / 4);
	o->dup_finished = -1;
	o->dup_later_first = o->dup_owed = 0;
	if (o->finished < 0 || o->paid < 0)
		return;
	/* the two sure ones: from the middle and from the last quarter on */
	o->dup_owed = sure && g->dups_owed < 2 && i >= n / 2 + g->dups_owed * (n / 4);
	if (!o->dup_owed && plant_unit(g, 2, i) >= PLANT_ORDER_DUP_P)
		return;
	o->dup_finished = o->finished + 2 * DAY + (int64_t)(plant_unit(g, 3, i) * 8 * DAY);
	o->dup_later_first = o->dup_owed ? g->dups_owed == 1 : plant_unit(g, 4, i) < 0.5;
	g->dups_owed += (uint64_t)o->dup_owed;
}

/* Writes the order's row (or rows), and a duplicate row that is due. */
static int write_order_rows(struct gen *g, const struct order *o)
{
	if (g->has_pending && (o->index > g->pending_after || o->dup_finished >= 0)) {
		g->has_pending = 0;
		if (write_order(g, &g->pending))
			return -1;
	}
	if (o->dup_finished < 0)
		return write_order(g, o);
	struct order later = *o;
	later.finished = o->dup_finished;
	later.status = ST_CLOSED;
	g->pending = o->dup_later_first ? *o : later;
	g->pending_after = o->index + (uint64_t)(plant_unit(g, 5, o->index) * 40);
	g->has_pending = 1;
	return write_order(g, o->dup_later_first ? &later : o);
}

/*
 * Plants on the complaint about to be written (number: its place in the
 * run). On a duplicated order it is filed after the window of the earlier
 * finished_at but within the later one's: the join must take the earliest.
 */
static void plant_complaint(struct gen *g, const struct order *o, struct complaint *c,
			    uint64_t number)
{
	if (o->dup_finished >= 0) {
		double gap = (double)(o->dup_finished - o->finished - 2 * HOUR);
		c->has_order = 1;
		c->late = 1;
		c->filed_at = o->finished + 15 * DAY + HOUR + (int64_t)(plant_unit(g, 6, number) * gap);
		return;
	}
	int kind = -1;
	double u = plant_unit(g, 7, number), acc = 0;
	for (int k = 0; k < PLANT_KINDS && kind < 0; k++)
		if (u < (acc += plant_p[k]))
			kind = k;
	/* the first complaints take the kinds not seen yet, one each */
	if (kind < 0 && g->complaints_target >= 20)
		for (int k = 0; k < PLANT_KINDS && kind < 0; k++)
			if (!(g->plants_seen >> k & 1) && number >= 2 * (uint64_t)k + 1)
				kind = k;
	if (kind == PLANT_NO_SHOP_ID && o->no_shop)
		kind = -1;  /* the order has no shop to give */
	switch (kind) {
	case PLANT_LATE:
		if (!c->late) {
			c->late = 1;
			c->filed_at = o->finished + 15 * DAY + HOUR +
				      (int64_t)(plant_unit(g, 8, number) * 10 * DAY);
		}
		break;
	case PLANT_AT_15_DAYS:
		c->late = 0;
		c->filed_at = o->finished + 15 * DAY;
		break;
	case PLANT_ORPHAN:
		c->has_order = c->orphan = 1;
		break;
	case PLANT_NO_SHOP_ID:
		c->has_order = c->no_shop = 1;
		break;
	case PLANT_NO_SHOP:
		c->no_shop = 1;
		c->has_order = c->orphan = plant_unit(g, 9, number) < 0.5;
		break;
	}
	if (kind >= 0)
		g->plants_seen |= 1u << kind;
	if (c->late && c->has_order && !c->orphan)
		g->plants_seen |= 1u << PLANT_LATE;
}

/* ---- complaints ---- */

static enum sample_type pick_type(struct rng *r, const struct shop *s, const struct order *o)
{
	uint32_t w[SAMPLE_TYPE_COUNT], total = 0;
	memcpy(w, s->type_w, sizeof(w));
	/* what happened to the order shapes what the buyer complains about */
	if (o->fake)
		w[SAMPLE_FAKE_SHIPMENT] += 4000;
	if (o->late)
		w[SAMPLE_LATE_SHIPMENT] += 2000;
	if (o->refunded)
		w[SAMPLE_REFUND] += 300, w[SAMPLE_AFTER_SALES] += 150;
	for (int t = 0; t < SAMPLE_TYPE_COUNT; t++)
		total += w[t];
	uint32_t x = rng_below(r, total);
	for (int t = 0; t < SAMPLE_TYPE_COUNT; t++) {
		if (x < w[t])
			return (enum sample_type)t;
		x -= w[t];
	}
	return SAMPLE_QUALITY;
}

static int write_complaint(struct gen *g, const struct order *o, const struct complaint *c,
			   const char *text, size_t text_len)
{
	struct out *out = g->out[OUT_COMPLAINTS];
	char *p = row_begin(out);
	/* 16 digits, unique: a bijection of the complaint's number */
	p = put_u64(p, 6000000000000000ULL + c->id);
	*p++ = ',';
	if (c->orphan)  /* an order id beyond the export's: no order has it */
		p = put_u64(p, 1000000000000000000ULL +
			    idmap_apply(&g->id_order, g->n_orders + g->orphans++) * 10000 +
			    o->buyer % 10000);
	else if (c->has_order)
		p = put_u64(p, o->id);
	*p++ = ',';
	if (!c->no_shop) {
		p = put_u64(p, o->shop->id);
		*p++ = ',';
		p = put_mem(p, o->shop->name_csv, o->shop->name_csv_len);
	} else {
		*p++ = ',';
	}
	*p++ = ',';
	p = put_mem(p, o->nick, o->nick_len);
	*p++ = ',';
	p = put_time(p, g, c->filed_at);
	*p++ = ',';
	p = put_str(p, sample_types[c->filed].platform);
	*p++ = ',';
	p = put_csv(p, text, text_len);
	*p++ = ',';
	p = put_str(p, outcome_zh[c->outcome]);
	p = put_eol(p, out);
	return row_end(out, p);
}

static int gen_chats_for_complaint(struct gen *g, const struct order *o, struct complaint *c);

/* How prone the order is to a complaint, before scaling: 0 if it cannot get one. */
static double complaint_weight(const struct order *o)
{
	if (o->finished < 0 || o->paid < 0)
		return 0;
	return o->shop->rate * (o->fake ? 6 : o->late ? 3 : o->refunded ? 2 : 1);
}

/*
 * Sets the one factor that scales every shop's rate so the expected total
 * is the target: the mean weight comes from a dry run of evenly spaced
 * orders on a stream of its own (the last days' orders are not finished
 * yet, so a running mean would fall short at the end).
 */
static void calibrate_complaints(struct gen *g)
{
	struct rng saved = g->r_orders;
	uint64_t m = g->n_orders ? 20000 : 0;  /* small runs repeat indices: fine */
	double sum = 0;
	struct order o;
	rng_seed(&g->r_orders, g->seed, 6);
	g->dry_run = 1;
	for (uint64_t k = 0; k < m; k++) {
		gen_order(g, k * g->n_orders / m, &o);
		sum += complaint_weight(&o);
	}
	g->dry_run = 0;
	g->day_cursor = 0;
	g->r_orders = saved;
	g->complaint_scale = sum > 0 ? (double)g->complaints_target / (sum / (double)m * (double)g->n_orders) : 0;
}

/*
 * Draws complaint number `number` on the order and writes it, and its chats
 * when `chats` is set. The chats are drawn for the complaint as the model
 * made it, before planting, so planting moves no chat row.
 */
static int gen_complaint(struct gen *g, const struct order *o, uint64_t number, int chats)
{
	struct rng *r = &g->r_complaints;
	const struct shop *s = o->shop;
	struct complaint c;
	memset(&c, 0, sizeof(c));
	c.id = idmap_apply(&g->id_complaint, number);
	c.filed = pick_type(r, s, o);
	c.text_type = c.filed;
	double v = rng_unit(r);
	if (c.filed == SAMPLE_HARASSMENT) {
		/* DOMAIN: insults filed as harassment are attitude; fake goods
		 * or after-sales filed as harassment are what the text says */
		static const enum sample_type alt[] = {SAMPLE_COUNTERFEIT,
			SAMPLE_AFTER_SALES, SAMPLE_REFUND};
		if (v < 0.22)
			c.text_type = SAMPLE_ATTITUDE;
		else if (v < 0.30)
			c.text_type = alt[rng_below(r, 3)];
	} else if (v < 0.04) {
		c.text_type = related[c.filed];
	}
	c.secondary = c.denied = -1;
	if (rng_chance(r, 0.12)) {
		enum sample_type t2 = rng_chance(r, 0.5) ? related[c.text_type]
			: (enum sample_type)rng_below(r, SAMPLE_TYPE_COUNT);
		if (t2 != c.text_type)
			c.secondary = t2;
	}
	if (rng_chance(r, 0.08)) {
		/* "没有质量问题，就是发货太慢": deny a neighbour, or quality */
		enum sample_type t3 = rng_chance(r, 0.5) ? related[c.text_type] : SAMPLE_QUALITY;
		if (t3 != c.text_type && (int)t3 != c.secondary)
			c.denied = t3;
	}
	c.has_order = !rng_chance(r, 0.01);
	if (rng_chance(r, 0.02)) {
		c.late = 1;
		c.filed_at = o->finished + 15 * DAY + HOUR + (int64_t)(rng_unit(r) * 30 * DAY);
	} else {
		int64_t d = 60 + (int64_t)rng_exp(r, 2.5 * DAY);
		if (d > 15 * DAY - 60)
			d = 60 + (int64_t)(rng_unit(r) * (15 * DAY - 120));
		c.filed_at = o->finished + d;
	}
	if (c.late)
		c.outcome = rng_chance(r, 0.9) ? OUT_REJECTED : OUT_PENDING;
	else if (c.filed_at > g->snapshot - 2 * DAY && rng_chance(r, 0.8))
		c.outcome = OUT_PENDING;
	else if (c.text_type != c.filed)
		c.outcome = rng_chance(r, 0.3) ? OUT_UPHELD : OUT_REJECTED;
	else
		c.outcome = rng_chance(r, s->flags ? 0.7 : 0.45) ? OUT_UPHELD : OUT_REJECTED;

	size_t n = complaint_text(g, o, &c);
	struct complaint row = c;
	plant_complaint(g, o, &row, number);
	if (write_complaint(g, o, &row, g->text, n))
		return -1;
	o->shop->complaints++;
	return chats && g->out[OUT_CHATS] ? gen_chats_for_complaint(g, o, &c) : 0;
}

/* Decides how many complaints the order gets and writes them (and their chats). */
static int gen_complaints(struct gen *g, const struct order *o)
{
	struct rng *r = &g->r_complaints;
	double p = complaint_weight(o) * g->complaint_scale;
	int k = (int)p;
	if (rng_chance(r, p - k))
		k++;
	if (k > 3)
		k = 3;
	for (int j = 0; j < k; j++)
		if (gen_complaint(g, o, g->complaints++, 1))
			return -1;
	if (k || !o->dup_owed || g->complaints_target < 20)
		return 0;
	/* a sure duplicate's complaint: from a stream, and an id, of its own,
	 * without chats, so no other row moves */
	struct rng saved = g->r_complaints;
	g->r_complaints = g->r_plant;
	int rc = gen_complaint(g, o, 999999999999999ULL - g->owed_complaints++, 0);
	g->r_plant = g->r_complaints;
	g->r_complaints = saved;
	return rc;
}

/* ---- chats ---- */

static uint64_t new_session(struct gen *g)
{
	/* ten digits, unique */
	return 1000000000 + idmap_apply(&g->id_session, g->sessions++);
}

static int chat_room(const struct gen *g)
{
	return g->chats + g->batch_n < g->chats_target && g->batch_n < BATCH_MAX;
}

/* Queues one message; returns 0 when the budget or the batch is full. */
static int chat_add(struct gen *g, const struct order *o, uint64_t session, int64_t t,
		    enum sender who, enum channel ch, const char *tmpl)
{
	struct rng *r = &g->r_chats;
	if (!chat_room(g))
		return 0;
	struct chat_msg *m = &g->batch[g->batch_n++];
	struct sample_slots sl;
	text_slots(r, o, &sl);
	if (ch == CH_PHONE)
		sl.count = 8 + rng_below(r, 50);
	m->t = t;
	m->session = session;
	m->sender = (uint8_t)who;
	m->channel = (uint8_t)ch;
	m->off = (uint16_t)g->arena_len;
	size_t end = sample_fill(g->arena, g->arena_len, g->arena_len + CHAT_TEXT_MAX, tmpl, &sl);
	m->len = (uint16_t)(end - g->arena_len);
	g->arena_len = end;
	return 1;
}

static int chat_flush(struct gen *g, const struct order *o)
{
	struct rng *r = &g->r_chats;
	struct out *out = g->out[OUT_CHATS];
	static const char *const sender_en[] = {"buyer", "seller"};
	static const char *const sender_zh[] = {"买家", "卖家"};
	/* exports are not quite in time order: swap a few neighbours */
	for (size_t i = 1; i < g->batch_n; i++)
		if (rng_chance(r, 0.03)) {
			struct chat_msg tmp = g->batch[i];
			g->batch[i] = g->batch[i - 1];
			g->batch[i - 1] = tmp;
		}
	for (size_t i = 0; i < g->batch_n; i++) {
		const struct chat_msg *m = &g->batch[i];
		char *p = row_begin(out);
		p = put_u64(p, m->session);
		*p++ = ',';
		p = put_u64(p, o->shop->id);
		*p++ = ',';
		p = put_mem(p, o->nick, o->nick_len);
		*p++ = ',';
		p = put_str(p, (g->zh ? sender_zh : sender_en)[m->sender]);
		*p++ = ',';
		p = put_str(p, channel_zh[m->channel]);
		*p++ = ',';
		p = put_time(p, g, m->t);
		*p++ = ',';
		p = put_csv(p, g->arena + m->off, m->len);
		p = put_eol(p, out);
		if (row_end(out, p))
			return -1;
	}
	g->chats += g->batch_n;
	g->batch_n = 0;
	g->arena_len = 0;
	return 0;
}

static int64_t reply_delay(struct rng *r, const struct shop *s)
{
	double d = rng_exp(r, s->resp_mean);
	if (rng_chance(r, 0.05))
		d *= 15;  /* the seller was away */
	return 3 + (int64_t)d;
}

/* A Wangwang conversation of about n rows, before or after the purchase. */
static int chat_session(struct gen *g, const struct order *o, size_t n)
{
	struct rng *r = &g->r_chats;
	const struct shop *s = o->shop;
	uint64_t sid = new_session(g);
	int shipping = o->paid >= 0 && rng_chance(r, 0.4);
	int64_t t = shipping ? o->paid + 600 + (int64_t)rng_exp(r, 8 * HOUR)
			     : o->created - 60 - (int64_t)rng_exp(r, 30 * 60);
	const struct sample_strings *bq = shipping ? &sample_buyer_shipping : &sample_buyer_presale;
	const struct sample_strings *sa = shipping ? &sample_seller_shipping : &sample_seller_presale;
	int answered = rng_chance(r, s->reply_p);
	enum sender prev = BUYER;

	if (!answered && n > 3)
		n = 3;
	for (size_t j = 0; j < n; j++) {
		enum sender who;
		const char *text;
		if (j == 0 || !answered) {
			who = BUYER;
		} else if (prev == BUYER) {
			who = rng_chance(r, 0.15) ? BUYER : SELLER;
		} else {
			who = rng_chance(r, 0.2) ? SELLER : BUYER;
		}
		if (j > 0) {
			if (who == SELLER && prev == BUYER)
				t += reply_delay(r, s);
			else
				t += 5 + (int64_t)rng_exp(r, who == BUYER ? 120 : 30);
		}
		if (who == BUYER)
			text = j >= 2 && rng_chance(r, 0.4) ? rng_pick(r, &sample_buyer_followup)
							   : rng_pick(r, bq);
		else
			text = rng_chance(r, s->rude_p) ? rng_pick(r, &sample_seller_rude) : rng_pick(r, sa);
		if (!chat_add(g, o, sid, t, who, CH_CHAT, text))
			break;
		prev = who;
	}
	return chat_flush(g, o);
}

/* Seller phone calls and SMS to one buyer; night puts them between 22:00 and 08:00. */
static int seller_contacts(struct gen *g, const struct order *o, int64_t from, int64_t to,
			   unsigned k, const struct sample_strings *sms)
{
	struct rng *r = &g->r_chats;
	uint64_t phone = new_session(g), text = new_session(g);
	int64_t t[16];
	if (k > 16)
		k = 16;
	for (unsigned i = 0; i < k; i++)
		t[i] = from + (int64_t)(rng_unit(r) * (double)(to - from));
	for (unsigned i = 1; i < k; i++)
		for (unsigned j = i; j > 0 && t[j] < t[j - 1]; j--) {
			int64_t x = t[j];
			t[j] = t[j - 1];
			t[j - 1] = x;
		}
	for (unsigned i = 0; i < k; i++) {
		int call = rng_chance(r, 0.6);
		if (!chat_add(g, o, call ? phone : text, t[i], SELLER, call ? CH_PHONE : CH_SMS,
			      rng_pick(r, call ? &sample_phone_log : sms)))
			break;
	}
	return chat_flush(g, o);
}

/*
 * The chats around a complaint: an after-sales conversation, and for a
 * harassment complaint the seller's contacts in the week before it was
 * filed: a burst of >= 5 within 24 hours reaching into the night
 * (`supported`), a few daytime ones (`not_supported`), or none.
 */
static int gen_chats_for_complaint(struct gen *g, const struct order *o, struct complaint *c)
{
	struct rng *r = &g->r_chats;
	const struct shop *s = o->shop;
	int64_t lo = o->paid + HOUR;

	if (rng_chance(r, 0.5)) {
		uint64_t sid = new_session(g);
		int64_t t = o->finished + (int64_t)(rng_unit(r) * (double)(c->filed_at - o->finished));
		const char *q = rng_pick(r, &sample_types[c->text_type].zh);
		chat_add(g, o, sid, t, BUYER, CH_CHAT, q);
		if (rng_chance(r, s->reply_p)) {
			int rude = c->text_type == SAMPLE_ATTITUDE || rng_chance(r, s->rude_p);
			t += reply_delay(r, s);
			chat_add(g, o, sid, t, SELLER, CH_CHAT,
				 rng_pick(r, rude ? &sample_seller_rude : &sample_seller_sorry));
		}
		if (chat_flush(g, o))
			return -1;
	}
	if (c->filed != SAMPLE_HARASSMENT)
		return 0;

	double v = rng_unit(r);
	double burst_p = s->flags & SHOP_HARASSER ? 0.85 : 0.35;
	if (v < burst_p) {
		/* a night that starts at 21:00-23:00, two to six days before filing */
		int64_t start = day_start(c->filed_at - 2 * DAY - (int64_t)(rng_unit(r) * 4 * DAY));
		start += 21 * HOUR + (int64_t)(rng_unit(r) * 2 * HOUR);
		int64_t span = 8 * HOUR + (int64_t)(rng_unit(r) * 12 * HOUR);
		if (start < lo)
			return 0;
		c->burst = 1;
		c->night = 1;
		if (seller_contacts(g, o, start, start + span, 5 + rng_below(r, 4), &sample_seller_pester))
			return -1;
		if (rng_chance(r, 0.5)) {
			int64_t t = start + span + 600 + (int64_t)rng_exp(r, HOUR);
			chat_add(g, o, new_session(g), t, BUYER, CH_CHAT, rng_pick(r, &sample_buyer_stop));
			return chat_flush(g, o);
		}
	} else if (v < burst_p + (1 - burst_p) * 0.6) {
		/* a few daytime reminders: chats exist but prove nothing */
		int64_t day = day_start(c->filed_at - DAY - (int64_t)(rng_unit(r) * 5 * DAY));
		if (day + 10 * HOUR < lo)
			return 0;
		return seller_contacts(g, o, day + 10 * HOUR, day + 18 * HOUR, 1 + rng_below(r, 3),
				       &sample_seller_review);
	}
	return 0;
}

/* Every order's ordinary chats: conversations, shipping SMS, review requests. */
static int gen_chats(struct gen *g, const struct order *o, uint64_t left)
{
	struct rng *r = &g->r_chats;
	const struct shop *s = o->shop;
	if (g->chats >= g->chats_target)
		return 0;
	uint64_t rem = g->chats_target - g->chats;

	/* rows for this order's conversations, so the total comes out exact */
	double m = (double)rem / (double)left;
	size_t rows = 0;
	if (left == 1) {
		rows = (size_t)rem;
	} else if (m <= 4) {
		if (rng_chance(r, m / 4))
			rows = 2 + rng_below(r, 5);
	} else {
		rows = 1 + (size_t)(rng_unit(r) * (2 * m - 1));
	}
	while (rows > 0 && g->chats < g->chats_target) {
		size_t n = rows > BATCH_MAX ? BATCH_MAX : rows;
		uint64_t before = g->chats;
		if (chat_session(g, o, n))
			return -1;
		size_t got = (size_t)(g->chats - before);
		if (!got)
			break;
		rows -= got < rows ? got : rows;
	}

	if (o->shipped >= 0 && o->tracking_len && rng_chance(r, 0.08)) {
		int64_t t = o->shipped + 60 + (int64_t)rng_exp(r, 1800);
		chat_add(g, o, new_session(g), t, SELLER, CH_SMS, rng_pick(r, &sample_seller_notice));
		if (chat_flush(g, o))
			return -1;
	}
	if (o->finished >= 0 && o->paid >= 0 && rng_chance(r, s->review_p)) {
		/* asking for a good review; harassers call at night too */
		int64_t day = day_start(o->finished + DAY + (int64_t)(rng_unit(r) * 2 * DAY));
		int night = s->flags & SHOP_HARASSER && rng_chance(r, 0.3);
		int64_t from = night ? day + 22 * HOUR : day + 10 * HOUR;
		if (seller_contacts(g, o, from, from + (night ? 3 : 8) * HOUR, 1 + rng_below(r, 2),
				    &sample_seller_review))
			return -1;
	}
	if (o->finished >= 0 && o->paid >= 0 && rng_chance(r, s->pester_p)) {
		/* a burst with no complaint behind it: the buyer gave in, or never filed */
		int64_t from = day_start(o->finished + DAY) + 20 * HOUR + (int64_t)(rng_unit(r) * 3 * HOUR);
		if (seller_contacts(g, o, from, from + 10 * HOUR, 5 + rng_below(r, 3),
				    &sample_seller_pester))
			return -1;
	}
	return 0;
}

/* ---- headers ---- */

static const enum role order_cols[] = {
	ROLE_ORDER_ID, ROLE_SHOP_ID, ROLE_SHOP_NAME, ROLE_BUYER_ID, ROLE_CREATED_AT,
	ROLE_PAID_AT, ROLE_AMOUNT, ROLE_STATUS, ROLE_TRACKING_NO, ROLE_SHIPPED_AT,
	ROLE_FINISHED_AT,
};
static const enum role complaint_cols[] = {
	ROLE_COMPLAINT_ID, ROLE_ORDER_ID, ROLE_SHOP_ID, ROLE_SHOP_NAME, ROLE_BUYER_ID,
	ROLE_FILED_AT, ROLE_COMPLAINT_TYPE, ROLE_TEXT, ROLE_OUTCOME,
};
static const enum role chat_cols[] = {
	ROLE_SESSION_ID, ROLE_SHOP_ID, ROLE_BUYER_ID, ROLE_SENDER, ROLE_CHANNEL,
	ROLE_SENT_AT, ROLE_TEXT,
};

static int write_header(struct out *o, const enum role *cols, size_t n, int zh)
{
	char *p = row_begin(o);
	for (size_t i = 0; i < n; i++) {
		const char *name = zh ? schema_role_zh(cols[i]) : schema_role_name(cols[i]);
		/* the text role's Chinese name is a complaint's (投诉内容); a chat
		 * export says 消息内容, one of the role's aliases */
		if (zh && cols[i] == ROLE_TEXT && cols == chat_cols)
			name = "消息内容";
		if (i)
			*p++ = ',';
		p = put_csv(p, name, strlen(name));
	}
	p = put_eol(p, o);
	int rc = row_end(o, p);
	o->rows--;  /* count data rows only */
	return rc;
}

/* ------------------------------------------------------------------ */
/* The command. */

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	if (!s || *s < '0' || *s > '9')
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned long long mult = 1;
	switch (*end) {
	case 'k': case 'K': mult = 1ULL << 10; end++; break;
	case 'm': case 'M': mult = 1ULL << 20; end++; break;
	case 'g': case 'G': mult = 1ULL << 30; end++; break;
	}
	if (*end == 'i' || *end == 'B')
		end += *end == 'i' && end[1] == 'B' ? 2 : 1;
	/* zlib counts input in 32 bits, and a member is held in memory */
	if (errno || *end || v == 0 || v > (1ULL << 30) / mult)
		return -1;
	*out = (size_t)(v * mult);
	return 0;
}

static int generate(struct gen *g, double t_start)
{
	struct order o;
	double next_progress = t_start + 0.25;
	for (uint64_t i = 0; i < g->n_orders; i++) {
		uint64_t left = g->n_orders - i;
		gen_order(g, i, &o);
		plant_order(g, &o);
		o.shop->orders++;
		if (write_order_rows(g, &o))
			return -1;
		if (gen_complaints(g, &o))
			return -1;
		if (g->out[OUT_CHATS] && gen_chats(g, &o, left))
			return -1;
		if (g->progress && (i & 0xFFFF) == 0xFFFF) {
			double t = now_seconds();
			if (t >= next_progress) {
				fprintf(stderr, "\rtousu: sample: %3.0f%% (%llu of %llu orders)",
					100.0 * (double)i / (double)g->n_orders,
					(unsigned long long)i, (unsigned long long)g->n_orders);
				next_progress = t + 0.25;
			}
		}
	}
	if (g->progress)
		fputs("\r\033[K", stderr);
	return g->has_pending ? write_order(g, &g->pending) : 0;
}

static void gen_release(struct gen *g)
{
	if (g->shops)
		for (uint64_t k = 0; k < g->n_shops; k++) {
			free(g->shops[k].name);
			free(g->shops[k].name_csv);
		}
	free(g->shops);
	free(g->day);
	free(g->day_cum);
}

static const struct command_usage usage_base = {
	"tousu sample --out DIR [--orders N] [--shops N] [--seed S] [OPTIONS]",
	"Writes realistic synthetic exports into DIR: orders.csv, complaints.csv and\n"
	"chats.csv (.csv.gz with --gzip). The same arguments give the same bytes on any\n"
	"machine. Shop sizes and complaint rates are skewed, a few shops are bad in\n"
	"particular ways, complaint texts mix simplified, traditional and English with\n"
	"scraped-text noise, and chats carry night-time contact bursts before\n"
	"harassment complaints. Edge cases for `tousu rates` are planted: complaints\n"
	"filed late or exactly 15 days after the trade finished, order ids missing\n"
	"from orders.csv, rows without a shop, orders written twice (so orders.csv\n"
	"has a few more rows than --orders). Memory does not grow with --orders.\n"
	"\n"
	"SIZE takes K, M, G suffixes (x1024). Files are written under temporary names\n"
	"and renamed when complete.",
	NULL,
};

static int run(int argc, char **argv)
{
	uint64_t orders = 1000, shops = 15, seed = 1, complaints = UINT64_MAX,
		 chats = UINT64_MAX, days = 30, level = 6, threads = 2;
	const char *out_dir = NULL, *start = "2026-10-01", *member = NULL, *encoding = "utf-8";
	int gzip = 0, crlf = 0, bom = 0, zh = 0, quiet = 0;
	const struct option opts[] = {
		OPT_STRING('o', "out", &out_dir, "DIR", "write the files into DIR (created if missing)"),
		OPT_U64(0, "orders", &orders, "N", "orders to write (default 1000)"),
		OPT_U64(0, "shops", &shops, "N", "the shops rows are drawn from (default 15; a few rows may not reach them all)"),
		OPT_U64(0, "seed", &seed, "S", "random seed (default 1)"),
		OPT_U64(0, "complaints", &complaints, "N", "about N complaints (default 3% of orders)"),
		OPT_U64(0, "chats", &chats, "N", "chat rows (default 2x orders; 0: no chats file)"),
		OPT_STRING(0, "start", &start, "DATE", "first day of orders, YYYY-MM-DD (default 2026-10-01)"),
		OPT_U64(0, "days", &days, "N", "days the orders span (default 30)"),
		OPT_BOOL(0, "gzip", &gzip, "compress: write .csv.gz"),
		OPT_U64(0, "gzip-level", &level, "N", "gzip level 0-9 (default 6)"),
		OPT_STRING(0, "gzip-member-size", &member, "SIZE",
			   "start a new gzip member every SIZE uncompressed bytes (at a row end)"),
		OPT_U64(0, "threads", &threads, "N", "compression threads (default 2)"),
		OPT_CHOICE(0, "encoding", &encoding, "utf-8|gb18030", "output encoding (default utf-8)"),
		OPT_BOOL(0, "crlf", &crlf, "end rows with CRLF"),
		OPT_BOOL(0, "bom", &bom, "start each file with a byte order mark"),
		OPT_BOOL(0, "zh-headers", &zh, "Chinese headers, ¥1,299.00 amounts, 2026/10/9 10:45 times"),
		OPT_BOOL('q', "quiet", &quiet, "no summary line on stderr"),
		OPT_END(),
	};
	struct command_usage usage = usage_base;
	usage.options = opts;
	struct error err;
	char **operands = NULL;
	size_t n_operands = 0;
	error_clear(&err);

	enum options_result pr = options_parse(argc, argv, &usage, &operands, &n_operands, &err);
	if (pr == OPTIONS_HELP)
		return cmd_finish_stdout(EXIT_OK);
	if (pr == OPTIONS_ERROR) {
		error_print(stderr, &err);
		return EXIT_USAGE;
	}
	free(operands);

	int64_t start_days = 0;
	size_t member_size = 0;
	if (n_operands)
		error_set(&err, NULL, "sample takes no operands (did you mean --out DIR?)");
	else if (!out_dir || !*out_dir)
		error_set(&err, NULL, "--out DIR is required");
	else if (orders > 1000000000000ULL)
		error_set(&err, NULL, "--orders: at most 10^12");
	else if (shops < 1 || shops > 1000000)
		error_set(&err, NULL, "--shops: between 1 and 1000000");
	else if (days < 1 || days > 3650)
		error_set(&err, NULL, "--days: between 1 and 3650");
	else if (parse_date(start, &start_days))
		error_set(&err, NULL, "--start: '%s' is not a date like 2026-10-01", start);
	else if (level > 9)
		error_set(&err, NULL, "--gzip-level: between 0 and 9");
	else if (threads < 1 || threads > 64)
		error_set(&err, NULL, "--threads: between 1 and 64");
	else if (member && parse_size(member, &member_size))
		error_set(&err, NULL, "--gzip-member-size: '%s' is not a size like 8M (at most 1G)", member);
	else if (member && !gzip)
		error_set(&err, NULL, "--gzip-member-size needs --gzip");
	if (err.msg[0]) {
		error_print(stderr, &err);
		return EXIT_USAGE;
	}

	struct gen *g = calloc(1, sizeof(*g));
	if (!g) {
		fputs("tousu: out of memory\n", stderr);
		return EXIT_DATA;
	}
	g->n_orders = orders;
	g->n_shops = shops;
	g->seed = seed;
	g->days = days;
	g->zh = zh;
	g->complaints_target = complaints != UINT64_MAX ? complaints : (orders * 3 + 50) / 100;
	g->chats_target = chats != UINT64_MAX ? chats : 2 * orders;
	if (!orders)
		g->complaints_target = g->chats_target = 0;
	g->progress = !quiet && isatty(STDERR_FILENO);
	rng_seed(&g->r_orders, seed, 2);
	rng_seed(&g->r_complaints, seed, 3);
	rng_seed(&g->r_chats, seed, 4);
	rng_seed(&g->r_plant, seed, 7);
	/* the seed moves every id space, so two samples never share ids by accident */
	idmap_init(&g->id_shop, 900000000, seed >> 3);
	idmap_init(&g->id_buyer, 9000000000ULL, seed);
	idmap_init(&g->id_order, 100000000000000ULL, seed * 7);
	idmap_init(&g->id_complaint, 1000000000000000ULL, seed * 11);
	idmap_init(&g->id_session, 9000000000ULL, seed * 13);

	struct out outs[NOUT];
	struct pool pool;
	int n_open = 0, pool_up = 0, status = EXIT_DATA;
	memset(outs, 0, sizeof(outs));
	struct sigaction sa, old[3];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	cleanup_n = 0;
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);

	double t_start = now_seconds();
	if (setup_calendar(g, start_days) || setup_shops(g)) {
		err = g->err;
		goto done;
	}
	calibrate_complaints(g);
	if (cmd_mkdir_p(out_dir, &err))
		goto done;
	if (gzip && pool_start(&pool, (int)threads, (int)level, &err)) {
		pool_up = 1;
		goto done;
	}
	pool_up = gzip;

	struct out_config oc = {out_dir, gzip, crlf, bom, !strcmp(encoding, "gb18030"),
				member_size, (int)level, (int)threads, gzip ? &pool : NULL};
	static const char *const names[2][NOUT] = {
		{"orders.csv", "complaints.csv", "chats.csv"},
		{"orders.csv.gz", "complaints.csv.gz", "chats.csv.gz"},
	};
	int n_files = g->chats_target ? 3 : 2;
	for (; n_open < n_files; n_open++) {
		if (out_open(&outs[n_open], names[gzip][n_open], &oc, &err)) {
			n_open++;
			goto done;
		}
		g->out[n_open] = &outs[n_open];
	}
	static const enum role *const cols[] = {order_cols, complaint_cols, chat_cols};
	static const size_t ncols[] = {sizeof(order_cols) / sizeof(order_cols[0]),
				       sizeof(complaint_cols) / sizeof(complaint_cols[0]),
				       sizeof(chat_cols) / sizeof(chat_cols[0])};
	for (int i = 0; i < n_open; i++)
		if (write_header(&outs[i], cols[i], ncols[i], zh)) {
			err = outs[i].err;
			goto done;
		}

	if (generate(g, t_start))
		goto out_error;
	for (int i = 0; i < n_open; i++)
		if (out_finish(&outs[i])) {
			err = outs[i].err;
			goto done;
		}
	/* all complete: now they may replace what was there */
	for (int i = 0; i < n_open; i++) {
		if (rename(outs[i].tmp, outs[i].path) != 0) {
			error_set(&err, outs[i].path, "cannot rename %s: %s", outs[i].tmp, strerror(errno));
			goto done;
		}
		outs[i].tmp[0] = '\0';
		cleanup_paths[i][0] = '\0';
	}
	status = EXIT_OK;

	if (!quiet) {
		double secs = now_seconds() - t_start;
		uint64_t bytes = 0;
		for (int i = 0; i < n_open; i++)
			bytes += outs[i].bytes;
		fprintf(stderr, "tousu: sample: %llu orders, %llu complaints, %llu chat rows, drawn "
			"from %llu shops into %s (%.1f MB uncompressed in %.2f s, %.0f MB/s)\n",
			(unsigned long long)outs[OUT_ORDERS].rows,
			(unsigned long long)outs[OUT_COMPLAINTS].rows,
			(unsigned long long)(n_open > 2 ? outs[OUT_CHATS].rows : 0),
			(unsigned long long)shops, out_dir, (double)bytes / 1e6, secs,
			secs > 0 ? (double)bytes / 1e6 / secs : 0.0);
	}
	goto done;

out_error:
	for (int i = 0; i < n_open; i++)
		if (outs[i].err.msg[0]) {
			err = outs[i].err;
			break;
		}
done:
	if (pool_up)
		pool_stop(&pool, status != EXIT_OK);
	for (int i = 0; i < n_open; i++)
		out_release(&outs[i]);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	cleanup_n = 0;
	gen_release(g);
	free(g);
	if (status != EXIT_OK)
		error_print(stderr, &err);
	return status;
}

const struct cmd cmd_sample = {"sample", "write realistic synthetic exports, deterministic by seed", run};
