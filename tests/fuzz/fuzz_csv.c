/*
 * libFuzzer harness for the CSV reader: any bytes, fed whole and then in
 * pieces, must give the same records and rejects, and never crash.
 *   make fuzz FUZZ_SECONDS=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csv_reader.h"

struct tally {
	uint64_t records, rejects, bytes, lines;
};

static int on_record(void *ctx, const struct csv_record *rec)
{
	struct tally *t = ctx;
	t->records++;
	t->lines += rec->line;
	for (size_t i = 0; i < rec->n_fields; i++)
		t->bytes += rec->lens[i] + (rec->lens[i] ? (unsigned char)rec->fields[i][0] : 0);
	return 0;
}

static void on_reject(void *ctx, const struct csv_reject *rej)
{
	struct tally *t = ctx;
	t->rejects += 1 + rej->line;
}

static struct tally run(const uint8_t *data, size_t size, size_t piece)
{
	struct tally t = {0};
	struct csv_options opt = {.max_field = 64, .max_fields = 16};
	struct csv_reader *r = csv_reader_new(&opt, on_record, on_reject, &t);
	if (!r)
		abort();
	for (size_t off = 0; off < size; off += piece) {
		size_t n = size - off < piece ? size - off : piece;
		csv_reader_feed(r, (const char *)data + off, n, NULL);
	}
	csv_reader_finish(r, NULL);
	csv_reader_free(r);
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tally whole = run(data, size, size ? size : 1);
	struct tally bytes = run(data, size, 1);
	struct tally sevens = run(data, size, 7);
	if (memcmp(&whole, &bytes, sizeof(whole)) || memcmp(&whole, &sevens, sizeof(whole)))
		abort();  /* chunking changed the result */
	return 0;
}
