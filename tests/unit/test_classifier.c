/*
 * test_classifier.c - analyzers/classifier.c: a text's types, primary type,
 * severity, points and deciding rule.
 *
 * The classifier finds trigger literals in one pass and runs PCRE2 (JIT)
 * only where they occur; that must never change an answer. The main test
 * is a property test against a brute-force reference that runs every
 * atom's full pattern with the PCRE2 interpreter over the whole folded text
 * and applies the documented rules (exclude voids same-type hits inside it,
 * primary = highest priority then earliest hit, a severe type outranks a
 * general one for points). Targeted tests pin each rule down, the match
 * limit, invalid UTF-8, two threads sharing a classifier, and the
 * data-driven cases in tests/rules/cases.tsv.
 *
 * Rule text lives in this file, never in analyzers/default.rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyzers/classifier.h"
#include "analyzers/rules.h"
#include "analyzers/textfold.h"
#include "tests/unit/rng.h"

/* ---- rule sets (the snippets cases.tsv names) ---- */

static const char RULES_SHOP[] =
	"[quality]\n"
	"label = 质量问题\n"
	"priority = 50\n"
	"points = 3\n"
	"include = 质量(?:问题|差)|掉色|开线\n"
	"include = 做工.{0,4}(?:差|粗糙)\n"
	"exclude = 没有质量问题|质量不差\n"
	"[fake]\n"
	"priority = 90\n"
	"include = 虚假发货|假发货\n"
	"include = 显示已?发货.{0,6}(?:没|未)(?:收到|物流)\n"
	"include = (?:单号|物流)查不到\n"
	"[harass]\n"
	"priority = 95\n"
	"points = 12\n"
	"severe_points = 48\n"
	"include = 骚扰|一直打电话\n"
	"severe = 冥币|寿衣\n"
	"exclude = 不是骚扰|没有骚扰\n"
	"[service]\n"
	"priority = 50\n"
	"points = 2\n"
	"include = 态度(?:差|不好)|\\brude\\b\n"
	"include = (?<!不)骂人\n"
	"exclude = 态度不差\n"
	"[late]\n"
	"priority = 60\n"
	"include = 发货(?:慢|太慢)|(?:很|太)慢\n"
	"include = \\bslow\\b|late (?:shipment|dispatch)\n"
	"exclude = 不慢\n"
	"[size]\n"
	"priority = 40\n"
	"include = [大小]了一码|(?:偏|太)(?:大|小)\n"
	"include = \\d+码\n"
	"[repeat]\n"
	"priority = 10\n"
	"points = 1\n"
	"include = aa|a(?:b|c)+a\n"
	"exclude = xaa|baab\n"
	"severe = zz\n";

/* Severity and points: a severe type outranks a general one. */
static const char RULES_POINTS[] =
	"[general]\n"
	"priority = 10\n"
	"points = 30\n"
	"include = 差评\n"
	"[severe]\n"
	"priority = 20\n"
	"points = 5\n"
	"severe_points = 10\n"
	"include = 骚扰\n"
	"severe = 冥币\n"
	"exclude = 不是冥币\n"
	"[minor]\n"
	"priority = 5\n"
	"points = 2\n"
	"include = 慢\n"
	"[nopoints]\n"
	"priority = 1\n"
	"severe = 威胁\n";

/* The same types, sections in the opposite order. */
static const char RULES_POINTS_REVERSED[] =
	"[nopoints]\n"
	"priority = 1\n"
	"severe = 威胁\n"
	"[minor]\n"
	"priority = 5\n"
	"points = 2\n"
	"include = 慢\n"
	"[severe]\n"
	"priority = 20\n"
	"points = 5\n"
	"severe_points = 10\n"
	"include = 骚扰\n"
	"severe = 冥币\n"
	"exclude = 不是冥币\n"
	"[general]\n"
	"priority = 10\n"
	"points = 30\n"
	"include = 差评\n";

/* An exclude voids only its own type. */
static const char RULES_EXCLUDE[] =
	"[harass]\n"
	"include = 骚扰\n"
	"exclude = 不是骚扰\n"
	"[spam]\n"
	"include = 骚扰\n"
	"[quality]\n"
	"include = 质量差\n"
	"exclude = 没有质量\n";

/* Equal priorities: the earliest hit decides. */
static const char RULES_TIES[] =
	"[x]\npriority = 10\ninclude = 甲\n"
	"[y]\npriority = 10\ninclude = 乙|丙\n"
	"[z]\npriority = 5\ninclude = 丁\n";

/* A pair (没有) that starts more than 8 longer triggers, so the classifier
 * splits it by the third character, beside triggers of two and one. */
static const char RULES_SPLIT[] =
	"[a]\ninclude = 没有收到|没有发货|没有回复|没有退款|没有给|没有到货|没有发|没有回|"
	"没有收[货到]|没有退.?款\n"
	"[b]\ninclude = 没有\nexclude = 没有没有\n"
	"[c]\ninclude = 没|有收\n";

/* Triggers of one or two characters that must be followed at once by one
 * of a few characters (没有, 没收; 我很, 我太, 我差; x then a, b or c in
 * either case; 发货很, 质量差), which the classifier looks up by the pair or
 * the three, beside ones followed within a gap (发.{0,2}货, 退款.{0,2}慢),
 * which it must not. */
static const char RULES_NEXT_PAIRS[] =
	"[a]\ninclude = 没[有收]|发.{0,2}货|我[很太]?差\n"
	"[b]\ninclude = 没有|x[a-c]\nexclude = 没有收\n"
	"[c]\ninclude = 发货[很太]?慢|退款.{0,2}慢|质量[很差]\n";

static const char RULES_CATASTROPHIC[] =
	"[slow]\ninclude = (a+)+$\n"
	"[slow2]\ninclude = x(a+)+$\n"
	"[fine]\ninclude = b\n";

static const struct snippet {
	const char *name, *text;
} snippets[] = {
	{"shop", RULES_SHOP},
	{"points", RULES_POINTS},
	{"points_reversed", RULES_POINTS_REVERSED},
	{"exclude", RULES_EXCLUDE},
	{"ties", RULES_TIES},
	{"catastrophic", RULES_CATASTROPHIC},
};

static const char *snippet_text(const char *name)
{
	for (size_t i = 0; i < sizeof(snippets) / sizeof(snippets[0]); i++)
		if (!strcmp(snippets[i].name, name))
			return snippets[i].text;
	return NULL;
}

/* ---- fixtures ---- */

struct fixture {
	struct rule_set *rs;
	struct classifier *c;
	struct matcher *m;       /* with every hit (matcher_want_all_hits) */
	struct matcher *fast;    /* as classify runs: a type's later hits left out */
};

static void on_error(void *ctx, const struct error *e)
{
	(void)ctx;
	print_error("rule error: %s:%lu: %s\n", e->file, (unsigned long)e->line, e->msg);
}

static struct fixture setup(const char *rules, uint32_t match_limit)
{
	struct fixture f;
	struct error err;

