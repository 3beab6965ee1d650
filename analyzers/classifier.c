#include "analyzers/classifier.h"

#include <stdlib.h>
#include <string.h>

#include "analyzers/textfold.h"
#include "formats/encoding.h"
#include "formats/swar.h"

/*
 * The trigger index. Triggers are keyed by their first two code points (a
 * one-character trigger by its code point alone), so a text position costs
 * one bitmap test and, on a hit, a lookup or two that lead to the few
 * triggers that can start there. A pair that starts many triggers (没有
 * starts 185) is split: its triggers of three or more characters are keyed
 * by their first three, found through the pair's bucket, so a common pair
 * in the text does not walk every trigger it starts. An anchored atom whose
 * trigger is one or two characters (没, 客服), common in any text, is keyed
 * by them together with each character that must come next (atom_keys).
 * Entries carry the trigger's first 16 bytes and what the atom needs
 * besides (its requirements, as character bits of the text's signature),
 * so the scan touches no atom until a trigger matches and the text has what
 * the rest of the atom needs.
 */
#define KEY_BITS 21                 /* a code point fits in 21 bits */
#define KEY_NONE 0x1FFFFFu          /* no code point there: above U+10FFFF */
#define TEXT_END 0x1FFFFEu          /* the text's end: in no key either */
#define SPLIT_OVER 8                /* longer triggers a pair starts before it is split */

struct trigger_entry {
	uint64_t head, head_mask;   /* the first 8 bytes, compared in one go */
	uint64_t head2, head2_mask; /* and the next 8: most triggers fit */
	uint64_t need;              /* coarse bits the text's sig64 must have */
	const char *bytes;
	uint32_t atom;
	uint32_t filter;            /* offset in the classifier's filters; 0: none */
	uint16_t len;               /* rules.c keeps triggers under 1 KiB */
	uint8_t literal, anchored;  /* copied from the atom: no lookup per hit */
	uint8_t has_next, next_within;  /* the same: the atom's n_next != 0, next_within */
};
_Static_assert(sizeof(struct trigger_entry) <= 64, "a trigger entry fits a cache line");

struct bucket {
	uint64_t key;            /* see key_of() */
	uint32_t first, count;   /* range in entries */
	uint32_t split;          /* a pair's: look up three code points too */
};

struct classifier {
	const struct rule_set *rs;
	/* Per 8 BMP code points, bits of those that start a trigger, and of
	 * those with a key of their own (no hash): side by side, so that a
	 * character's two tests are one cache miss, not two. */
	struct cp_bits { uint8_t starts, single; } bmp_bits[65536 / 8];
	uint8_t key_bits[65536 / 8];   /* a filter on keys: bit hash & 0xffff */
	struct bucket *buckets;        /* open addressing on key */
	uint32_t n_buckets_mask;
	struct trigger_entry *entries; /* grouped by bucket */
	uint16_t *filters;             /* see compile_filter() */
	size_t n_filters;
	uint32_t *always;              /* atoms without a trigger */
	size_t n_always;
	uint64_t *next_bits;           /* per atom, 4 words: its next[] by next_bit() */
	/* Per atom, its type and kind, and per type, its priority: what
	 * deciding a text reads of every hit, without a call to rules.c for
	 * each (measured: 137 instructions a row fewer). */
	struct atom_brief { uint16_t type; uint8_t kind; } *brief;
	int *priority;
	uint64_t *suppressed_by;       /* per type, rules.h's bits */
	uint64_t suppressible;         /* the types that have any */
	int has_astral;                /* a trigger starts outside the BMP */
};

struct matcher {
	const struct classifier *c;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *stack;
	char *folded;
	uint32_t *origin;
	struct textfold_char *chars;   /* the folded text's, from textfold_chars(), then 2 TEXT_END */
	size_t n_chars;
	size_t cap;
	/* Fix: these were fixed arrays of CLASSIFIER_MAX_HITS and hits past
	 * that were dropped: in a long text, a type hit only late (骚扰 after
	 * 300 掉色) or an exclude found after the cap was lost. They grow
	 * instead, and are kept, so steady state still allocates nothing. */
	struct hit *hits, *kept;
	size_t n_hits, cap_hits;
	int oom;
	/* The include hits so far (see matcher_want_all_hits): the types with
	 * one, and each such type's earliest, by start and then atom (the
	 * order in which decide() meets hits). */
	int all_hits;
	uint64_t include_types;
	struct hit first_include[RULES_MAX_TYPES];
	/* For run_held: the types with a hit other than an exclude, each's
	 * last such hit's start, and the types with an exclude hit. */
	uint64_t hit_types, excluded_types;
	uint32_t last_start[RULES_MAX_TYPES];
	/* Anchored runs held back to the end of the scan, in scan order (see
	 * run_held): includes passed over, and every exclude. */
	struct held { uint32_t atom, at, done; } *held;
	size_t n_held, cap_held;
	uint8_t *deferred;             /* per atom: run over the whole text */
	uint32_t *deferred_list;
	size_t n_deferred;
	/* Per atom: where its last hit ended, valid when seen[atom].gen ==
	 * text_gen; side by side, so that the test is one cache miss. */
	struct seen { uint32_t gen, last_end; } *seen;
	uint32_t text_gen;
	/* The characters of the text, see sig_bit(): a byte a bit, because
	 * the filters test ~80 bits a text, and a byte is one load where a
	 * bit needs shifts and masks (measured: 740 instructions a row fewer,
	 * the 1 KiB memset a text included). Bit b is set when sig[b] ==
	 * sig_gen, so a new text clears it by a new sig_gen, not a memset of
	 * 1 KiB (measured: 193 instructions a row fewer). */
	uint8_t sig[1024];
	uint8_t sig_gen;
	uint64_t sig64;                /* the same, coarse: bit b >> 4 for bit b */
	int want_origin;
	size_t limited;
	const struct rule_atom *limited_atom;
};

