#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "formats/money.h"

static void expect_cents(const char *s, int64_t want)
{
	int64_t got = -12345;

	if (money_parse(s, strlen(s), &got) != 0)
		fail_msg("money_parse rejected \"%s\"", s);
	if (got != want)
		fail_msg("money_parse(\"%s\") = %lld, want %lld", s,
			 (long long)got, (long long)want);
}

static void expect_reject(const char *s)
{
	int64_t got = 777;

	if (money_parse(s, strlen(s), &got) != -1)
		fail_msg("money_parse accepted \"%s\" as %lld", s,
			 (long long)got);
	assert_int_equal(got, 777);	/* output untouched on failure */
}

static void test_export_forms(void **state)
{
	(void)state;
	expect_cents("¥1,299.00", 129900);
	expect_cents("￥1,299.00", 129900);
	expect_cents("1299", 129900);
	expect_cents("1299.5", 129950);
	expect_cents("1299.05", 129905);
	expect_cents("-12.30", -1230);
	expect_cents(" 12.3 ", 1230);
	expect_cents("RMB 12", 1200);
	expect_cents("rmb12", 1200);
	expect_cents("CNY 12.00", 1200);
	expect_cents("12元", 1200);
	expect_cents("12.50 元", 1250);
	expect_cents("12 RMB", 1200);
	expect_cents("1,299", 129900);
	expect_cents("12,345,678.90", 1234567890);
	expect_cents("0", 0);
	expect_cents("0.00", 0);
	expect_cents("-0.50", -50);
	expect_cents("+3", 300);
	expect_cents("007", 700);
	expect_cents("12.", 1200);
	expect_cents(".5", 50);
}

static void test_signs_and_spaces(void **state)
{
	(void)state;
	expect_cents("-¥12.30", -1230);
	expect_cents("¥-12.30", -1230);
	expect_cents("￥ -1,299.00", -129900);
	expect_cents("¥ 8", 800);
	expect_cents("\t8\r\n", 800);
	expect_cents("\xC2\xA0" "8" "\xC2\xA0", 800);	/* NBSP */
	expect_cents("\xE3\x80\x80" "8" "\xE3\x80\x80", 800);	/* U+3000 */
	expect_reject("--12");
	expect_reject("+-12");
	expect_reject("-¥-12");
	expect_reject("- 12");
	expect_reject("12-");
}

static void test_rounding(void **state)
{
	(void)state;
	expect_cents("0.125", 13);
	expect_cents("0.1249", 12);
	expect_cents("0.1250", 13);
	expect_cents("0.12999", 13);
	expect_cents("0.124999999", 12);
	expect_cents("-0.125", -13);
	expect_cents("-0.124", -12);
	expect_cents("0.995", 100);
	expect_cents("1,299.999", 130000);
	expect_cents("0.005", 1);
	expect_cents("0.004", 0);
}

static void test_rejects(void **state)
{
	(void)state;
	expect_reject("");
	expect_reject("   ");
	expect_reject("abc");
	expect_reject("1.2.3");
	expect_reject(".");
	expect_reject("-");
	expect_reject("¥");
	expect_reject("元");
	expect_reject("RMB");
	expect_reject("12,99");
	expect_reject("1,2999");
	expect_reject("1234,567");
	expect_reject(",299");
	expect_reject("1,,299");
	expect_reject("1,299,");
	expect_reject("1 299");
	expect_reject("1e3");
	expect_reject("12abc");
	expect_reject("$12");
	expect_reject("12 USD");
	expect_reject("12元元");
	expect_reject("¥¥12");
	expect_reject("12.3.");
	expect_reject("0x10");
	expect_reject("12. 5");
}

static void test_overflow(void **state)
{
	(void)state;
	expect_cents("92233720368547758.07", INT64_MAX);
	expect_cents("-92233720368547758.07", -INT64_MAX);
	expect_cents("92,233,720,368,547,758.07", INT64_MAX);
	expect_reject("92233720368547758.08");
	expect_reject("92233720368547758.075");	/* rounds past the top */
	expect_reject("92233720368547759");
	expect_reject("184467440737095516");
	expect_reject("99999999999999999999999999");
	expect_reject("999,999,999,999,999,999,999");
	/* a long fraction is fine: only three digits matter */
	expect_cents("1.00000000000000000000000000000001", 100);
}

static void test_not_nul_terminated(void **state)
{
	const char buf[] = "1299.00,12.5";
	int64_t got;

	(void)state;
	assert_int_equal(money_parse(buf, 7, &got), 0);
	assert_int_equal(got, 129900);
	assert_int_equal(money_parse(buf, 4, &got), 0);
	assert_int_equal(got, 129900);
	assert_int_equal(money_parse(buf, 8, &got), -1);
	assert_int_equal(money_parse(buf + 8, 4, &got), 0);
	assert_int_equal(got, 1250);
	assert_int_equal(money_parse(NULL, 0, &got), -1);
	assert_int_equal(money_parse(buf, 0, &got), -1);
}

static void expect_format(int64_t cents, const char *want)
{
	char out[32];

	memset(out, 'x', sizeof(out));
	money_format(cents, out);
	assert_string_equal(out, want);
}

static void test_format(void **state)
{
	(void)state;
	expect_format(129900, "1299.00");
	expect_format(-50, "-0.50");
	expect_format(0, "0.00");
	expect_format(5, "0.05");
	expect_format(-5, "-0.05");
	expect_format(100, "1.00");
	expect_format(123456789, "1234567.89");
	expect_format(INT64_MAX, "92233720368547758.07");
	expect_format(INT64_MIN, "-92233720368547758.08");
}

static void test_round_trip(void **state)
{
	(void)state;
	for (int64_t c = -100000; c <= 100000; c += 7) {
		char out[32];
		int64_t back;

		money_format(c, out);
		assert_int_equal(money_parse(out, strlen(out), &back), 0);
		assert_int_equal(back, c);
	}
	for (int64_t c = INT64_MAX; c > 0; c /= 3) {
		char out[32];
		int64_t back;

		money_format(-c, out);
		assert_int_equal(money_parse(out, strlen(out), &back), 0);
		assert_int_equal(back, -c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_forms),
		cmocka_unit_test(test_signs_and_spaces),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_not_nul_terminated),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
