#include "formats/error.h"

#include <stdarg.h>
#include <string.h>

#include "formats/encoding.h"

void error_clear(struct error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

/*
 * After a cut at the buffer's end (a long pattern, a long file name), drops
 * the start of a character the cut left behind, so the message is not made
 * invalid UTF-8 by its own truncation. Earlier bytes are left as they are.
 */
static void end_on_whole_character(char *s)
{
	size_t n = strlen(s), k = n;
	while (k && n - k < 3 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
		k--;
	if (!k || (unsigned char)s[k - 1] < 0xC0)
		return;
	const unsigned char *tail = (const unsigned char *)s + k - 1;
	uint32_t cp;
	if (!utf8_decode(tail, n - k + 1, &cp) && utf8_invalid_span(tail, n - k + 1) == n - k + 1)
		s[k - 1] = '\0';
}

static int error_vset(struct error *err, const char *file, uint64_t line,
		      uint64_t offset, int has_offset, const char *fmt,
		      va_list ap)
{
	if (!err)
		return -1;
	error_clear(err);
	if (file && snprintf(err->file, sizeof(err->file), "%s", file) >= (int)sizeof(err->file))
		end_on_whole_character(err->file);
	err->line = line;
	err->offset = offset;
	err->has_offset = has_offset;
	if (vsnprintf(err->msg, sizeof(err->msg), fmt, ap) >= (int)sizeof(err->msg))
		end_on_whole_character(err->msg);
	return -1;
}

int error_set_linev(struct error *err, const char *file, uint64_t line, const char *fmt,
		    va_list ap)
{
	return error_vset(err, file, line, 0, 0, fmt, ap);
}

int error_set(struct error *err, const char *file, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, file, 0, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int error_set_line(struct error *err, const char *file, uint64_t line,
		   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, file, line, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int error_set_offset(struct error *err, const char *file, uint64_t offset,
		     const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, file, 0, offset, 1, fmt, ap);
	va_end(ap);
	return -1;
}

void error_print(FILE *out, const struct error *err)
{
	fputs("tousu: ", out);
	if (err->file[0]) {
		fputs(err->file, out);
		/* An offset is in the message itself ("... at byte N"), where it
		 * reads naturally; the field is for callers that act on it. */
		if (err->line)
			fprintf(out, ":%llu", (unsigned long long)err->line);
		fputs(": ", out);
	}
	fputs(err->msg[0] ? err->msg : "unknown error", out);
	fputc('\n', out);
}