	f.rs = rules_new();
	assert_non_null(f.rs);
	assert_int_equal(rules_load(f.rs, "test.rules", rules, strlen(rules), on_error, NULL), 0);
	f.c = classifier_new(f.rs, &err);
	assert_non_null(f.c);
	assert_ptr_equal(classifier_rules(f.c), f.rs);
	f.m = matcher_new(f.c, match_limit);
	f.fast = matcher_new(f.c, match_limit);
	assert_non_null(f.m);
	assert_non_null(f.fast);
	matcher_want_all_hits(f.m);
	return f;
}

static void teardown(struct fixture *f)
{
	matcher_free(f->m);
	matcher_free(f->fast);
	classifier_free(f->c);
	rules_free(f->rs);
}

static struct classification classify(struct fixture *f, const char *text)
{
	struct classification out;
	assert_int_equal(classify_text(f->m, text, strlen(text), &out), 0);
	return out;
}

static int type_of(const struct fixture *f, const char *id)
{
	int t = rules_type_find(f->rs, id);
	assert_true(t >= 0);
	return t;
}

static uint64_t bit(const struct fixture *f, const char *id)
{
	return 1ull << type_of(f, id);
}

/* ---- the brute-force reference ---- */

struct ref {
	const struct rule_set *rs;
	pcre2_code **code;        /* every atom's full pattern, no JIT */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	struct hit *hits, *kept;
	size_t cap;
};

struct ref_result {
	uint64_t types;
	int primary, severe, points, penalty_type;
	const struct rule_atom *decider;
	size_t decided;         /* index in kept of the deciding hit; n_kept for other */
	size_t n_kept;
	int limited;              /* a pattern hit the match limit: no answer */
	uint64_t suppressed;
};

static void ref_init(struct ref *r, const struct rule_set *rs, uint32_t match_limit)
{
	size_t n = rules_atom_count(rs);
	r->rs = rs;
	r->code = calloc(n + 1, sizeof(*r->code));
	assert_non_null(r->code);
	for (size_t i = 0; i < n; i++) {
		int ec;
		PCRE2_SIZE eo;
		r->code[i] = pcre2_compile((PCRE2_SPTR)rules_atom(rs, i)->pattern,
					   PCRE2_ZERO_TERMINATED,
					   PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &ec, &eo, NULL);
		assert_non_null(r->code[i]);
	}
	r->md = pcre2_match_data_create(16, NULL);
	r->mctx = pcre2_match_context_create(NULL);
	assert_non_null(r->mctx);
	pcre2_set_match_limit(r->mctx, match_limit ? match_limit : 1000000);
	r->cap = 4096;
	r->hits = malloc(r->cap * sizeof(*r->hits));
	r->kept = malloc(r->cap * sizeof(*r->kept));
	assert_true(r->md && r->hits && r->kept);
}

static void ref_release(struct ref *r)
{
	for (size_t i = 0; i < rules_atom_count(r->rs); i++)
		pcre2_code_free(r->code[i]);
	free(r->code);
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
	free(r->hits);
	free(r->kept);
}

static int hit_order(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->atom < y->atom ? -1 : x->atom > y->atom;
}

/* Classifies folded text s[0..len) by running every atom over all of it. */
static struct ref_result ref_classify(struct ref *r, const char *s, size_t len)
{
	const struct rule_set *rs = r->rs;
	struct ref_result out = {0, -1, 0, 0, -1, NULL, 0, 0, 0, 0};
	size_t n = 0;
	uint64_t severe_types = 0;

	for (uint32_t i = 0; i < rules_atom_count(rs); i++) {
		size_t off = 0;
		while (off <= len) {
			int rc = pcre2_match(r->code[i], (PCRE2_SPTR)s, len, off, 0, r->md, r->mctx);
			if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT) {
				out.limited = 1;
				return out;
			}
			assert_true(rc > 0 || rc == PCRE2_ERROR_NOMATCH);
			if (rc < 0)
				break;
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
			assert_true(n < r->cap);
			r->hits[n++] = (struct hit){i, (uint32_t)ov[0], (uint32_t)ov[1]};
			off = ov[1];
			/* Only a lookahead can match empty ("(?=退款)": PCRE2's
			 * minimum length counts what it looks at). Go on at the
			 * next character. */
			if (ov[1] == ov[0])
				for (off++; off < len && (s[off] & 0xC0) == 0x80; off++)
					;
		}
	}
	qsort(r->hits, n, sizeof(*r->hits), hit_order);

	/* Fallbacks, in a second round, only when the first kept nothing. */
	for (int fallback = 0; fallback < 2 && !out.types; fallback++)
	for (size_t i = 0; i < n; i++) {
		const struct hit *h = &r->hits[i];
		const struct rule_atom *a = rules_atom(rs, h->atom);
		if (a->kind == ATOM_EXCLUDE || (a->kind == ATOM_FALLBACK) != fallback)
			continue;
		int voided = 0;
		for (size_t j = 0; j < n; j++) {
			const struct rule_atom *e = rules_atom(rs, r->hits[j].atom);
			if (e->kind == ATOM_EXCLUDE && e->type == a->type &&
			    r->hits[j].start <= h->start && h->end <= r->hits[j].end)
				voided = 1;
		}
		if (voided)
			continue;
		r->kept[out.n_kept++] = *h;
		out.types |= 1ull << a->type;
		if (a->kind == ATOM_SEVERE)
			severe_types |= 1ull << a->type;
	}

	/* suppressed-by: a type goes, hits and all, when a type it names was
	 * kept (judged before anything goes). */
	for (size_t t = 0; t < rules_type_count(rs); t++)
		if (out.types >> t & 1 && rules_type(rs, t)->suppressed_by & out.types)
			out.suppressed |= 1ull << t;
	size_t left = 0;
	for (size_t i = 0; i < out.n_kept; i++)
		if (!(out.suppressed >> rules_atom(rs, r->kept[i].atom)->type & 1))
			r->kept[left++] = r->kept[i];
	out.n_kept = left;
	out.types &= ~out.suppressed;
	severe_types &= ~out.suppressed;

	/* Primary: highest priority; among those, the type hit first. */
	int best = 0, any = 0;
	for (size_t t = 0; t < rules_type_count(rs); t++)
		if (out.types >> t & 1 && (!any || rules_type(rs, t)->priority > best)) {
			best = rules_type(rs, t)->priority;
			any = 1;
		}
	out.decided = out.n_kept;
	for (size_t i = 0; i < out.n_kept && any; i++) {
		const struct rule_atom *a = rules_atom(rs, r->kept[i].atom);
		if (rules_type(rs, a->type)->priority == best) {
			out.primary = a->type;
			out.decider = a;
			out.decided = i;
			break;
		}
	}

	/* Points: severe types first, then the most points, then the first. */
	for (size_t t = 0; t < rules_type_count(rs); t++) {
		if (!(out.types >> t & 1))
			continue;
		const struct rule_type *ty = rules_type(rs, t);
		int severe = (int)(severe_types >> t & 1);
		int pts = severe && ty->severe_points ? ty->severe_points : ty->points;
		if (pts <= 0)
			continue;
		if (out.penalty_type < 0 || severe > out.severe ||
		    (severe == out.severe && pts > out.points)) {
			out.penalty_type = (int)t;
			out.points = pts;
			out.severe = severe;
		}
	}
	return out;
}

