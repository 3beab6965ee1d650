/*
 * test_rules.c - analyzers/rules.c: the rule-file grammar, its errors (each
 * with file and line, all of them reported), sections extended by a second
 * mention or a second file, patterns split into top-level alternatives
 * ("atoms"), and the trigger literal taken from each atom. A property test
 * checks the two promises the classifier builds on, for tricky patterns
 * over random texts: an atom matches only where its trigger occurs (at the
 * match start when anchored), and the atoms of a pattern match exactly
 * where the whole pattern does.
 *
 * Rule text is written here, never read from analyzers/default.rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyzers/rules.h"
#include "analyzers/textfold.h"
#include "tests/unit/rng.h"

#define MAX_ERRS 32

struct errs {
	int n;
	struct error e[MAX_ERRS];
};

static void collect(void *ctx, const struct error *e)
{
	struct errs *c = ctx;
	if (c->n < MAX_ERRS)
		c->e[c->n] = *e;
	c->n++;
}

/* Loads text into a new rule set; *errs gets what was reported. */
static struct rule_set *load(const char *text, struct errs *errs)
{
	struct rule_set *rs = rules_new();
	assert_non_null(rs);
	memset(errs, 0, sizeof(*errs));
	int n = rules_load(rs, "test.rules", text, strlen(text), collect, errs);
	assert_int_equal(n, errs->n);
	return rs;
}

/* Loads text that must have no errors. */
static struct rule_set *load_ok(const char *text)
{
	struct errs errs;
	struct rule_set *rs = load(text, &errs);
	for (int i = 0; i < errs.n && i < MAX_ERRS; i++)
		print_error("unexpected: %s:%lu: %s\n", errs.e[i].file,
			    (unsigned long)errs.e[i].line, errs.e[i].msg);
	assert_int_equal(errs.n, 0);
	return rs;
}

/* Asserts one error on `line` whose message contains `part`. */
static void assert_error(const char *text, uint64_t line, const char *part)
{
	struct errs errs;
	struct rule_set *rs = load(text, &errs);
	if (errs.n != 1 || !strstr(errs.e[0].msg, part))
		print_error("for \"%s\": %d errors, first \"%s\"; want one with \"%s\"\n", text,
			    errs.n, errs.n ? errs.e[0].msg : "", part);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.e[0].file, "test.rules");
	assert_int_equal(errs.e[0].line, line);
	assert_non_null(strstr(errs.e[0].msg, part));
	rules_free(rs);
}

static void test_each_error_has_its_line(void **state)
{
	(void)state;
	assert_error("[a]\ninclude = x\ncolour = red\n", 3, "unknown key 'colour'");
	assert_error("# comment\ninclude = x\n", 2, "outside a [type] section");
	assert_error("label = x\n[a]\ninclude = y\n", 1, "outside a [type] section");
	assert_error("[Quality]\n", 1, "type id 'Quality'");
	assert_error("[质量]\n", 1, "must be lower-case letters");
	assert_error("[]\n", 1, "type id");
	assert_error("[a b]\n", 1, "type id");
	assert_error("[a] x\n", 1, "section header");
	assert_error("[a\n", 1, "section header");
	assert_error("\n\n[other]\n", 3, "'other'");
	assert_error("[a]\npriority = high\n", 2, "priority: 'high' is not a whole number");
	assert_error("[a]\npoints = 12abc\n", 2, "not a whole number");
	assert_error("[a]\nsevere_points = 99999999999\n", 2, "not a whole number");
	assert_error("[a]\npriority =\n", 2, "has no value");
	assert_error("[a]\njust words\n", 2, "expected 'key = value'");
	/* Points are 16 bits a complaint in rates, and never a credit. */
	assert_error("[a]\npoints = 65536\n", 2, "from 0 to 65535");
	assert_error("[a]\nsevere_points = -5\n", 2, "from 0 to 65535");
	assert_error("[a]\npriority = -1000001\n", 2, "from -1000000 to 1000000");
	/* '#' after a value is not a comment: said, not made part of it. */
	assert_error("[a]\ninclude = 骚扰|打电话   # note\n", 2, "a comment after a value");
	assert_error("[a]\nlabel = 恶意\t# the platform's\n", 2, "a comment after a value");
	/* A value that starts with '#', or has one inside a word, is no comment. */
	rules_free(load_ok("[a]\ninclude = #差评#|好评#返现\n"));
	/* Labels and platform names are UTF-8 like the exports they meet. */
	assert_error("[a]\nplatform = \xB6\xF1\xD2\xE2\n", 2, "not UTF-8");
	/* The keys after a broken header do not join the section before. */
	assert_error("[a]\ninclude = x\n[b\n", 3, "section header");
	struct errs errs;
	struct rule_set *rs = load("[a]\ninclude = x\n[b\ninclude = y\n", &errs);
	assert_int_equal(errs.n, 2);
	assert_non_null(strstr(errs.e[1].msg, "outside a [type] section"));
	assert_int_equal(rules_atom_count(rs), 1);
	rules_free(rs);
	/* PCRE2's message and the offset in the pattern. */
	assert_error("[a]\ninclude = x\ninclude = 质量(问题\n", 3, "missing closing parenthesis");
	assert_error("[a]\ninclude = a[b\n", 2, "offset");
	assert_error("[a]\nexclude = x{2,1}\n", 2, "bad pattern");
	/* Invalid UTF-8 in a pattern is PCRE2's to reject. */
	assert_error("[a]\ninclude = \xE5\x8F\n", 2, "bad pattern");
	/* A pattern that can match nothing would tag every complaint. */
	assert_error("[a]\ninclude = a|\n", 2, "can match empty");
	assert_error("[a]\ninclude = x*\n", 2, "can match empty");
	assert_error("[a]\nsevere = (?:很|太)?\n", 2, "can match empty");
	assert_error("[a]\ninclude = \\b\n", 2, "can match empty");
	/* suppressed-by names types, checked once the file is read. */
	assert_error("[a]\ninclude = x\nsuppressed-by = b, c\n[b]\ninclude = y\n", 3,
		     "no type 'c'");
	assert_error("[a]\ninclude = x\nsuppressed-by = a\n", 3, "cannot suppress itself");
}

