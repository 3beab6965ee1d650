/*
 * test_source.c - formats/source.c against real gzip files from other tools
 * (flate2-rs, rapidgzip: bgzip, pigz, igzip, migz, pgzf) and damaged copies.
 *
 * Every gzip case runs twice, decoding on the caller's thread and on the
 * decode thread, since they are separate code paths behind one API. Data
 * comes from $TOUSU_SHARED_DATA (default ../shared/data, from the repo root).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "formats/source.h"
#include "tests/unit/rng.h"

/* What a caller saw from one source, read to its end. */
struct drained {
	char *data;
	size_t len;
	ssize_t rc;             /* 0 clean end, -1 error */
	struct error err;
	uint64_t members;
	uint64_t bytes_in;
	uint64_t bytes_out;
	enum source_compression comp;
	size_t calls;           /* source_next calls that lent data */
};

static const char *data_dir(void)
{
	const char *d = getenv("TOUSU_SHARED_DATA");

	return d && *d ? d : "../shared/data";
}

/* The corpus file's path; the test is skipped (not failed) without it, as
 * on a machine that has only the repository. */
static char *data_path(const char *rel)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", data_dir(), rel);
	if (access(buf, R_OK) != 0) {
		print_message("skipping: %s not found (set TOUSU_SHARED_DATA)\n", buf);
		skip();
	}
	return buf;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Makes an empty temporary file in /tmp and returns its path (static). */
static const char *temp_path(void)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/tousu-test-source-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return path;
}

/*
 * Reads path to the end through source_next, checking on the way that every
 * lent buffer is non-empty and no larger than the chunk size, and that the
 * final result repeats on a further call.
 */
static struct drained drain(const char *path, enum source_compression comp,
			    int threaded, size_t chunk)
{
	struct source_options o = { comp, chunk, threaded };
	struct drained d;
	struct source *src;
	size_t cap = 1 << 16;
	const char *buf;
	ssize_t n;

	memset(&d, 0, sizeof(d));
	src = source_open(path, &o, &d.err);
	assert_non_null(src);
	d.data = malloc(cap);
	assert_non_null(d.data);
	while ((n = source_next(src, &buf, &d.err)) > 0) {
		assert_non_null(buf);
		assert_true((size_t)n <= (chunk ? chunk : 1024 * 1024));
		if (d.len + (size_t)n > cap) {
			while (d.len + (size_t)n > cap)
				cap *= 2;
			d.data = realloc(d.data, cap);
			assert_non_null(d.data);
		}
		memcpy(d.data + d.len, buf, (size_t)n);
		d.len += (size_t)n;
		d.calls++;
	}
	d.rc = n;
	assert_true(n == 0 || n == -1);
	{
		struct error again;

		assert_int_equal(source_next(src, &buf, &again), n);
		if (n < 0)
			assert_string_equal(again.msg, d.err.msg);
	}
	d.members = source_members(src);
	d.bytes_in = source_bytes_in(src);
	d.bytes_out = source_bytes_out(src);
	d.comp = source_compression(src);
	source_close(src);
	return d;
}

static off_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/*
 * Writes n pseudo-random bytes as one gzip member, stored (level 0) so that
 * its length follows n; returns the member's length.
 */
static size_t write_stored_gzip(const char *path, size_t n)
{
	unsigned char *raw = malloc(n), *gz;
	uint32_t x = 7;
	z_stream z;

	assert_non_null(raw);
	for (size_t i = 0; i < n; i++) {
		x = x * 1664525u + 1013904223u;
		raw[i] = (unsigned char)(x >> 24);
	}
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 0, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
			 Z_OK);
	size_t cap = deflateBound(&z, (uLong)n);
	gz = malloc(cap);
	assert_non_null(gz);
	z.next_in = raw;
	z.avail_in = (uInt)n;
	z.next_out = gz;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t len = cap - z.avail_out;
	deflateEnd(&z);
	write_file(path, gz, len);
	free(raw);
	free(gz);
	return len;
}

/* Flips the bits of the byte at `at` in the file at path. */
static void flip_byte(const char *path, off_t at)
{
	int fd = open(path, O_RDWR);
	unsigned char c;

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, at), 1);
	c ^= 0xff;
	assert_int_equal(pwrite(fd, &c, 1, at), 1);
	close(fd);
}

