/*
 * timeparse.h - timestamps as exports write them, to and from UTC epoch seconds.
 *
 * time_parse() reads one field as seller back-ends and BI tools write it and
 * returns seconds since 1970-01-01 00:00:00 UTC. It is called once per row, so
 * it is hand-written (no strptime, mktime or timegm, no locale, no TZ
 * database, no allocation) and does the calendar with Howard Hinnant's
 * days-from-civil arithmetic.
 *
 * Accepted, with ASCII spaces/tabs/CR/LF around the value:
 *   date        YYYY-M-D  YYYY/M/D  (month and day one or two digits, the two
 *               separators the same)  or  YYYY年M月D日  (UTF-8)
 *   date only   midnight
 *   date time   date, then 'T', 't' or one or more spaces (none needed after
 *               日), then H:MM or H:MM:SS (hour one or two digits), optionally
 *               followed by a fraction ".123" or ",123" that is truncated
 *   offset      after the time only, optionally after spaces: 'Z', 'z',
 *               +HH, +H, +HH:MM, +HHMM, or the same with '-'
 * Years are four digits (0000-9999, proleptic Gregorian). Ranges are checked:
 * month 1-12, day within the month (leap years included), hour 0-23, minute
 * and second 0-59 (a leap second 60 is rejected), offset hours 0-23 and
 * minutes 0-59. A time without an offset is local wall-clock time at the
 * caller's default offset (+08:00 is 28800) and converted to UTC.
 *
 * Errors: functions return 0 or -1 and write their output only on success.
 * There is no error record: callers count the rows whose time did not parse.
 */
#ifndef TOUSU_TIMEPARSE_H
#define TOUSU_TIMEPARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parses s[0..len) (need not be NUL-terminated) into *epoch_seconds_out.
 * Returns 0, or -1 when the text is not one of the forms above or a field is
 * out of range.
 */
int time_parse(const char *s, size_t len, int32_t default_tz_offset_seconds,
	       int64_t *epoch_seconds_out);

/*
 * Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (negative before 1970). m is 1-12 and d 1-31; no range check is made.
 */
int64_t time_days_from_civil(int y, unsigned m, unsigned d);

/*
 * Writes epoch as "YYYY-MM-DD HH:MM:SS" (19 characters and a NUL) in local
 * time at tz_offset seconds east of UTC. Outside years 0000-9999 it writes
 * the zero date "0000-00-00 00:00:00" (month 0: never a real date) rather
 * than a wrong one.
 */
void time_format(int64_t epoch, int32_t tz_offset, char out[20]);

/*
 * Parses a NUL-terminated --tz value into seconds east of UTC: "UTC", "GMT",
 * "Z" (any case), an offset "+08:00", "+0800", "+08", "+8", "-05:30", or an
 * offset after "UTC"/"GMT" ("UTC+8"). Returns 0, or -1 when s is not one of
 * these (hours 0-23, minutes 0-59).
 */
int time_parse_tz(const char *s, int32_t *offset_seconds);

#endif