/* suppressed-by: ids separated by commas or spaces, types defined later in
 * the file or in an earlier one, lines adding up; a one-type rule set
 * (rules_only) ignores the ids of the types it skipped. */
static void test_suppressed_by(void **state)
{
	(void)state;
	struct rule_set *rs = load_ok("[a]\ninclude = x\nsuppressed-by = b,c\n"
				      "[b]\ninclude = y\n[c]\ninclude = z\n"
				      "[d]\ninclude = w\nsuppressed-by = a\nsuppressed-by = c\n");
	assert_int_equal(rules_type(rs, 0)->suppressed_by, 0x6);
	assert_int_equal(rules_type(rs, 1)->suppressed_by, 0);
	assert_int_equal(rules_type(rs, 3)->suppressed_by, 0x5);
	uint64_t fp = rules_fingerprint(rs);
	static const char more[] = "[b]\nsuppressed-by = d\n";
	assert_int_equal(rules_load(rs, "more.rules", more, strlen(more), NULL, NULL), 0);
	assert_int_equal(rules_type(rs, 1)->suppressed_by, 0x8);
	/* It decides classifications, so it is part of the fingerprint. */
	assert_true(rules_fingerprint(rs) != fp);
	rules_free(rs);

	rs = rules_new();
	assert_non_null(rs);
	assert_int_equal(rules_only(rs, "a"), 0);
	static const char text[] = "[a]\ninclude = x\nsuppressed-by = b\n[b]\ninclude = y\n";
	assert_int_equal(rules_load(rs, "x", text, strlen(text), NULL, NULL), 0);
	assert_int_equal(rules_type_count(rs), 1);
	assert_int_equal(rules_type(rs, 0)->suppressed_by, 0);
	rules_free(rs);
}

/*
 * The fingerprint is written into every partial, and merge refuses partials
 * whose rules differ: a rule file that does not use a key added since must
 * keep the value it had before (computed with the code of commit 69a8048,
 * before suppressed-by), or an upgrade would orphan the partials of earlier
 * nights.
 */
static void test_fingerprint_stable(void **state)
{
	(void)state;
	struct rule_set *rs = load_ok("[a]\nlabel = A\npriority = 5\npoints = 12\n"
				      "include = x|y\nexclude = z\n[b]\ninclude = w\n");
	assert_int_equal(rules_fingerprint(rs), 0x41b2a18c2a5e5c84ull);
	rules_free(rs);
}

static void test_bad_pattern_message(void **state)
{
	(void)state;
	struct errs errs;
	struct rule_set *rs = load("[a]\ninclude = 發貨(?:太慢\n", &errs);
	assert_int_equal(errs.n, 1);
	/* Folded, the pattern is shown as compiled, with PCRE2's offset. */
	assert_non_null(strstr(errs.e[0].msg, "bad pattern: "));
	assert_non_null(strstr(errs.e[0].msg, "at offset "));
	assert_non_null(strstr(errs.e[0].msg, "发货(?:太慢"));
	rules_free(rs);
}

static void test_all_errors_reported(void **state)
{
	(void)state;
	static const char text[] =
		"# every error is reported, not only the first\n"   /* 1 */
		"label = x\n"                                       /* 2 */
		"[Bad]\n"                                           /* 3 */
		"include = ignored\n"                               /* 4: no section */
		"[other]\n"                                         /* 5 */
		"[ok]\n"                                            /* 6 */
		"colour = red\n"                                    /* 7 */
		"priority = high\n"                                 /* 8 */
		"include = 质量(\n"                                 /* 9 */
		"include = 质量问题\n"                              /* 10: fine */
		"exclude = x*\n"                                    /* 11 */
		"just words\n"                                      /* 12 */
		"\n"                                                /* 13 */
		"[ok2\n"                                            /* 14 */
		"points = 1.5\n";                                   /* 15 */
	static const uint64_t lines[] = {2, 3, 4, 5, 7, 8, 9, 11, 12, 14, 15};
	struct errs errs;
	struct rule_set *rs = rules_new();

	memset(&errs, 0, sizeof(errs));
	int n = rules_load(rs, "many.rules", text, strlen(text), collect, &errs);
	assert_int_equal(n, sizeof(lines) / sizeof(lines[0]));
	assert_int_equal(errs.n, n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(errs.e[i].line, lines[i]);
		assert_string_equal(errs.e[i].file, "many.rules");
	}
	/* The good line still made its atom. */
	assert_int_equal(rules_type_find(rs, "ok"), 0);
	int found = 0;
	for (size_t i = 0; i < rules_atom_count(rs); i++)
		found |= !strcmp(rules_atom(rs, i)->pattern, "质量问题");
	assert_true(found);
	rules_free(rs);

	/* Without a callback the count still comes back. */
	rs = rules_new();
	assert_int_equal(rules_load(rs, "x", text, strlen(text), NULL, NULL), n);
	rules_free(rs);
}