/* Defines name_unthreaded and name_threaded tests calling check_name(int). */
#define BOTH_MODES(name)                                                   \
	static void test_##name##_unthreaded(void **state)                 \
	{                                                                  \
		(void)state;                                               \
		check_##name(0);                                           \
	}                                                                  \
	static void test_##name##_threaded(void **state)                   \
	{                                                                  \
		(void)state;                                               \
		check_##name(1);                                           \
	}

/* ---- a large two-member gzip, made once for the group ----------------- */

static char big_path[64];
static char *big_data;          /* its decoded content */
static size_t big_len;

static void big_fill(char *p, size_t n, uint32_t *seed)
{
	static const char *const shops[] = {
		"京东自营旗舰店", "north-star outlet", "小米之家", "acme,inc",
	};
	size_t at = 0;

	while (at < n) {
		char line[160];
		int k;

		*seed = *seed * 1664525u + 1013904223u;
		k = snprintf(line, sizeof(line),
			     "%u,2023-%02u-%02u,\"%s\",%u.%02u,%s\n",
			     *seed >> 8, (*seed >> 3) % 12 + 1,
			     (*seed >> 7) % 28 + 1, shops[(*seed >> 13) % 4],
			     (*seed >> 17) % 1000, (*seed >> 5) % 100,
			     (*seed >> 11) % 3 ? "late delivery" : "refund");
		if ((size_t)k > n - at)
			k = (int)(n - at);
		memcpy(p + at, line, (size_t)k);
		at += (size_t)k;
	}
}

static int big_setup(void **state)
{
	uint32_t seed = 42;
	size_t half;
	gzFile g;
	int fd;

	(void)state;
	big_len = 12 * 1024 * 1024 + 12345;
	big_data = malloc(big_len);
	if (!big_data)
		return -1;
	big_fill(big_data, big_len, &seed);
	half = big_len / 2 + 777;

	snprintf(big_path, sizeof(big_path), "/tmp/tousu-test-big-XXXXXX");
	fd = mkstemp(big_path);
	if (fd < 0)
		return -1;
	close(fd);
	/* Two gzopen calls make two members, as split-and-joined exports do. */
	g = gzopen(big_path, "wb1");
	if (!g || gzwrite(g, big_data, (unsigned)half) != (int)half ||
	    gzclose(g) != Z_OK)
		return -1;
	g = gzopen(big_path, "ab1");
	if (!g || gzwrite(g, big_data + half, (unsigned)(big_len - half)) !=
		      (int)(big_len - half) ||
	    gzclose(g) != Z_OK)
		return -1;
	return 0;
}

static int big_teardown(void **state)
{
	(void)state;
	if (big_path[0])
		unlink(big_path);
	free(big_data);
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

/* Both members of a concatenated gzip, not just the first. */
static void check_multi_member(int threaded)
{
	const char *path = data_path("gzip_edge_cases/flate2-rs/multi.gz");
	struct drained d = drain(path, SOURCE_AUTO, threaded, 0);

	assert_int_equal(d.rc, 0);
	assert_int_equal(d.comp, SOURCE_GZIP);
	assert_int_equal(d.len, 13);
	assert_memory_equal(d.data, "first\nsecond\n", 13);
	assert_int_equal(d.members, 2);
	assert_int_equal(d.bytes_in, (uint64_t)file_size(path));
	assert_int_equal(d.bytes_out, 13);
	free(d.data);
}
BOTH_MODES(multi_member)

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);

	return n > k && strcmp(s + n - k, suf) == 0;
}

/*
 * Every rapidgzip variant with a reference file decodes to exactly that file,
 * also with a tiny odd chunk size that stops inflate mid-match and
 * mid-member. The 0-byte .migz/.pgzf files are valid, empty input.
 */
