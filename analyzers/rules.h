/*
 * rules.h - complaint-type rules: the rule file grammar, compiling, matching.
 *
 * A rule file is line-oriented UTF-8 (the README and `man tousu` give the
 * grammar):
 *
 *	# comment
 *	[quality]                  a section per type; its id names the type
 *	label    = 质量问题        shown in reports
 *	priority = 50              the primary type is the hit type of highest priority
 *	points   = 0               penalty points when established
 *	severe_points = 48         points when a `severe` pattern hits
 *	platform = 质量问题|质量    the platform's own type names for this type
 *	include  = 质量(?:问题|差)|掉色|开线      a PCRE2 pattern; any hit tags the type
 *	exclude  = 没有质量问题    voids this type's hits that lie inside its match
 *	severe   = 冥币|寿衣       a hit tags the type and marks it severe
 *	fallback = 质量            counts only when no include or severe counted
 *	suppressed-by = counterfeit, fake_shipment   drop this type when one of
 *	                           these was hit too (the other is the point)
 *
 * Patterns are PCRE2 in UTF + UCP mode, caseless, matched against text
 * folded by textfold.h (simplified characters, half-width ASCII, ...); the
 * patterns are folded the same way, so either script works in a rule. A
 * section that repeats an id extends that type (how --extra-rules adds to the
 * defaults); scalar keys given again override.
 *
 * Speed: every pattern is split into its top-level alternatives ("atoms").
 * From each atom a literal that any match must contain is extracted; one pass
 * over the text finds the literals present, and PCRE2 (JIT) runs only for
 * atoms whose literal occurs, anchored at it when the literal leads the atom.
 * A pure-literal atom needs no PCRE2 at all. See classifier.h. A pattern
 * whose parts depend on each other is kept whole, as one atom: back
 * references, recursion and subroutine calls, conditions, backtracking
 * verbs, \Q...\E, and option settings such as (?i) at its top level.
 *
 * Errors: rules_load() reports every problem through on_error, one struct
 * error each (file, line, message with PCRE2's text and the offset in the
 * pattern), and returns how many there were; a rule set with errors must
 * not be used. Ownership: the rule set owns everything it holds; patterns are
 * copied.
 */
#ifndef TOUSU_RULES_H
#define TOUSU_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/error.h"

#define RULES_MAX_TYPES 64
#define RULES_MAX_NEXT 64
#define RULES_MAX_MUSTS 4
#define RULES_MAX_MUST_ALTS 32

/* A fallback is an include that counts only when no include or severe
 * pattern of any type counted: broad words ("物流") that would be wrong
 * beside a specific complaint but are better than `other` alone. */
enum atom_kind { ATOM_INCLUDE, ATOM_EXCLUDE, ATOM_SEVERE, ATOM_FALLBACK };

struct rule_type {
	char *id;
	char *label;
	int priority;
	int points, severe_points;
	char *platform;          /* '|'-separated platform type names, or NULL */
	/* Bit t: when type t is hit too, this type is dropped (its hits with
	 * it), whatever else is dropped; `suppressed-by` lines add to it. */
	uint64_t suppressed_by;
};

