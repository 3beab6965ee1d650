#include "cmd/options.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void strlist_push(struct strlist *l, const char *s)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 8;
		l->items = realloc(l->items, l->alloc * sizeof(*l->items));
		if (!l->items) {
			perror("tousu");
			abort();
		}
	}
	l->items[l->n++] = s;
}

void strlist_release(struct strlist *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}

static const struct option *find_long(const struct option *opts,
				      const char *name, size_t len)
{
	for (; opts->type != OPTION_END; opts++)
		if (opts->long_name && strlen(opts->long_name) == len &&
		    !memcmp(opts->long_name, name, len))
			return opts;
	return NULL;
}

static const struct option *find_short(const struct option *opts, char c)
{
	for (; opts->type != OPTION_END; opts++)
		if (opts->short_name == c)
			return opts;
	return NULL;
}

static int parse_u64(const char *s, uint64_t *out, uint64_t unit)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-')
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	uint64_t mult = 1;
	switch (*end) {
	case 'k': case 'K': mult = unit; end++; break;
	case 'm': case 'M': mult = unit * unit; end++; break;
	case 'g': case 'G': mult = unit * unit * unit; end++; break;
	}
	if (errno || *end || (mult > 1 && v > UINT64_MAX / mult))
		return -1;
	*out = (uint64_t)v * mult;
	return 0;
}

static int choice_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = choices; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && !memcmp(p, v, n))
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

static const char *opt_label(const struct option *o, char *buf, size_t n)
{
	if (o->long_name)
		snprintf(buf, n, "--%s", o->long_name);
	else
		snprintf(buf, n, "-%c", o->short_name);
	return buf;
}

static int store(const struct option *o, const char *arg, struct error *err)
{
	char label[64];
	switch (o->type) {
	case OPTION_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPTION_LIST:
	case OPTION_FILES:
		strlist_push(o->value, arg);
		return 0;
	case OPTION_U64:
	case OPTION_SIZE:
		if (parse_u64(arg, o->value, o->type == OPTION_SIZE ? 1024 : 1000))
			return error_set(err, NULL, "%s: '%s' is not a non-negative number",
					 opt_label(o, label, sizeof(label)), arg);
		return 0;
	case OPTION_DOUBLE: {
		char *end;
		errno = 0;
		double d = strtod(arg, &end);
		if (errno || end == arg || *end || !isfinite(d))
			return error_set(err, NULL, "%s: '%s' is not a number",
					 opt_label(o, label, sizeof(label)), arg);
		*(double *)o->value = d;
		return 0;
	}
	case OPTION_CHOICE:
		if (!choice_ok(o->argh, arg))
			return error_set(err, NULL, "%s: '%s' is not one of %s",
					 opt_label(o, label, sizeof(label)), arg, o->argh);
		*(const char **)o->value = arg;
		return 0;
	default:
		return error_set(err, NULL, "internal: option type %d takes no value", o->type);
	}
}

static int is_option_word(const char *s)
{
	return s[0] == '-' && s[1] != '\0';
}

enum options_result options_parse(int argc, char **argv,
				  const struct command_usage *usage,
				  char ***operands, size_t *n_operands,
				  struct error *err)
{
	const struct option *opts = usage->options;
	char **ops = calloc((size_t)argc + 1, sizeof(*ops));
	size_t nops = 0;
	int only_operands = 0;
	char label[64];

	if (!ops)
		return error_set(err, NULL, "out of memory"), OPTIONS_ERROR;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct option *o;
		const char *val = NULL;

		if (only_operands || !is_option_word(a)) {
			ops[nops++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			only_operands = 1;
			continue;
		}
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			options_print_usage(stdout, usage);
			free(ops);
			return OPTIONS_HELP;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			o = find_long(opts, name, len);
			if (!o && len > 3 && !strncmp(name, "no-", 3)) {
				o = find_long(opts, name + 3, len - 3);
				if (o && o->type == OPTION_BOOL && !eq) {
					*(int *)o->value = 0;
					continue;
				}
				o = NULL;
			}
			if (!o) {
				error_set(err, NULL, "unknown option '--%.*s' (see --help)", (int)len, name);
				goto fail;
			}
			if (eq)
				val = eq + 1;
		} else {
			o = find_short(opts, a[1]);
			if (!o) {
				error_set(err, NULL, "unknown option '-%c' (see --help)", a[1]);
				goto fail;
			}
			if (a[2])
				val = a + 2;
		}

		if (o->type == OPTION_BOOL) {
			if (val) {
				error_set(err, NULL, "%s takes no value", opt_label(o, label, sizeof(label)));
				goto fail;
			}
			*(int *)o->value = 1;
			continue;
		}
		if (!val) {
			if (i + 1 >= argc) {
				error_set(err, NULL, "%s needs a value (%s)",
					  opt_label(o, label, sizeof(label)), o->argh ? o->argh : "VALUE");
				goto fail;
			}
			val = argv[++i];
		}
		if (store(o, val, err))
			goto fail;
		/* A file list takes the words that follow it too: `--orders *.csv.gz`. */
		if (o->type == OPTION_FILES)
			while (i + 1 < argc && !is_option_word(argv[i + 1]))
				strlist_push(o->value, argv[++i]);
	}
	ops[nops] = NULL;
	*operands = ops;
	*n_operands = nops;
	return OPTIONS_OK;
fail:
	free(ops);
	return OPTIONS_ERROR;
}

void options_print_usage(FILE *out, const struct command_usage *usage)
{
	fprintf(out, "usage: %s\n", usage->synopsis);
	if (usage->description)
		fprintf(out, "\n%s\n", usage->description);
	if (usage->options && usage->options->type != OPTION_END)
		fputs("\noptions:\n", out);
	for (const struct option *o = usage->options; o && o->type != OPTION_END; o++) {
		char left[96];
		int n = 0;
		if (o->short_name && o->long_name)
			n = snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->long_name);
		else if (o->long_name)
			n = snprintf(left, sizeof(left), "    --%s", o->long_name);
		else
			n = snprintf(left, sizeof(left), "-%c", o->short_name);
		if (o->type != OPTION_BOOL && n > 0 && (size_t)n < sizeof(left))
			snprintf(left + n, sizeof(left) - (size_t)n, " %s",
				 o->argh ? o->argh : "VALUE");
		if (strlen(left) > 26)
			fprintf(out, "  %s\n  %-26s  %s\n", left, "", o->help);
		else
			fprintf(out, "  %-26s  %s\n", left, o->help);
	}
	fputs("  -h, --help                  show this help\n", out);
}
