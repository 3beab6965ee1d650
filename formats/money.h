/*
 * money.h - amounts in yuan as exports write them, held as integer fen.
 *
 * Amounts are int64_t fen (1/100 yuan) everywhere in tousu, so sums over
 * millions of orders are exact; a double never holds money.
 *
 * money_parse() reads one field (UTF-8, need not be NUL-terminated):
 *   - spaces around the value: ASCII space, tab, CR, LF, U+00A0 and the
 *     ideographic space U+3000
 *   - an optional sign '+' or '-', before or after the currency prefix
 *     ("-¥12.30" and "¥-12.30" are the same)
 *   - an optional prefix "¥" (U+00A5), "￥" (full-width U+FFE5), "RMB" or
 *     "CNY" (any case), spaces allowed after it
 *   - digits, optionally grouped by commas in threes ("1,299", "12,345,678";
 *     "12,99" is rejected: it may be a decimal comma, and a wrong guess
 *     would be off by a factor of a hundred)
 *   - an optional '.' and fraction ("12.", ".5" and "1299.5" are accepted)
 *   - an optional suffix "元", "RMB" or "CNY", spaces allowed before it
 * At least one digit is required. Two decimals are kept; a longer fraction
 * is rounded half away from zero on the third decimal ("0.125" -> 13 fen,
 * "-0.125" -> -13, "0.1249" -> 12). Exponents, other currencies, "1.2.3" and
 * amounts whose magnitude exceeds INT64_MAX fen are rejected.
 *
 * Errors: money_parse returns 0 or -1 and writes *cents_out only on success.
 * There is no error record: callers count the rows that did not parse.
 */
#ifndef TOUSU_MONEY_H
#define TOUSU_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* Parses s[0..len) into fen. Returns 0, or -1 (see above). */
int money_parse(const char *s, size_t len, int64_t *cents_out);

/*
 * Writes cents as yuan with exactly two decimals and no grouping ("1299.00",
 * "-0.50", "0.00") and a NUL into out. Any int64_t fits in 32 bytes.
 */
void money_format(int64_t cents, char out[32]);

#endif
