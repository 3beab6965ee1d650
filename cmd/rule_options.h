/*
 * rule_options.h - --rules and --extra-rules, shared by classify and rules.
 * rule_flags_load() builds the rule set and classifier they ask for,
 * printing every rule error to stderr (only cmd/ prints).
 */
#ifndef TOUSU_RULE_OPTIONS_H
#define TOUSU_RULE_OPTIONS_H

#include "analyzers/classifier.h"
#include "analyzers/rules.h"
#include "cmd/options.h"

struct rule_flags {
	const char *rules;          /* replaces the built-in rules */
	struct strlist extra;       /* added to them */
	struct rule_set *rs;
	struct classifier *classifier;
};

#define RULE_OPTIONS(f) \
	OPT_STRING(0, "rules", &(f).rules, "FILE", "use the rules in FILE instead of the built-in ones"), \
	OPT_LIST(0, "extra-rules", &(f).extra, "FILE", "add the rules in FILE (repeatable)")

/* Returns 0, or -1 after printing the errors. */
int rule_flags_load(struct rule_flags *f);

/*
 * The same rule files, only type_id's sections (rules_only): for a caller
 * that asks one question of many texts. 0 with *rs and *c set (free both),
 * or -1 after printing why.
 */
int rule_flags_load_only(const struct rule_flags *f, const char *type_id,
			 struct rule_set **rs, struct classifier **c);
void rule_flags_release(struct rule_flags *f);

/*
 * 1 when rs has a type; else says on stderr that file has no section (every
 * complaint would be other) and returns 0. For files that replace the
 * built-in rules, not for extra ones.
 */
int rule_file_has_types(const char *file, const struct rule_set *rs);

/* Prints a rule error as "tousu: FILE:LINE: MSG" (an error callback). */
void rule_error_print(void *ctx, const struct error *err);

#endif
