#include "cmd/rule_options.h"

#include <stdio.h>

int rule_file_has_types(const char *file, const struct rule_set *rs)
{
	if (rules_type_count(rs))
		return 1;
	fprintf(stderr, "tousu: %s: no [type] sections: every complaint would be other\n", file);
	return 0;
}

void rule_error_print(void *ctx, const struct error *err)
{
	(void)ctx;
	error_print(stderr, err);
}

/*
 * The rule files f names (or the built-in rules), only type_id's sections
 * when it is not NULL, into a new rule set and its classifier. 0, or -1
 * after printing why; *rs and *c are the caller's to free either way.
 */
static int load(const struct rule_flags *f, const char *type_id, struct rule_set **rs,
		struct classifier **c)
{
	struct error err;
	int errors;

	*c = NULL;
	*rs = rules_new();
	if (!*rs || (type_id && rules_only(*rs, type_id) < 0)) {
		fputs("tousu: out of memory\n", stderr);
		return -1;
	}
	errors = f->rules ? rules_load_file(*rs, f->rules, rule_error_print, NULL)
			  : rules_load_default(*rs, rule_error_print, NULL);
	for (size_t i = 0; i < f->extra.n; i++)
		errors += rules_load_file(*rs, f->extra.items[i], rule_error_print, NULL);
	if (errors) {
		fprintf(stderr, "tousu: %d error%s in the rules\n", errors, errors == 1 ? "" : "s");
		return -1;
	}
	if (f->rules && !type_id && !rule_file_has_types(f->rules, *rs))
		return -1;
	*c = classifier_new(*rs, &err);
	if (!*c) {
		error_print(stderr, &err);
		return -1;
	}
	return 0;
}

int rule_flags_load(struct rule_flags *f)
{
	return load(f, NULL, &f->rs, &f->classifier);
}

int rule_flags_load_only(const struct rule_flags *f, const char *type_id,
			 struct rule_set **rs, struct classifier **c)
{
	return load(f, type_id, rs, c);
}

void rule_flags_release(struct rule_flags *f)
{
	classifier_free(f->classifier);
	rules_free(f->rs);
	strlist_release(&f->extra);
	f->classifier = NULL;
	f->rs = NULL;
}