static void test_file_errors(void **state)
{
	(void)state;
	char path[] = "/tmp/tousu_test_rulesXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char text[] = "[a]\r\ninclude = x\r\ncolour = red\r\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);

	struct errs errs;
	memset(&errs, 0, sizeof(errs));
	struct rule_set *rs = rules_new();
	assert_int_equal(rules_load_file(rs, path, collect, &errs), 1);
	assert_string_equal(errs.e[0].file, path);
	assert_int_equal(errs.e[0].line, 3);
	/* CRLF line ends are fine: the atom has no '\r'. */
	assert_string_equal(rules_atom(rs, 0)->pattern, "x");
	rules_free(rs);
	unlink(path);

	memset(&errs, 0, sizeof(errs));
	rs = rules_new();
	assert_int_equal(rules_load_file(rs, path, collect, &errs), 1);
	assert_string_equal(errs.e[0].file, path);
	assert_non_null(strstr(errs.e[0].msg, "cannot open"));
	rules_free(rs);
}

static void test_fields_parsed(void **state)
{
	(void)state;
	struct rule_set *rs = load_ok(
		"\xEF\xBB\xBF# a BOM and comments are fine\n"
		"[quality]\n"
		"  label    = 质量问题  \n"
		"priority = 50\n"
		"points=3\n"
		"severe_points = 48\n"
		"platform = 质量问题|质量\n"
		"\n"
		"[late_2]\n"
		"priority = -5\n");

	assert_int_equal(rules_type_count(rs), 2);
	const struct rule_type *q = rules_type(rs, 0);
	assert_string_equal(q->id, "quality");
	assert_string_equal(q->label, "质量问题");
	assert_int_equal(q->priority, 50);
	assert_int_equal(q->points, 3);
	assert_int_equal(q->severe_points, 48);
	assert_string_equal(q->platform, "质量问题|质量");
	/* Defaults: the label is the id, no points, no platform names. */
	const struct rule_type *l = rules_type(rs, 1);
	assert_string_equal(l->label, "late_2");
	assert_int_equal(l->priority, -5);
	assert_int_equal(l->points, 0);
	assert_int_equal(l->severe_points, 0);
	assert_null(l->platform);
	assert_int_equal(rules_type_find(rs, "late_2"), 1);
	assert_int_equal(rules_type_find(rs, "late"), -1);
	rules_free(rs);
}

static void test_sections_extend(void **state)
{
	(void)state;
	struct rule_set *rs = load_ok(
		"[a]\n"
		"include = x\n"
		"priority = 1\n"
		"[b]\n"
		"include = y\n"
		"[a]\n"
		"include = z\n"
		"priority = 7\n");

	assert_int_equal(rules_type_count(rs), 2);
	assert_int_equal(rules_type(rs, 0)->priority, 7);
	assert_int_equal(rules_atom_count(rs), 3);
	assert_int_equal(rules_atom(rs, 0)->type, 0);
	assert_int_equal(rules_atom(rs, 1)->type, 1);
	assert_int_equal(rules_atom(rs, 2)->type, 0);
	assert_int_equal(rules_atom(rs, 2)->line, 7);

	/* A second file extends the first (--extra-rules). */
	struct errs errs;
	memset(&errs, 0, sizeof(errs));
	static const char extra[] = "[b]\nlabel = 乙\nexclude = 不y\n[c]\ninclude = w\n";
	assert_int_equal(rules_load(rs, "extra.rules", extra, strlen(extra), collect, &errs), 0);
	assert_int_equal(rules_type_count(rs), 3);
	assert_string_equal(rules_type(rs, 1)->label, "乙");
	const struct rule_atom *a = rules_atom(rs, 3);
	assert_int_equal(a->type, 1);
	assert_int_equal(a->kind, ATOM_EXCLUDE);
	assert_string_equal(a->file, "extra.rules");
	assert_string_equal(a->where, "extra.rules:3");
	assert_string_equal(rules_atom(rs, 0)->where, "test.rules:2");
	rules_free(rs);
}