static void check_rapidgzip(int threaded)
{
	static const char *const exts[] = {
		".gz", ".igz", ".pigz", ".bgz", ".migz", ".pgzf",
	};
	static const size_t chunks[] = { 0, 7 };
	char dir[4096], ref[4096 + 256], comp[4096 + 256];
	struct dirent *e;
	unsigned checked = 0;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s", data_path("gzip_edge_cases/rapidgzip"));
	dp = opendir(dir);
	assert_non_null(dp);
	while ((e = readdir(dp)) != NULL) {
		size_t i, j, want_len;
		char *want;

		for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
			if (has_suffix(e->d_name, exts[i]))
				break;
		if (i == sizeof(exts) / sizeof(exts[0]))
			continue;
		snprintf(comp, sizeof(comp), "%s/%s", dir, e->d_name);
		snprintf(ref, sizeof(ref), "%s/%.*s", dir,
			 (int)(strlen(e->d_name) - strlen(exts[i])), e->d_name);
		if (access(ref, R_OK) != 0)
			continue;
		want = slurp(ref, &want_len);
		for (j = 0; j < sizeof(chunks) / sizeof(chunks[0]); j++) {
			struct drained d = drain(comp, SOURCE_AUTO, threaded,
						 chunks[j]);

			if (d.rc != 0 || d.len != want_len ||
			    memcmp(d.data, want, want_len) != 0)
				fail_msg("%s (chunk %zu): rc %zd, %zu bytes, want %zu: %s",
					 e->d_name, chunks[j], d.rc, d.len,
					 want_len, d.err.msg);
			assert_int_equal(d.bytes_in, (uint64_t)file_size(comp));
			if (file_size(comp) > 0)
				assert_true(d.members >= 1);
			free(d.data);
		}
		free(want);
		checked++;
	}
	closedir(dp);
	/* 10 references times 6 tools, minus the ones upstream lacks. */
	assert_true(checked >= 55);
}
BOTH_MODES(rapidgzip)

/* A bad deflate stream is an error with a position, not silent short data. */
static void check_corrupt(int threaded)
{
	const char *path = data_path("gzip_edge_cases/flate2-rs/corrupt-gz-file.bin");
	struct drained d = drain(path, SOURCE_AUTO, threaded, 0);

	assert_int_equal(d.rc, -1);
	assert_non_null(strstr(d.err.msg, "corrupt gzip data at byte "));
	assert_non_null(strstr(d.err.msg, "invalid distance too far back"));
	assert_true(d.err.has_offset);
	assert_true(d.err.offset > 0);
	assert_true(d.err.offset <= (uint64_t)file_size(path));
	assert_string_equal(d.err.file, path);
	free(d.data);
}
BOTH_MODES(corrupt)

/*
 * A file cut short: the bytes decoded before the cut come out first (so rows
 * can be counted), then an error naming the cut.
 */
static void check_truncated(int threaded)
{
	size_t gz_len, txt_len, cut;
	char *gz = slurp(data_path("gzip_edge_cases/flate2-rs/good-file.gz"), &gz_len);
	char *txt = slurp(data_path("gzip_edge_cases/flate2-rs/good-file.txt"), &txt_len);
	const char *tmp = temp_path();
	struct drained d;
	char want[64];

	cut = gz_len / 2;
	write_file(tmp, gz, cut);
	d = drain(tmp, SOURCE_AUTO, threaded, 0);
	unlink(tmp);

	assert_int_equal(d.rc, -1);
	snprintf(want, sizeof(want), "truncated gzip stream at byte %zu", cut);
	assert_string_equal(d.err.msg, want);
	assert_true(d.err.has_offset);
	assert_int_equal(d.err.offset, cut);
	assert_true(d.len > 0);
	assert_true(d.len < txt_len);
	assert_memory_equal(d.data, txt, d.len);
	assert_int_equal(d.bytes_out, d.len);
	free(d.data);
	free(gz);
	free(txt);
}
BOTH_MODES(truncated)

/* Cut in the middle of the 8-byte trailer: the data is whole, the check is not. */
static void check_truncated_trailer(int threaded)
{
	size_t gz_len;
	char *gz = slurp(data_path("gzip_edge_cases/flate2-rs/good-file.gz"), &gz_len);
	const char *tmp = temp_path();
	struct drained d;

	write_file(tmp, gz, gz_len - 3);
	d = drain(tmp, SOURCE_AUTO, threaded, 0);
	unlink(tmp);
	assert_int_equal(d.rc, -1);
	assert_non_null(strstr(d.err.msg, "truncated"));
	assert_int_equal(d.err.offset, gz_len - 3);
	free(d.data);
	free(gz);
}
BOTH_MODES(truncated_trailer)

