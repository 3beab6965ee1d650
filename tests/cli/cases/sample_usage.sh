# Bad command lines are usage errors (exit 2) and write nothing.
status() { set +e; "$@" 2>>err; s=$?; set -e; echo "$s"; }
[ "$(status "$TOUSU" sample --orders 10)" = 2 ]                      # no --out
[ "$(status "$TOUSU" sample --out o --start 2026-02-30)" = 2 ]
[ "$(status "$TOUSU" sample --out o --orders many)" = 2 ]
[ "$(status "$TOUSU" sample --out o --gzip-member-size 8M)" = 2 ]   # needs --gzip
[ "$(status "$TOUSU" sample --out o --gzip --gzip-member-size 8X)" = 2 ]
[ "$(status "$TOUSU" sample --out o --encoding latin1)" = 2 ]
[ "$(status "$TOUSU" sample --out o --shops 0)" = 2 ]
[ "$(status "$TOUSU" sample --out o extra)" = 2 ]
[ ! -e o ]
cat err
"$TOUSU" sample --out o --bogus