/*
 * 1 if the classifier agrees with the reference on raw text, 0 if not (and
 * prints why), 2 if either gave up at the match limit. The matcher with
 * every hit must find the reference's hits; the one that leaves a type's
 * later hits out, its answer.
 */
static int agrees(struct fixture *f, struct ref *r, const char *text, size_t len)
{
	struct classification c, fast;
	if (classify_text(f->fast, text, len, &fast) < 0 ||
	    classify_text(f->m, text, len, &c) < 0)
		return 0;
	struct ref_result want = ref_classify(r, c.folded, c.folded_len);
	if (want.limited || c.limited || fast.limited)
		return 2;
	int ok = c.types == want.types && c.suppressed == want.suppressed &&
		 c.primary == want.primary &&
		 c.severe == want.severe && c.points == want.points &&
		 c.penalty_type == want.penalty_type && c.decider == want.decider &&
		 c.decided == want.decided &&
		 c.n_hits == want.n_kept && c.limited == 0 &&
		 !memcmp(c.hits, r->kept, want.n_kept * sizeof(*c.hits)) &&
		 fast.types == want.types && fast.suppressed == want.suppressed &&
		 fast.primary == want.primary && fast.severe == want.severe &&
		 fast.points == want.points && fast.penalty_type == want.penalty_type &&
		 fast.decider == want.decider && fast.n_hits <= c.n_hits;
	if (!ok)
		print_error("  without later hits: types %#llx suppressed %#llx primary %d "
			    "severe %d points %d penalty %d decider %s hits %zu\n",
			    (unsigned long long)fast.types, (unsigned long long)fast.suppressed,
			    fast.primary, fast.severe, fast.points, fast.penalty_type,
			    fast.decider ? fast.decider->pattern : "-", fast.n_hits);
	if (!ok) {
		print_error("text \"%.*s\" folded \"%.*s\":\n", (int)len, text, (int)c.folded_len,
			    c.folded);
		print_error("  classifier: types %#llx suppressed %#llx primary %d severe %d "
			    "points %d penalty %d decider %s hits %zu limited %zu\n",
			    (unsigned long long)c.types, (unsigned long long)c.suppressed,
			    c.primary, c.severe, c.points,
			    c.penalty_type, c.decider ? c.decider->pattern : "-", c.n_hits,
			    c.limited);
		print_error("  reference:  types %#llx suppressed %#llx primary %d severe %d "
			    "points %d penalty %d decider %s hits %zu\n",
			    (unsigned long long)want.types, (unsigned long long)want.suppressed,
			    want.primary, want.severe, want.points,
			    want.penalty_type, want.decider ? want.decider->pattern : "-",
			    want.n_kept);
		for (size_t i = 0; i < c.n_hits; i++)
			print_error("  classifier hit %s %u..%u\n",
				    rules_atom(r->rs, c.hits[i].atom)->pattern, c.hits[i].start,
				    c.hits[i].end);
		for (size_t i = 0; i < want.n_kept; i++)
			print_error("  reference hit  %s %u..%u\n",
				    rules_atom(r->rs, r->kept[i].atom)->pattern, r->kept[i].start,
				    r->kept[i].end);
	}
	return ok;
}

/* ---- random texts: rule vocabulary mixed with noise ---- */

static uint64_t rng_state = 0xD1B54A32D192ED03ull;

static uint64_t rng(void)
{
	return rng_next(&rng_state);
}

/* TOUSU_TEST_ITERATIONS and TOUSU_TEST_SEED run the property test longer
 * or elsewhere; the defaults keep `make check` fast and repeatable. */
static int iterations(int dflt)
{
	return rng_iterations(dflt, &rng_state);
}

static const char *const vocabulary[] = {
	"质量", "问题", "差", "掉色", "开线", "做工", "粗糙", "没有", "不", "虚假", "假",
	"发货", "显示", "已", "没", "未", "收到", "物流", "单号", "查不到", "骚扰",
	"一直打电话", "冥币", "寿衣", "是", "态度", "不好", "rude", "骂人", "慢", "很",
	"太", "slow", "late ", "shipment", "dispatch", "偏", "大", "小", "了", "一码",
	"3", "42", "码", "a", "b", "c", "x", "z",
};

static const char *const noise[] = {
	" ", "  ", "　", "，", "!", "\n", "的", "我", "了", "啊", "东西", "hello", "RUDE",
	"ＲＵＤＥ", "Ｓｌｏｗ", "質量", "騷擾", "發貨", "(fā)", "（huò）", "\xE2\x80\x8B",
	"\x80", "\xE5\x8F", "\xFF", "\xF0\x9F\x98\xAD", "é", "\xE2\x84\xAA", "x", "aa", "A",
};

static size_t random_text(char *buf, size_t cap)
{
	size_t n = 0, words = (size_t)(rng() % 24);
	for (size_t w = 0; w < words; w++) {
		const char *p = rng() % 3 ?
			vocabulary[rng() % (sizeof(vocabulary) / sizeof(vocabulary[0]))] :
			noise[rng() % (sizeof(noise) / sizeof(noise[0]))];
		size_t k = strlen(p);
		if (n + k > cap)
			break;
		memcpy(buf + n, p, k);
		n += k;
	}
	return n;
}

static void test_property_against_reference(void **state)
{
	(void)state;
	struct fixture f = setup(RULES_SHOP, 0);
	struct ref r;
	char text[512];
	int n = iterations(20000), failures = 0;

	ref_init(&r, f.rs, 0);
	for (int i = 0; i < n && failures < 5; i++) {
		size_t len = random_text(text, sizeof(text));
		/* These rules never come near the match limit. */
		if (agrees(&f, &r, text, len) != 1)
			failures++;
	}
	/* The rule sets of the targeted tests too. */
	static const char *const others[] = {RULES_POINTS, RULES_EXCLUDE, RULES_TIES, RULES_SPLIT,
					     RULES_NEXT_PAIRS};
	for (size_t k = 0; k < sizeof(others) / sizeof(others[0]); k++) {
		struct fixture g = setup(others[k], 0);
		struct ref gr;
		static const char *const words[] = {
			"差评", "骚扰", "冥币", "不是", "慢", "威胁", "质量差", "没有", "甲",
			"乙", "丙", "丁", "，", "x", "没", "有", "收", "到", "发", "货", "回",
			"复", "给", "退", "款", "我", "很", "太", "差", "a", "b", "c", "A",
			"慢", "质", "量", "发货", "退款", "质量",
		};
		ref_init(&gr, g.rs, 0);
		/* Texts that random words make too seldom: a trigger of three
		 * characters with its next one, and the pairs above. */
		static const char *const edges[] = {
			"没有收货", "没有收到", "没有收", "发货很慢", "发货慢", "发货了慢", "质量差",
			"质量很差", "质量", "我很差", "我差", "xA", "xb", "xd", "退款很慢", "没收",
		};
		for (size_t e = 0; e < sizeof(edges) / sizeof(edges[0]); e++)
			failures += agrees(&g, &gr, edges[e], strlen(edges[e])) != 1;
		for (int i = 0; i < n / 4 && failures < 5; i++) {
			size_t len = 0, count = (size_t)(rng() % 8);
			for (size_t w = 0; w < count; w++) {
				const char *p = words[rng() % (sizeof(words) / sizeof(words[0]))];
				memcpy(text + len, p, strlen(p));
				len += strlen(p);
			}
			if (agrees(&g, &gr, text, len) != 1)
				failures++;
		}
		ref_release(&gr);
		teardown(&g);
	}
	ref_release(&r);
	teardown(&f);
	assert_int_equal(failures, 0);
}

