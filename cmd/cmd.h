/*
 * cmd.h - the command table: one descriptor per subcommand.
 *
 * Each cmd/<name>.c defines one `const struct cmd cmd_<name>`; cmd/main.c
 * lists them in a single array that drives dispatch, `tousu --help` and the
 * man page's list of commands. Only code under cmd/ prints errors or chooses
 * an exit status; everything below returns errors up to here.
 */
#ifndef TOUSU_CMD_H
#define TOUSU_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "cmd/options.h"

/* The exit statuses tousu documents (README, man page). */
enum tousu_exit {
	EXIT_OK = 0,     /* success, including an empty report */
	EXIT_DATA = 1,   /* bad data, I/O failure, too many rejected rows */
	EXIT_USAGE = 2,  /* bad command line */
};

struct cmd {
	const char *name;
	const char *summary;   /* one line for `tousu --help` */
	/* argv[0] is the command name; returns an enum tousu_exit value */
	int (*run)(int argc, char **argv);
};

extern const struct cmd cmd_inspect;
extern const struct cmd cmd_classify;
extern const struct cmd cmd_sample;
extern const struct cmd cmd_rules;
extern const struct cmd cmd_rates;
extern const struct cmd cmd_merge;
extern const struct cmd cmd_report;
extern const struct cmd cmd_chats;

/*
 * Parses a command's options (options.h). Returns 0 to go on, or 1 when the
 * command must return *status at once: --help was printed (EXIT_OK), or the
 * command line is wrong (EXIT_USAGE, the message printed). need_operands
 * makes no operand a usage error naming the command. *operands is
 * malloc'd (free it) only when 0 is returned.
 */
int cmd_parse(int argc, char **argv, const struct command_usage *usage,
	      const char *name, int need_operands, char ***operands, size_t *n,
	      int *status);

/*
 * -j N as the commands that classify take it: UINT64_MAX (not given) is one
 * worker per core; at most CMD_MAX_THREADS.
 */
#define CMD_MAX_THREADS 64
size_t cmd_threads(uint64_t requested);
/* The cores online (1 when that cannot be told). */
size_t cmd_cores(void);

/* --match-limit N as a PCRE2 limit (0 stays 0: the default). */
uint32_t cmd_match_limit(uint64_t requested);

/* Creates dir and the folders above it; 0, or -1 with err naming the
 * folder that could not be made. */
int cmd_mkdir_p(const char *dir, struct error *err);

/* Prints err, or "out of memory" when it has no message (what a failure
 * that set none was: an allocation); returns EXIT_DATA. */
int cmd_print_failure(const struct error *err);

/*
 * Standard input can be read once: 0 when "-" is at most one file of the
 * n lists (a list the command reads twice is passed twice), else -1 after
 * saying so for command name.
 */
int cmd_stdin_once(const char *name, const struct strlist *const *lists, size_t n);

/*
 * Flushes and closes stdout; returns EXIT_DATA with a message if any write
 * failed (a full disk must never pass for success), else status.
 */
int cmd_finish_stdout(int status);

#endif