/* Zero bytes kept after the folded text (see classify_text). */
#define FOLD_PAD 64

static uint32_t hash_key(uint64_t key)
{
	key *= 0x9E3779B97F4A7C15ull;
	return (uint32_t)(key >> 32);
}

static struct bucket *find_bucket(const struct classifier *c, uint64_t key)
{
	uint32_t i = hash_key(key) & c->n_buckets_mask;
	for (;;) {
		struct bucket *b = &c->buckets[i];
		if (b->key == key || (b->count == 0 && !b->split))
			return b;
		i = (i + 1) & c->n_buckets_mask;
	}
}

/* False when no trigger has this key; true when one may. */
static inline int key_maybe(const struct classifier *c, uint64_t key)
{
	uint32_t h = hash_key(key) & 0xffff;
	return c->key_bits[h >> 3] >> (h & 7) & 1;
}

/* The key of up to three code points; a missing one is KEY_NONE. */
static inline uint64_t key_of(uint32_t cp1, uint32_t cp2, uint32_t cp3)
{
	return (uint64_t)cp1 | (uint64_t)cp2 << KEY_BITS | (uint64_t)cp3 << (2 * KEY_BITS);
}

/* A trigger's first two code points' key, and the key of its first three
 * (KEY_NONE past its end). */
static uint64_t trigger_key(const char *t, size_t len, uint64_t *key3)
{
	uint32_t cp[3] = {KEY_NONE, KEY_NONE, KEY_NONE};
	for (size_t k = 0, at = 0; k < 3 && at < len; k++)
		at += textfold_decode((const unsigned char *)t + at, &cp[k]);
	*key3 = key_of(cp[0], cp[1], cp[2]);
	return key_of(cp[0], cp[1], KEY_NONE);
}

/* Most keys an atom is indexed under; see atom_keys(). All of a next[] set:
 * at 16, 客服 and 卖家 atoms with 30 to 50 stayed keyed by their pair, and
 * the scan took 195 instructions a row more. */
#define ATOM_KEYS_MAX RULES_MAX_NEXT

/*
 * The keys atom a is indexed under, in keys[], each with the key of three
 * code points it moves to when its pair is split (the same key: it stays);
 * returns how many, and sets *expanded when they are a two-character
 * trigger's keys of three (below), which only a split of its pair tells
 * apart. Mostly one: its trigger's. But a trigger of one or two characters
 * (没, 客服) is in many texts, and an anchored atom must be followed at once
 * by one of its next[] characters: indexed by each (没有, 没收; 客服态,
 * 客服不), the atom is not looked at where they are not in the text.
 */
static size_t atom_keys(const struct rule_atom *a, uint64_t *keys, uint64_t *key3s,
			int *expanded)
{
	uint32_t cp[3];
	size_t n = 0, at = 0, chars = 0;
	while (at < a->trigger_len && chars < 3)
		at += textfold_decode((const unsigned char *)a->trigger + at, &cp[chars++]);
	*expanded = 0;
	if (a->anchored && !a->literal && a->n_next && a->next_within == 0 &&
	    a->n_next <= ATOM_KEYS_MAX && chars <= 2) {
		for (uint8_t k = 0; k < a->n_next; k++) {
			uint64_t key3 = chars == 1 ? key_of(cp[0], a->next[k], KEY_NONE) :
						     key_of(cp[0], cp[1], a->next[k]);
			size_t d = 0;
			while (d < n && key3s[d] != key3)
				d++;
			if (d == n) {
				keys[n] = chars == 1 ? key3 : key_of(cp[0], cp[1], KEY_NONE);
				key3s[n++] = key3;
			}
		}
		*expanded = n > 0 && chars == 2;
		if (n)
			return n;
	}
	keys[0] = trigger_key(a->trigger, a->trigger_len, &key3s[0]);
	return 1;
}

/* The bucket of one of an atom's keys, in a table whose splits are set. */
static struct bucket *bucket_of(const struct classifier *c, uint64_t key, uint64_t key3)
{
	struct bucket *b = find_bucket(c, key);
	return b->split && key3 != key ? find_bucket(c, key3) : b;
}

static void mark_key(struct classifier *c, uint64_t key)
{
	uint32_t h = hash_key(key) & 0xffff;
	c->key_bits[h >> 3] |= (uint8_t)(1u << (h & 7));
}

/* A text's signature is a 1024-bit set of its characters: bit sig_bit(cp). */
static inline uint32_t sig_bit(uint32_t cp)
{
	return (cp * 0x9E3779B1u) >> (32 - 10);
}

/* A character's bit in an atom's next-character set (see next_bits). */
static inline uint32_t next_bit(uint32_t cp)
{
	return (cp * 0x9E3779B1u) >> (32 - 8);
}

