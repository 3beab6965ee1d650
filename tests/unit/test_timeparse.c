#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/timeparse.h"

#define CST 28800	/* +08:00, the default for Chinese exports */

/* 2023-01-09 10:45:00 +08:00 == 02:45:00 UTC */
#define T_20230109_1045 INT64_C(1673232300)

static int parse(const char *s, int32_t tz, int64_t *out)
{
	return time_parse(s, strlen(s), tz, out);
}

static void expect_time(const char *s, int32_t tz, int64_t want)
{
	int64_t got = -12345;

	if (parse(s, tz, &got) != 0)
		fail_msg("time_parse rejected \"%s\"", s);
	if (got != want)
		fail_msg("time_parse(\"%s\") = %lld, want %lld", s,
			 (long long)got, (long long)want);
}

static void expect_reject(const char *s)
{
	int64_t got = 777;

	if (parse(s, CST, &got) != -1)
		fail_msg("time_parse accepted \"%s\" as %lld", s,
			 (long long)got);
	assert_int_equal(got, 777);	/* output untouched on failure */
}

static void test_export_forms(void **state)
{
	(void)state;
	expect_time("2023-01-09 10:45:00", CST, T_20230109_1045);
	expect_time("2023-01-09 10:45", CST, T_20230109_1045);
	expect_time("2023/1/9 10:45", CST, T_20230109_1045);
	expect_time("2023/01/09 10:45:00", CST, T_20230109_1045);
	expect_time("2023-1-9 10:45:00", CST, T_20230109_1045);
	expect_time("2023/1/9 9:05", CST, T_20230109_1045 - 100 * 60);
	expect_time("2023-01-09", CST, T_20230109_1045 - (10 * 3600 + 45 * 60));
	expect_time("2023/1/9", 0, INT64_C(1673222400));
	expect_time("  2023-01-09 10:45:00 ", CST, T_20230109_1045);
	expect_time("\t2023-01-09 10:45:00\r\n", CST, T_20230109_1045);
	expect_time("2023-01-09   10:45:00", CST, T_20230109_1045);
}

static void test_iso8601(void **state)
{
	(void)state;
	expect_time("2023-01-09T10:45:00", CST, T_20230109_1045);
	expect_time("2023-01-09t10:45:00", CST, T_20230109_1045);
	expect_time("2023-01-09T02:45:00Z", CST, T_20230109_1045);
	expect_time("2023-01-09T02:45:00z", CST, T_20230109_1045);
	expect_time("2023-01-09T10:45:00+08:00", 0, T_20230109_1045);
	expect_time("2023-01-09T10:45:00+0800", 0, T_20230109_1045);
	expect_time("2023-01-09T10:45:00+08", 0, T_20230109_1045);
	expect_time("2023-01-08T21:45:00-05:00", CST, T_20230109_1045);
	expect_time("2023-01-09T08:15:00+05:30", CST, T_20230109_1045);
	expect_time("2023-01-09T10:45:00.123", CST, T_20230109_1045);
	expect_time("2023-01-09T10:45:00.999999+08:00", 0, T_20230109_1045);
	expect_time("2023-01-09T10:45:00,5Z", 0, T_20230109_1045 + 8 * 3600);
	expect_time("2023-01-09 10:45:00 +0800", 0, T_20230109_1045);
	expect_time("2023-01-09T10:45Z", 0, T_20230109_1045 + 8 * 3600);
}

static void test_chinese(void **state)
{
	(void)state;
	expect_time("2023年1月9日 10:45", CST, T_20230109_1045);
	expect_time("2023年01月09日10:45:00", CST, T_20230109_1045);
	expect_time("2023年1月9号 10:45", CST, T_20230109_1045);
	expect_time("2023年1月9日", CST, T_20230109_1045 - (10 * 3600 + 45 * 60));
	expect_reject("2023年1月9 10:45");
	expect_reject("2023年1-9日");
}

static void test_default_offset(void **state)
{
	(void)state;
	expect_time("1970-01-01 00:00:00", 0, 0);
	expect_time("1970-01-01 08:00:00", CST, 0);
	expect_time("1969-12-31 19:00:00", -5 * 3600, 0);
	expect_time("1969-12-31 23:59:59", 0, -1);
	/* an explicit offset wins over the default */
	expect_time("1970-01-01 00:00:00Z", CST, 0);
	expect_time("1970-01-01 00:00:00+00:00", CST, 0);
}

