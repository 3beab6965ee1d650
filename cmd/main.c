/*
 * main.c - tousu's entry point: one table of commands drives dispatch,
 * `tousu --help` and `tousu --version`.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"

#define TOUSU_VERSION "0.1.0"

static const struct cmd *const commands[] = {
	&cmd_inspect,
	&cmd_classify,
	&cmd_rules,
	&cmd_rates,
	&cmd_merge,
	&cmd_report,
	&cmd_chats,
	&cmd_sample,
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_help(FILE *out)
{
	fputs("usage: tousu COMMAND [OPTIONS] [FILE...]\n"
	      "\n"
	      "Complaint analytics for marketplace shops: reads orders, complaints and\n"
	      "chats exports (CSV, plain or gzip, '-' for stdin).\n"
	      "\n"
	      "commands:\n", out);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-10s  %s\n", commands[i]->name, commands[i]->summary);
	fputs("\n'tousu COMMAND --help' describes a command's options.\n"
	      "exit status: 0 success, 1 data or runtime error, 2 usage error.\n", out);
}

int cmd_mkdir_p(const char *dir, struct error *err)
{
	char path[PATH_MAX];
	struct stat st;
	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path))
		return error_set(err, dir, "path too long");
	for (char *p = path + 1;; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return error_set(err, path, "cannot create directory: %s", strerror(errno));
		*p = c;
		if (!c)
			break;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return error_set(err, dir, "not a directory");
	return 0;
}

int cmd_print_failure(const struct error *err)
{
	if (err->msg[0])
		error_print(stderr, err);
	else
		fputs("tousu: out of memory\n", stderr);
	return EXIT_DATA;
}

int cmd_stdin_once(const char *name, const struct strlist *const *lists, size_t n)
{
	size_t uses = 0;
	for (size_t l = 0; l < n; l++)
		for (size_t i = 0; i < lists[l]->n; i++)
			uses += !strcmp(lists[l]->items[i], "-");
	if (uses <= 1)
		return 0;
	fprintf(stderr, "tousu: %s: standard input (-) can be read only once: name a file "
		"for the other exports\n", name);
	return -1;
}

size_t cmd_cores(void)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	return cores > 0 ? (size_t)cores : 1;
}

size_t cmd_threads(uint64_t requested)
{
	/* One worker per core: the reader and the decode thread are light
	 * beside them. */
	if (requested == UINT64_MAX)
		requested = cmd_cores();
	return (size_t)(requested > CMD_MAX_THREADS ? CMD_MAX_THREADS : requested);
}

uint32_t cmd_match_limit(uint64_t requested)
{
	return (uint32_t)(requested > UINT32_MAX ? UINT32_MAX : requested);
}

int cmd_finish_stdout(int status)
{
	/* A write that failed earlier left only ferror(): its errno is long
	 * gone, and whatever errno holds now (ENOTTY from an isatty) would be
	 * a wrong reason. */
	errno = 0;
	int failed = fflush(stdout) != 0 || ferror(stdout);
	int saved = errno;
	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	if (failed) {
		fprintf(stderr, "tousu: error writing output: %s\n",
			saved ? strerror(saved) : "a write failed (a full disk, or a closed pipe)");
		return EXIT_DATA;
	}
	return status;
}

int cmd_parse(int argc, char **argv, const struct command_usage *usage,
	      const char *name, int need_operands, char ***operands, size_t *n,
	      int *status)
{
	struct error err;
	switch (options_parse(argc, argv, usage, operands, n, &err)) {
	case OPTIONS_HELP:
		*status = cmd_finish_stdout(EXIT_OK);
		return 1;
	case OPTIONS_ERROR:
		error_print(stderr, &err);
		*status = EXIT_USAGE;
		return 1;
	case OPTIONS_OK:
		break;
	}
	if (need_operands && *n == 0) {
		fprintf(stderr, "tousu: %s: no input files (use - for stdin)\n", name);
		free(*operands);
		*status = EXIT_USAGE;
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		print_help(stdout);
		return cmd_finish_stdout(EXIT_OK);
	}
	if (!strcmp(name, "--version")) {
		puts("tousu " TOUSU_VERSION);
		return cmd_finish_stdout(EXIT_OK);
	}
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i]->run(argc - 1, argv + 1);
	fprintf(stderr, "tousu: '%s' is not a command (see 'tousu --help')\n", name);
	return EXIT_USAGE;
}