/* Bits of the distinct characters of literal [p, p + n), at most max. */
static unsigned literal_bits(const char *p, size_t n, uint16_t *bits, unsigned max)
{
	unsigned k = 0;
	for (size_t i = 0; i < n && k < max;) {
		uint32_t cp;
		i += textfold_decode((const unsigned char *)p + i, &cp);
		uint16_t b = (uint16_t)sig_bit(cp);
		unsigned j = 0;
		while (j < k && bits[j] != b)
			j++;
		if (j == k)
			bits[k++] = b;
	}
	return k;
}

/*
 * Appends atom a's filter (see filter_pass) to c->filters; returns its
 * offset, 0 when the atom has no requirements, or -1 if out of memory.
 */
static long compile_filter(struct classifier *c, const struct rule_atom *a, size_t *cap,
			   uint64_t *coarse)
{
	/* Upper bound: every requirement as a group of RULES_MAX_MUST_ALTS
	 * alternatives, plus the counts and 8 bits of each literal. */
	size_t need = 2 + (size_t)a->n_musts * (9 + RULES_MAX_MUST_ALTS * 2);
	if (!a->n_musts)
		return 0;
	if (c->n_filters + need > *cap) {
		size_t ncap = *cap ? *cap : 4096;
		while (c->n_filters + need > ncap)
			ncap *= 2;
		uint16_t *f = realloc(c->filters, ncap * sizeof(*f));
		if (!f)
			return -1;
		c->filters = f;
		*cap = ncap;
	}
	/* One pass: the single literals' bits, all needed, into all[]; the
	 * "one of" groups, laid out as filter_pass reads them, into grp[]. */
	uint16_t all[RULES_MAX_MUSTS * 8], grp[RULES_MAX_MUSTS * (1 + 2 * RULES_MAX_MUST_ALTS)];
	unsigned n_all = 0, n_grp = 0, groups = 0;
	const char *p = a->musts;
	for (uint8_t r = 0; r < a->n_musts; r++) {
		unsigned alts = (unsigned char)*p++;
		if (alts > 1) {
			grp[n_grp++] = (uint16_t)alts;
			groups++;
		}
		for (unsigned k = 0; k < alts; k++) {
			size_t n = (unsigned char)*p++;
			uint16_t bits[8];
			unsigned nb = literal_bits(p, n, bits, alts == 1 ? 8 : 2);
			if (alts > 1) {
				grp[n_grp++] = bits[0];
				grp[n_grp++] = nb > 1 ? bits[1] : bits[0];
			}
			for (unsigned j = 0; alts == 1 && j < nb; j++) {
				unsigned d = 0;
				while (d < n_all && all[d] != bits[j])
					d++;
				if (d == n_all)
					all[n_all++] = bits[j];
			}
			p += n;
		}
	}
	for (unsigned j = 0; j < n_all; j++)
		*coarse |= 1ull << (all[j] >> 4);
	uint16_t *f = c->filters;
	size_t at = c->n_filters, w = at;
	f[w++] = (uint16_t)n_all;
	memcpy(f + w, all, n_all * sizeof(*all));
	w += n_all;
	f[w++] = (uint16_t)groups;
	memcpy(f + w, grp, n_grp * sizeof(*grp));
	w += n_grp;
	c->n_filters = w;
	return (long)at;
}

struct classifier *classifier_new(const struct rule_set *rs, struct error *err)
{
	size_t n = rules_atom_count(rs);
	struct classifier *c = calloc(1, sizeof(*c));
	uint32_t size = 64, *fill = NULL;
	uint8_t *must_split = NULL;