static void test_calendar_ranges(void **state)
{
	(void)state;
	expect_time("2024-02-29", 0, INT64_C(1709164800));
	expect_time("2000-02-29", 0, INT64_C(951782400));
	expect_time("2023-12-31 23:59:59", 0, INT64_C(1704067199));
	expect_time("2023-04-30", 0, INT64_C(1682812800));
	expect_time("0000-01-01", 0, INT64_C(-62167219200));
	expect_time("9999-12-31 23:59:59", 0, INT64_C(253402300799));
	expect_reject("2023-02-29");
	expect_reject("1900-02-29");
	expect_reject("2100-02-29");
	expect_reject("2023-04-31");
	expect_reject("2023-13-01");
	expect_reject("2023-00-10");
	expect_reject("2023-01-00");
	expect_reject("2023-01-32");
	expect_reject("2023-01-09 24:00:00");
	expect_reject("2023-01-09 10:60:00");
	expect_reject("2023-01-09 10:45:60");
	expect_reject("2023-01-09 23:59:60");
	expect_reject("2023-01-09T10:45:00+24:00");
	expect_reject("2023-01-09T10:45:00+08:60");
}

static void test_rejects(void **state)
{
	(void)state;
	expect_reject("");
	expect_reject("   ");
	expect_reject("abc");
	expect_reject("2023");
	expect_reject("2023-01");
	expect_reject("23-01-09");
	expect_reject("20231-01-09");
	expect_reject("2023-01/09");
	expect_reject("2023-001-09");
	expect_reject("2023-01-009");
	expect_reject("2023-01-09 10");
	expect_reject("2023-01-09 10:");
	expect_reject("2023-01-09 10:5");
	expect_reject("2023-01-09 10:45:0");
	expect_reject("2023-01-09 100:45");
	expect_reject("2023-01-09 10:45:00.");
	expect_reject("2023-01-09T");
	expect_reject("2023-01-09x10:45");
	expect_reject("2023-01-0910:45");
	expect_reject("2023-01-09 10:45:00 junk");
	expect_reject("2023-01-09 10:45:00+8:0");
	expect_reject("2023-01-09 10:45:00+080");
	expect_reject("2023-01-09 10:45:00+08000");
	expect_reject("2023-01-09 10:45:00 Z junk");
	expect_reject("2023-01-09Z");
	expect_reject("2023-01-09 +08:00");
	expect_reject("-2023-01-09");
	expect_reject("2023-01-09 10:45:00ZZ");
}

static void test_not_nul_terminated(void **state)
{
	const char buf[] = "2023-01-09 10:45:00,next field";
	int64_t got;

	(void)state;
	assert_int_equal(time_parse(buf, 19, CST, &got), 0);
	assert_int_equal(got, T_20230109_1045);
	assert_int_equal(time_parse(buf, 16, CST, &got), 0);
	assert_int_equal(got, T_20230109_1045);
	assert_int_equal(time_parse(buf, 18, CST, &got), -1);
	assert_int_equal(time_parse(NULL, 0, CST, &got), -1);
}