static void test_too_many_types(void **state)
{
	(void)state;
	char text[(RULES_MAX_TYPES + 1) * 32];
	size_t n = 0;
	for (int i = 0; i <= RULES_MAX_TYPES; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "[t%d]\ninclude = x\n", i);
	struct errs errs;
	struct rule_set *rs = load(text, &errs);
	assert_int_equal(errs.n, 2);  /* the 65th header, and its include */
	assert_int_equal(errs.e[0].line, 2 * RULES_MAX_TYPES + 1);
	assert_int_equal(rules_type_count(rs), RULES_MAX_TYPES);
	rules_free(rs);
}

static void test_type_for_platform(void **state)
{
	(void)state;
	struct rule_set *rs = load_ok(
		"[quality]\nplatform = 质量问题|质量|品质\n"
		"[harassment]\nplatform = 恶意骚扰\n"
		"[service]\n");
	static const char buf[] = "质量问题XYZ";
	assert_int_equal(rules_type_for_platform(rs, "质量", strlen("质量")), 0);
	assert_int_equal(rules_type_for_platform(rs, "品质", strlen("品质")), 0);
	assert_int_equal(rules_type_for_platform(rs, buf, strlen("质量问题")), 0);
	assert_int_equal(rules_type_for_platform(rs, " \t恶意骚扰 ", strlen(" \t恶意骚扰 ")), 1);
	/* The id itself names the type. */
	assert_int_equal(rules_type_for_platform(rs, "service", 7), 2);
	assert_int_equal(rules_type_for_platform(rs, "harassment", 10), 1);
	/* Exact names only. */
	assert_int_equal(rules_type_for_platform(rs, "质量问", strlen("质量问")), -1);
	assert_int_equal(rules_type_for_platform(rs, "质量问题|质量", strlen("质量问题|质量")), -1);
	assert_int_equal(rules_type_for_platform(rs, "骚扰", strlen("骚扰")), -1);
	assert_int_equal(rules_type_for_platform(rs, "  ", 2), -1);
	assert_int_equal(rules_type_for_platform(rs, "", 0), -1);
	rules_free(rs);
}

/* ---- atoms and triggers ---- */

static void test_atoms_split_at_top_level(void **state)
{
	(void)state;
	struct rule_set *rs = load_ok(
		"[a]\n"
		"include = 甲|(?:乙|丙)丁|[戊|己]庚|辛\\|壬|[]|]癸\n"
		"severe = 冥币|寿衣\n");
	static const char *const want[] = {
		"甲", "(?:乙|丙)丁", "[戊|己]庚", "辛\\|壬", "[]|]癸", "冥币", "寿衣",
	};
	assert_int_equal(rules_atom_count(rs), 7);
	for (size_t i = 0; i < 7; i++) {
		const struct rule_atom *a = rules_atom(rs, i);
		assert_string_equal(a->pattern, want[i]);
		assert_int_equal(a->kind, i < 5 ? ATOM_INCLUDE : ATOM_SEVERE);
		assert_int_equal(a->line, i < 5 ? 2 : 3);
	}
	rules_free(rs);

	/* Folding happens before splitting: a full-width bar is a literal. */
	rs = load_ok("[a]\ninclude = 發貨｜質量\n");
	assert_int_equal(rules_atom_count(rs), 1);
	assert_string_equal(rules_atom(rs, 0)->pattern, "发货\\|质量");
	rules_free(rs);
}

/*
 * Patterns that would change meaning if split: each stays one atom.
 */
static void test_kept_whole(void **state)
{
	(void)state;
	static const char *const whole[] = {
		"(很)\\1|差",            /* back reference */
		"(?<n>很)\\k<n>|差",     /* named back reference */
		"(?i)abc|def",           /* top-level option setting carries on */
		"(?x) 发 货 | 质 量",   /* extended mode: spaces are not literal */
		"\\Qa|b\\E",             /* quoted text */
		"没有(*SKIP)(*F)|有",   /* backtracking verbs act across alternatives */
		"(甲)|(?1)乙",           /* subroutine call by number */
		"(?<n>甲)|\\g<n>乙",     /* ... and by name */
		"(甲)|(?(1)乙|丙)",      /* condition on a group */
	};
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text), "[a]\ninclude = %s\n", whole[i]);
		struct rule_set *rs = load_ok(text);
		if (rules_atom_count(rs) != 1)
			print_error("%s: split into %zu atoms\n", whole[i], rules_atom_count(rs));
		assert_int_equal(rules_atom_count(rs), 1);
		/* It holds alternatives, so no one literal is in every match. */
		assert_null(rules_atom(rs, 0)->trigger);
		assert_non_null(rules_atom(rs, 0)->code);
		rules_free(rs);
	}
}

struct trigger_case {
	const char *pattern;   /* one atom */
	const char *trigger;   /* NULL: none, the atom runs on every text */
	int literal, anchored;
};

