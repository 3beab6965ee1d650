/*
 * error.h - the one error record every layer fills and only cmd/ prints.
 *
 * Library code never prints and never exits: it returns -1 (or NULL) and
 * fills a caller-owned struct error with where the problem is (file, physical
 * line, byte offset; 0 when unknown) and a message in git's style: lowercase,
 * no final period. A message or name too long for its field is cut on a
 * whole UTF-8 character. cmd/ turns it into "tousu: FILE:LINE: MESSAGE" on stderr.
 *
 * A struct error owns no memory; it can be copied, reused and discarded.
 */
#ifndef TOUSU_ERROR_H
#define TOUSU_ERROR_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

struct error {
	char file[256];     /* input name as the user gave it, "" if none */
	uint64_t line;      /* 1-based physical line, 0 if not known */
	uint64_t offset;    /* byte offset in the file (compressed for gzip), 0 if not known */
	int has_offset;     /* offset is meaningful even when it is 0 */
	char msg[512];
};

/* Clears err. Accepts NULL. */
void error_clear(struct error *err);

/*
 * Fills err (when not NULL) with file and a formatted message, line and
 * offset cleared; returns -1 so call sites can `return error_set(...)`.
 */
int error_set(struct error *err, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like error_set, with a physical line number. */
int error_set_line(struct error *err, const char *file, uint64_t line,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* error_set_line for a caller that is itself variadic. */
int error_set_linev(struct error *err, const char *file, uint64_t line, const char *fmt,
		    va_list ap) __attribute__((format(printf, 4, 0)));

/* Like error_set, with a byte offset (which fmt should also say). */
int error_set_offset(struct error *err, const char *file, uint64_t offset,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Writes "tousu: FILE:LINE: MSG" (or "FILE: MSG", or "MSG") and a newline
 * to out. Messages with an offset say it themselves ("at byte N"). Only cmd/
 * calls this.
 */
void error_print(FILE *out, const struct error *err);

#endif