/* A large file cut mid-way hands out many chunks, all correct, then fails. */
static void check_truncated_big(int threaded)
{
	size_t gz_len;
	char *gz = slurp(big_path, &gz_len);
	const char *tmp = temp_path();
	struct drained d;

	write_file(tmp, gz, gz_len / 3);
	d = drain(tmp, SOURCE_AUTO, threaded, 64 * 1024);
	unlink(tmp);
	assert_int_equal(d.rc, -1);
	assert_non_null(strstr(d.err.msg, "truncated gzip stream"));
	assert_int_equal(d.err.offset, gz_len / 3);
	assert_true(d.calls > 10);
	assert_true(d.len < big_len);
	assert_memory_equal(d.data, big_data, d.len);
	free(d.data);
	free(gz);
}
BOTH_MODES(truncated_big)

/* Junk after the last member is reported, after the good members' data. */
static void check_trailing_garbage(int threaded)
{
	size_t gz_len;
	char *gz = slurp(data_path("gzip_edge_cases/flate2-rs/multi.gz"), &gz_len);
	const char *tmp = temp_path();
	struct drained d;
	char want[80];

	gz = realloc(gz, gz_len + 8);
	assert_non_null(gz);
	memcpy(gz + gz_len, "garbage\n", 8);
	write_file(tmp, gz, gz_len + 8);
	d = drain(tmp, SOURCE_AUTO, threaded, 0);
	unlink(tmp);

	assert_int_equal(d.rc, -1);
	snprintf(want, sizeof(want),
		 "trailing garbage after gzip member at byte %zu", gz_len);
	assert_string_equal(d.err.msg, want);
	assert_int_equal(d.err.offset, gz_len);
	assert_int_equal(d.len, 13);
	assert_memory_equal(d.data, "first\nsecond\n", 13);
	assert_int_equal(d.members, 2);
	free(d.data);
	free(gz);
}
BOTH_MODES(trailing_garbage)

/* Every byte of a large two-member file, in both modes, across chunk edges. */
static void check_big_roundtrip(int threaded)
{
	struct drained d = drain(big_path, SOURCE_AUTO, threaded, 0);

	assert_int_equal(d.rc, 0);
	assert_int_equal(d.len, big_len);
	assert_memory_equal(d.data, big_data, big_len);
	assert_int_equal(d.members, 2);
	assert_int_equal(d.bytes_in, (uint64_t)file_size(big_path));
	assert_int_equal(d.bytes_out, big_len);
	free(d.data);
}
BOTH_MODES(big_roundtrip)

/* Forcing gzip on text is an error at byte 0, not garbage output. */
static void check_forced_gzip_on_text(int threaded)
{
	const char *path = data_path("gzip_edge_cases/flate2-rs/good-file.txt");
	struct drained d = drain(path, SOURCE_GZIP, threaded, 0);

	assert_int_equal(d.rc, -1);
	assert_string_equal(d.err.msg, "not in gzip format at byte 0");
	assert_true(d.err.has_offset);
	assert_int_equal(d.err.offset, 0);
	assert_int_equal(d.len, 0);
	free(d.data);
}
BOTH_MODES(forced_gzip_on_text)

/* A 0-byte file is an empty input, whether detected or forced to gzip. */
static void check_zero_bytes(int threaded)
{
	const char *tmp = temp_path();
	struct drained a = drain(tmp, SOURCE_AUTO, threaded, 0);
	struct drained g = drain(tmp, SOURCE_GZIP, threaded, 0);

	unlink(tmp);
	assert_int_equal(a.rc, 0);
	assert_int_equal(a.len, 0);
	assert_int_equal(a.comp, SOURCE_PLAIN);
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.len, 0);
	assert_int_equal(g.members, 0);
	free(a.data);
	free(g.data);
}
BOTH_MODES(zero_bytes)

/*
 * Closing a threaded source after one chunk of a large file (a consumer that
 * stops early on an error of its own) must neither hang nor leak: ASan's
 * leak check and the alarm watch both.
 */
static void test_threaded_early_close(void **state)
{
	struct source_options o = { SOURCE_AUTO, 0, 1 };
	struct error err;
	const char *buf;
	int round;

	(void)state;
	alarm(60);
	for (round = 0; round < 3; round++) {
		struct source *src = source_open(big_path, &o, &err);
		int i;

		assert_non_null(src);
		/* Close at once, after one chunk, after two. */
		for (i = 0; i < round; i++)
			assert_true(source_next(src, &buf, &err) > 0);
		if (round > 0)
			assert_int_equal(source_bytes_out(src),
					 (uint64_t)round * 1024 * 1024);
		/* Let the producer fill the ring and block on it. */
		if (round == 1)
			usleep(50 * 1000);
		source_close(src);
	}
	alarm(0);
}