	if (!c)
		goto oom;
	c->rs = rs;
	size_t n_entries = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t keys[ATOM_KEYS_MAX], key3s[ATOM_KEYS_MAX];
		const struct rule_atom *a = rules_atom(rs, i);
		int expanded;
		n_entries += a->trigger ? atom_keys(a, keys, key3s, &expanded) : 0;
	}
	while (size < 2 * n_entries + 2)
		size *= 2;
	c->buckets = calloc(size, sizeof(*c->buckets));
	/* An entry is 64 bytes on 64-bit machines: aligned, each is one cache
	 * line, and the scan meets one miss an entry, not two (cachegrind:
	 * 9.5% fewer first-level data misses than 72-byte entries). */
	size_t entries_size = ((n_entries + 1) * sizeof(*c->entries) + 63) & ~(size_t)63;
	c->entries = aligned_alloc(64, entries_size);
	if (c->entries)
		memset(c->entries, 0, entries_size);
	c->always = calloc(n + 1, sizeof(*c->always));
	c->next_bits = calloc(4 * n + 4, sizeof(*c->next_bits));
	c->brief = calloc(n + 1, sizeof(*c->brief));
	c->priority = calloc(rules_type_count(rs) + 1, sizeof(*c->priority));
	c->suppressed_by = calloc(rules_type_count(rs) + 1, sizeof(*c->suppressed_by));
	fill = calloc(size, sizeof(*fill));
	must_split = calloc(size, 1);
	if (!c->buckets || !c->entries || !c->always || !c->next_bits || !c->brief ||
	    !c->priority || !c->suppressed_by || !fill || !must_split)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		const struct rule_atom *a = rules_atom(rs, i);
		c->brief[i] = (struct atom_brief){a->type, a->kind};
		for (uint8_t k = 0; k < a->n_next; k++) {
			uint32_t b = next_bit(a->next[k]);
			c->next_bits[4 * i + (b >> 6)] |= 1ull << (b & 63);
		}
	}
	for (size_t t = 0; t < rules_type_count(rs); t++) {
		c->priority[t] = rules_type(rs, t)->priority;
		c->suppressed_by[t] = rules_type(rs, t)->suppressed_by;
		if (c->suppressed_by[t])
			c->suppressible |= 1ull << t;
	}
	c->n_buckets_mask = size - 1;
	size_t filters_cap = 0;
	c->n_filters = 1;  /* offset 0 means "no filter" */

	/* Count triggers per pair, and in fill those that go on past it;
	 * split the pairs that start many, moving those to buckets of three
	 * code points, then lay the entries out by bucket: an entry for each
	 * of an atom's keys. */
	uint64_t keys[ATOM_KEYS_MAX], key3s[ATOM_KEYS_MAX];
	int expanded;
	for (size_t i = 0; i < n; i++) {
		const struct rule_atom *a = rules_atom(rs, i);
		if (!a->trigger) {
			c->always[c->n_always++] = (uint32_t)i;
			continue;
		}
		for (size_t k = 0, nk = atom_keys(a, keys, key3s, &expanded); k < nk; k++) {
			struct bucket *b = find_bucket(c, keys[k]);
			b->key = keys[k];
			b->count++;
			fill[b - c->buckets] += key3s[k] != keys[k];
			/* Its keys share the pair: only a split tells them apart. */
			must_split[b - c->buckets] |= (uint8_t)expanded;
		}
		uint32_t cp = (uint32_t)(keys[0] & KEY_NONE);
		if (cp < 65536)
			c->bmp_bits[cp >> 3].starts |= (uint8_t)(1u << (cp & 7));
		else
			c->has_astral = 1;
	}
	for (uint32_t i = 0; i < size; i++) {
		struct bucket *b = &c->buckets[i];
		b->split = fill[i] > SPLIT_OVER || must_split[i];
		if (b->split)
			b->count -= fill[i];  /* still found: split marks it used */
		fill[i] = 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct rule_atom *a = rules_atom(rs, i);
		for (size_t k = 0, nk = a->trigger ? atom_keys(a, keys, key3s, &expanded) : 0;
		     k < nk; k++) {
			struct bucket *b = find_bucket(c, keys[k]);
			uint32_t cp = (uint32_t)(keys[k] & KEY_NONE);
			mark_key(c, keys[k]);
			if (keys[k] == key_of(cp, KEY_NONE, KEY_NONE) && cp < 65536)
				c->bmp_bits[cp >> 3].single |= (uint8_t)(1u << (cp & 7));
			if (b->split && key3s[k] != keys[k]) {
				b = find_bucket(c, key3s[k]);
				b->key = key3s[k];
				b->count++;
				mark_key(c, key3s[k]);
			}
		}
	}
	uint32_t next = 0;
	for (uint32_t i = 0; i < size; i++) {
		c->buckets[i].first = next;
		next += c->buckets[i].count;
	}
	for (size_t i = 0; i < n; i++) {
		const struct rule_atom *a = rules_atom(rs, i);
		if (!a->trigger)
			continue;
		uint64_t need = 0;
		long filter = compile_filter(c, a, &filters_cap, &need);
		if (filter < 0)
			goto oom;
		/* The heads and their masks in memory order, whatever the byte order. */
		char head[16] = {0}, mask[16] = {0};
		size_t hn = a->trigger_len < 16 ? a->trigger_len : 16;
		memcpy(head, a->trigger, hn);
		memset(mask, 0xff, hn);
		for (size_t k = 0, nk = atom_keys(a, keys, key3s, &expanded); k < nk; k++) {
			struct bucket *b = bucket_of(c, keys[k], key3s[k]);
			c->entries[b->first + fill[b - c->buckets]++] = (struct trigger_entry){
				.head = swar_load(head), .head_mask = swar_load(mask),
				.head2 = swar_load(head + 8), .head2_mask = swar_load(mask + 8),
				.need = need, .bytes = a->trigger, .atom = (uint32_t)i,
				.filter = (uint32_t)filter, .len = (uint16_t)a->trigger_len,
				.literal = a->literal, .anchored = a->anchored,
				.has_next = a->n_next != 0, .next_within = a->next_within};
		}
	}
	free(fill);
	free(must_split);
	return c;
oom:
	free(fill);
	free(must_split);
	classifier_free(c);
	error_set(err, NULL, "out of memory");
	return NULL;
}

void classifier_free(struct classifier *c)
{
	if (!c)
		return;
	free(c->buckets);
	free(c->entries);
	free(c->filters);
	free(c->always);
	free(c->next_bits);
	free(c->brief);
	free(c->priority);
	free(c->suppressed_by);
	free(c);
}

const struct rule_set *classifier_rules(const struct classifier *c)
{
	return c->rs;
}

