# A write that fails (here: the file size limit) is a runtime error, exit 1
# with one message, and leaves no file behind, finished or temporary.
trap '' XFSZ
ulimit -f 200
set +e
"$TOUSU" sample --orders 100000 --out o 2>err
s=$?
set -e
[ "$s" = 1 ]
[ "$(wc -l < err)" = 1 ]
grep -q "^tousu: [a-z]*\.csv: write failed: File too large$" err
[ -z "$(ls -A o)" ]
echo ok