static const struct trigger_case trigger_cases[] = {
	/* A pure literal needs no PCRE2. */
	{"质量问题", "质量问题", 1, 1},
	{"發貨", "发货", 1, 1},
	{"FAKE", "fake", 1, 1},
	{"\\.com", ".com", 1, 1},
	{"a\\|b", "a|b", 1, 1},
	{"\\发货", "发货", 1, 1},
	{"not shipped", "not shipped", 1, 1},
	/* A leading literal: its quantified last character is left out. */
	{"显示已?发货", "显示", 0, 1},
	{"发货太*慢", "发货", 0, 1},
	{"物流{2}", "物", 0, 1},
	{"Fake\\s+Tracking", "fake", 0, 1},
	{"\\bfake\\b", "fake", 0, 1},
	{"退款\\d{3}", "退款", 0, 1},
	{"有问题(?!吗)", "有问题", 0, 1},
	{"a.c", "a", 0, 1},
	/* Case-insensitive letters with non-ASCII case partners do not go
	 * into a trigger: PCRE2 would match É where a byte compare fails. */
	{"café", "caf", 0, 1},
	{"éclair", "clair", 0, 0},
	/* No leading literal: the longest literal at the top level. */
	{"(?:很|太)慢", "慢", 0, 0},
	{"(?<!没)有问题", "有问题", 0, 0},
	{"(?:很|太){2}慢慢", "慢慢", 0, 0},
	{"[好很]差评", "差评", 0, 0},
	{"(很)\\1差", "差", 0, 0},
	{"(?:x)ab*c", "a", 0, 0},
	{"(?:x)a\\\\+bc", "bc", 0, 0},
	{"\\d+天没发货", "天没发货", 0, 0},
	{"(?i)abc", "abc", 0, 0},
	/* Nothing certain at the top level. */
	{"(?:ab|cd){2}", NULL, 0, 0},
	{"(?:a|b)\\x{4e00}", NULL, 0, 0},
	{"(?:a|b)\\x41", NULL, 0, 0},
	{"(?:很|太)\\p{Han}", NULL, 0, 0},
	{"(?:很|太)\\pL", NULL, 0, 0},
	{"(?:退|换)\\d{3}", NULL, 0, 0},
	{"(?:很|太)+\\k<n>(?<n>x)", NULL, 0, 0},
	{"\\发+", NULL, 0, 0},
	{"[a-z]+", NULL, 0, 0},
};

static void test_triggers(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(trigger_cases) / sizeof(trigger_cases[0]); i++) {
		const struct trigger_case *tc = &trigger_cases[i];
		char text[256];
		snprintf(text, sizeof(text), "[a]\ninclude = %s\n", tc->pattern);
		struct rule_set *rs = load_ok(text);
		assert_int_equal(rules_atom_count(rs), 1);
		const struct rule_atom *a = rules_atom(rs, 0);
		const char *got = a->trigger;
		if ((got == NULL) != (tc->trigger == NULL) ||
		    (got && strcmp(got, tc->trigger)) || a->literal != tc->literal ||
		    a->anchored != tc->anchored)
			print_error("%s: trigger '%s' literal %d anchored %d; want '%s' %d %d\n",
				    tc->pattern, got ? got : "(none)", a->literal, a->anchored,
				    tc->trigger ? tc->trigger : "(none)", tc->literal, tc->anchored);
		if (tc->trigger) {
			assert_non_null(got);
			assert_string_equal(got, tc->trigger);
			assert_int_equal(a->trigger_len, strlen(tc->trigger));
		} else {
			assert_null(got);
		}
		assert_int_equal(a->literal, tc->literal);
		assert_int_equal(a->anchored, tc->anchored);
		/* Literal atoms are matched without PCRE2; others have code. */
		if (a->literal)
			assert_null(a->code);
		else
			assert_non_null(a->code);
		rules_free(rs);
	}
}

/* ---- property: triggers and splitting never change what matches ---- */

static const char *const tricky[] = {
	"显示已?发货", "(?:很|太)慢", "(?<!没)有问题", "(?:ab|cd){2}", "(?:a|b)\\x{4e00}",
	"(?:a|b)\\pL", "(?:a|b)\\d{2}", "(a)\\1|xyz", "abc|(x)\\1", "\\发+", "(x)a\\\\+b",
	"(?x) 发 货", "\\Qa|b\\E", "(?i)a|B", "FAKE|ok", "\\bfake\\b", "[|]a|b", "(?:x|y)|z",
	"café|É", "(?<n>很)+\\k<n>", "a(?#x|y)b", "没(*SKIP)(*F)|有", "(a)|(?1)b",
	"(?:a){2}b", "\\.com|x\\|y", "ok|OK\\?", "k+s|sk", "ab?c|b{2,3}c|c{2}", "发(?=货)",
	"(?<=显示)发货", "[^a]bc", "a.c|c.a", "x\\d{2}y", "(?:很|太){2}慢", "\\p{Han}{2}问题",
	"显示.{0,3}发货", "没有?问题|问题", "fake (?:shipment|tracking)", "\\x61b|\\x{62}c",
	"(?:a|b)c(?:d|e)", "(?-i)ABC|abc", "(?s)a.b|b.a",
};

static const char *const alphabet[] = {
	"a", "b", "c", "x", "y", "z", "k", "s", "o", "e", "f", "K", "É", "é", "\xC5\xBF",
	"\xE2\x84\xAA", "很", "太", "慢", "显", "示", "已", "发", "货", "没", "有", "问",
	"题", "一", "1", "2", ".", "|", " ", "com", "fake", "café", "ok", "\n",
};