struct matcher *matcher_new(const struct classifier *c, uint32_t match_limit)
{
	struct matcher *m = calloc(1, sizeof(*m));
	size_t n = rules_atom_count(c->rs);
	if (!m)
		return NULL;
	m->c = c;
	m->md = pcre2_match_data_create(4, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	m->stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	m->deferred = calloc(n + 1, 1);
	m->deferred_list = calloc(n + 1, sizeof(*m->deferred_list));
	m->seen = calloc(n + 1, sizeof(*m->seen));
	m->cap_hits = CLASSIFIER_MAX_HITS;
	m->hits = malloc(m->cap_hits * sizeof(*m->hits));
	m->kept = malloc(m->cap_hits * sizeof(*m->kept));
	if (!m->md || !m->mctx || !m->stack || !m->deferred || !m->deferred_list ||
	    !m->seen || !m->hits || !m->kept) {
		matcher_free(m);
		return NULL;
	}
	pcre2_set_match_limit(m->mctx, match_limit ? match_limit : 1000000);
	pcre2_jit_stack_assign(m->mctx, NULL, m->stack);
	return m;
}

void matcher_want_all_hits(struct matcher *m)
{
	m->all_hits = 1;
}

void matcher_want_origin(struct matcher *m)
{
	m->want_origin = 1;
	m->cap = 0;  /* the buffers are sized again at the next text, origin[] too */
}

void hit_original_span(const struct classification *c, const struct hit *h,
		       const char *text, size_t len, uint32_t *from, uint32_t *to)
{
	uint32_t last = c->origin[h->end - 1];  /* where its last character began */
	const unsigned char *s = (const unsigned char *)text + last;
	size_t k = *s < 0xC0 ? 1 : *s < 0xE0 ? 2 : *s < 0xF0 ? 3 : 4;

	/* Folding turns each invalid byte into U+FFFD, one byte at a time. */
	if (k > len - last || utf8_valid_prefix((const char *)s, k) != k)
		k = 1;
	*from = c->origin[h->start];
	*to = last + (uint32_t)k;
}

void matcher_free(struct matcher *m)
{
	if (!m)
		return;
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->stack);
	free(m->folded);
	free(m->origin);
	free(m->chars);
	free(m->deferred);
	free(m->deferred_list);
	free(m->seen);
	free(m->hits);
	free(m->kept);
	free(m->held);
	free(m);
}

/* Grows the hit arrays (see add_hit); sets m->oom and returns -1 if it cannot. */
static int grow_hits(struct matcher *m)
{
	size_t cap = 2 * m->cap_hits;
	struct hit *h = realloc(m->hits, cap * sizeof(*h));
	if (h)
		m->hits = h;
	struct hit *k = h ? realloc(m->kept, cap * sizeof(*k)) : NULL;
	if (k)
		m->kept = k;
	if (!h || !k) {
		m->oom = 1;
		return -1;
	}
	m->cap_hits = cap;
	return 0;
}

/* Whether hit a comes before a hit of atom at start, as decide() sorts them. */
static inline int hit_before(const struct hit *a, uint32_t start, uint32_t atom)
{
	return a->start < start || (a->start == start && a->atom < atom);
}

/* Inline, the growing out of line: a call for each of the 3.2 hits a row
 * cost 46 instructions a row more (measured). Notes the earliest include
 * hit of each type, for trigger_hit. */
static inline void add_hit(struct matcher *m, uint32_t atom, size_t start, size_t end)
{
	if (m->n_hits == m->cap_hits && grow_hits(m) < 0)
		return;
	struct hit h = {atom, (uint32_t)start, (uint32_t)end};
	m->hits[m->n_hits++] = h;
	struct atom_brief b = m->c->brief[atom];
	uint64_t bit = 1ull << b.type;
	if (b.kind == ATOM_EXCLUDE) {
		m->excluded_types |= bit;
		return;
	}
	if (!(m->hit_types & bit) || h.start > m->last_start[b.type])
		m->last_start[b.type] = h.start;
	m->hit_types |= bit;
	if (b.kind == ATOM_INCLUDE &&
	    (!(m->include_types & bit) || hit_before(&h, m->first_include[b.type].start,
						      m->first_include[b.type].atom))) {
		m->include_types |= bit;
		m->first_include[b.type] = h;
	}
}

/*
 * Whether position at lies inside atom ai's previous hit in this text.
 * Fix: a trigger there starts no new hit. Hits are PCRE2's left-to-right,
 * non-overlapping matches for every atom, as for atoms run over the whole
 * text; overlapping hits (literal "aa" at 1 and 2 of "xaaa") could escape
 * an exclude that voids the non-overlapping ones, so results depended on
 * how a trigger was found.
 */
static inline int inside_last_hit(const struct matcher *m, uint32_t ai, size_t at)
{
	return m->seen[ai].gen == m->text_gen && at < m->seen[ai].last_end;
}

static inline void set_last_hit(struct matcher *m, uint32_t ai, size_t end)
{
	m->seen[ai] = (struct seen){m->text_gen, (uint32_t)end};
}

/* Holds an anchored run back to the end of the scan (see run_held). */
static void hold(struct matcher *m, uint32_t atom, size_t at)
{
	if (m->n_held == m->cap_held) {
		size_t cap = m->cap_held ? 2 * m->cap_held : 64;
		struct held *h = realloc(m->held, cap * sizeof(*h));
		if (!h) {
			m->oom = 1;
			return;
		}
		m->held = h;
		m->cap_held = cap;
	}
	m->held[m->n_held++] = (struct held){atom, (uint32_t)at, 0};
}

/* Runs atom over the folded text: at one position when anchored, else
 * every non-overlapping match. */
