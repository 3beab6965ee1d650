# A file of the report that cannot be written (a full disk) fails the night
# with the file and the reason on stderr; types.tsv and summary.json used to
# fail with no reason and no name. The full disk is /dev/full, opened in
# place of one file of the report by a small LD_PRELOAD shim around fopen.
[ -c /dev/full ] && [ -w /dev/full ] || { echo "skip: no /dev/full" >&2; exit 77; }
command -v cc > /dev/null || { echo "skip: no cc to build the fopen shim" >&2; exit 77; }
cat > full.c <<'C'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* fopen of a path ending in /$FULL_FILE for writing opens /dev/full */
FILE *fopen(const char *path, const char *mode)
{
	static FILE *(*real)(const char *, const char *);
	const char *name = getenv("FULL_FILE"), *slash = strrchr(path, '/');
	if (!real)
		real = (FILE *(*)(const char *, const char *))dlsym(RTLD_NEXT, "fopen");
	if (name && *mode == 'w' && slash && !strcmp(slash + 1, name))
		path = "/dev/full";
	return real(path, mode);
}
FILE *fopen64(const char *path, const char *mode) { return fopen(path, mode); }
C
cc -shared -fPIC -o full.so full.c -ldl
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} '
printf 'order_id,shop_id,created_at\n1,S1,2026-10-30 10:00:00\n' > o.csv
printf 'complaint_id,order_id,shop_id,filed_at,text\nC1,1,S1,2026-10-30 12:00:00,退款\n' > c.csv
for f in rates.tsv types.tsv alerts.tsv summary.json index.html shop-S1-types.tsv; do
	rc=0
	FULL_FILE=$f LD_PRELOAD=$PWD/full.so ASAN_OPTIONS=verify_asan_link_order=0 \
		"$TOUSU" report --orders o.csv --complaints c.csv --out R --date 2026-10-31 --shop S1 \
		2> err.txt || rc=$?
	echo "$f on a full disk: exit $rc"
	sed -E "s/$stamp//; s/tmp\.[0-9]+/tmp.PID/; s/^/  /" err.txt | grep -v 'reading the night'
done
test ! -e R/2026-10-31 && echo "no report written"