static uint64_t rng_state = 0x2545F4914F6CDD1Dull;

static uint64_t rng(void)
{
	return rng_next(&rng_state);
}

static int iterations(int dflt)
{
	return rng_iterations(dflt, &rng_state);
}

static pcre2_code *compile(const char *pattern)
{
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				      PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &ec, &eo, NULL);
	assert_non_null(c);
	return c;
}

static pcre2_match_context *limits;

/*
 * 1 and the match's span if code matches anchored at `at`, 0 if not, -1 if
 * PCRE2 gave up (a random pattern can be catastrophic).
 */
static int match_at(pcre2_code *code, pcre2_match_data *md, const char *s, size_t len,
		    size_t at, size_t *start, size_t *end)
{
	if (!limits) {
		limits = pcre2_match_context_create(NULL);
		assert_non_null(limits);
		pcre2_set_match_limit(limits, 200000);
	}
	int rc = pcre2_match(code, (PCRE2_SPTR)s, len, at, PCRE2_ANCHORED, md, limits);
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT)
		return -1;
	if (!(rc > 0 || rc == PCRE2_ERROR_NOMATCH))
		print_error("pcre2_match: %d\n", rc);
	assert_true(rc > 0 || rc == PCRE2_ERROR_NOMATCH);
	if (rc < 0)
		return 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	*start = ov[0];
	*end = ov[1];
	return 1;
}

/*
 * A random pattern from a small grammar: literals (some escaped), classes,
 * escapes, groups, lookarounds, quantifiers and alternatives, over the
 * characters of `alphabet`. Often invalid or empty-matching: the caller
 * skips what rules_load rejects.
 */
static void random_pattern(char *out, size_t cap, int depth);

static void random_item(char *out, size_t cap, int depth)
{
	static const char *const leaves[] = {
		"a", "b", "c", "k", "s", "o", "发", "货", "很", "慢", "没", "有", " ", "ok",
		"fake", "显示", "\\.", "\\|", "\\(", "\\\\", "\\发", ".", "[ab]", "[^a]", "[发货]",
		"[]a]", "\\d", "\\w", "\\s", "\\b", "\\x{61}", "\\x62", "\\pL", "\\p{Han}", "^",
		"$", "(?<=a)", "(?<!b)", "é", "\\Qa|\\E",
	};
	static const char *const quantifiers[] = {
		"?", "*", "+", "{2}", "{1,2}", "{0,2}", "+?", "*+", "{2,}",
	};
	char inner[256];
	unsigned r = (unsigned)(rng() % 10);

	if (depth < 2 && r < 2) {
		static const char *const open[] = {"(?:", "(", "(?=", "(?!", "(?i:", "(?<n>"};
		const char *o = open[rng() % (sizeof(open) / sizeof(open[0]))];
		random_pattern(inner, sizeof(inner), depth + 1);
		size_t lo = strlen(o), li = strlen(inner);
		if (lo + li + 2 <= cap) {
			memcpy(out, o, lo);
			memcpy(out + lo, inner, li);
			memcpy(out + lo + li, ")", 2);
		} else {
			snprintf(out, cap, "a");
		}
	} else {
		snprintf(out, cap, "%s", leaves[rng() % (sizeof(leaves) / sizeof(leaves[0]))]);
	}
	if (rng() % 4 == 0) {
		size_t n = strlen(out);
		snprintf(out + n, cap - n, "%s",
			 quantifiers[rng() % (sizeof(quantifiers) / sizeof(quantifiers[0]))]);
	}
}

static void random_pattern(char *out, size_t cap, int depth)
{
	size_t n = 0, alts = 1 + (size_t)(rng() % (depth ? 2 : 3));
	out[0] = '\0';
	for (size_t a = 0; a < alts; a++) {
		if (a && n + 1 < cap)
			out[n++] = '|';
		size_t items = 1 + (size_t)(rng() % 4);
		for (size_t i = 0; i < items; i++) {
			char item[256];
			random_item(item, sizeof(item), depth);
			if (n + strlen(item) + 1 >= cap)
				break;
			memcpy(out + n, item, strlen(item));
			n += strlen(item);
		}
		out[n] = '\0';
	}
}

/* Random folded texts over `alphabet`. */
static char **random_texts(size_t count)
{
	char **texts = calloc(count, sizeof(*texts));
	assert_non_null(texts);
	for (size_t t = 0; t < count; t++) {
		char raw[512];
		size_t rlen = 0, words = (size_t)(rng() % 16);
		for (size_t w = 0; w < words; w++) {
			const char *piece = alphabet[rng() % (sizeof(alphabet) / sizeof(alphabet[0]))];
			memcpy(raw + rlen, piece, strlen(piece));
			rlen += strlen(piece);
		}
		texts[t] = malloc(TEXTFOLD_MAX_OUT(rlen) + 1);
		assert_non_null(texts[t]);
		size_t len = textfold_text(raw, rlen, texts[t], NULL, NULL);
		texts[t][len] = '\0';
	}
	return texts;
}

/*
 * Checks, for pattern at every character position of every text: each
 * atom that matches there has its trigger in the match (at its start when
 * anchored; a literal atom matches exactly where its trigger is), and some
 * atom matches there exactly when the whole pattern does. Returns 0 if
 * rules_load rejects the pattern, else 1.
 */