/* ---- random rule sets ---- */

static void random_pattern(char *out, size_t cap, int depth);

/* One item of a random pattern, over the vocabulary of random_text(). */
static void random_item(char *out, size_t cap, int depth)
{
	static const char *const leaves[] = {
		"质量", "差", "发货", "慢", "很", "太", "没", "有", "不", "骚扰", "冥币", "态度",
		"问题", "a", "b", "x", "z", "rude", "slow", "late", " ", ".", ".{0,3}", "\\d",
		"\\w", "\\b", "[很太]", "[^不]", "\\p{Han}", "(?<!不)", "(?<=没)", "(?!有)",
		"\\x{61}", "\\.", "\\|", "é", "显示已?", "[a-cX]", "[ .]", "[\\.差z]", "[]b]",
	};
	static const char *const quantifiers[] = {"?", "*", "+", "{2}", "{1,2}", "{0,2}", "+?"};
	char inner[256];

	if (depth < 2 && rng() % 6 == 0) {
		static const char *const open[] = {"(?:", "(", "(?=", "(?!", "(?i:"};
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
	if (rng() % 5 == 0) {
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
		size_t items = 1 + (size_t)(rng() % 3);
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

/* A random pattern that rules_load accepts (not empty-matching, valid). */
static void random_valid_pattern(char *out, size_t cap)
{
	for (;;) {
		char rule[400];
		random_pattern(out, cap, 0);
		snprintf(rule, sizeof(rule), "[t]\ninclude = %s\n", out);
		struct rule_set *rs = rules_new();
		assert_non_null(rs);
		int errors = rules_load(rs, "x", rule, strlen(rule), NULL, NULL);
		rules_free(rs);
		if (!errors)
			return;
	}
}

/*
 * Random rule sets (random patterns, priorities with ties, points, severe,
 * exclude and fallback patterns, suppressed-by) against the reference on random texts: whatever
 * the triggers come out as (literal, anchored, interior, none), the
 * answers are the reference's.
 */
static void test_property_random_rules(void **state)
{
	(void)state;
	int n = iterations(20000), failures = 0, skipped = 0, compared = 0, hit = 0;
	int sets = n / 250 > 4 ? n / 250 : 4;

	for (int set = 0; set < sets && failures < 5; set++) {
		char rules[8192];
		size_t len = 0;
		size_t types = 2 + (size_t)(rng() % 3);
		for (size_t t = 0; t < types; t++) {
			char pattern[200];
			len += (size_t)snprintf(rules + len, sizeof(rules) - len,
						"[t%zu]\npriority = %d\npoints = %d\nsevere_points = %d\n",
						t, (int)(rng() % 3), (int)(rng() % 3) * 5,
						(int)(rng() % 2) * 9);
			static const char *const keys[] = {"include", "include", "exclude", "severe",
							   "fallback"};
			size_t lines = 1 + (size_t)(rng() % 4);
			for (size_t l = 0; l < lines; l++) {
				random_valid_pattern(pattern, sizeof(pattern));
				len += (size_t)snprintf(rules + len, sizeof(rules) - len, "%s = %s\n",
							l ? keys[rng() % 5] : "include", pattern);
			}
			/* A third of the types are suppressed by another, which
			 * may name this one back or be suppressed in turn. */
			if (rng() % 3 == 0)
				len += (size_t)snprintf(rules + len, sizeof(rules) - len,
							"suppressed-by = t%zu\n",
							(t + 1 + (size_t)(rng() % (types - 1))) % types);
		}
		assert_true(len < sizeof(rules));
		struct fixture f = setup(rules, 100000);
		struct ref r;
		ref_init(&r, f.rs, 100000);
		for (int i = 0; i < 250 && failures < 5; i++) {
			char text[512];
			size_t tlen = random_text(text, sizeof(text));
			int ok = agrees(&f, &r, text, tlen);
			if (!ok) {
				print_error("rules:\n%s", rules);
				failures++;
			}
			skipped += ok == 2;
			compared += ok == 1;
			struct classification c;
			assert_int_equal(classify_text(f.m, text, tlen, &c), 0);
			hit += c.types != 0;
		}
		ref_release(&r);
		teardown(&f);
	}
	assert_int_equal(failures, 0);
	/* The comparisons were real: most texts answered, many hit a type. */
	assert_true(skipped < compared / 10 + 1);
	assert_true(hit > compared / 10);
}

/* Texts written to make overlapping matches and excludes meet. */
static void test_reference_edge_texts(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"xaaa", "aaa", "aaaa", "xaaaa", "abaab", "baabaa", "acbca", "abacaba",
		"显示发货显示发货没收到", "显示已发货显示已发货未物流", "没有质量问题质量问题",
		"质量不差质量差", "不慢很慢", "很不慢", "不是骚扰骚扰", "骚扰不是骚扰",
		"态度不差态度差", "不骂人骂人", "zzz", "xaazz", "rude rude", "rudely", "",
	};
	struct fixture f = setup(RULES_SHOP, 0);
	struct ref r;
	int failures = 0;

	ref_init(&r, f.rs, 0);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		failures += agrees(&f, &r, texts[i], strlen(texts[i])) != 1;
	ref_release(&r);
	teardown(&f);
	assert_int_equal(failures, 0);
}

/* ---- targeted tests ---- */

static void test_other_when_nothing_hits(void **state)
{
	(void)state;
	struct fixture f = setup(RULES_SHOP, 0);
	static const char *const texts[] = {"", "东西不错，好评", "   ", "\xFF\xFE"};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct classification c = classify(&f, texts[i]);
		assert_int_equal(c.types, 0);
		assert_int_equal(c.primary, -1);
		assert_null(c.decider);
		assert_int_equal(c.penalty_type, -1);
		assert_int_equal(c.points, 0);
		assert_int_equal(c.severe, 0);
		assert_int_equal(c.n_hits, 0);
		assert_int_equal(c.limited, 0);
	}
	teardown(&f);
}

static void test_types_primary_decider(void **state)
{
	(void)state;
	struct fixture f = setup(RULES_SHOP, 0);
	struct classification c = classify(&f, "质量差，而且物流查不到");

	assert_int_equal(c.types, bit(&f, "quality") | bit(&f, "fake"));
	assert_int_equal(c.primary, type_of(&f, "fake"));
	assert_non_null(c.decider);
	assert_string_equal(c.decider->pattern, "(?:单号|物流)查不到");
	assert_string_equal(c.decider->where, "test.rules:12");
	/* quality has points, fake none. */
	assert_int_equal(c.penalty_type, type_of(&f, "quality"));
	assert_int_equal(c.points, 3);
	assert_int_equal(c.severe, 0);

	/* The decider is the primary type's earliest hit. */
	c = classify(&f, "發貨太慢，很慢");
	assert_int_equal(c.primary, type_of(&f, "late"));
	assert_string_equal(c.decider->pattern, "发货(?:慢|太慢)");
	c = classify(&f, "很慢，发货太慢");
	assert_string_equal(c.decider->pattern, "(?:很|太)慢");

	/* Folding: traditional, full-width, case, pinyin, spaces. */
	c = classify(&f, "顯示已發(fā)貨，沒 收 到");
	assert_int_equal(c.types, bit(&f, "fake"));
	c = classify(&f, "ＲＵＤＥ seller");
	assert_int_equal(c.types, bit(&f, "service"));
	c = classify(&f, "prudent");
	assert_int_equal(c.types, 0);
	teardown(&f);
}

static void test_priority_ties_earliest_hit(void **state)
{
	(void)state;
	struct fixture f = setup(RULES_TIES, 0);
	struct classification c = classify(&f, "丁乙甲");
	assert_int_equal(c.types, bit(&f, "x") | bit(&f, "y") | bit(&f, "z"));
	assert_int_equal(c.primary, type_of(&f, "y"));
	c = classify(&f, "丁甲丙");
	assert_int_equal(c.primary, type_of(&f, "x"));
	assert_string_equal(c.decider->pattern, "甲");
	c = classify(&f, "丁");
	assert_int_equal(c.primary, type_of(&f, "z"));
	teardown(&f);

	f = setup(RULES_SHOP, 0);
	/* quality and service share priority 50. */
	c = classify(&f, "态度差，质量差");
	assert_int_equal(c.primary, type_of(&f, "service"));
	c = classify(&f, "质量差，态度差");
	assert_int_equal(c.primary, type_of(&f, "quality"));
	teardown(&f);
}

static void test_exclude_voids_only_inside_same_type(void **state)
{
	(void)state;
	struct fixture f = setup(RULES_SHOP, 0);
	struct classification c = classify(&f, "没有质量问题");
	assert_int_equal(c.types, 0);
	c = classify(&f, "没有质量问题，但是掉色");
	assert_int_equal(c.types, bit(&f, "quality"));
	assert_int_equal(c.n_hits, 1);
	assert_string_equal(c.decider->pattern, "掉色");
	c = classify(&f, "没有质量问题，质量问题");
	assert_int_equal(c.types, bit(&f, "quality"));
	/* The exclude only voids: it never tags. */
	c = classify(&f, "质量不差");
	assert_int_equal(c.types, 0);
	c = classify(&f, "不是骚扰");
	assert_int_equal(c.types, 0);
	c = classify(&f, "不骂人");  /* a lookbehind, not an exclude */
	assert_int_equal(c.types, 0);
	teardown(&f);

	f = setup(RULES_EXCLUDE, 0);
	/* harass's exclude leaves spam's hit at the same place alone. */
	c = classify(&f, "不是骚扰");
	assert_int_equal(c.types, bit(&f, "spam"));
	c = classify(&f, "骚扰");
	assert_int_equal(c.types, bit(&f, "spam") | bit(&f, "harass"));
	/* A hit only partly inside an exclude stays. */
	c = classify(&f, "没有质量差");
	assert_int_equal(c.types, bit(&f, "quality"));
	c = classify(&f, "没有质量");
	assert_int_equal(c.types, 0);
	teardown(&f);
}

/*
 * A pattern that could only add a later hit to a type already hit is not
 * run, unless an exclude of the type hit: then the earliest hit may be
 * void and a later one decide.
 */
static void test_later_hits_left_out(void **state)
{
	(void)state;
	struct fixture f = setup("[q]\npriority = 10\ninclude = 质量.?差\ninclude = 质量.?不好\n"
				 "exclude = 没有质量.?差\n"
				 "[s]\npriority = 20\ninclude = 发货.?慢\n", 0);
	struct classification all, fast;
	const char *text = "质量差，质量不好";

	assert_int_equal(classify_text(f.m, text, strlen(text), &all), 0);
	assert_int_equal(all.n_hits, 2);
	assert_int_equal(classify_text(f.fast, text, strlen(text), &fast), 0);
	assert_int_equal(fast.n_hits, 1);
	assert_int_equal(fast.types, bit(&f, "q"));
	assert_string_equal(fast.decider->pattern, "质量.?差");

	/* The first hit is void: the one passed over decides. */
	text = "没有质量差，质量不好";
	assert_int_equal(classify_text(f.fast, text, strlen(text), &fast), 0);
	assert_int_equal(fast.types, bit(&f, "q"));
	assert_string_equal(fast.decider->pattern, "质量.?不好");
	assert_int_equal(classify_text(f.m, text, strlen(text), &all), 0);
	assert_int_equal(all.n_hits, fast.n_hits);

	/* Both hits void, each by its own exclude: the second exclude comes
	 * after the only hit the scan found, so it runs only once the hit
	 * passed over is found. */
	teardown(&f);
	f = setup("[q]\ninclude = 质量.?差\ninclude = 质量.?不好\n"
		  "exclude = 没有质量.?差\nexclude = 并非质量.?不好\n", 0);
	text = "没有质量差，并非质量不好";
	assert_int_equal(classify_text(f.m, text, strlen(text), &all), 0);
	assert_int_equal(all.types, 0);
	assert_int_equal(classify_text(f.fast, text, strlen(text), &fast), 0);
	assert_int_equal(fast.types, 0);
	teardown(&f);
	f = setup("[q]\npriority = 10\ninclude = 质量.?差\ninclude = 质量.?不好\n"
		  "exclude = 没有质量.?差\n"
		  "[s]\npriority = 20\ninclude = 发货.?慢\n", 0);

	/* Another type's hits are its own: s is run and decides. */
	text = "质量差，发货太慢，质量不好";
	assert_int_equal(classify_text(f.fast, text, strlen(text), &fast), 0);
	assert_int_equal(fast.types, bit(&f, "q") | bit(&f, "s"));
	assert_string_equal(fast.decider->pattern, "发货.?慢");
	assert_int_equal(fast.n_hits, 2);
	teardown(&f);

	/* Two hits at one place: the pattern first in the rules decides,
	 * though the scan meets the other first (its trigger is shorter). */
	f = setup("[t]\ninclude = 甲乙.?丙\ninclude = 甲.{0,3}丁\n", 0);
	text = "甲乙丙丁";
	assert_int_equal(classify_text(f.m, text, strlen(text), &all), 0);
	assert_int_equal(classify_text(f.fast, text, strlen(text), &fast), 0);
	assert_int_equal(all.n_hits, 2);
	assert_string_equal(all.decider->pattern, "甲乙.?丙");
	assert_string_equal(fast.decider->pattern, "甲乙.?丙");
	teardown(&f);
}

/* A fallback tags its type only when no include or severe pattern counted,
 * and an exclude voids it like an include. */
static void test_fallback(void **state)
{
	(void)state;
	struct fixture f = setup("[quality]\npriority = 50\ninclude = 掉色\nfallback = 质量\n"
				 "exclude = 没有质量问题\n"
				 "[logistics]\npriority = 40\ninclude = 快递慢\nfallback = 物流\n", 0);
	struct classification c = classify(&f, "质量不好");
	assert_int_equal(c.types, bit(&f, "quality"));
	assert_int_equal(c.n_hits, 1);
	assert_string_equal(c.decider->pattern, "质量");
	/* Both fallbacks count when nothing else did; the priority decides. */
	c = classify(&f, "物流和质量");
	assert_int_equal(c.types, bit(&f, "quality") | bit(&f, "logistics"));
	assert_int_equal(c.primary, type_of(&f, "quality"));
	/* An include of another type silences every fallback. */
	c = classify(&f, "快递慢,质量也一般");
	assert_int_equal(c.types, bit(&f, "logistics"));
	assert_int_equal(c.n_hits, 1);
	/* A voided include does not count: the fallbacks get their turn. */
	c = classify(&f, "没有质量问题,物流");
	assert_int_equal(c.types, bit(&f, "logistics"));
	c = classify(&f, "没有质量问题");
	assert_int_equal(c.types, 0);
	assert_int_equal(c.primary, -1);
	teardown(&f);
}

/* suppressed-by drops a type, with its hits, when a type it names was hit;
 * the primary type, the deciding rule and the points come from what is left. */
static void test_suppressed_by(void **state)
{
	(void)state;
	struct fixture f = setup("[logistics]\npriority = 90\npoints = 5\ninclude = 物流\n"
				 "exclude = 物流很快\nsuppressed-by = fake\n"
				 "[fake]\npriority = 80\npoints = 1\ninclude = 没揽件\nfallback = 单号\n"
				 "[quality]\npriority = 50\ninclude = 质量差\nfallback = 质量\n"
				 "suppressed-by = logistics, fake\n", 0);
	struct classification c = classify(&f, "物流不动，快递说没揽件");
	assert_int_equal(c.types, bit(&f, "fake"));
	assert_int_equal(c.suppressed, bit(&f, "logistics"));
	assert_int_equal(c.primary, type_of(&f, "fake"));
	assert_string_equal(c.decider->pattern, "没揽件");
	assert_int_equal(c.points, 1);
	assert_int_equal(c.n_hits, 1);
	/* Without the suppressor the type stays. */
	c = classify(&f, "物流不动");
	assert_int_equal(c.types, bit(&f, "logistics"));
	assert_int_equal(c.suppressed, 0);
	/* Judged on what was hit before anything goes: logistics, itself
	 * suppressed by fake, still drops quality. */
	c = classify(&f, "物流慢，质量差，没揽件");
	assert_int_equal(c.types, bit(&f, "fake"));
	assert_int_equal(c.suppressed, bit(&f, "logistics") | bit(&f, "quality"));
	/* An excluded hit is no hit: it suppresses nothing. */
	c = classify(&f, "物流很快，质量差");
	assert_int_equal(c.types, bit(&f, "quality"));
	/* Fallbacks are suppressed like includes. */
	c = classify(&f, "质量和单号");
	assert_int_equal(c.types, bit(&f, "fake"));
	assert_int_equal(c.suppressed, bit(&f, "quality"));
	teardown(&f);
}

static void test_severe(void **state)
{
	(void)state;
	struct fixture f = setup(RULES_SHOP, 0);
	struct classification c = classify(&f, "卖家给我寄冥币");
	assert_int_equal(c.types, bit(&f, "harass"));
	assert_int_equal(c.primary, type_of(&f, "harass"));
	assert_int_equal(c.severe, 1);
	assert_int_equal(c.points, 48);
	assert_int_equal(c.penalty_type, type_of(&f, "harass"));
	assert_string_equal(c.decider->pattern, "冥币");

	c = classify(&f, "一直打电话骚扰");
	assert_int_equal(c.severe, 0);
	assert_int_equal(c.points, 12);
	c = classify(&f, "不是骚扰，是寄寿衣");
	assert_int_equal(c.severe, 1);
	assert_int_equal(c.points, 48);
	teardown(&f);

	f = setup(RULES_POINTS, 0);
	/* A severe hit inside an exclude of its type is void. */
	c = classify(&f, "不是冥币");
	assert_int_equal(c.types, 0);
	assert_int_equal(c.severe, 0);
	/* A severe hit on a type without points tags it, but there is no
	 * penalty to be severe about. */
	c = classify(&f, "威胁");
	assert_int_equal(c.types, bit(&f, "nopoints"));
	assert_int_equal(c.penalty_type, -1);
	assert_int_equal(c.points, 0);
	assert_int_equal(c.severe, 0);
	teardown(&f);
}

/* The severity and points of a text cannot depend on the section order. */
static void test_points_order_independent(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *penalty;   /* NULL: none */
		int severe, points;
	} cases[] = {
		{"差评", "general", 0, 30},
		{"差评，骚扰", "general", 0, 30},        /* general beats general by points */
		{"差评，冥币", "severe", 1, 10},         /* severe beats general */
		{"冥币，差评", "severe", 1, 10},
		{"慢，差评", "general", 0, 30},
		{"慢", "minor", 0, 2},
		{"骚扰，慢", "severe", 0, 5},
		{"威胁，慢", "minor", 0, 2},
		{"威胁", NULL, 0, 0},
		{"不是冥币，差评", "general", 0, 30},
	};
	struct fixture a = setup(RULES_POINTS, 0), b = setup(RULES_POINTS_REVERSED, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct classification ca = classify(&a, cases[i].text);
		struct classification cb = classify(&b, cases[i].text);
		int want_a = cases[i].penalty ? type_of(&a, cases[i].penalty) : -1;
		int want_b = cases[i].penalty ? type_of(&b, cases[i].penalty) : -1;
		if (ca.penalty_type != want_a || cb.penalty_type != want_b ||
		    ca.points != cases[i].points || cb.points != cases[i].points ||
		    ca.severe != cases[i].severe || cb.severe != cases[i].severe)
			print_error("\"%s\": %d/%d points %d/%d severe %d/%d\n", cases[i].text,
				    ca.penalty_type, cb.penalty_type, ca.points, cb.points,
				    ca.severe, cb.severe);
		assert_int_equal(ca.penalty_type, want_a);
		assert_int_equal(cb.penalty_type, want_b);
		assert_int_equal(ca.points, cases[i].points);
		assert_int_equal(cb.points, cases[i].points);
		assert_int_equal(ca.severe, cases[i].severe);
		assert_int_equal(cb.severe, cases[i].severe);
	}
	teardown(&a);
	teardown(&b);
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_match_limit(void **state)
{
	(void)state;
	/* A hang would be killed by SIGALRM, failing the run. */
	alarm(60);
	struct fixture f = setup(RULES_CATASTROPHIC, 10000);
	double t0 = seconds();
	struct classification c = classify(&f, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
	assert_true(seconds() - t0 < 5.0);
	/* The untriggered (a+)+$ ran and gave up; the rest was classified. */
	assert_int_equal(c.limited, 1);
	assert_non_null(c.limited_atom);
	assert_string_equal(c.limited_atom->pattern, "(a+)+$");
	assert_int_equal(c.types, bit(&f, "fine"));

	/* Anchored at its trigger, too. */
	c = classify(&f, "xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
	assert_int_equal(c.limited, 2);
	assert_int_equal(c.types, bit(&f, "fine"));

	/* A pattern that gave up is skipped for the rest of the text: a
	 * trigger that recurs 200 times does not buy it 200 more limits. */
	char many[200 * 36 + 1] = "";
	for (int i = 0; i < 200; i++)
		strcat(many, "xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
	c = classify(&f, many);
	assert_int_equal(c.limited, 2);
	assert_int_equal(c.types, bit(&f, "fine"));

	/* The next text starts with a clean count. */
	c = classify(&f, "aaa");
	assert_int_equal(c.limited, 0);
	assert_int_equal(c.types, bit(&f, "slow"));
	teardown(&f);
	alarm(0);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	struct fixture f = setup(RULES_SHOP, 0);
	static const char text[] = "\xFF\xFE质量问题\x80，";
	struct classification c;

	assert_int_equal(classify_text(f.m, text, sizeof(text) - 1, &c), 0);
	assert_int_equal(c.types, bit(&f, "quality"));
	assert_int_equal(c.invalid, 3);
	/* A sequence cut at the end is counted too. */
	c = classify(&f, "质量问题\xE5\x8F");
	assert_int_equal(c.types, bit(&f, "quality"));
	assert_true(c.invalid >= 1);
	/* Replaced, never matched across: 质量\x80问题 is not 质量问题. */
	c = classify(&f, "质量\x80问题");
	assert_int_equal(c.types, 0);
	assert_int_equal(c.invalid, 1);
	/* Overlong and surrogate forms do not smuggle characters in. */
	c = classify(&f, "\xC0\xA0rude\xED\xA0\x80");
	assert_int_equal(c.types, bit(&f, "service"));
	assert_int_equal(c.invalid, 5);
	/* Not NUL-terminated: only len bytes are read. */
	char buf[8];
	memcpy(buf, "骚扰XY", 8);
	assert_int_equal(classify_text(f.m, buf, 6, &c), 0);
	assert_int_equal(c.types, bit(&f, "harass"));
	teardown(&f);
}

static void test_hits_and_origin(void **state)
{
	(void)state;
	struct fixture f = setup(RULES_SHOP, 0);
	struct classification none;
	/* origin[] only for a matcher that asks for it (--explain). */
	assert_int_equal(classify_text(f.m, "质量差", strlen("质量差"), &none), 0);
	assert_null(none.origin);
	matcher_want_origin(f.m);
	const char *text = "發(fā)貨太慢，質量差";
	struct classification c = classify(&f, text);

	assert_int_equal(c.types, bit(&f, "late") | bit(&f, "quality"));
	/* 发货太慢 and, by another alternative, 太慢 inside it; then 质量差. */
	assert_int_equal(c.n_hits, 3);
	/* In text order, offsets in the folded text. */
	assert_true(c.hits[0].start < c.hits[1].start && c.hits[1].start < c.hits[2].start);
	assert_int_equal(c.hits[0].end - c.hits[0].start, strlen("发货太慢"));
	assert_memory_equal(c.folded + c.hits[0].start, "发货太慢", strlen("发货太慢"));
	assert_int_equal(c.hits[1].end, c.hits[0].end);
	assert_int_equal(c.hits[2].end - c.hits[2].start, strlen("质量差"));
	assert_memory_equal(c.folded + c.hits[2].start, "质量差", strlen("质量差"));
	/* origin[] takes them back to the input, for --explain. */
	assert_int_equal(c.origin[c.hits[0].start], 0);
	assert_int_equal(c.origin[c.hits[2].start], strstr(text, "質量") - text);
	assert_int_equal(c.origin[c.hits[2].end], strlen(text));

	/* Many hits in one text. */
	char big[4096];
	size_t n = 0;
	for (int i = 0; i < 200; i++) {
		memcpy(big + n, "掉色，", strlen("掉色，"));
		n += strlen("掉色，");
	}
	assert_int_equal(classify_text(f.m, big, n, &c), 0);
	assert_int_equal(c.types, bit(&f, "quality"));
	assert_int_equal(c.n_hits, 200);

	/* More hits than CLASSIFIER_MAX_HITS: a type hit only at the end
	 * still counts, and an exclude there still voids. */
	char *huge = malloc(20000);
	assert_non_null(huge);
	n = 0;
	for (int i = 0; i < 1000; i++) {
		memcpy(huge + n, "掉色，", strlen("掉色，"));
		n += strlen("掉色，");
	}
	memcpy(huge + n, "骚扰", strlen("骚扰"));
	assert_int_equal(classify_text(f.m, huge, n + strlen("骚扰"), &c), 0);
	assert_int_equal(c.types, bit(&f, "quality") | bit(&f, "harass"));
	assert_int_equal(c.primary, type_of(&f, "harass"));
	assert_int_equal(c.n_hits, 1001);
	memcpy(huge + n, "没有骚扰", strlen("没有骚扰"));
	assert_int_equal(classify_text(f.m, huge, n + strlen("没有骚扰"), &c), 0);
	assert_int_equal(c.types, bit(&f, "quality"));
	assert_int_equal(c.n_hits, 1000);
	free(huge);
	teardown(&f);
}

/* ---- two threads, one classifier ---- */

#define THREAD_TEXTS 2000

struct expected {
	uint64_t types;
	int primary, severe, points;
	long decider;             /* the deciding atom's index, -1: none */
	size_t n_hits;
};

/* An atom's index in its rule set, so that two loads of the same rules compare. */
static long atom_index(const struct rule_set *rs, const struct rule_atom *a)
{
	return a ? (long)(a - rules_atom(rs, 0)) : -1;
}

struct corpus {
	char text[THREAD_TEXTS][256];
	size_t len[THREAD_TEXTS];
	struct expected want[THREAD_TEXTS];
};

struct worker {
	const struct classifier *c;
	const struct rule_set *rs;
	const struct corpus *corpus;
	int backwards;
	int mismatches, errors;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct matcher *m = matcher_new(w->c, 0);
	if (!m) {
		w->errors++;
		return NULL;
	}
	matcher_want_all_hits(m);  /* as the expectations were made */
	for (int round = 0; round < 3; round++)
		for (int k = 0; k < THREAD_TEXTS; k++) {
			int i = w->backwards ? THREAD_TEXTS - 1 - k : k;
			struct classification c;
			if (classify_text(m, w->corpus->text[i], w->corpus->len[i], &c) < 0) {
				w->errors++;
				continue;
			}
			const struct expected *e = &w->corpus->want[i];
			w->mismatches += c.types != e->types || c.primary != e->primary ||
					 c.severe != e->severe || c.points != e->points ||
					 atom_index(w->rs, c.decider) != e->decider ||
					 c.n_hits != e->n_hits;
		}
	matcher_free(m);
	return NULL;
}

/*
 * Two threads share a classifier whose atoms are JIT-compiled on first use
 * (rules_atom_jit): they race to compile the same atoms, and must still
 * agree with one thread on rules loaded apart.
 */
static void test_two_threads(void **state)
{
	(void)state;
	struct fixture one = setup(RULES_SHOP, 0), f = setup(RULES_SHOP, 0);
	struct corpus *corpus = calloc(1, sizeof(*corpus));
	int hit = 0;

	assert_non_null(corpus);
	for (int i = 0; i < THREAD_TEXTS; i++) {
		corpus->len[i] = random_text(corpus->text[i], sizeof(corpus->text[i]));
		struct classification c;
		assert_int_equal(classify_text(one.m, corpus->text[i], corpus->len[i], &c), 0);
		corpus->want[i] = (struct expected){c.types, c.primary, c.severe, c.points,
						     atom_index(one.rs, c.decider), c.n_hits};
		hit += c.types != 0;
	}
	assert_true(hit > THREAD_TEXTS / 4);  /* the corpus exercises the rules */
	/* Loading compiled no atom for the JIT: the threads do. */
	for (size_t i = 0; i < rules_atom_count(f.rs); i++)
		assert_int_equal(rules_atom(f.rs, i)->jit, ATOM_JIT_UNTRIED);

	struct worker w[2] = {{f.c, f.rs, corpus, 0, 0, 0}, {f.c, f.rs, corpus, 1, 0, 0}};
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(w[i].errors, 0);
		assert_int_equal(w[i].mismatches, 0);
	}
	/* Every atom that ran was compiled, on the JIT where PCRE2 has one. */
	uint32_t has_jit = 0;
	size_t on_jit = 0;
	pcre2_config(PCRE2_CONFIG_JIT, &has_jit);
	for (size_t i = 0; i < rules_atom_count(f.rs); i++) {
		uint8_t jit = rules_atom(f.rs, i)->jit;
		assert_true(jit == rules_atom(one.rs, i)->jit);
		on_jit += jit == ATOM_JIT_YES;
	}
	assert_true(has_jit ? on_jit > 0 : on_jit == 0);
	free(corpus);
	teardown(&one);
	teardown(&f);
}

/* ---- tests/rules/cases.tsv ---- */

/* Decodes \t \n \\ \xHH in place; returns the length. */
static size_t unescape(char *s)
{
	size_t o = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] != '\\' || !s[i + 1]) {
			s[o++] = s[i];
			continue;
		}
		char c = s[++i];
		if (c == 't')
			s[o++] = '\t';
		else if (c == 'n')
			s[o++] = '\n';
		else if (c == 'x' && s[i + 1] && s[i + 2]) {
			char hex[3] = {s[i + 1], s[i + 2], 0};
			s[o++] = (char)strtoul(hex, NULL, 16);
			i += 2;
		} else
			s[o++] = c;
	}
	s[o] = '\0';
	return o;
}