static void run_atom(struct matcher *m, uint32_t ai, size_t len, size_t at, int anchored)
{
	const struct rule_atom *a = rules_atom(m->c->rs, ai);
	PCRE2_SPTR s = (PCRE2_SPTR)m->folded;
	size_t off = at;

	for (;;) {
		/* Anchored atoms were compiled anchored (see rules.c), so the
		 * JIT runs them. The folded text is valid UTF-8 by construction,
		 * which is what makes the JIT's fast entry (no UTF check) safe;
		 * it is worth having: most calls fail within a few bytes. */
		int rc = rules_atom_jit(m->c->rs, ai)
			? pcre2_jit_match(a->code, s, len, off, 0, m->md, m->mctx)
			: pcre2_match(a->code, s, len, off, PCRE2_NO_UTF_CHECK, m->md, m->mctx);
		if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT ||
		    rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT) {
			/* Skipped for the rest of the text, as PCRE2 over the
			 * whole text would stop: a trigger that recurs should
			 * not buy the pattern a fresh limit each time (10,000
			 * occurrences would cost 10,000 limits). */
			set_last_hit(m, ai, UINT32_MAX);
			m->limited++;
			if (!m->limited_atom)
				m->limited_atom = a;
			return;
		}
		if (rc < 0)
			return;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
		add_hit(m, ai, ov[0], ov[1]);
		if (anchored) {
			set_last_hit(m, ai, ov[1]);
			return;
		}
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		while (off < len && (m->folded[off] & 0xC0) == 0x80)
			off++;
		if (off >= len)
			return;
	}
}

/*
 * Whether one of the characters that must come next in a match of an
 * anchored atom (rules.h: next[], within next_within characters of the
 * trigger) occurs from byte `at` on, by the atom's 256-bit set of them: a bit test
 * a character however many there are. False means PCRE2 would fail there.
 */
static int next_in_reach(unsigned next_within, const uint64_t *bits,
			 const unsigned char *s, size_t at, size_t len)
{
	for (unsigned skipped = 0; at < len && skipped <= next_within; skipped++) {
		uint32_t cp, b;
		at += textfold_decode(s + at, &cp);
		b = next_bit(cp);
		if (bits[b >> 6] >> (b & 63) & 1)
			return 1;
	}
	return 0;
}

/*
 * Whether the characters an atom needs (its requirements, rules.h: musts)
 * are in the text, by its signature: a few bit tests instead of a search.
 * A filter (compile_filter) is the bits every match needs, [n] then n
 * bits, and then its "one of" groups, [groups] then per group
 * [alternatives] and two bits per alternative (of its first two
 * characters; the same bit twice for one character). A group passes when
 * both bits of one alternative are set.
 */
static int filter_pass(const uint16_t *f, const uint8_t *sig, uint8_t gen)
{
	unsigned n = *f++;
	for (unsigned k = 0; k < n; k++)
		if (sig[f[k]] != gen)
			return 0;
	f += n;
	unsigned groups = *f++;
	for (unsigned g = 0; g < groups; g++) {
		unsigned alts = *f++, a = 0;
		while (a < alts && !((sig[f[2 * a]] == gen) & (sig[f[2 * a + 1]] == gen)))
			a++;
		if (a == alts)
			return 0;
		f += 2 * alts;
	}
	return 1;
}

/* A trigger entry found at position i of the text: record or run its atom. */
static void trigger_hit(struct matcher *m, const struct trigger_entry *e, size_t i, size_t len)
{
	uint32_t ai = e->atom;
	/* The filter first: three in four fail it, and the last hit's end
	 * costs a cache miss (cachegrind: 6 first-level misses a row fewer). */
	if (e->filter && !filter_pass(m->c->filters + e->filter, m->sig, m->sig_gen))
		return;
	if (inside_last_hit(m, ai, i))
		return;
	if (e->literal) {
		add_hit(m, ai, i, i + e->len);
		set_last_hit(m, ai, i + e->len);
	} else if (e->anchored) {
		/* Most triggers are followed by the wrong character: say no
		 * before PCRE2 is asked. */
		if (e->has_next && !next_in_reach(e->next_within, m->c->next_bits + 4 * ai,
						  (const unsigned char *)m->folded, i + e->len, len))
			return;
		/* An include whose hit would start after its type's earliest
		 * include hit can decide nothing; an exclude matters only
		 * where a hit of its type starts at or after it, which the end
		 * of the scan tells. */
		struct atom_brief b = m->c->brief[ai];
		if (b.kind == ATOM_EXCLUDE ||
		    (b.kind == ATOM_INCLUDE && (m->include_types >> b.type & 1) && !m->all_hits &&
		     hit_before(&m->first_include[b.type], (uint32_t)i, ai))) {
			hold(m, ai, i);
			return;
		}
		run_atom(m, ai, len, i, 1);
	} else if (!m->deferred[ai]) {
		m->deferred[ai] = 1;
		m->deferred_list[m->n_deferred++] = ai;
	}
}

static void scan_bucket(struct matcher *m, const struct bucket *b, const unsigned char *s,
			size_t i, size_t len)
{
	const struct trigger_entry *e = &m->c->entries[b->first];
	/* The folded text is followed by FOLD_PAD zero bytes, so 16 bytes can
	 * be read at any position in it. */
	uint64_t at = swar_load(s + i);
	for (uint32_t j = 0; j < b->count; j++, e++) {
		if (((at ^ e->head) & e->head_mask) || (m->sig64 & e->need) != e->need ||
		    e->len > len - i)
			continue;
		if (e->len > 8 && ((swar_load(s + i + 8) ^ e->head2) & e->head2_mask))
			continue;
		if (e->len > 16 && memcmp(s + i + 16, e->bytes + 16, e->len - 16u) != 0)
			continue;
		trigger_hit(m, e, i, len);
	}
}

/* Runs a held run as the scan would have run it then (see trigger_hit). */
static void run_held_one(struct matcher *m, struct held *r, size_t len)
{
	r->done = 1;
	if (!inside_last_hit(m, r->atom, r->at))
		run_atom(m, r->atom, len, r->at, 1);
}