static int check_pattern(const char *pattern, char **texts, size_t n_texts,
			 pcre2_match_data *md)
{
	char rule[600], folded[TEXTFOLD_MAX_OUT(512)];
	snprintf(rule, sizeof(rule), "[a]\ninclude = %s\n", pattern);
	struct rule_set *rs = rules_new();
	assert_non_null(rs);
	if (rules_load(rs, "random.rules", rule, strlen(rule), NULL, NULL)) {
		rules_free(rs);
		return 0;
	}
	/* rules_load trims the value, as it trims every line. */
	const char *value = strchr(rule, '=') + 1;
	while (*value == ' ' || *value == '\t')
		value++;
	size_t vlen = strlen(value) - 1;
	while (vlen && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
		vlen--;
	textfold_pattern(value, vlen, folded);
	pcre2_code *whole = compile(folded);
	size_t na = rules_atom_count(rs);
	pcre2_code **atoms = calloc(na, sizeof(*atoms));
	assert_non_null(atoms);
	/* Compiled here even for literal atoms, which have no code. */
	for (size_t i = 0; i < na; i++)
		atoms[i] = compile(rules_atom(rs, i)->pattern);

	for (size_t t = 0; t < n_texts; t++) {
		const char *text = texts[t];
		size_t len = strlen(text);
		for (size_t at = 0; at <= len; at++) {
			if ((text[at] & 0xC0) == 0x80)
				continue;
			size_t s, e;
			int any = 0, r = 0;
			for (size_t i = 0; i < na; i++) {
				const struct rule_atom *a = rules_atom(rs, i);
				if ((r = match_at(atoms[i], md, text, len, at, &s, &e)) < 0)
					break;
				if (!r) {
					/* A literal atom matches wherever its text is. */
					if (a->literal)
						assert_false(at + a->trigger_len <= len &&
							     !memcmp(text + at, a->trigger, a->trigger_len));
					continue;
				}
				any = 1;
				if (!a->trigger)
					continue;
				int ok = a->anchored ?
					s == at && s + a->trigger_len <= len &&
					!memcmp(text + s, a->trigger, a->trigger_len) :
					memmem(text + s, e - s, a->trigger, a->trigger_len) != NULL;
				if (a->literal)
					ok = ok && e - s == a->trigger_len;
				if (!ok)
					print_error("'%s' (of '%s') matches \"%s\" at %zu..%zu without "
						    "its trigger '%s'%s\n", a->pattern, pattern, text, s, e,
						    a->trigger, a->anchored ? " at the start" : "");
				assert_true(ok);
			}
			/* Atoms together match where the whole pattern does. */
			int w = r < 0 ? -1 : match_at(whole, md, text, len, at, &s, &e);
			if (w < 0)
				continue;
			if (w != any)
				print_error("'%s' %s \"%s\" at %zu but its atoms %s\n", pattern,
					    w ? "matches" : "does not match", text, at,
					    any ? "do" : "do not");
			assert_int_equal(w, any);
		}
	}
	for (size_t i = 0; i < na; i++)
		pcre2_code_free(atoms[i]);
	free(atoms);
	pcre2_code_free(whole);
	rules_free(rs);
	return 1;
}

static void test_property_triggers_and_atoms(void **state)
{
	(void)state;
	int n = iterations(400);
	size_t n_texts = 150;
	char **texts = random_texts(n_texts);
	pcre2_match_data *md = pcre2_match_data_create(16, NULL);
	assert_non_null(md);

	for (size_t p = 0; p < sizeof(tricky) / sizeof(tricky[0]); p++)
		assert_true(check_pattern(tricky[p], texts, n_texts, md));
	/* Random patterns: about half are rejected (empty matches, bad
	 * lookbehinds); enough of the rest must be checked. */
	int checked = 0;
	for (int i = 0; i < n; i++) {
		char pattern[512];
		random_pattern(pattern, sizeof(pattern), 0);
		checked += check_pattern(pattern, texts, n_texts, md);
	}
	assert_true(checked > n / 4);

	for (size_t t = 0; t < n_texts; t++)
		free(texts[t]);
	free(texts);
	pcre2_match_data_free(md);
	pcre2_match_context_free(limits);
	limits = NULL;
}

/*
 * The characters that may follow an anchored atom's trigger: a filter the
 * classifier applies before PCRE2, so it must never leave one out.
 */
static void test_next_chars(void **state)
{
	static const struct {
		const char *pattern;
		const char *next;   /* the set as UTF-8 characters, "" = no filter */
	} cases[] = {
		{"显示已?发货", "已发"},
		{"发货(?:太|很|特别)?慢", "太很特慢"},
		{"退款(?:没|未)到账", "没未"},
		{"不给[退换]", "退换"},
		{"不给[^退换]", ""},                      /* negated: anything can follow */
		{"没[!~ ]{1,2}发", "!~ "},
		{"假(?:[0-9]{3,}|[A-F]{3,})的", "0123456789abcdef"},  /* folded: lower case */
		{"假\\d{3}", ""},                         /* UCP: every script's digits */
		{"退(?:k|S)货", "ks"},                     /* caseless, as in folded text */
		{"退(?:\\É|x)", ""},                      /* caseless É is é too: not read */
		{"假[a-z[:digit:]]", ""},                 /* a POSIX class is not read */
		{"假[\\w]", ""},                         /* nor an escape that stands for many */
		{"质量.{0,4}差", "差"},
		{"退款(?=了)", ""},
		{"stop(?:ped)? working", "p "},
		{"快递(?:员|小哥)?(?:态度)?差", "员小态差"},
		{"显示发货.{0,12}(?:没|未)收到", "没未"},
		{"质量[^,。]{0,6}?差", "差"},
		{"质量.{0,40}差", ""},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256];
		snprintf(text, sizeof(text), "[t]\ninclude = %s\n", cases[i].pattern);
		struct rule_set *rs = load_ok(text);
		const struct rule_atom *a = rules_atom(rs, 0);
		assert_true(a->anchored);
		size_t want = 0;
		for (const unsigned char *p = (const unsigned char *)cases[i].next; *p;) {
			uint32_t cp;
			p += textfold_decode(p, &cp);
			int found = 0;
			for (size_t k = 0; k < a->n_next; k++)
				found |= a->next[k] == cp;
			assert_true(found);
			want++;
		}
		if (want == 0)
			assert_int_equal(a->n_next, 0);
		/* Exactly those: folded text has no upper case to look for. */
		assert_int_equal(a->n_next, want);
		/* A gap of .{0,N} lets the next character come N characters later. */
		if (strstr(cases[i].pattern, "{0,12}"))
			assert_int_equal(a->next_within, 12);
		if (strstr(cases[i].pattern, "{0,6}?"))
			assert_int_equal(a->next_within, 6);
		rules_free(rs);
	}
}

