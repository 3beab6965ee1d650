#include "formats/error.h"

#include <stdarg.h>
#include <string.h>

void error_clear(struct error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

static int error_vset(struct error *err, const char *file, uint64_t line,
		      uint64_t offset, int has_offset, const char *fmt,
		      va_list ap)
{
	if (!err)
		return -1;
	error_clear(err);
	if (file)
		snprintf(err->file, sizeof(err->file), "%s", file);
	err->line = line;
	err->offset = offset;
	err->has_offset = has_offset;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return -1;
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
