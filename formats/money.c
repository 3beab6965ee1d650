#include "formats/money.h"

#include <string.h>

typedef const unsigned char *cur;

static int is_digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10u;
}

/* Length of the space character at p (0 if none): the UTF-8 ones exports use. */
static size_t space_at(cur p, cur end)
{
	size_t n = (size_t)(end - p);

	if (n == 0)
		return 0;
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		return 1;
	if (n >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

/* Length of the space character ending at end (0 if none). */
static size_t space_before(cur p, cur end)
{
	size_t n = (size_t)(end - p);

	if (n >= 1 && space_at(end - 1, end) == 1)
		return 1;
	if (n >= 2 && space_at(end - 2, end) == 2)
		return 2;
	if (n >= 3 && space_at(end - 3, end) == 3)
		return 3;
	return 0;
}

static cur skip_spaces(cur p, cur end)
{
	size_t k;

	while ((k = space_at(p, end)) > 0)
		p += k;
	return p;
}

static int match_ci(cur *p, cur end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (*p)[i];
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (c != (unsigned char)lit[i])
			return 0;
	}
	*p += n;
	return 1;
}

static int match_currency_word(cur *p, cur end)
{
	return match_ci(p, end, "RMB") || match_ci(p, end, "CNY");
}

static int match_yen(cur *p, cur end)
{
	return match_ci(p, end, "\xC2\xA5") || match_ci(p, end, "\xEF\xBF\xA5");
}

static int match_sign(cur *p, cur end, int *neg)
{
	if (*p < end && (**p == '-' || **p == '+')) {
		*neg = **p == '-';
		(*p)++;
		return 1;
	}
	return 0;
}

/* v = v * 10 + d, returning -1 instead of wrapping. */
static int push_digit(uint64_t *v, unsigned d)
{
	if (__builtin_mul_overflow(*v, 10u, v) ||
	    __builtin_add_overflow(*v, d, v))
		return -1;
	return 0;
}

int money_parse(const char *s, size_t len, int64_t *cents_out)
{
	cur p = (cur)s, end = p + len, run;
	uint64_t yuan = 0, cents;
	unsigned frac = 0, round_up = 0;
	size_t ndigits;
	int neg = 0, signed_ = 0;
	size_t k;

	if (!s)
		return -1;
	p = skip_spaces(p, end);
	while ((k = space_before(p, end)) > 0)
		end -= k;

	signed_ = match_sign(&p, end, &neg);
	if (match_yen(&p, end) || match_currency_word(&p, end)) {
		p = skip_spaces(p, end);
		if (!signed_)
			match_sign(&p, end, &neg);
	}

	/* Integer part: a plain run, or groups of three after the first comma. */
	run = p;
	while (p < end && is_digit(*p)) {
		if (push_digit(&yuan, (unsigned)(*p - '0')) < 0)
			return -1;
		p++;
	}
	ndigits = (size_t)(p - run);
	if (p < end && *p == ',') {
		if (ndigits < 1 || ndigits > 3)
			return -1;
		while (p < end && *p == ',') {
			p++;
			for (int i = 0; i < 3; i++, p++) {
				if (p == end || !is_digit(*p) ||
				    push_digit(&yuan, (unsigned)(*p - '0')) < 0)
					return -1;
			}
			if (p < end && is_digit(*p))
				return -1;
		}
	}

	if (p < end && *p == '.') {
		p++;
		for (run = p; p < end && is_digit(*p); p++) {
			unsigned d = (unsigned)(*p - '0');
			if (p - run < 2)
				frac = frac * 10 + d;
			else if (p - run == 2)
				round_up = d >= 5;
		}
		if (p - run == 1)
			frac *= 10;	/* "1299.5" is 50 fen */
		ndigits += (size_t)(p - run);
	}
	if (ndigits == 0)
		return -1;

	p = skip_spaces(p, end);
	if (p < end && !match_ci(&p, end, "\xE5\x85\x83"))
		match_currency_word(&p, end);
	if (p != end)
		return -1;

	if (__builtin_mul_overflow(yuan, 100u, &cents) ||
	    __builtin_add_overflow(cents, frac + round_up, &cents) ||
	    cents > (uint64_t)INT64_MAX)
		return -1;
	*cents_out = neg ? -(int64_t)cents : (int64_t)cents;
	return 0;
}

void money_format(int64_t cents, char out[32])
{
	/* Through uint64_t so INT64_MIN has a magnitude too. */
	uint64_t mag = cents < 0 ? 0 - (uint64_t)cents : (uint64_t)cents;
	char tmp[24];
	size_t n = 0, o = 0;

	tmp[n++] = (char)('0' + mag % 10);
	mag /= 10;
	tmp[n++] = (char)('0' + mag % 10);
	mag /= 10;
	do {
		tmp[n++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag);

	if (cents < 0)
		out[o++] = '-';
	while (n > 2)
		out[o++] = tmp[--n];
	out[o++] = '.';
	out[o++] = tmp[1];
	out[o++] = tmp[0];
	out[o] = '\0';
}