/*
 * A decode thread waiting on a pipe whose writer has gone quiet (a stalled
 * upstream `zcat | ...`) must not keep source_close from returning.
 */
static void test_threaded_close_on_stalled_pipe(void **state)
{
	struct source_options o = { SOURCE_AUTO, 0, 1 };
	size_t gz_len;
	char *gz = slurp(big_path, &gz_len);
	struct source *src;
	struct error err;
	char path[64];
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	/* Less than a pipe's buffer: written at once, then the writer stalls. */
	assert_int_equal(write(fds[1], gz, 32 * 1024), 32 * 1024);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	alarm(30);
	src = source_open(path, &o, &err);
	assert_non_null(src);
	assert_int_equal(source_compression(src), SOURCE_GZIP);
	usleep(50 * 1000);
	source_close(src);
	alarm(0);
	close(fds[0]);
	close(fds[1]);
	free(gz);
}

/* Plain text passes through unchanged, even when threaded is asked for. */
static void test_plain_passthrough(void **state)
{
	const char *path = data_path("gzip_edge_cases/flate2-rs/good-file.txt");
	size_t len;
	char *want = slurp(path, &len);
	struct drained d = drain(path, SOURCE_AUTO, 1, 1000);

	(void)state;
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.comp, SOURCE_PLAIN);
	assert_string_equal(source_compression_name(d.comp), "plain");
	assert_int_equal(d.len, len);
	assert_memory_equal(d.data, want, len);
	assert_int_equal(d.members, 0);
	assert_int_equal(d.bytes_in, len);
	assert_int_equal(d.bytes_out, len);
	free(d.data);
	free(want);
}

/* --plain on a .gz file: the user gets the compressed bytes as they are. */
static void test_forced_plain_on_gzip(void **state)
{
	const char *path = data_path("gzip_edge_cases/flate2-rs/good-file.gz");
	size_t len;
	char *want = slurp(path, &len);
	struct drained d = drain(path, SOURCE_PLAIN, 0, 0);

	(void)state;
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.comp, SOURCE_PLAIN);
	assert_int_equal(d.len, len);
	assert_memory_equal(d.data, want, len);
	free(d.data);
	free(want);
}

/* "-" reads fd 0, is named "(stdin)", and source_close leaves fd 0 open. */
static void test_stdin(void **state)
{
	struct source_options o = { SOURCE_AUTO, 0, 1 };
	int saved = dup(STDIN_FILENO);
	int fd = open(data_path("gzip_edge_cases/flate2-rs/multi.gz"), O_RDONLY);
	struct source *src;
	struct error err;
	const char *buf;
	char got[32];
	size_t len = 0;
	ssize_t n;

	(void)state;
	assert_true(saved >= 0);
	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);

	src = source_open("-", &o, &err);
	assert_non_null(src);
	assert_string_equal(source_name(src), "(stdin)");
	while ((n = source_next(src, &buf, &err)) > 0) {
		assert_true(len + (size_t)n <= sizeof(got));
		memcpy(got + len, buf, (size_t)n);
		len += (size_t)n;
	}
	assert_int_equal(n, 0);
	assert_int_equal(source_compression(src), SOURCE_GZIP);
	source_close(src);
	assert_int_not_equal(fcntl(STDIN_FILENO, F_GETFD), -1);

	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	assert_int_equal(len, 13);
	assert_memory_equal(got, "first\nsecond\n", 13);
}

struct dribble {
	int fd;
	const char *p;
	size_t n;
};

static void *dribble_writer(void *arg)
{
	struct dribble *w = arg;
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (write(w->fd, w->p + i, 1) != 1)
			break;
		usleep(200);
	}
	close(w->fd);
	return NULL;
}

/*
 * A pipe that delivers one byte per read: detection must wait for both magic
 * bytes, and member boundaries must survive refills at any point.
 */