/*
 * Runs the held excludes that may contain a hit of their type: those
 * starting at or before its last hit's start (an anchored exclude's match
 * starts where it is run, and voids only hits inside it), in scan order.
 * Returns the types with an exclude hit.
 */
static uint64_t run_held_excludes(struct matcher *m, size_t len)
{
	const struct atom_brief *brief = m->c->brief;

	for (size_t j = 0; j < m->n_held; j++) {
		struct held *r = &m->held[j];
		struct atom_brief b = brief[r->atom];
		if (r->done || b.kind != ATOM_EXCLUDE || !(m->hit_types >> b.type & 1) ||
		    r->at > m->last_start[b.type])
			continue;
		run_held_one(m, r, len);
	}
	return m->excluded_types;
}

/*
 * The runs held back by the scan: the excludes that may void a hit; then,
 * for the types an exclude hit, the includes passed over, since their
 * type's earliest hit may be void; then the excludes that may void those.
 * A type's result is then what running everything would have made it.
 */
static void run_held(struct matcher *m, size_t len)
{
	uint64_t excluded = run_held_excludes(m, len);
	if (!excluded)
		return;
	int ran = 0;
	for (size_t j = 0; j < m->n_held; j++) {
		struct held *r = &m->held[j];
		struct atom_brief b = m->c->brief[r->atom];
		if (b.kind != ATOM_INCLUDE || !(excluded >> b.type & 1))
			continue;
		run_held_one(m, r, len);
		ran = 1;
	}
	if (ran)
		run_held_excludes(m, len);
}

static void scan(struct matcher *m, size_t len)
{
	const struct classifier *c = m->c;
	const unsigned char *s = (const unsigned char *)m->folded;
	const struct textfold_char *ch = m->chars;
	size_t n = m->n_chars;

	/* The signature first: the filters need it before the first trigger
	 * is looked at. */
	if (++m->sig_gen == 0) {
		memset(m->sig, 0, sizeof(m->sig));
		m->sig_gen = 1;
	}
	m->sig64 = 0;
	for (size_t k = 0; k < n; k++) {
		uint32_t b = sig_bit(ch[k].cp);
		m->sig[b] = m->sig_gen;
		m->sig64 |= 1ull << (b >> 4);
	}
	/* Two characters past the end that no key has: the last characters
	 * need no test that a pair or a triple of them exists. */
	m->chars[n] = m->chars[n + 1] = (struct textfold_char){TEXT_END, (uint32_t)len};
	for (size_t k = 0; k < n; k++) {
		uint32_t cp = ch[k].cp;
		if (cp < 65536 ? !(c->bmp_bits[cp >> 3].starts >> (cp & 7) & 1) : !c->has_astral)
			continue;
		size_t i = ch[k].at;
		uint64_t key = key_of(cp, KEY_NONE, KEY_NONE);
		if (cp < 65536 ? c->bmp_bits[cp >> 3].single >> (cp & 7) & 1 : key_maybe(c, key)) {
			const struct bucket *b = find_bucket(c, key);
			if (b->count)
				scan_bucket(m, b, s, i, len);
		}
		key = key_of(cp, ch[k + 1].cp, KEY_NONE);
		if (key_maybe(c, key)) {
			const struct bucket *b = find_bucket(c, key);
			if (b->count)
				scan_bucket(m, b, s, i, len);
			if (b->split) {
				b = find_bucket(c, key_of(cp, ch[k + 1].cp, ch[k + 2].cp));
				if (b->count)
					scan_bucket(m, b, s, i, len);
			}
		}
	}
	for (size_t j = 0; j < m->n_deferred; j++) {
		run_atom(m, m->deferred_list[j], len, 0, 0);
		m->deferred[m->deferred_list[j]] = 0;
	}
	m->n_deferred = 0;
	for (size_t j = 0; j < c->n_always; j++)
		run_atom(m, c->always[j], len, 0, 0);
	if (m->n_held)
		run_held(m, len);
}

static int by_start(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->atom < y->atom ? -1 : x->atom > y->atom;
}

/* Whether an exclude hit of type `type` contains hit h. */
static int voided(const struct matcher *m, const struct hit *h, unsigned type)
{
	const struct atom_brief *brief = m->c->brief;
	/* Sorted by start: no later hit can contain this one. */
	for (size_t j = 0; j < m->n_hits && m->hits[j].start <= h->start; j++) {
		const struct hit *e = &m->hits[j];
		struct atom_brief ea = brief[e->atom];
		if (ea.kind == ATOM_EXCLUDE && ea.type == type && e->start <= h->start &&
		    h->end <= e->end)
			return 1;
	}
	return 0;
}

/*
 * Keeps, in m->kept, the hits of one round (includes and severe patterns,
 * or fallbacks) that no exclude of their type voids, and adds their types
 * to out. exclude_types has a bit for each type an exclude hit. Returns
 * how many it kept.
 */
static size_t keep_hits(struct matcher *m, struct classification *out, int fallback,
			uint64_t exclude_types, uint64_t *severe_types)
{
	const struct atom_brief *brief = m->c->brief;
	size_t kept = 0;

	for (size_t i = 0; i < m->n_hits; i++) {
		const struct hit *h = &m->hits[i];
		struct atom_brief a = brief[h->atom];
		if (a.kind == ATOM_EXCLUDE || (a.kind == ATOM_FALLBACK) != fallback)
			continue;
		/* Most texts hit no exclude of the type: no hits to look at. */
		if ((exclude_types >> a.type & 1) && voided(m, h, a.type))
			continue;
		m->kept[kept++] = *h;
		out->types |= 1ull << a.type;
		if (a.kind == ATOM_SEVERE)
			*severe_types |= 1ull << a.type;
	}
	return kept;
}

