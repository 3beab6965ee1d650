#include "cmd/rule_options.h"

#include <stdio.h>

void rule_error_print(void *ctx, const struct error *err)
{
	(void)ctx;
	error_print(stderr, err);
}

int rule_flags_load(struct rule_flags *f)
{
	struct error err;
	int errors;

	f->rs = rules_new();
	if (!f->rs) {
		fputs("tousu: out of memory\n", stderr);
		return -1;
	}
	errors = f->rules ? rules_load_file(f->rs, f->rules, rule_error_print, NULL)
			  : rules_load_default(f->rs, rule_error_print, NULL);
	for (size_t i = 0; i < f->extra.n; i++)
		errors += rules_load_file(f->rs, f->extra.items[i], rule_error_print, NULL);
	if (errors) {
		fprintf(stderr, "tousu: %d error%s in the rules\n", errors, errors == 1 ? "" : "s");
		return -1;
	}
	f->classifier = classifier_new(f->rs, &err);
	if (!f->classifier) {
		error_print(stderr, &err);
		return -1;
	}
	return 0;
}

int rule_flags_load_only(const struct rule_flags *f, const char *type_id,
			 struct rule_set **rs, struct classifier **c)
{
	struct error err;
	int errors;

	*c = NULL;
	*rs = rules_new();
	if (!*rs || rules_only(*rs, type_id) < 0) {
		fputs("tousu: out of memory\n", stderr);
		return -1;
	}
	errors = f->rules ? rules_load_file(*rs, f->rules, rule_error_print, NULL)
			  : rules_load_default(*rs, rule_error_print, NULL);
	for (size_t i = 0; i < f->extra.n; i++)
		errors += rules_load_file(*rs, f->extra.items[i], rule_error_print, NULL);
	if (errors || !(*c = classifier_new(*rs, &err))) {
		if (!errors)
			error_print(stderr, &err);
		return -1;
	}
	return 0;
}

void rule_flags_release(struct rule_flags *f)
{
	classifier_free(f->classifier);
	rules_free(f->rs);
	strlist_release(&f->extra);
	f->classifier = NULL;
	f->rs = NULL;
}
