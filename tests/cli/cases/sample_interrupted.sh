# A run stopped by a signal leaves no file behind, finished or temporary.
"$TOUSU" sample -q --orders 100000000 --out big &
pid=$!
sleep 0.5
kill -TERM "$pid"
set +e
wait "$pid"
s=$?
set -e
[ "$s" -ne 0 ]
[ -z "$(ls -A big 2>/dev/null)" ]
echo ok