static void test_days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(time_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(time_days_from_civil(1970, 1, 2), 1);
	assert_int_equal(time_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(time_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(time_days_from_civil(2023, 1, 9), 19366);
	assert_int_equal(time_days_from_civil(1, 1, 1), -719162);
	assert_int_equal(time_days_from_civil(-1, 12, 31), -719529);
}

/* Compares against the C library over every day of several centuries. */
static void test_days_against_libc(void **state)
{
	int64_t days = time_days_from_civil(1800, 1, 1);

	(void)state;
	for (int y = 1800; y < 2400; y++) {
		for (unsigned m = 1; m <= 12; m++) {
			for (unsigned d = 1; d <= 31; d++) {
				struct tm tm = { 0 };
				char buf[32];
				int64_t t;

				snprintf(buf, sizeof(buf), "%04d-%02u-%02u", y,
					 m, d);
				if (time_parse(buf, strlen(buf), 0, &t) != 0)
					continue;
				assert_int_equal(t, days * 86400);
				tm.tm_year = y - 1900;
				tm.tm_mon = (int)m - 1;
				tm.tm_mday = (int)d;
				assert_int_equal((int64_t)timegm(&tm), t);
				days++;
			}
		}
	}
	assert_int_equal(days, time_days_from_civil(2400, 1, 1));
}

static void expect_format(int64_t epoch, int32_t tz, const char *want)
{
	char out[20];

	memset(out, 'x', sizeof(out));
	time_format(epoch, tz, out);
	assert_string_equal(out, want);
}

static void test_format(void **state)
{
	(void)state;
	expect_format(0, 0, "1970-01-01 00:00:00");
	expect_format(-1, 0, "1969-12-31 23:59:59");
	expect_format(T_20230109_1045, CST, "2023-01-09 10:45:00");
	expect_format(T_20230109_1045, 0, "2023-01-09 02:45:00");
	expect_format(T_20230109_1045, -5 * 3600, "2023-01-08 21:45:00");
	expect_format(INT64_C(1709164800), 0, "2024-02-29 00:00:00");
	expect_format(INT64_C(-62167219200), 0, "0000-01-01 00:00:00");
	expect_format(INT64_C(253402300799), 0, "9999-12-31 23:59:59");
	expect_format(INT64_C(253402300800), 0, "0000-00-00 00:00:00");
	expect_format(INT64_C(-62167219201), 0, "0000-00-00 00:00:00");
	expect_format(INT64_MAX, INT32_MAX, "0000-00-00 00:00:00");
	expect_format(INT64_MIN, INT32_MIN, "0000-00-00 00:00:00");
}

/* parse(format(t)) == t for a spread of instants and offsets. */
static void test_round_trip(void **state)
{
	static const int32_t offsets[] = { 0, CST, -5 * 3600, 19800, -34200 };

	(void)state;
	for (int64_t t = INT64_C(-5000000000); t < INT64_C(5000000000);
	     t += INT64_C(9876543)) {
		for (size_t i = 0; i < sizeof(offsets) / sizeof(offsets[0]);
		     i++) {
			char out[20];
			int64_t back;

			time_format(t, offsets[i], out);
			assert_int_equal(time_parse(out, 19, offsets[i],
						    &back), 0);
			assert_int_equal(back, t);
		}
	}
}

static void expect_tz(const char *s, int32_t want)
{
	int32_t got = -1;

	if (time_parse_tz(s, &got) != 0)
		fail_msg("time_parse_tz rejected \"%s\"", s);
	if (got != want)
		fail_msg("time_parse_tz(\"%s\") = %d, want %d", s, got, want);
}

static void test_parse_tz(void **state)
{
	int32_t got = 99;

	(void)state;
	expect_tz("+08:00", CST);
	expect_tz("+8", CST);
	expect_tz("+08", CST);
	expect_tz("+0800", CST);
	expect_tz("-05:30", -(5 * 3600 + 1800));
	expect_tz("-0530", -(5 * 3600 + 1800));
	expect_tz("+00:00", 0);
	expect_tz("UTC", 0);
	expect_tz("utc", 0);
	expect_tz("GMT", 0);
	expect_tz("Z", 0);
	expect_tz("z", 0);
	expect_tz("UTC+8", CST);
	expect_tz("UTC-05:00", -5 * 3600);
	expect_tz("gmt+05:45", 5 * 3600 + 45 * 60);

	static const char *bad[] = {
		"", "8", "08:00", "+", "+24", "+08:60", "+080", "+08000",
		"+8:0", "UTC8", "UTCX", "Asia/Shanghai", "+08:00 ", " +08:00",
		"ZZ", "+08:", NULL,
	};
	for (size_t i = 0; bad[i]; i++) {
		if (time_parse_tz(bad[i], &got) != -1)
			fail_msg("time_parse_tz accepted \"%s\"", bad[i]);
	}
	assert_int_equal(got, 99);
	assert_int_equal(time_parse_tz(NULL, &got), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_forms),
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_chinese),
		cmocka_unit_test(test_default_offset),
		cmocka_unit_test(test_calendar_ranges),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_not_nul_terminated),
		cmocka_unit_test(test_days_from_civil),
		cmocka_unit_test(test_days_against_libc),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_parse_tz),
	};
	return cmocka_run_group_tests_name("timeparse", tests, NULL, NULL);
}