static void check_pipe_dribble(int threaded)
{
	struct source_options o = { SOURCE_AUTO, 0, threaded };
	size_t gz_len, len = 0;
	char *gz = slurp(data_path("gzip_edge_cases/flate2-rs/multi.gz"), &gz_len);
	struct dribble w;
	pthread_t t;
	struct source *src;
	struct error err;
	const char *buf;
	char path[64], got[32];
	int fds[2];
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	w.fd = fds[1];
	w.p = gz;
	w.n = gz_len;
	assert_int_equal(pthread_create(&t, NULL, dribble_writer, &w), 0);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	src = source_open(path, &o, &err);
	assert_non_null(src);
	while ((n = source_next(src, &buf, &err)) > 0) {
		assert_true(len + (size_t)n <= sizeof(got));
		memcpy(got + len, buf, (size_t)n);
		len += (size_t)n;
	}
	assert_int_equal(n, 0);
	assert_int_equal(source_members(src), 2);
	source_close(src);
	pthread_join(t, NULL);
	close(fds[0]);
	assert_int_equal(len, 13);
	assert_memory_equal(got, "first\nsecond\n", 13);
	free(gz);
}
BOTH_MODES(pipe_dribble)

/* A missing file fails at open, naming the file, with the system's reason. */
/*
 * A member's trailer (CRC-32 and length) is checked: the reader checks it
 * itself, zlib's check being off for speed. A wrong CRC or length is an
 * error at the trailer, after the member's bytes were lent. The member is
 * made so that its trailer straddles the first 1 MiB read, the case where
 * its bytes come from two reads: read clean, then damaged on either side.
 */
static void check_trailer(int threaded)
{
	const char *path = temp_path();
	size_t want = (1u << 20) + 3, n = want - 18, len = 0;

	/* Stored blocks cost 5 bytes each: find the data length that puts
	 * the member's end 3 bytes past the first read. */
	for (int tries = 0; tries < 50 && len != want; tries++) {
		len = write_stored_gzip(path, n);
		n += want > len ? want - len : 0;
		n -= len > want ? len - want : 0;
	}
	assert_int_equal(len, want);
	struct drained d = drain(path, SOURCE_GZIP, threaded, 0);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.len, n);
	free(d.data);

	static const struct { off_t from_end; const char *msg; } cases[] = {
		{ 8, "incorrect data check" },   /* CRC, before the 1 MiB mark */
		{ 2, "incorrect length check" }, /* length, after it */
		{ 4, "incorrect length check" },
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		flip_byte(path, (off_t)len - cases[k].from_end);
		d = drain(path, SOURCE_GZIP, threaded, 0);
		assert_int_equal(d.rc, -1);
		assert_non_null(strstr(d.err.msg, "corrupt gzip data at byte 1048571: "));
		assert_non_null(strstr(d.err.msg, cases[k].msg));
		free(d.data);
		flip_byte(path, (off_t)len - cases[k].from_end);
	}
	unlink(path);
}
BOTH_MODES(trailer)

/*
 * Appends a gzip member of data to buf at *len: a header with the given
 * flags' fields, raw DEFLATE made with dict as a preset history (none if
 * NULL), and the trailer.
 */
static void append_member(unsigned char *buf, size_t *len, const char *data,
			  const char *dict, int flags)
{
	unsigned char *p = buf + *len;
	size_t n = strlen(data), at = 10;
	uint32_t crc = (uint32_t)crc32(0, (const unsigned char *)data, (uInt)n);
	z_stream z;

	memcpy(p, "\x1f\x8b\x08\0\0\0\0\0\0\x03", 10);
	p[3] = (unsigned char)flags;
	if (flags & 4) {                /* FEXTRA: 5 bytes */
		memcpy(p + at, "\x05\0extra", 7);
		at += 7;
	}
	if (flags & 8) {                /* FNAME */
		memcpy(p + at, "orders.csv", 11);
		at += 11;
	}
	if (flags & 16) {               /* FCOMMENT */
		memcpy(p + at, "exported 2026-11-22", 20);
		at += 20;
	}
	if (flags & 2) {                /* FHCRC: the header's CRC-32, low half */
		uint32_t h = (uint32_t)crc32(0, p, (uInt)at);

		p[at++] = (unsigned char)h;
		p[at++] = (unsigned char)(h >> 8);
	}
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
	if (dict)
		assert_int_equal(deflateSetDictionary(&z, (const unsigned char *)dict,
						      (uInt)strlen(dict)), Z_OK);
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)n;
	z.next_out = p + at;
	z.avail_out = 4096;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	at += 4096 - z.avail_out;
	deflateEnd(&z);
	for (int i = 0; i < 4; i++)
		p[at + (size_t)i] = (unsigned char)(crc >> (8 * i));
	for (int i = 0; i < 4; i++)
		p[at + 4 + (size_t)i] = (unsigned char)(n >> (8 * i));
	*len += at + 8;
}

