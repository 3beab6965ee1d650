#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/table.h"
#include "tests/unit/rng.h"

/* The tsv contract of table.h, one byte at a time. */
static size_t tsv_reference(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		const char *e = s[i] == '\t' ? "\\t" : s[i] == '\n' ? "\\n" :
				s[i] == '\r' ? "\\r" : s[i] == '\\' ? "\\\\" : NULL;
		if (e) {
			memcpy(out + o, e, 2);
			o += 2;
		} else {
			out[o++] = s[i];
		}
	}
	return o;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
	return rng_next(&rng_state);
}

/* Formats one row of the given cells into a buffer table. */
static size_t tsv_row(const char *const *cells, const size_t *lens, size_t n, char *out,
		      size_t cap)
{
	static const char *const names[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
	struct table t;
	assert_int_equal(table_begin_buffer(&t, TABLE_TSV, names, n), 0);
	for (size_t i = 0; i < n; i++)
		table_str(&t, cells[i], lens[i]);
	table_row_end(&t);
	assert_false(t.failed);
	assert_true(t.len <= cap);
	memcpy(out, t.buf, t.len);
	size_t len = t.len;
	free(t.buf);
	return len;
}

/*
 * Cells of every length up to 70 bytes with the escaped bytes, the bytes
 * next to them (0x08, 0x0B, 0x0E, '[', ']') and UTF-8 at every position:
 * the word-at-a-time writer gives the byte loop's output.
 */
static void test_tsv_escapes_like_the_reference(void **state)
{
	static const char pool[] = {'\t', '\n', '\r', '\\', 0x08, 0x0B, 0x0C, 0x0E, 0x1F,
				    '[', ']', 'a', ' ', (char)0xE5, (char)0x8F, (char)0x91};
	(void)state;
	for (int round = 0; round < 20000; round++) {
		char cells[3][80], want[600], got[600];
		const char *ptrs[3];
		size_t lens[3], w = 0;
		for (size_t c = 0; c < 3; c++) {
			lens[c] = (size_t)(rng() % 71);
			/* Mostly plain text, with a special byte now and then. */
			for (size_t i = 0; i < lens[c]; i++)
				cells[c][i] = rng() % 6 ? (char)('a' + rng() % 26) :
							  pool[rng() % sizeof(pool)];
			ptrs[c] = cells[c];
			if (c)
				want[w++] = '\t';
			w += tsv_reference(cells[c], lens[c], want + w);
		}
		want[w++] = '\n';
		size_t n = tsv_row(ptrs, lens, 3, got, sizeof(got));
		if (n != w || memcmp(got, want, w)) {
			print_error("round %d: got %zu bytes, want %zu\n", round, n, w);
			fail();
		}
	}
}

/*
 * Every cell in a block of its own exact size, so that ASan sees a read
 * one byte outside it (the writer loads cells a word or 16 bytes at a
 * time, overlapping at the end), and many rows in one buffer table, so
 * cells land at every distance from the end of its buffer as it grows.
 */
static void test_tsv_reads_only_the_cell(void **state)
{
	static const char pool[] = {'\t', '\n', '\r', '\\', 0x0D, 0x0E, '[', 'a', (char)0xE5,
				    (char)0x8C, (char)0xFF, (char)0x80};
	static const char *const names[] = {"a", "b", "c", "d"};
	size_t cap = 1u << 20, w = 0;
	char *want = malloc(cap);
	struct table t;
	(void)state;
	assert_non_null(want);
	assert_int_equal(table_begin_buffer(&t, TABLE_TSV, names, 4), 0);
	for (int row = 0; row < 4000; row++) {
		for (size_t c = 0; c < 4; c++) {
			size_t len = (size_t)(rng() % 50);
			char *cell = malloc(len ? len : 1);
			assert_non_null(cell);
			/* One cell in four has a special byte at a random place. */
			for (size_t i = 0; i < len; i++)
				cell[i] = (char)('a' + rng() % 26);
			if (len && rng() % 4 == 0)
				cell[rng() % len] = pool[rng() % sizeof(pool)];
			if (c)
				want[w++] = '\t';
			w += tsv_reference(cell, len, want + w);
			table_str(&t, cell, len);
			free(cell);
		}
		want[w++] = '\n';
		table_row_end(&t);
		assert_true(w < cap - 512);
	}
	assert_false(t.failed);
	assert_int_equal(t.len, w);
	assert_memory_equal(t.buf, want, w);
	free(t.buf);
	free(want);
}

/*
 * table_cells() writes what a table_str() or table_null() per cell
 * writes, in every format: random rows of cells in one buffer, some null,
 * some with bytes to escape, rows long enough to grow the table's buffer.
 */
static void test_cells_like_one_call_per_cell(void **state)
{
	static const char *const names[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
	static const char pool[] = {'\t', '\n', '\r', '\\', '"', ',', '=', 'x', (char)0xE4};
	(void)state;
	for (int format = TABLE_TSV; format <= TABLE_JSON; format++) {
		struct table cells, one;
		assert_int_equal(table_begin_buffer(&cells, format, names, 8), 0);
		assert_int_equal(table_begin_buffer(&one, format, names, 8), 0);
		for (int row = 0; row < 3000; row++) {
			char buf[8 * 300];
			uint32_t off[8];
			int32_t len[8];
			size_t used = 0, n = 1 + (size_t)(rng() % 8);
			for (size_t j = 0; j < n; j++) {
				off[j] = (uint32_t)used;
				len[j] = rng() % 5 == 0 ? -1 : (int32_t)(rng() % 300);
				for (int32_t k = 0; k < len[j]; k++)
					buf[used++] = rng() % 8 ? (char)('a' + rng() % 26) :
								  pool[rng() % sizeof(pool)];
			}
			table_cells(&cells, buf, off, len, n);
			for (size_t j = 0; j < n; j++)
				if (len[j] < 0)
					table_null(&one);
				else
					table_str(&one, buf + off[j], (size_t)len[j]);
			table_row_end(&cells);
			table_row_end(&one);
		}
		assert_false(cells.failed);
		assert_int_equal(cells.len, one.len);
		assert_memory_equal(cells.buf, one.buf, one.len);
		free(cells.buf);
		free(one.buf);
	}
}

static void test_tsv_cells(void **state)
{
	const char *cells[] = {"", "tab\there", "x\\y", "line\r\nnext", "质量\t差"};
	size_t lens[] = {0, 8, 3, 10, strlen("质量\t差")};
	char got[256];
	(void)state;
	size_t n = tsv_row(cells, lens, 5, got, sizeof(got));
	const char *want = "\ttab\\there\tx\\\\y\tline\\r\\nnext\t质量\\t差\n";
	assert_int_equal(n, strlen(want));
	assert_memory_equal(got, want, n);
}

/* One csv cell as the table writes it (the lengths: cells may hold a NUL). */
static void assert_csv_cell(const char *cell, size_t len, const char *want, size_t want_len)
{
	static const char *const names[] = {"a"};
	struct table t;
	assert_int_equal(table_begin_buffer(&t, TABLE_CSV, names, 1), 0);
	size_t header = t.len;
	table_str(&t, cell, len);
	table_row_end(&t);
	assert_false(t.failed);
	size_t got = t.len - header;
	while (got && (t.buf[header + got - 1] == '\n' || t.buf[header + got - 1] == '\r'))
		got--;
	if (got != want_len || memcmp(t.buf + header, want, want_len))
		fail_msg("cell %.*s: got %.*s", (int)len, cell, (int)got, t.buf + header);
	free(t.buf);
}

#define CSV_CELL(cell, want) assert_csv_cell(cell, sizeof(cell) - 1, want, sizeof(want) - 1)

/* A cell a spreadsheet would run as a formula gets an apostrophe; a plain
 * decimal number keeps its sign, and nothing else passes for one (strtod
 * took inf, nan, hex and leading space, and stopped at a NUL). */
static void test_csv_formula_cells(void **state)
{
	(void)state;
	CSV_CELL("-1.5", "-1.5");
	CSV_CELL("+12", "+12");
	CSV_CELL("-2.5e-3", "-2.5e-3");
	CSV_CELL("=1+1", "\"'=1+1\"");
	CSV_CELL("@SUM(A1)", "\"'@SUM(A1)\"");
	CSV_CELL("-inf", "\"'-inf\"");
	CSV_CELL("+nan", "\"'+nan\"");
	CSV_CELL("-0x1p3", "\"'-0x1p3\"");
	CSV_CELL("\t-1", "\"'\t-1\"");
	CSV_CELL("-1\0+X()", "\"'-1\0+X()\"");
	CSV_CELL("-1e", "\"'-1e\"");
	CSV_CELL("-", "\"'-\"");
}

/* A buffer table grows: a cell far larger than its first buffer. */
static void test_tsv_large_cell(void **state)
{
	static const char *const names[] = {"a"};
	size_t n = 1u << 20;
	char *big = malloc(n);
	struct table t;
	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = i % 1000 == 999 ? '\t' : 'x';
	assert_int_equal(table_begin_buffer(&t, TABLE_TSV, names, 1), 0);
	table_str(&t, big, n);
	table_row_end(&t);
	assert_false(t.failed);
	assert_int_equal(t.len, n + n / 1000 + 1);
	assert_memory_equal(t.buf + 998, "x\\tx", 4);
	free(t.buf);
	free(big);
}

/* JSON Lines are UTF-8: invalid bytes become \ufffd, one per invalid
 * sequence (a lone byte, an overlong form, a surrogate, a character cut by
 * the end of the cell); valid characters and escapes are kept. */
static void test_json_invalid_utf8(void **state)
{
	static const char *const names[] = {"t"};
	static const struct { const char *in, *want; } cases[] = {
		{"\xe8\xb4\xa8\xe9\x87\x8f", "{\"t\":\"\xe8\xb4\xa8\xe9\x87\x8f\"}\n"},
		{"a\xff" "b", "{\"t\":\"a\\ufffdb\"}\n"},
		{"\xc0\xaf", "{\"t\":\"\\ufffd\\ufffd\"}\n"},
		{"\xed\xa0\x80x", "{\"t\":\"\\ufffd\\ufffd\\ufffdx\"}\n"},
		/* One U+FFFD a maximal subpart, as Python's decode(errors=
		 * "replace") counts them: a cut character is one. */
		{"\"\xe8\xb4", "{\"t\":\"\\\"\\ufffd\"}\n"},
		{"\xf0\x9f\x98x", "{\"t\":\"\\ufffdx\"}\n"},
		{"\xe4\xb8\xe4\xb8\xad", "{\"t\":\"\\ufffd\xe4\xb8\xad\"}\n"},
		{"\xf4\x90\x80\x80", "{\"t\":\"\\ufffd\\ufffd\\ufffd\\ufffd\"}\n"},
		{"\xf0\x9f\x98\x80\n", "{\"t\":\"\xf0\x9f\x98\x80\\n\"}\n"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct table t;
		assert_int_equal(table_begin_buffer(&t, TABLE_JSON, names, 1), 0);
		table_cstr(&t, cases[i].in);
		table_row_end(&t);
		assert_false(t.failed);
		assert_int_equal(t.len, strlen(cases[i].want));
		assert_memory_equal(t.buf, cases[i].want, t.len);
		free(t.buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tsv_cells),
		cmocka_unit_test(test_csv_formula_cells),
		cmocka_unit_test(test_tsv_escapes_like_the_reference),
		cmocka_unit_test(test_tsv_large_cell),
		cmocka_unit_test(test_tsv_reads_only_the_cell),
		cmocka_unit_test(test_cells_like_one_call_per_cell),
		cmocka_unit_test(test_json_invalid_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
