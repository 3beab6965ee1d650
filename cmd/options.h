/*
 * options.h - a command's options declared once, as data.
 *
 * Like git's parse-options, one table drives both parsing and --help, so the
 * two cannot drift apart:
 *
 *	static const struct option opts[] = {
 *		OPT_STRING('o', "out", &out, "DIR", "write the files into DIR"),
 *		OPT_U64(0, "seed", &seed, "N", "random seed"),
 *		OPT_END(),
 *	};
 *
 * Long options take their value as `--name VALUE` or `--name=VALUE`; short
 * ones as `-o VALUE`. OPT_LIST options collect every use. OPT_FILES options
 * also take the words that follow one use up to the next option, so
 * `--orders a.csv b.csv` and a shell glob both work (a command whose operands
 * could follow must not use them). Words that are not options are operands.
 * "--" ends options; "-" alone is an operand (stdin).
 *
 * Values are stored in the caller's variables; the parser allocates only the
 * arrays behind OPT_LIST (free with strlist_release) and the operand array
 * (free()). Errors are filled into a struct error; cmd/ prints them and exits
 * with EXIT_USAGE.
 */
#ifndef TOUSU_OPTIONS_H
#define TOUSU_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "formats/error.h"

enum option_type {
	OPTION_END = 0,
	OPTION_BOOL,    /* int, set to 1 (`--no-NAME` sets 0) */
	OPTION_STRING,  /* const char *, last use wins */
	OPTION_U64,     /* uint64_t count, accepts k/m/g suffixes (x1000) */
	OPTION_SIZE,    /* uint64_t bytes, accepts K/M/G suffixes (x1024) */
	OPTION_DOUBLE,  /* double */
	OPTION_LIST,    /* struct strlist, every use appended */
	OPTION_FILES,   /* struct strlist, every use and the words after it */
	OPTION_CHOICE,  /* const char *, must be one of a '|'-separated list */
};

struct strlist {
	const char **items;
	size_t n, alloc;
};

struct option {
	enum option_type type;
	char short_name;
	const char *long_name;
	void *value;
	const char *argh;     /* value placeholder in help; for CHOICE, "a|b|c" */
	const char *help;
};

#define OPT_BOOL(s, l, v, h)      { OPTION_BOOL, (s), (l), (v), NULL, (h) }
#define OPT_STRING(s, l, v, a, h) { OPTION_STRING, (s), (l), (v), (a), (h) }
#define OPT_U64(s, l, v, a, h)    { OPTION_U64, (s), (l), (v), (a), (h) }
#define OPT_SIZE(s, l, v, a, h)   { OPTION_SIZE, (s), (l), (v), (a), (h) }
#define OPT_DOUBLE(s, l, v, a, h) { OPTION_DOUBLE, (s), (l), (v), (a), (h) }
#define OPT_LIST(s, l, v, a, h)   { OPTION_LIST, (s), (l), (v), (a), (h) }
#define OPT_FILES(s, l, v, a, h)  { OPTION_FILES, (s), (l), (v), (a), (h) }
#define OPT_CHOICE(s, l, v, c, h) { OPTION_CHOICE, (s), (l), (v), (c), (h) }
#define OPT_END()                 { OPTION_END, 0, NULL, NULL, NULL, NULL }

struct command_usage {
	const char *synopsis;     /* "tousu inspect [OPTIONS] FILE..." */
	const char *description;  /* a paragraph, may be NULL */
	const struct option *options;
};

enum options_result {
	OPTIONS_OK = 0,
	OPTIONS_HELP = 1,    /* --help or -h was given; usage was printed to stdout */
	OPTIONS_ERROR = -1,  /* err is filled */
};

/*
 * Parses argv[1..argc-1] against usage->options. On OPTIONS_OK, *operands
 * (malloc'd, NULL-terminated, free() it) holds the operands in order and
 * *n_operands their count.
 */
enum options_result options_parse(int argc, char **argv,
				  const struct command_usage *usage,
				  char ***operands, size_t *n_operands,
				  struct error *err);

/* Writes the synopsis, description and one line per option. */
void options_print_usage(FILE *out, const struct command_usage *usage);

void strlist_push(struct strlist *l, const char *s);
void strlist_release(struct strlist *l);

#endif