/* Checks one case; returns 1 if it passes, else prints why. */
static int run_case(const char *where, const char *snippet, char *text, char *types,
		    const char *severity)
{
	const char *rules = snippet_text(snippet);
	if (!rules) {
		print_error("%s: no rule snippet '%s'\n", where, snippet);
		return 0;
	}
	struct fixture f = setup(rules, 0);
	struct classification c;
	size_t len = unescape(text);
	int ok = classify_text(f.m, text, len, &c) == 0;
	uint64_t want = 0;
	int primary = -2;

	for (char *save = NULL, *t = strtok_r(types, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int k = strcmp(t, "other") ? rules_type_find(f.rs, t) : -1;
		if (k < 0 && strcmp(t, "other")) {
			print_error("%s: no type '%s' in snippet '%s'\n", where, t, snippet);
			ok = 0;
		}
		if (primary == -2)
			primary = k;
		if (k >= 0)
			want |= 1ull << k;
	}
	const char *sev = c.penalty_type < 0 ? "-" : c.severe ? "severe" : "general";
	if (ok && (c.types != want || c.primary != primary || strcmp(sev, severity))) {
		print_error("%s: got types %#llx primary %s severity %s; want %#llx %s %s\n", where,
			    (unsigned long long)c.types,
			    c.primary < 0 ? "other" : rules_type(f.rs, (size_t)c.primary)->id, sev,
			    (unsigned long long)want,
			    primary < 0 ? "other" : rules_type(f.rs, (size_t)primary)->id, severity);
		ok = 0;
	}
	teardown(&f);
	return ok;
}

static void test_cases_tsv(void **state)
{
	(void)state;
	const char *path = getenv("TOUSU_RULE_CASES");
	if (!path || !*path)
		path = "tests/rules/cases.tsv";
	FILE *in = fopen(path, "r");
	if (!in)
		print_error("%s: cannot open (run from the top of the tree)\n", path);
	assert_non_null(in);

	char line[4096];
	int lineno = 0, cases = 0, failed = 0;
	while (fgets(line, sizeof(line), in)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *field[4];
		char *p = line;
		int nf = 0;
		while (nf < 4) {
			field[nf++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		char where[64];
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		if (nf != 4 || p) {
			print_error("%s: expected 4 tab-separated fields\n", where);
			failed++;
			continue;
		}
		cases++;
		failed += !run_case(where, field[0], field[1], field[2], field[3]);
	}
	fclose(in);
	assert_true(cases > 0);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other_when_nothing_hits),
		cmocka_unit_test(test_types_primary_decider),
		cmocka_unit_test(test_priority_ties_earliest_hit),
		cmocka_unit_test(test_exclude_voids_only_inside_same_type),
		cmocka_unit_test(test_later_hits_left_out),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_suppressed_by),
		cmocka_unit_test(test_severe),
		cmocka_unit_test(test_points_order_independent),
		cmocka_unit_test(test_match_limit),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_hits_and_origin),
		cmocka_unit_test(test_reference_edge_texts),
		cmocka_unit_test(test_property_against_reference),
		cmocka_unit_test(test_property_random_rules),
		cmocka_unit_test(test_two_threads),
		cmocka_unit_test(test_cases_tsv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
