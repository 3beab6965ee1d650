#include "formats/timeparse.h"

#include <string.h>

typedef const unsigned char *cur;

static int is_digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10u;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Reads a run of min..max digits at *p and advances past it; returns the
 * value, or -1 when the run is shorter than min or longer than max (a longer
 * run means a malformed field such as a five-digit year, not a shorter one).
 */
static int read_digits(cur *p, cur end, int min, int max)
{
	cur q = *p;
	int v = 0;

	while (q < end && is_digit(*q)) {
		if (q - *p == max)
			return -1;
		v = v * 10 + (*q - '0');
		q++;
	}
	if (q - *p < min)
		return -1;
	*p = q;
	return v;
}

static int match(cur *p, cur end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return 0;
	*p += n;
	return 1;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int y, unsigned m)
{
	static const unsigned char days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	return days[m - 1] + (m == 2 && is_leap(y));
}

/*
 * Parses exactly [p, end) as [+-]H, [+-]HH, [+-]HH:MM or [+-]HHMM into
 * seconds east of UTC. Returns 0 or -1.
 */
static int parse_offset(cur p, cur end, int32_t *out)
{
	int sign, h, m = 0;
	cur q;

	if (p == end || (*p != '+' && *p != '-'))
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	q = p;
	while (q < end && is_digit(*q))
		q++;
	switch (q - p) {
	case 1:
	case 2:
		h = read_digits(&p, end, 1, 2);
		if (p < end) {
			if (*p++ != ':' || (m = read_digits(&p, end, 2, 2)) < 0)
				return -1;
		}
		break;
	case 4:
		h = (p[0] - '0') * 10 + (p[1] - '0');
		m = (p[2] - '0') * 10 + (p[3] - '0');
		p += 4;
		break;
	default:
		return -1;
	}
	if (p != end || h > 23 || m > 59)
		return -1;
	*out = sign * (h * 3600 + m * 60);
	return 0;
}

int64_t time_days_from_civil(int y, unsigned m, unsigned d)
{
	/* Hinnant: shift the year to start in March so the leap day is last. */
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	unsigned yoe = (unsigned)(yy - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int time_parse(const char *s, size_t len, int32_t default_tz_offset_seconds,
	       int64_t *epoch_seconds_out)
{
	cur p = (cur)s, end = p + len;
	int year, mon, day, hh = 0, mm = 0, ss = 0, chinese = 0;
	int32_t off = default_tz_offset_seconds;
	unsigned char sep;

	if (!s)
		return -1;
	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;

	if ((year = read_digits(&p, end, 4, 4)) < 0 || p == end)
		return -1;
	if (*p == '-' || *p == '/') {
		sep = *p++;
		if ((mon = read_digits(&p, end, 1, 2)) < 0 || p == end ||
		    *p++ != sep || (day = read_digits(&p, end, 1, 2)) < 0)
			return -1;
	} else if (match(&p, end, "年")) {
		if ((mon = read_digits(&p, end, 1, 2)) < 0 ||
		    !match(&p, end, "月") ||
		    (day = read_digits(&p, end, 1, 2)) < 0 ||
		    !(match(&p, end, "日") || match(&p, end, "号")))
			return -1;
		chinese = 1;
	} else {
		return -1;
	}
	if (mon < 1 || mon > 12 || day < 1 ||
	    (unsigned)day > days_in_month(year, (unsigned)mon))
		return -1;

	if (p < end) {
		if (*p == 'T' || *p == 't') {
			p++;
		} else if (is_space(*p)) {
			while (p < end && is_space(*p))
				p++;
		} else if (!chinese) {
			return -1;
		}
		if ((hh = read_digits(&p, end, 1, 2)) < 0 || p == end ||
		    *p++ != ':' || (mm = read_digits(&p, end, 2, 2)) < 0)
			return -1;
		if (p < end && *p == ':') {
			p++;
			if ((ss = read_digits(&p, end, 2, 2)) < 0)
				return -1;
			if (p < end && (*p == '.' || *p == ',')) {
				p++;
				if (p == end || !is_digit(*p))
					return -1;
				while (p < end && is_digit(*p))
					p++;
			}
		}
		if (hh > 23 || mm > 59 || ss > 59)
			return -1;
		while (p < end && is_space(*p))
			p++;
		if (p < end) {
			if ((*p == 'Z' || *p == 'z') && p + 1 == end)
				off = 0;
			else if (parse_offset(p, end, &off) < 0)
				return -1;
		}
	}

	*epoch_seconds_out = time_days_from_civil(year, (unsigned)mon,
						  (unsigned)day) * 86400 +
			     hh * 3600 + mm * 60 + ss - (int64_t)off;
	return 0;
}

static void put2(char *out, unsigned v)
{
	out[0] = (char)('0' + v / 10);
	out[1] = (char)('0' + v % 10);
}

void time_format(int64_t epoch, int32_t tz_offset, char out[20])
{
	int64_t local, days, secs, y;
	unsigned m, d;

	if (__builtin_add_overflow(epoch, (int64_t)tz_offset, &local) ||
	    local < time_days_from_civil(0, 1, 1) * 86400 ||
	    local >= time_days_from_civil(10000, 1, 1) * 86400) {
		memcpy(out, "0000-00-00 00:00:00", 20);
		return;
	}
	days = local / 86400;
	secs = local % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	put2(out, (unsigned)(y / 100));
	put2(out + 2, (unsigned)(y % 100));
	out[4] = '-';
	put2(out + 5, m);
	out[7] = '-';
	put2(out + 8, d);
	out[10] = ' ';
	put2(out + 11, (unsigned)(secs / 3600));
	out[13] = ':';
	put2(out + 14, (unsigned)(secs / 60 % 60));
	out[16] = ':';
	put2(out + 17, (unsigned)(secs % 60));
	out[19] = '\0';
}

static int prefix_ci(const char *s, const char *lit)
{
	for (; *lit; s++, lit++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)*lit)
			return 0;
	}
	return 1;
}

int time_parse_tz(const char *s, int32_t *offset_seconds)
{
	size_t len;

	if (!s)
		return -1;
	if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
		*offset_seconds = 0;
		return 0;
	}
	if (prefix_ci(s, "utc") || prefix_ci(s, "gmt")) {
		s += 3;
		if (*s == '\0') {
			*offset_seconds = 0;
			return 0;
		}
	}
	len = strlen(s);
	return parse_offset((cur)s, (cur)s + len, offset_seconds);
}