/*
 * Each member is its own DEFLATE stream: one whose matches reach back into
 * the member before it is corrupt, even though those bytes were just
 * decoded. Header fields (extra, name, comment, header CRC) are read.
 */
static void check_member_history(int threaded)
{
	const char *first = "shop_1,quality,质量太差了 shop_1,quality,质量太差了\n";
	unsigned char buf[8192];
	const char *path = temp_path();
	size_t len = 0;
	struct drained d;

	append_member(buf, &len, first, NULL, 4 | 8 | 16 | 2);
	append_member(buf, &len, first, NULL, 8);
	write_file(path, buf, len);
	d = drain(path, SOURCE_AUTO, threaded, 7);
	assert_int_equal(d.rc, 0);
	assert_int_equal(d.members, 2);
	assert_int_equal(d.len, 2 * strlen(first));
	assert_memory_equal(d.data + strlen(first), first, strlen(first));
	free(d.data);

	/* The second member made against the first as its history. */
	len = 0;
	append_member(buf, &len, first, NULL, 0);
	append_member(buf, &len, first, first, 0);
	write_file(path, buf, len);
	d = drain(path, SOURCE_AUTO, threaded, 0);
	assert_int_equal(d.rc, -1);
	assert_non_null(strstr(d.err.msg, "invalid distance too far back"));
	assert_int_equal(d.len, strlen(first));
	free(d.data);
	unlink(path);
}
BOTH_MODES(member_history)

/*
 * Writes at p a member of data[0..n) with the header fields of flags, each
 * of random length (an extra field up to 3,000 bytes, a name and comment up
 * to 2,000, and the header CRC gzip would write), at a random level.
 * Returns its length.
 */
static size_t put_member(unsigned char *p, const unsigned char *data, size_t n,
			 int flags, uint64_t *rng)
{
	size_t at = 10;
	uint32_t crc = (uint32_t)crc32(0, data, (uInt)n);
	z_stream z;

	memcpy(p, "\x1f\x8b\x08\0\0\0\0\0\0\x03", 10);
	p[3] = (unsigned char)flags;
	if (flags & 4) {
		size_t x = rng_below(rng, 3000);

		p[at] = (unsigned char)x;
		p[at + 1] = (unsigned char)(x >> 8);
		for (size_t i = 0; i < x; i++)
			p[at + 2 + i] = (unsigned char)rng_next(rng);
		at += 2 + x;
	}
	for (int f = 8; f <= 16; f <<= 1) {
		if (!(flags & f))
			continue;
		for (size_t x = rng_below(rng, 2000); x > 0; x--)
			p[at++] = (unsigned char)(1 + rng_below(rng, 255));
		p[at++] = 0;
	}
	if (flags & 2) {
		uint32_t h = (uint32_t)crc32(0, p, (uInt)at);

		p[at++] = (unsigned char)h;
		p[at++] = (unsigned char)(h >> 8);
	}
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, (int)rng_below(rng, 10), Z_DEFLATED, -15, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)n;
	z.next_out = p + at;
	z.avail_out = (uInt)compressBound((uLong)n) + 64;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	at += z.total_out;
	deflateEnd(&z);
	for (int i = 0; i < 4; i++) {
		p[at + (size_t)i] = (unsigned char)(crc >> (8 * i));
		p[at + 4 + (size_t)i] = (unsigned char)(n >> (8 * i));
	}
	return at + 8;
}

/*
 * Members as any gzip writer may make them: every optional header field,
 * empty members and members of any size, back to back over several MiB,
 * so that headers, data and trailers fall across the read buffer's
 * refills. zlib read the headers before; tousu does now, and must read
 * every one. A header with an unknown method, a reserved flag or a header
 * CRC that does not match is an error in zlib's words.
 */