/* An atom's requirements (rules.h: musts) as text: "{a|b} {c}". */
static void musts_text(const struct rule_atom *a, char *out, size_t cap)
{
	const char *p = a->musts;
	size_t n = 0;
	out[0] = '\0';
	for (uint8_t r = 0; r < a->n_musts; r++) {
		unsigned alts = (unsigned char)*p++;
		n += (size_t)snprintf(out + n, cap - n, "%s{", r ? " " : "");
		for (unsigned k = 0; k < alts; k++) {
			int len = (unsigned char)*p++;
			n += (size_t)snprintf(out + n, cap - n, "%s%.*s", k ? "|" : "", len, p);
			p += len;
		}
		n += (size_t)snprintf(out + n, cap - n, "}");
	}
}

/*
 * What else a match must contain, so the classifier can skip PCRE2 when it
 * is absent: never anything a match can do without (optional or quantified
 * parts, assertions, alternatives without a literal).
 */
static void test_musts(void **state)
{
	static const struct {
		const char *pattern, *musts;
	} cases[] = {
		{"显示已?经?发货[^。]{0,20}?(?:没有|没)(?:任何)?物流", "{发货} {没有|没} {物流}"},
		{"质量(?:很)?差", "{差}"},
		{"质量(?!很)差(?=了)", "{差}"},
		{"质量(?<!没)(?:a|\\d)问题", "{问题}"},
		{"发货.{0,4}(?:一周|\\d+天)没有?物流", "{一周|天} {没} {物流}"},
		{"发货.{0,4}(?:一周|\\d+)没有?物流", "{没} {物流}"},
		{"退款(?:没|未)+到账", "{没|未} {到账}"},
		{"退款(?:没|未){0,2}到账", "{到账}"},
		{"stop(?:ped)? working", "{ working}"},
		{"发货ab?cd", "{cd}"},
		{"发货.{0,3}\\.\\.x", "{..x}"},
		{"发货(?:(?:太|很)慢|迟)", "{慢|迟}"},
		{"发货(慢)", "{慢}"},
		{"质量", ""},
		{"(?:很|太)差劲", "{很|太}"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[256], got[256];
		snprintf(text, sizeof(text), "[t]\ninclude = %s\n", cases[i].pattern);
		struct rule_set *rs = load_ok(text);
		musts_text(rules_atom(rs, 0), got, sizeof(got));
		if (strcmp(got, cases[i].musts))
			print_error("%s: musts %s, expected %s\n", cases[i].pattern, got, cases[i].musts);
		assert_string_equal(got, cases[i].musts);
		rules_free(rs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_error_has_its_line),
		cmocka_unit_test(test_bad_pattern_message),
		cmocka_unit_test(test_suppressed_by),
		cmocka_unit_test(test_fingerprint_stable),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_fields_parsed),
		cmocka_unit_test(test_sections_extend),
		cmocka_unit_test(test_too_many_types),
		cmocka_unit_test(test_type_for_platform),
		cmocka_unit_test(test_atoms_split_at_top_level),
		cmocka_unit_test(test_kept_whole),
		cmocka_unit_test(test_triggers),
		cmocka_unit_test(test_next_chars),
		cmocka_unit_test(test_musts),
		cmocka_unit_test(test_property_triggers_and_atoms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
