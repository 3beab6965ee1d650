#include "analyzers/rules.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/textfold.h"
#include "formats/encoding.h"

struct rule_set {
	struct rule_type types[RULES_MAX_TYPES];
	size_t n_types;
	struct rule_atom *atoms;
	size_t n_atoms, cap_atoms;
	char **names;            /* file names atoms point to */
	size_t n_names;
	char *only;              /* rules_only(): the one type loaded */
};

struct loader {
	struct rule_set *rs;
	const char *file;
	uint32_t line;
	int current;             /* type of the current section, -1 before one,
				  * -2 in a section rules_only() skips */
	int errors;
	rules_error_fn on_error;
	void *ctx;
	/* suppressed-by lines, resolved at the end of the file: the types they
	 * name may have their sections further down. */
	struct pending_suppress {
		int type;
		uint32_t line;
		char *names;
	} *pending;
	size_t n_pending;
};

static void report(struct loader *ld, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report(struct loader *ld, const char *fmt, ...)
{
	struct error e;
	va_list ap;

	va_start(ap, fmt);
	error_set_linev(&e, ld->file, ld->line, fmt, ap);
	va_end(ap);
	ld->errors++;
	if (ld->on_error)
		ld->on_error(ld->ctx, &e);
}

struct rule_set *rules_new(void)
{
	return calloc(1, sizeof(struct rule_set));
}

/* What an atom owns; also for one that add_atom gives up on half-made. */
static void atom_free(struct rule_atom *a)
{
	free(a->pattern);
	free(a->trigger);
	free(a->musts);
	free(a->next);
	free(a->where);
	pcre2_code_free(a->code);
}

void rules_free(struct rule_set *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n_types; i++) {
		free(rs->types[i].id);
		free(rs->types[i].label);
		free(rs->types[i].platform);
	}
	for (size_t i = 0; i < rs->n_atoms; i++)
		atom_free(&rs->atoms[i]);
	for (size_t i = 0; i < rs->n_names; i++)
		free(rs->names[i]);
	free(rs->only);
	free(rs->names);
	free(rs->atoms);
	free(rs);
}

size_t rules_type_count(const struct rule_set *rs) { return rs->n_types; }
const struct rule_type *rules_type(const struct rule_set *rs, size_t i) { return &rs->types[i]; }
/* FNV-1a, 64-bit: fast enough for a few thousand patterns, stable across
 * builds and machines (it is written into partial files). */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

static uint64_t fnv_int(uint64_t h, long long v)
{
	char b[24];
	return fnv(h, b, (size_t)snprintf(b, sizeof(b), "%lld;", v));
}

uint64_t rules_fingerprint(const struct rule_set *rs)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < rs->n_types; i++) {
		const struct rule_type *t = &rs->types[i];
		h = fnv_str(h, t->id);
		h = fnv_int(h, t->priority);
		h = fnv_int(h, t->points);
		h = fnv_int(h, t->severe_points);
		h = fnv_str(h, t->platform);
		/* Only when set: a rule file without suppressed-by keeps the
		 * fingerprint it had before the key existed, so the partials
		 * of earlier nights still merge. */
		if (t->suppressed_by) {
			h = fnv_str(h, "suppressed-by");
			h = fnv_int(h, (long long)(t->suppressed_by & 0xffffffffu));
			h = fnv_int(h, (long long)(t->suppressed_by >> 32));
		}
	}
	for (size_t i = 0; i < rs->n_atoms; i++) {
		const struct rule_atom *a = &rs->atoms[i];
		h = fnv_int(h, a->type);
		h = fnv_int(h, a->kind);
		h = fnv_str(h, a->pattern);
	}
	return h;
}

int rules_only(struct rule_set *rs, const char *type_id)
{
	free(rs->only);
	rs->only = strdup(type_id);
	return rs->only ? 0 : -1;
}

size_t rules_atom_count(const struct rule_set *rs) { return rs->n_atoms; }
const struct rule_atom *rules_atom(const struct rule_set *rs, size_t i) { return &rs->atoms[i]; }

int rules_atom_jit_compile(const struct rule_set *rs, size_t i)
{
	/* One lock for every rule set: pcre2_jit_compile() must not run twice
	 * at once on one code, and a lock per atom would cost more than the
	 * few hundred compiles a run makes. */
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct rule_atom *a = &rs->atoms[i];

	pthread_mutex_lock(&lock);
	uint8_t state = atomic_load_explicit(&a->jit, memory_order_relaxed);
	if (state == ATOM_JIT_UNTRIED) {
		size_t size = 0;
		/* Without JIT the interpreter still gives the same answers. */
		state = a->code && pcre2_jit_compile(a->code, PCRE2_JIT_COMPLETE) == 0 &&
				pcre2_pattern_info(a->code, PCRE2_INFO_JITSIZE, &size) == 0 && size > 0
			? ATOM_JIT_YES : ATOM_JIT_NO;
		atomic_store_explicit(&a->jit, state, memory_order_release);
	}
	pthread_mutex_unlock(&lock);
	return state == ATOM_JIT_YES;
}

int rules_type_find(const struct rule_set *rs, const char *id)
{
	for (size_t i = 0; i < rs->n_types; i++)
		if (!strcmp(rs->types[i].id, id))
			return (int)i;
	return -1;
}