static void decide(struct matcher *m, struct classification *out)
{
	const struct rule_set *rs = m->c->rs;
	const int *priority = m->c->priority;
	uint64_t severe_types = 0;

	/* Few hits per text: insertion sort beats qsort's call overhead. */
	if (m->n_hits > 64)
		qsort(m->hits, m->n_hits, sizeof(m->hits[0]), by_start);
	for (size_t i = 1; i < m->n_hits && m->n_hits <= 64; i++) {
		struct hit h = m->hits[i];
		size_t j = i;
		while (j > 0 && by_start(&m->hits[j - 1], &h) > 0) {
			m->hits[j] = m->hits[j - 1];
			j--;
		}
		m->hits[j] = h;
	}
	/* Fallbacks count only when no include or severe pattern did. */
	size_t kept = keep_hits(m, out, 0, m->excluded_types, &severe_types);
	if (!out->types)
		kept = keep_hits(m, out, 1, m->excluded_types, &severe_types);
	/* A type is dropped when a type it names in suppressed-by was hit:
	 * judged on the types as kept, so the order of the types does not
	 * matter. Its hits go too, so the primary type, the deciding rule
	 * and the points are the remaining types'. */
	uint64_t drop = 0;
	for (uint64_t left = out->types & m->c->suppressible; left; left &= left - 1) {
		size_t t = (size_t)__builtin_ctzll(left);
		if (m->c->suppressed_by[t] & out->types)
			drop |= 1ull << t;
	}
	if (drop) {
		size_t n = 0;
		for (size_t i = 0; i < kept; i++)
			if (!(drop >> m->c->brief[m->kept[i].atom].type & 1))
				m->kept[n++] = m->kept[i];
		kept = n;
		out->types &= ~drop;
		out->suppressed = drop;
		severe_types &= ~drop;
	}

	out->primary = -1;
	out->decided = kept;
	for (size_t i = 0; i < kept; i++) {
		int type = m->c->brief[m->kept[i].atom].type;
		/* Hits are in text order, so a strict > keeps the earliest on ties. */
		if (out->primary < 0 || priority[type] > priority[out->primary]) {
			out->primary = type;
			out->decided = i;
		}
	}
	if (out->primary >= 0)
		out->decider = rules_atom(rs, m->kept[out->decided].atom);
	out->penalty_type = -1;
	for (uint64_t left = out->types; left; left &= left - 1) {
		size_t t = (size_t)__builtin_ctzll(left);  /* the types hit, in order */
		const struct rule_type *ty = rules_type(rs, t);
		int severe = (int)(severe_types >> t & 1);
		int pts = severe && ty->severe_points ? ty->severe_points : ty->points;
		/* Fix: a severe type outranks general ones, then more points
		 * win, then the first type. This used to depend on the order of
		 * the sections: a later general type with more points replaced
		 * a severe one, but a later severe type replaced a general one
		 * with more points. */
		if (pts <= 0)
			continue;
		if (out->penalty_type < 0 || severe > out->severe ||
		    (severe == out->severe && pts > out->points)) {
			out->points = pts;
			out->penalty_type = (int)t;
			out->severe = severe;
		}
	}
	out->hits = m->kept;
	out->n_hits = kept;
}

int classify_text(struct matcher *m, const char *text, size_t len,
		  struct classification *out)
{
	memset(out, 0, sizeof(*out));
	if (TEXTFOLD_MAX_OUT(len) + FOLD_PAD > m->cap) {
		size_t cap = TEXTFOLD_MAX_OUT(len) + FOLD_PAD;
		if (cap < 4096)
			cap = 4096;
		char *f = realloc(m->folded, cap);
		if (f)
			m->folded = f;
		uint32_t *o = m->want_origin ? realloc(m->origin, (cap + 1) * sizeof(*o)) : NULL;
		if (o)
			m->origin = o;
		struct textfold_char *ch = realloc(m->chars, cap * sizeof(*ch));
		if (ch)
			m->chars = ch;
		if (!f || (m->want_origin && !o) || !ch)
			return -1;
		m->cap = cap;
	}
	/* origin is NULL unless asked for (matcher_want_origin). */
	size_t n = textfold_chars(text, len, m->folded, m->origin, &out->invalid, m->chars,
				  &m->n_chars);
	/* PCRE2's JIT may read a few bytes past the subject's end (it never
	 * uses them); defined bytes there keep valgrind's report meaningful. */
	memset(m->folded + n, 0, FOLD_PAD);
	m->n_hits = 0;
	m->oom = 0;
	m->include_types = m->hit_types = m->excluded_types = 0;
	m->n_held = 0;
	if (++m->text_gen == 0) {
		memset(m->seen, 0, rules_atom_count(m->c->rs) * sizeof(*m->seen));
		m->text_gen = 1;
	}
	m->limited = 0;
	m->limited_atom = NULL;
	scan(m, n);
	if (m->oom)
		return -1;
	decide(m, out);
	out->limited = m->limited;
	out->limited_atom = m->limited_atom;
	out->folded = m->folded;
	out->folded_len = n;
	out->origin = m->origin;
	return 0;
}
