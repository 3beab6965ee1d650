/*
 * classifier.h - tags a complaint text with its types, using a rule set.
 *
 * A classifier is built once from a compiled rule set (rules.h) and is
 * read-only afterwards, so threads can share it. Each thread matches with its
 * own matcher: the scratch space (folded text, PCRE2 match data, a JIT stack)
 * that makes classify_text() allocation-free per text.
 *
 * How a text is classified:
 *  1. it is folded (textfold.h): invalid UTF-8 is replaced and counted, so
 *     PCRE2 only ever sees valid UTF-8;
 *  2. one pass finds the rule literals present; PCRE2 (JIT) runs only for
 *     atoms whose literal occurs, anchored at it when it leads the atom,
 *     and only when the text has the characters of the atom's other
 *     literals (rules.h: musts) and its next character can follow;
 *  3. include and severe hits inside an exclude hit of the same type are
 *     void (negation: 没有质量问题);
 *  4. the types with a hit left are the text's types; the primary type is
 *     the one of highest priority (ties: the earliest hit); the rule that
 *     decided is the primary type's earliest hit. Only the earliest hit of
 *     a type can decide, so a pattern that could only add a later one is
 *     not run unless asked (matcher_want_all_hits).
 * A pattern that exceeds the match limit is skipped for that text and
 * reported in the result (never a hang, never an abort).
 */
#ifndef TOUSU_CLASSIFIER_H
#define TOUSU_CLASSIFIER_H

#include <stddef.h>
#include <stdint.h>

#include "analyzers/rules.h"
#include "formats/error.h"

/* Initial room for hits per text; the arrays grow and are kept. */
#define CLASSIFIER_MAX_HITS 256

struct classifier;
struct matcher;

struct hit {
	uint32_t atom;
	uint32_t start, end;   /* byte offsets in the folded text */
};

struct classification {
	uint64_t types;        /* bit i set: type i hit */
	uint64_t suppressed;   /* types hit but dropped by their suppressed-by
				* (not in types, their hits not in hits) */
	int primary;           /* type index, -1 for other */
	int severe;            /* the penalty type was hit by a severe pattern */
	int points;            /* its points: a severe type beats a general one,
				* then more points win, then the earlier section */
	int penalty_type;      /* type whose points those are, -1 if none */
	const struct rule_atom *decider;  /* NULL for other */
	size_t decided;        /* hits[decided] decided; n_hits for other */
	size_t invalid;        /* invalid UTF-8 sequences replaced */
	size_t limited;        /* patterns skipped at the match limit */
	const struct rule_atom *limited_atom;
	/* For --explain: surviving hits, in text order, and the folded text.
	 * Every hit only after matcher_want_all_hits(); otherwise a type's
	 * hits after its first may be missing (see there). */
	const struct hit *hits;
	size_t n_hits;
	const char *folded;
	size_t folded_len;
	const uint32_t *origin; /* folded offset -> input offset; NULL unless
				 * matcher_want_origin() was called */
};

/* rs must outlive the classifier. Returns NULL with err on failure. */
struct classifier *classifier_new(const struct rule_set *rs, struct error *err);
void classifier_free(struct classifier *c);
const struct rule_set *classifier_rules(const struct classifier *c);

/* match_limit: PCRE2's match limit per pattern and text (0 = 1,000,000). */
struct matcher *matcher_new(const struct classifier *c, uint32_t match_limit);
void matcher_free(struct matcher *m);

/* Makes classify_text() fill in the result's origin[] (for --explain);
 * it costs a store per byte, so it is off by default. */
void matcher_want_origin(struct matcher *m);

/*
 * Where hit h of c (origin[] filled) lies in the text that was classified
 * (text, len): from the original character of its first folded byte to the
 * end of the original character of its last. Characters that folding drops
 * right after the match (a space between ideographs, pinyin, a zero-width
 * character) are not part of it.
 */
void hit_original_span(const struct classification *c, const struct hit *h,
		       const char *text, size_t len, uint32_t *from, uint32_t *to);

/*
 * Makes the result's hits list every hit. By default a pattern that can
 * only add a later hit to a type already hit is not run: an include
 * pattern anchored at a trigger after the type's earliest include hit
 * (at the same position, after it in the rules' order). The types, the
 * primary type, the deciding rule and the points are the same either way:
 * when an exclude of the type hit, which might void the earliest hit, the
 * patterns passed over are run after all. (Either way an anchored exclude
 * runs only where a hit of its type starts at or after it: elsewhere it
 * can void nothing.) A pattern not run cannot reach the match limit, so
 * `limited` counts only the patterns that ran. On make bench's complaints
 * the two halve the PCRE2 runs.
 */
void matcher_want_all_hits(struct matcher *m);

/*
 * Classifies text[0..len). The result's pointers stay valid until the next
 * call with the same matcher. Returns 0, or -1 if out of memory.
 */
int classify_text(struct matcher *m, const char *text, size_t len,
		  struct classification *out);

#endif