int rules_type_for_platform(const struct rule_set *rs, const char *name, size_t len)
{
	while (len && (*name == ' ' || *name == '\t')) {
		name++;
		len--;
	}
	while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	if (!len)
		return -1;
	for (size_t i = 0; i < rs->n_types; i++) {
		const char *p = rs->types[i].platform;
		while (p && *p) {
			const char *bar = strchr(p, '|');
			size_t n = bar ? (size_t)(bar - p) : strlen(p);
			if (n == len && !memcmp(p, name, n))
				return (int)i;
			p = bar ? bar + 1 : NULL;
		}
		if (len == strlen(rs->types[i].id) && !memcmp(rs->types[i].id, name, len))
			return (int)i;
	}
	return -1;
}

/* ---- splitting a pattern and finding the literal every match contains ---- */

static int is_meta(char c)
{
	return c && strchr("\\^$.|?*+()[]{}", c) != NULL;
}

static int is_quantifier(const char *p)
{
	return *p == '?' || *p == '*' || *p == '+' || *p == '{';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* After a backslash, an ASCII letter or digit makes an escape that stands
 * for something else (\d, \x{..}, \1); any other character stands for
 * itself (\. \| \退). */
static int is_ascii_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Length of the UTF-8 character at p. */
static size_t char_len(const char *p)
{
	unsigned char c = (unsigned char)*p;
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/*
 * Returns the byte after the escape sequence at p ('\\'). Fix: the scanners
 * used to step over two bytes only, so the rest of \x{4e00}, \p{Han}, \pL,
 * \k<name> or \d's {3} was read as literal text and became the trigger
 * ("4e00", "l", "3"), and texts matching the rule were never tried.
 */
static const char *escape_end(const char *p)
{
	char c = p[1];
	const char *q = p + 2;

	if (!c)
		return p + 1;
	if ((unsigned char)c >= 0x80)
		return p + 1 + char_len(p + 1);
	if (c == 'Q') {
		const char *e = strstr(q, "\\E");
		return e ? e + 2 : q + strlen(q);
	}
	if (c == 'c')
		return *q ? q + 1 : q;
	if (is_digit(c)) {
		while (is_digit(*q))
			q++;
		return q;
	}
	if (strchr("xopPNgk", c) && (*q == '{' || ((c == 'g' || c == 'k') && (*q == '<' || *q == '\'')))) {
		const char *e = strchr(q + 1, *q == '{' ? '}' : *q == '<' ? '>' : '\'');
		return e ? e + 1 : q + strlen(q);
	}
	if (c == 'x') {
		for (int i = 0; i < 2 && strchr("0123456789abcdefABCDEF", *q) && *q; i++)
			q++;
	} else if ((c == 'p' || c == 'P') && *q) {
		q += char_len(q);
	} else if (c == 'g') {
		if (*q == '+' || *q == '-')
			q++;
		while (is_digit(*q))
			q++;
	}
	return q;
}

/* If p starts a counted quantifier ({n}, {n,}, {n,m}), the byte after it. */
static const char *quantifier_end(const char *p)
{
	const char *q = p + 1;
	if (*p != '{' || !is_digit(*q))
		return NULL;
	while (is_digit(*q))
		q++;
	if (*q == ',')
		for (q++; is_digit(*q); q++)
			;
	return *q == '}' ? q + 1 : NULL;
}

/* Skips a character class starting at p ('['); returns the byte after it. */
static const char *skip_class(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[' && p[1] == ':') {
			const char *end = strstr(p + 2, ":]");
			if (end)
				p = end + 1;
		}
		p++;
	}
	return *p ? p + 1 : p;
}

/* Skips a group starting at p ('('); returns the byte after its ')'. */
static const char *skip_group(const char *p)
{
	int depth = 0;
	while (*p) {
		if (*p == '\\' && p[1])
			p = escape_end(p);
		else if (*p == '[')
			p = skip_class(p);
		else {
			if (*p == '(')
				depth++;
			else if (*p == ')' && --depth == 0)
				return p + 1;
			p++;
		}
	}
	return p;
}

/* 1 if pattern p has a '|' outside groups and classes. */
/*
 * The first '|' at the top level of pattern text [p, end), outside escapes,
 * classes and groups; end when there is none. Every split into alternatives
 * goes through here.
 */
static const char *top_level_bar(const char *p, const char *end)
{
	while (p < end && *p) {
		if (*p == '\\' && p[1])
			p = escape_end(p);
		else if (*p == '[')
			p = skip_class(p);
		else if (*p == '(')
			p = skip_group(p);
		else if (*p == '|')
			return p;
		else
			p++;
	}
	return end;
}

static int has_top_level_bar(const char *p)
{
	const char *end = p + strlen(p);
	return top_level_bar(p, end) != end;
}

/*
 * Whether the folded pattern p must stay one atom: splitting it at its
 * top-level '|' would change what it matches. Fix: only back references
 * were checked, but a top-level option setting ("(?x)a b|c d") carries into
 * later alternatives, backtracking verbs ("no(*SKIP)(*F)|good") act across
 * them, recursion, subroutine calls and conditions refer to groups by
 * number, and \Q...\E quotes '|'. Sets *no_trigger when literal text cannot
 * be read off the pattern (\Q...\E, a top-level extended-mode setting).
 */
static int keep_whole(const char *p, int *no_trigger)
{
	int depth = 0, whole = 0;

	*no_trigger = 0;
	while (*p) {
		if (*p == '\\' && p[1]) {
			if (p[1] == 'Q')
				whole = *no_trigger = 1;
			else if (p[1] == 'g' && (p[2] == '<' || p[2] == '\''))
				whole = 1;
			p = escape_end(p);
			continue;
		}
		if (*p == '[') {
			p = skip_class(p);
			continue;
		}
		if (*p == ')' && depth > 0)
			depth--;
		if (*p != '(') {
			p++;
			continue;
		}
		const char *q = p + 2;
		if (p[1] == '*') {
			whole = 1;
		} else if (p[1] == '?') {
			if (*q && strchr("R0123456789+&(", *q))
				whole = 1;
			else if ((*q == 'P' && (q[1] == '>' || q[1] == '=')) || (*q == '-' && is_digit(q[1])))
				whole = 1;
			else if (depth == 0) {
				int x = 0;
				for (; *q && strchr("imnsxJU^-", *q); q++)
					x |= *q == 'x';
				if (*q == ')' && q > p + 2)
					whole = 1;
				if (*q == ')' && x)
					*no_trigger = 1;
			}
		}
		depth++;
		p++;
	}
	return whole;
}

/*
 * Whether the character at p may be part of a trigger. Fix: PCRE2 matches
 * caselessly with Unicode case folding (é = É, ω = Ω), but triggers are
 * compared bytewise with text in which only ASCII is lower-cased, so a
 * trigger holding a cased non-ASCII letter missed texts the pattern
 * matches. Only characters without case qualify: ASCII, punctuation, CJK,
 * kana, hangul.
 */
static int trigger_char(const char *p)
{
	uint32_t cp;
	if ((unsigned char)*p < 0x80)
		return 1;
	textfold_decode((const unsigned char *)p, &cp);
	return (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF5F && cp <= 0xFFEF) ||
	       (cp >= 0x20000 && cp <= 0x3FFFF);
}

/*
 * Collects the literal run starting at p into out: plain characters and
 * escaped punctuation, stopping before a metacharacter; a character
 * followed by a quantifier is not part of it (it may occur zero times, or
 * repeat). Sets *end to where the run stopped. Returns its length.
 */
static size_t literal_run(const char *p, const char **end, char *out)
{
	size_t n = 0;
	for (;;) {
		const char *start = p, *c = p;
		size_t k;
		if (*p == '\\' && p[1] && !is_ascii_alnum(p[1])) {
			/* Fix: an escaped non-ASCII character is a whole
			 * character, not its first byte. */
			c = p + 1;
			k = char_len(c);
		} else if (*p && !is_meta(*p)) {
			k = char_len(p);
		} else {
			break;
		}
		if (!trigger_char(c))
			break;
		p = c + k;
		if (is_quantifier(p)) {
			/* Fix: back to the escape's backslash, not the escaped
			 * character, or the caller rescans "\\+" as "\+". */
			p = start;  /* the quantified character is not certain */
			break;
		}
		for (size_t i = 0; i < k; i++) {
			char ch = c[i];
			out[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		}
	}
	*end = p;
	return n;
}

/* Adds cp to a first-character set, an ASCII letter in lower case only:
 * the set is tested on folded text, which has no upper-case ASCII, nor a
 * Kelvin sign or long s (textfold.h), so the caseless match needs no other
 * case. -1 when the set is full or cp is a cased letter outside ASCII,
 * whose other cases are not worth the risk. */
static int add_first(uint32_t cp, uint32_t *set, uint8_t *n)
{
	if (cp >= 0x80 && cp < 0x2E80)
		return -1;
	if (*n == RULES_MAX_NEXT)
		return -1;
	set[(*n)++] = cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	return 0;
}

/* Adds the characters of class [p, close) ("[退换]", "[!~ ]", "[0-9a-f]") to
 * set; -1 for anything else (negated, POSIX names, escapes such as \d, which
 * in UCP mode stands for every script's digits, ranges beyond ASCII, too
 * many characters). */
static int class_firsts(const char *p, const char *close, uint32_t *set, uint8_t *n)
{
	if (p[1] == '^')
		return -1;
	for (const char *q = p + 1; q < close;) {
		uint32_t cp;
		if (*q == '[' || (*q == '\\' && (!q[1] || is_ascii_alnum(q[1]))))
			return -1;
		if (*q == '\\')
			q++;
		q += textfold_decode((const unsigned char *)q, &cp);
		if (*q == '-' && q + 1 < close) {
			uint32_t hi = (unsigned char)q[1];
			if (cp >= 0x80 || hi >= 0x80 || hi < cp || q[1] == '\\')
				return -1;
			for (uint32_t c = cp; c <= hi; c++)
				if (add_first(c, set, n) < 0)
					return -1;
			q += 2;
		} else if (add_first(cp, set, n) < 0) {
			return -1;
		}
	}
	return 0;
}

/*
 * The code points a match of pattern text [p, end) can start with, added to
 * set (up to RULES_MAX_NEXT). Returns 1 when the text can also match empty,
 * 0 when every match starts with one of set, and -1 when that cannot be told
 * (a negated class, a dot, an escape such as \d, an assertion, or too many
 * characters). Used only as a filter: -1 is always safe.
 */
static int first_chars(const char *p, const char *end, uint32_t *set, uint8_t *n)
{
	while (p < end) {
		const char *after, *q;
		int r = 0;
		if (*p == '(') {
			const char *close = skip_group(p);
			const char *body = p + 1;
			if (close > end || close[-1] != ')')
				return -1;
			if (body[0] == '?') {
				if (body[1] != ':')
					return -1;  /* lookaround, named group, options */
				body += 2;
			}
			/* Each top-level alternative of the group. */
			for (const char *alt = body;;) {
				const char *bar = top_level_bar(alt, close - 1);
				int a = first_chars(alt, bar, set, n);
				if (a < 0)
					return -1;
				r |= a;
				if (bar == close - 1)
					break;
				alt = bar + 1;
			}
			after = close;
		} else if (*p == '[') {
			after = skip_class(p);
			if (after > end || class_firsts(p, after - 1, set, n) < 0)
				return -1;
		} else if (*p == '\\' && p[1] && !is_ascii_alnum(p[1])) {
			uint32_t cp;
			textfold_decode((const unsigned char *)p + 1, &cp);
			after = p + 1 + char_len(p + 1);
			if (add_first(cp, set, n) < 0)
				return -1;
		} else if (!is_meta(*p)) {
			uint32_t cp;
			textfold_decode((const unsigned char *)p, &cp);
			if (add_first(cp, set, n) < 0)
				return -1;
			after = p + char_len(p);
		} else {
			return -1;
		}
		/* An item that can match empty (optional, or a group that can
		 * match empty however often it repeats) lets the next one start
		 * the match too. */
		int optional = *after == '?' || *after == '*';
		if (optional)
			q = after + 1;
		else if ((q = quantifier_end(after)))
			optional = after[1] == '0';
		else
			q = after;
		if (!optional && r != 1)
			return 0;
		p = q;
		if (p != after && (*p == '?' || *p == '+'))
			p++;  /* lazy or possessive */
	}
	return 1;
}

/*
 * A leading gap of at most a few characters: `.{0,N}` or `[^...]{0,N}`
 * (N <= 32, lazy or not). Returns the text after it and sets *gap to N; or
 * returns p itself (no gap, *gap = 0).
 */
static const char *gap_end(const char *p, unsigned *gap)
{
	const char *q;
	*gap = 0;
	if (*p == '.')
		q = p + 1;
	else if (*p == '[')
		q = skip_class(p);
	else
		return p;
	const char *end = quantifier_end(q);
	if (!end || q[1] != '0' || q[2] != ',')
		return p;
	unsigned n = 0;
	for (const char *d = q + 3; is_digit(*d); d++)
		n = n * 10 + (unsigned)(*d - '0');
	if (n == 0 || n > 32)
		return p;
	if (*end == '?' || *end == '+')
		end++;
	*gap = n;
	return end;
}

/*
 * The top level of pattern text [p, end) (no top-level '|'), piece by
 * piece: each literal run (literal_run: not quantified) goes to literal,
 * each group to group (its '(' and the byte after its ')'), and classes,
 * escapes such as \d, and quantifiers are stepped over. Every literal
 * run is in every match; a group is, unless it is optional.
 */
struct top_walk {
	void (*literal)(void *ctx, const char *lit, size_t n);
	void (*group)(void *ctx, const char *open, const char *close);
	void *ctx;
};

static void walk_top(const char *p, const char *end, const struct top_walk *w)
{
	while (p < end && *p) {
		const char *q, *after;
		if (*p == '(') {
			const char *close = skip_group(p);
			if (close > end || close[-1] != ')')
				return;
			if (w->group)
				w->group(w->ctx, p, close);
			p = close;
		} else if (*p == '[') {
			p = skip_class(p);
		} else if ((q = quantifier_end(p))) {
			/* Fix: the digits of {2} are not literal text. */
			p = q;
			continue;
		} else if (*p == '\\' && is_ascii_alnum(p[1])) {
			p = escape_end(p);
		} else if (!is_meta(*p) || *p == '\\') {
			char tmp[1024];
			size_t k = (size_t)(end - p) < sizeof(tmp) ? literal_run(p, &after, tmp) : 0;
			if (k && after > end)
				k = 0;  /* ran past a group's end: cannot be */
			p = (k && after > p) ? after : *p == '\\' ? escape_end(p) : p + char_len(p);
			if (k)
				w->literal(w->ctx, tmp, k);
			continue;
		} else {
			p++;
		}
		if (p < end && is_quantifier(p) && *p != '{')
			p++;
	}
}

struct longest {
	char lit[1024];
	size_t n;
};

/* A top_walk literal callback: keeps the first of the longest. */
static void keep_longest(void *ctx, const char *lit, size_t n)
{
	struct longest *l = ctx;
	if (n > l->n) {
		memcpy(l->lit, lit, n);
		l->n = n;
	}
}

/*
 * Finds the literal every match of atom (one top-level alternative) must
 * contain. Prefers the leading literal, where the match starts; else the
 * longest literal at the atom's top level. Sets *anchored and *whole.
 */
static size_t extract_trigger(const char *atom, char *out, int *anchored, int *whole,
			      const char **rest)
{
	const char *p = atom, *end;
	size_t n;

	*anchored = *whole = 0;
	*rest = NULL;
	/* Fix: an atom kept whole (back references) may still hold
	 * alternatives; a literal of one of them is not in every match. */
	if (has_top_level_bar(atom))
		return 0;
	while (p[0] == '\\' && p[1] == 'b')
		p += 2;
	n = literal_run(p, &end, out);
	if (n) {
		*anchored = 1;
		*whole = *end == '\0' && p == atom;
		*rest = end;
		return n;
	}

	struct longest best = {.n = 0};
	walk_top(atom, atom + strlen(atom), &(struct top_walk){keep_longest, NULL, &best});
	memcpy(out, best.lit, best.n);
	return best.n;
}

/*
 * What every match of an atom must contain besides its trigger, read off
 * its top level (outside classes, not quantified): each literal run, and
 * each group that must match (not optional, not an assertion) whose
 * alternatives all contain a literal: one of those literals.
 */
#define MUST_MAX_LEN 48  /* longer literals are cut: a prefix is needed too */

struct must {
	int score;            /* the most selective are kept */
	int n_alts;           /* 1: a literal; more: one of these literals */
	size_t len[RULES_MAX_MUST_ALTS];
	char lit[RULES_MAX_MUST_ALTS][MUST_MAX_LEN];
};

/* Copies the used part of a must. */
static void must_copy(struct must *to, const struct must *from)
{
	to->score = from->score;
	to->n_alts = from->n_alts;
	for (int i = 0; i < from->n_alts; i++) {
		to->len[i] = from->len[i];
		memcpy(to->lit[i], from->lit[i], from->len[i]);
	}
}

struct musts {
	struct must m[RULES_MAX_MUSTS];
	int n;
};

/* Keeps m if it is among the RULES_MAX_MUSTS best seen so far. */
static void keep_must(struct musts *ms, const struct must *m)
{
	if (ms->n < RULES_MAX_MUSTS) {
		must_copy(&ms->m[ms->n++], m);
		return;
	}
	int worst = 0;
	for (int i = 1; i < ms->n; i++)
		if (ms->m[i].score < ms->m[worst].score)
			worst = i;
	if (ms->m[worst].score < m->score)
		must_copy(&ms->m[worst], m);
}

static void find_musts(const char *p, const char *end, const char *skip, size_t skip_len,
		       struct musts *ms);

/*
 * A group p..close (close is the byte after its ')') that must match:
 * adds "one of" its alternatives' longest literals, when each has one.
 */
static void group_must(const char *p, const char *close, struct musts *ms)
{
	const char *body = p + 1;
	struct must m;  /* about 2 KiB: filled as it goes, never cleared */

	m.n_alts = 0;
	if (body[0] == '?') {
		if (body[1] != ':')
			return;  /* assertions, named groups, options: not worth it */
		body += 2;
	}
	for (const char *alt = body;;) {
		const char *bar = top_level_bar(alt, close - 1);
		struct musts inner;
		inner.n = 0;
		find_musts(alt, bar, NULL, 0, &inner);
		int best = -1;
		for (int i = 0; i < inner.n; i++)
			if (inner.m[i].n_alts == 1 && (best < 0 || inner.m[i].len[0] > inner.m[best].len[0]))
				best = i;
		if (best < 0 || m.n_alts == RULES_MAX_MUST_ALTS)
			return;
		m.len[m.n_alts] = inner.m[best].len[0];
		memcpy(m.lit[m.n_alts++], inner.m[best].lit[0], inner.m[best].len[0]);
		if (bar == close - 1)
			break;
		alt = bar + 1;
	}
	if (m.n_alts == 1) {
		m.score = 1000 + (int)m.len[0];
	} else {
		size_t shortest = m.len[0];
		for (int i = 1; i < m.n_alts; i++)
			if (m.len[i] < shortest)
				shortest = m.len[i];
		m.score = 500 + (int)shortest * 8 - m.n_alts;
	}
	keep_must(ms, &m);
}

struct musts_walk {
	struct musts *ms;
	const char *skip;     /* the trigger: not a requirement of its own */
	size_t skip_len;
};

static void must_literal(void *ctx, const char *lit, size_t k)
{
	struct musts_walk *mw = ctx;
	if (k < 2 || (k == mw->skip_len && memcmp(lit, mw->skip, k) == 0))
		return;
	if (k > MUST_MAX_LEN) {
		k = MUST_MAX_LEN;  /* at a character's start */
		while ((lit[k] & 0xC0) == 0x80)
			k--;
	}
	struct must m;
	m.score = 1000 + (int)k;
	m.n_alts = 1;
	m.len[0] = k;
	memcpy(m.lit[0], lit, k);
	keep_must(mw->ms, &m);
}

static void must_group(void *ctx, const char *open, const char *close)
{
	struct musts_walk *mw = ctx;
	const char *q;
	int optional = *close == '?' || *close == '*' ||
		       ((q = quantifier_end(close)) && close[1] == '0');
	if (!optional)
		group_must(open, close, mw->ms);
}

/* The requirements of pattern text [p, end) (no top-level '|'). */
static void find_musts(const char *p, const char *end, const char *skip, size_t skip_len,
		       struct musts *ms)
{
	struct musts_walk mw = {ms, skip, skip_len};
	if (top_level_bar(p, end) == end)
		walk_top(p, end, &(struct top_walk){must_literal, must_group, &mw});
}

/*
 * The requirements of atom text p besides its trigger, in a new buffer
 * (*out, NULL when none): for each, a count of alternatives, then each
 * alternative as a length byte and its bytes. Returns how many, or -1 if
 * out of memory.
 */
static int atom_musts(const char *p, const char *skip, size_t skip_len, char **out)
{
	struct musts ms;
	size_t total = 0;

	ms.n = 0;
	*out = NULL;
	find_musts(p, p + strlen(p), skip, skip_len, &ms);
	if (!ms.n)
		return 0;
	for (int i = 0; i < ms.n; i++) {
		total++;
		for (int j = 0; j < ms.m[i].n_alts; j++)
			total += 1 + ms.m[i].len[j];
	}
	char *buf = malloc(total), *w = buf;
	if (!buf)
		return -1;
	for (int i = 0; i < ms.n; i++) {
		*w++ = (char)ms.m[i].n_alts;
		for (int j = 0; j < ms.m[i].n_alts; j++) {
			*w++ = (char)ms.m[i].len[j];
			memcpy(w, ms.m[i].lit[j], ms.m[i].len[j]);
			w += ms.m[i].len[j];
		}
	}
	*out = buf;
	return ms.n;
}

/* ---- loading ---- */

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int add_atom(struct loader *ld, enum atom_kind kind, const char *alt, size_t len,
		    int no_trigger)
{
	struct rule_set *rs = ld->rs;
	char *pattern = strndup(alt, len);
	char trig[1024];
	int anchored = 0, whole = 0;
	const char *rest = NULL;

	if (!pattern)
		return -1;
	size_t tn = len < sizeof(trig) && !no_trigger ?
		extract_trigger(pattern, trig, &anchored, &whole, &rest) : 0;
	if (tn == 0)
		anchored = whole = 0;
	if (rs->n_atoms == rs->cap_atoms) {
		size_t cap = rs->cap_atoms ? 2 * rs->cap_atoms : 64;
		struct rule_atom *a = realloc(rs->atoms, cap * sizeof(*a));
		if (!a) {
			free(pattern);
			return -1;
		}
		rs->atoms = a;
		rs->cap_atoms = cap;
	}
	struct rule_atom *a = &rs->atoms[rs->n_atoms];
	memset(a, 0, sizeof(*a));
	a->type = (uint16_t)ld->current;
	a->kind = (uint8_t)kind;
	a->file = rs->names[rs->n_names - 1];
	a->line = ld->line;
	a->pattern = pattern;
	int where_len = asprintf(&a->where, "%s:%u", a->file, a->line);
	if (where_len < 0)
		a->where = NULL;
	a->where_len = where_len < 0 ? 0 : (size_t)where_len;
	a->literal = (uint8_t)whole;
	a->anchored = (uint8_t)anchored;
	if (tn) {
		if (!(a->trigger = strndup(trig, tn))) {
			atom_free(a);
			return -1;
		}
		a->trigger_len = tn;
	}
	if (anchored && !whole && rest) {
		uint32_t next[RULES_MAX_NEXT];
		uint8_t n = 0;
		unsigned gap = 0;
		const char *after = gap_end(rest, &gap);
		if (first_chars(after, after + strlen(after), next, &n) == 0 &&
		    (a->next = malloc(n * sizeof(*next)))) {
			memcpy(a->next, next, n * sizeof(*next));
			a->n_next = n;
			a->next_within = (uint8_t)gap;
		}
	}
	if (!whole && tn) {
		/* An anchored atom's other literals all follow its trigger. */
		int n = atom_musts(anchored ? rest : pattern, trig, tn, &a->musts);
		if (n < 0) {
			atom_free(a);
			return -1;
		}
		a->n_musts = (uint8_t)n;
	}
	if (!whole) {
		int ec;
		PCRE2_SIZE eo;
		/* An atom that starts with its trigger only ever runs at a
		 * trigger: anchor it at compile time, since PCRE2's JIT does not
		 * take PCRE2_ANCHORED at match time and would fall back to the
		 * interpreter on every call. */
		a->code = pcre2_compile((PCRE2_SPTR)pattern, len,
					PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS |
					(a->anchored ? PCRE2_ANCHORED : 0), &ec, &eo, NULL);
		if (!a->code) {
			/* The whole pattern compiled, so this cannot happen short of
			 * a splitting bug; say so rather than lose the rule. */
			report(ld, "internal: alternative '%s' does not compile alone", pattern);
			atom_free(a);
			return 0;  /* reported: not "out of memory" as well */
		}
		/* JIT-compiled on first use: rules_atom_jit(). */
	}
	rs->n_atoms++;
	return 0;
}

static void add_pattern(struct loader *ld, enum atom_kind kind, const char *value)
{
	size_t vlen = strlen(value);
	char *folded = malloc(TEXTFOLD_MAX_OUT(vlen) + 1);
	int ec;
	PCRE2_SIZE eo;
	PCRE2_UCHAR msg[256];

	if (!folded) {
		report(ld, "out of memory");
		return;
	}
	size_t n = textfold_pattern(value, vlen, folded);
	pcre2_code *whole = pcre2_compile((PCRE2_SPTR)folded, n,
					  PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &ec, &eo, NULL);
	if (!whole) {
		pcre2_get_error_message(ec, msg, sizeof(msg));
		/* Folding can change byte lengths, so point at the user's text
		 * when the pattern was already in folded form, else at ours. */
		report(ld, "bad pattern: %s at offset %zu of '%s'", (char *)msg, (size_t)eo,
		       n == vlen && !memcmp(folded, value, n) ? value : folded);
		free(folded);
		return;
	}
	uint32_t backrefs = 0, minlength = 0;
	pcre2_pattern_info(whole, PCRE2_INFO_BACKREFMAX, &backrefs);
	pcre2_pattern_info(whole, PCRE2_INFO_MINLENGTH, &minlength);
	pcre2_code_free(whole);
	if (minlength == 0) {
		/* An empty alternative or `x*` would tag every complaint. */
		report(ld, "pattern '%s' can match empty text", value);
		free(folded);
		return;
	}

	/* Split at top-level '|' into atoms; a pattern with back references
	 * is kept whole, since splitting could separate a group from them
	 * (keep_whole() lists the other constructs that forbid it). */
	int no_trigger;
	int unsplit = keep_whole(folded, &no_trigger) || backrefs;
	const char *end = folded + strlen(folded);
	for (const char *start = folded;;) {
		const char *bar = unsplit ? end : top_level_bar(start, end);
		if (add_atom(ld, kind, start, (size_t)(bar - start), no_trigger) < 0)
			report(ld, "out of memory");
		if (bar == end)
			break;
		start = bar + 1;
	}
	free(folded);
}

/* A whole number in [lo, hi]. */
static int parse_int(const char *s, long lo, long hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static void set_string(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
}

static void section(struct loader *ld, char *s)
{
	char *end = strchr(s, ']');
	/* After a bad header its keys are outside any section (an error
	 * each), not keys of the section before. */
	if (!end || trim(end + 1)[0]) {
		report(ld, "a section header is '[type_id]'");
		ld->current = -1;
		return;
	}
	*end = '\0';
	char *id = trim(s + 1);
	if (!*id || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(id)) {
		report(ld, "type id '%s' must be lower-case letters, digits and '_'", id);
		ld->current = -1;
		return;
	}
	if (!strcmp(id, "other")) {
		report(ld, "'other' is what no rule matched; it cannot have rules");
		ld->current = -1;
		return;
	}
	if (ld->rs->only && strcmp(id, ld->rs->only)) {
		ld->current = -2;
		return;
	}
	int t = rules_type_find(ld->rs, id);
	if (t < 0) {
		if (ld->rs->n_types == RULES_MAX_TYPES) {
			report(ld, "more than %d types", RULES_MAX_TYPES);
			ld->current = -1;
			return;
		}
		t = (int)ld->rs->n_types++;
		struct rule_type *ty = &ld->rs->types[t];
		memset(ty, 0, sizeof(*ty));
		ty->id = strdup(id);
		ty->label = strdup(id);
	}
	ld->current = t;
}

static void key_value(struct loader *ld, char *s)
{
	char *eq = strchr(s, '=');
	if (!eq) {
		report(ld, "expected 'key = value' or '[type_id]'");
		return;
	}
	*eq = '\0';
	char *key = trim(s), *value = trim(eq + 1);
	if (ld->current == -2)
		return;
	if (ld->current < 0) {
		report(ld, "'%s' outside a [type] section", key);
		return;
	}
	struct rule_type *ty = &ld->rs->types[ld->current];
	if (!*value) {
		report(ld, "'%s' has no value", key);
		return;
	}
	/* '#' starts a comment only at the start of a line, so a comment
	 * after a value would silently become part of a pattern or label. A
	 * value may start with one (a hashtag: #差评#). */
	char *hash = strchr(value + 1, '#');
	if (hash && (hash[-1] == ' ' || hash[-1] == '\t')) {
		report(ld, "'%s': a comment after a value would be part of it; put it on a line "
		       "of its own (a literal ' #' in a pattern: ' [#]')", key);
		return;
	}
	/* PCRE2 checks the patterns' UTF-8 (and says where); these are ours. */
	if ((!strcmp(key, "label") || !strcmp(key, "platform")) &&
	    !utf8_is_valid(value, strlen(value))) {
		report(ld, "'%s': the value is not UTF-8 (rule files are UTF-8)", key);
		return;
	}
	if (!strcmp(key, "include"))
		add_pattern(ld, ATOM_INCLUDE, value);
	else if (!strcmp(key, "exclude"))
		add_pattern(ld, ATOM_EXCLUDE, value);
	else if (!strcmp(key, "severe"))
		add_pattern(ld, ATOM_SEVERE, value);
	else if (!strcmp(key, "fallback"))
		add_pattern(ld, ATOM_FALLBACK, value);
	else if (!strcmp(key, "suppressed-by")) {
		struct pending_suppress *p =
			realloc(ld->pending, (ld->n_pending + 1) * sizeof(*p));
		char *names = strdup(value);
		if (!p || !names) {
			free(names);
			if (p)
				ld->pending = p;
			report(ld, "out of memory");
			return;
		}
		ld->pending = p;
		p[ld->n_pending++] = (struct pending_suppress){ld->current, ld->line, names};
	} else if (!strcmp(key, "label"))
		set_string(&ty->label, value);
	else if (!strcmp(key, "platform"))
		set_string(&ty->platform, value);
	else if (!strcmp(key, "priority") || !strcmp(key, "points") ||
		 !strcmp(key, "severe_points")) {
		/* Points are kept in 16 bits a complaint (rates.c), and a
		 * negative one would turn a penalty into a credit. */
		int is_priority = !strcmp(key, "priority"), v;
		long lo = is_priority ? -1000000 : 0, hi = is_priority ? 1000000 : 65535;
		if (parse_int(value, lo, hi, &v) < 0)
			report(ld, "%s: '%s' is not a whole number from %ld to %ld", key, value, lo,
			       hi);
		else if (!strcmp(key, "priority"))
			ty->priority = v;
		else if (!strcmp(key, "points"))
			ty->points = v;
		else
			ty->severe_points = v;
	} else {
		report(ld, "unknown key '%s' (expected label, priority, points, "
		       "severe_points, platform, include, exclude, severe, fallback or "
		       "suppressed-by)", key);
	}
}

/*
 * Turns each suppressed-by line's ids into its type's suppressed_by bits.
 * An id no section defines is an error, except in a rule set that
 * rules_only() restricts: the types it skipped are never hit, so they
 * could not suppress anything.
 */
static void resolve_suppressed(struct loader *ld)
{
	for (size_t i = 0; i < ld->n_pending; i++) {
		struct pending_suppress *p = &ld->pending[i];
		struct rule_type *ty = &ld->rs->types[p->type];
		ld->line = p->line;
		for (char *save = NULL, *id = strtok_r(p->names, ", \t", &save); id;
		     id = strtok_r(NULL, ", \t", &save)) {
			int t = rules_type_find(ld->rs, id);
			if (t == p->type)
				report(ld, "suppressed-by: type '%s' cannot suppress itself", id);
			else if (t >= 0)
				ty->suppressed_by |= 1ull << t;
			else if (!ld->rs->only)
				report(ld, "suppressed-by: no type '%s'", id);
		}
		free(p->names);
	}
	free(ld->pending);
	ld->pending = NULL;
	ld->n_pending = 0;
}

int rules_load(struct rule_set *rs, const char *name, const char *text,
	       size_t len, rules_error_fn on_error, void *ctx)
{
	struct loader ld = {rs, name, 0, -1, 0, on_error, ctx, NULL, 0};
	char **names = realloc(rs->names, (rs->n_names + 1) * sizeof(*names));
	if (!names)
		return 1;
	rs->names = names;
	rs->names[rs->n_names++] = strdup(name);
	ld.file = rs->names[rs->n_names - 1];

	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = strndup(p, n);
		ld.line++;
		if (!line) {
			report(&ld, "out of memory");
			break;
		}
		char *s = trim(line);
		/* Fix: strncmp, not memcmp: a first line shorter than the BOM
		 * (empty, or "#") was read past its end. */
		if (ld.line == 1 && !strncmp(s, "\xEF\xBB\xBF", 3))
			s = trim(s + 3);
		if (*s == '\0' || *s == '#')
			;
		else if (*s == '[')
			section(&ld, s);
		else
			key_value(&ld, s);
		free(line);
		p = nl ? nl + 1 : end;
	}
	resolve_suppressed(&ld);
	return ld.errors;
}

int rules_load_file(struct rule_set *rs, const char *path,
		    rules_error_fn on_error, void *ctx)
{
	int from_stdin = !strcmp(path, "-");
	FILE *f = from_stdin ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int failed = 0;
	struct error e;

	if (!f) {
		error_set(&e, path, "cannot open rule file: %s", strerror(errno));
		if (on_error)
			on_error(ctx, &e);
		return 1;
	}
	for (;;) {
		if (len + 4096 > cap) {
			cap = cap ? 2 * cap : 65536;
			char *b = realloc(buf, cap);
			if (!b) {
				failed = 1;  /* not a shorter rule file */
				break;
			}
			buf = b;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	failed |= ferror(f);
	if (!from_stdin)
		fclose(f);
	if (failed || !buf) {
		free(buf);
		error_set(&e, path, "cannot read rule file");
		if (on_error)
			on_error(ctx, &e);
		return 1;
	}
	int errors = rules_load(rs, path, buf, len, on_error, ctx);
	free(buf);
	return errors;
}

int rules_load_default(struct rule_set *rs, rules_error_fn on_error, void *ctx)
{
	const char *text = rules_default_text();
	return rules_load(rs, "(built-in)", text, strlen(text), on_error, ctx);
}
