# On a filesystem without RENAME_EXCHANGE (NFS, CIFS, many FUSE ones; here a
# small LD_PRELOAD shim makes renameat2 fail with EINVAL) a rerun of a date
# still replaces its report (two renames) and leaves nothing aside; a run
# killed between the two renames leaves the old report aside as
# .DATE.old.PID, and the next run puts it back.
command -v cc > /dev/null || { echo "skip: no cc to build the renameat2 shim" >&2; exit 77; }
cat > noexchange.c <<'C'
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
	      unsigned int flags)
{
	(void)olddirfd; (void)oldpath; (void)newdirfd; (void)newpath; (void)flags;
	errno = EINVAL;
	return -1;
}
C
cc -shared -fPIC -o noexchange.so noexchange.c
run() {
	LD_PRELOAD=$PWD/noexchange.so ASAN_OPTIONS=verify_asan_link_order=0 \
		"$TOUSU" report --out R --orders o.csv --complaints c.csv "$@" 2> err || echo "exit $?"
	sed -E 's/^[^ ]+ //' err | grep -v 'reading the night'
}
printf 'order_id,shop_id,created_at\n1,S1,2026-10-30 10:00:00\n' > o.csv
printf 'complaint_id,order_id,shop_id,filed_at,text\nC1,1,S1,2026-10-30 12:00:00,退款\n' > c.csv
run --date 2026-10-30
cut -f1-4 R/2026-10-30/rates.tsv
echo "== the same date again, with two orders"
printf '2,S1,2026-10-30 11:00:00\n' >> o.csv
run --date 2026-10-30
cut -f1-4 R/2026-10-30/rates.tsv
ls -a R | grep -v '^\.\.\?$' | grep -v '^\.lock$'
echo "== killed between the renames: the next run puts the old report back"
mv R/2026-10-30 R/.2026-10-30.old.12345
run --date 2026-10-31
ls -a R | grep -v '^\.\.\?$' | grep -v '^\.lock$'
cut -f1-4 R/2026-10-30/rates.tsv
