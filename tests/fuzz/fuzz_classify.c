/*
 * libFuzzer harness for folding and classification: any bytes as a
 * complaint text, against the built-in rules. Folded text must be valid
 * UTF-8 and folding must be idempotent; classification must not crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzers/classifier.h"
#include "analyzers/textfold.h"
#include "formats/encoding.h"

static struct rule_set *rs;
static struct classifier *cl;
static struct matcher *m;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!rs) {
		rs = rules_new();
		if (!rs || rules_load_default(rs, NULL, NULL))
			abort();
		cl = classifier_new(rs, NULL);
		m = cl ? matcher_new(cl, 100000) : NULL;
		if (!m)
			abort();
	}
	char *once = malloc(TEXTFOLD_MAX_OUT(size) + 1);
	char *twice = malloc(TEXTFOLD_MAX_OUT(TEXTFOLD_MAX_OUT(size)) + 1);
	size_t n1 = textfold_text((const char *)data, size, once, NULL, NULL);
	size_t n2 = textfold_text(once, n1, twice, NULL, NULL);
	if (!utf8_is_valid(once, n1) || n1 != n2 || memcmp(once, twice, n1))
		abort();
	free(once);
	free(twice);

	struct classification c;
	if (classify_text(m, (const char *)data, size, &c) < 0)
		abort();
	if (c.primary >= 0 && !(c.types >> c.primary & 1))
		abort();  /* the primary type is one of the types */
	return 0;
}