static void check_member_headers(int threaded)
{
	uint64_t rng = 0xB7E151628AED2A6Bull;
	size_t plain_cap = 6u << 20, cap = 8u << 20, len = 0, plain_len = 0;
	unsigned char *plain = malloc(plain_cap), *gz = malloc(cap);
	const char *path = temp_path();
	uint64_t members = 0;
	struct drained d;

	assert_non_null(plain);
	assert_non_null(gz);
	while (plain_len < (4u << 20)) {
		size_t n = rng_below(&rng, 4) == 0 ? 0 : rng_below(&rng, 200000);

		/* Text that compresses like an export, with random bytes in it. */
		for (size_t i = 0; i < n; i++)
			plain[plain_len + i] = rng_below(&rng, 8) ? (unsigned char)("shop,质量差\n"[i % 14])
							       : (unsigned char)rng_next(&rng);
		len += put_member(gz + len, plain + plain_len, n, (int)rng_below(&rng, 32) & ~1,
				  &rng);
		plain_len += n;
		members++;
	}
	write_file(path, gz, len);
	for (size_t chunk = 0; chunk <= 70000; chunk += 70000) {
		d = drain(path, SOURCE_AUTO, threaded, chunk);
		if (d.rc != 0)
			fail_msg("%s", d.err.msg);
		assert_int_equal(d.members, members);
		assert_int_equal(d.len, plain_len);
		assert_memory_equal(d.data, plain, plain_len);
		assert_int_equal(d.bytes_in, len);
		free(d.data);
	}

	/* The second member's header made unreadable, one way then another. */
	size_t second = put_member(gz, plain, 1000, 0, &rng);
	len = second + put_member(gz + second, plain, 1000, 0, &rng);
	gz[second + 3] = 0x20;
	write_file(path, gz, len);
	d = drain(path, SOURCE_AUTO, threaded, 0);
	assert_int_equal(d.rc, -1);
	assert_int_equal(d.len, 1000);
	assert_non_null(strstr(d.err.msg, "unknown header flags set"));
	assert_int_equal(d.err.offset, second);
	free(d.data);
	gz[second + 3] = 0;
	gz[second + 2] = 7;
	write_file(path, gz, len);
	d = drain(path, SOURCE_AUTO, threaded, 0);
	assert_int_equal(d.rc, -1);
	assert_non_null(strstr(d.err.msg, "unknown compression method"));
	free(d.data);

	/* A header CRC that does not match its header (the name changed). */
	second = put_member(gz, plain, 1000, 0, &rng);
	len = second + put_member(gz + second, plain, 1000, 8 | 2, &rng);
	gz[second + 10] ^= 1;
	write_file(path, gz, len);
	d = drain(path, SOURCE_AUTO, threaded, 0);
	assert_int_equal(d.rc, -1);
	assert_non_null(strstr(d.err.msg, "header crc mismatch"));
	free(d.data);
	unlink(path);
	free(plain);
	free(gz);
}
BOTH_MODES(member_headers)

static void test_missing_file(void **state)
{
	struct error err;
	struct source *src;

	(void)state;
	src = source_open("/nonexistent/tousu/x.csv.gz", NULL, &err);
	assert_null(src);
	assert_string_equal(err.file, "/nonexistent/tousu/x.csv.gz");
	assert_non_null(strstr(err.msg, "cannot open"));
}

static void test_compression_names(void **state)
{
	(void)state;
	assert_string_equal(source_compression_name(SOURCE_PLAIN), "plain");
	assert_string_equal(source_compression_name(SOURCE_GZIP), "gzip");
}

#define BOTH(name) \
	cmocka_unit_test(test_##name##_unthreaded), \
	cmocka_unit_test(test_##name##_threaded)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(multi_member),
		BOTH(rapidgzip),
		BOTH(corrupt),
		BOTH(truncated),
		BOTH(truncated_trailer),
		BOTH(truncated_big),
		BOTH(trailing_garbage),
		BOTH(big_roundtrip),
		BOTH(forced_gzip_on_text),
		BOTH(zero_bytes),
		BOTH(pipe_dribble),
		BOTH(trailer),
		BOTH(member_history),
		BOTH(member_headers),
		cmocka_unit_test(test_threaded_early_close),
		cmocka_unit_test(test_threaded_close_on_stalled_pipe),
		cmocka_unit_test(test_plain_passthrough),
		cmocka_unit_test(test_forced_plain_on_gzip),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_compression_names),
	};

	return cmocka_run_group_tests(tests, big_setup, big_teardown);
}