struct rule_atom {
	uint16_t type;           /* index into the rule set's types */
	uint8_t kind;            /* enum atom_kind */
	uint8_t literal;         /* the trigger is the whole atom: no PCRE2 */
	uint8_t anchored;        /* the trigger leads the atom: match at it */
	const char *file;        /* rule file name (owned by the rule set) */
	uint32_t line;
	char *where;             /* "FILE:LINE", for output */
	size_t where_len;        /* its length: classify writes it on every row */
	char *pattern;           /* folded pattern of this alternative */
	pcre2_code *code;        /* NULL for literal atoms */
	char *trigger;           /* folded, lower-case; NULL: run on every text */
	size_t trigger_len;
	/* For an anchored atom: the characters that can follow its trigger in
	 * a match, so most texts are turned away without calling PCRE2. As
	 * they are in folded text: ASCII letters in lower case only. */
	uint32_t *next;          /* n_next code points, owned */
	uint8_t n_next;          /* 0: anything can follow */
	uint8_t next_within;     /* next[] starts within this many characters
				  * after the trigger (a gap like .{0,6}); 0: at once */
	/* What else every match contains besides the trigger (rules.c,
	 * atom_musts): up to RULES_MAX_MUSTS requirements, each a literal or
	 * "one of" a few, folded; an atom runs only where they all occur,
	 * after the trigger when it is anchored. Each requirement is a
	 * count of alternatives, then each as a length byte and its bytes. */
	char *musts;
	uint8_t n_musts;
	/* enum atom_jit; see rules_atom_jit(). The one part of a loaded rule
	 * set that changes, and only through that function. */
	_Atomic uint8_t jit;
};

enum atom_jit { ATOM_JIT_UNTRIED, ATOM_JIT_YES, ATOM_JIT_NO };

struct rule_set;

typedef void (*rules_error_fn)(void *ctx, const struct error *err);

struct rule_set *rules_new(void);

/*
 * Parses and compiles rule text; name is used in messages (a path, or
 * "(built-in)"). Returns the number of errors (0 = all good).
 */
int rules_load(struct rule_set *rs, const char *name, const char *text,
	       size_t len, rules_error_fn on_error, void *ctx);

/* Reads path and calls rules_load; an unreadable file is one error. */
int rules_load_file(struct rule_set *rs, const char *path,
		    rules_error_fn on_error, void *ctx);

/* Loads the rules built into the binary (samples/rules/default.rules). */
int rules_load_default(struct rule_set *rs, rules_error_fn on_error, void *ctx);

/* The built-in rule text. */
const char *rules_default_text(void);

size_t rules_type_count(const struct rule_set *rs);
const struct rule_type *rules_type(const struct rule_set *rs, size_t i);
/* The type's index by id, or -1. */
int rules_type_find(const struct rule_set *rs, const char *id);
/* The type whose `platform` names include name (exact, after trimming), or -1. */
int rules_type_for_platform(const struct rule_set *rs, const char *name, size_t len);

/*
 * A 64-bit fingerprint of what decides a classification: the types (id,
 * priority, points, platform names) and every pattern with its kind and
 * type, in order. Two rule sets with the same fingerprint classify alike
 * (a merge uses it to refuse partials made with other rules).
 */
uint64_t rules_fingerprint(const struct rule_set *rs);

/*
 * Before loading: keep only the sections of this type, skipping the others
 * unread (their errors too). A classifier of that one type finds exactly the
 * hits of that type the full rule set finds (an exclude only voids hits of
 * its own type), far faster; suppressed-by names of skipped types are
 * ignored, so the type is never suppressed there. -1 if out of memory.
 */
int rules_only(struct rule_set *rs, const char *type_id);

size_t rules_atom_count(const struct rule_set *rs);
const struct rule_atom *rules_atom(const struct rule_set *rs, size_t i);

/*
 * Whether atom i's code runs on PCRE2's JIT (pcre2_jit_match) rather than
 * the interpreter. Loading does not JIT-compile: a run meets a few hundred
 * of the built-in rules' thousands of alternatives, and compiling them all
 * was half of every command's start-up. The first call for an atom
 * compiles it, under a lock, so any thread may call this while others
 * match other atoms; a thread must not run an atom's code before asking.
 */
int rules_atom_jit_compile(const struct rule_set *rs, size_t i);

static inline int rules_atom_jit(const struct rule_set *rs, size_t i)
{
	uint8_t state = atomic_load_explicit(&rules_atom(rs, i)->jit, memory_order_acquire);
	if (state == ATOM_JIT_UNTRIED)
		return rules_atom_jit_compile(rs, i);
	return state == ATOM_JIT_YES;
}

void rules_free(struct rule_set *rs);

#endif
