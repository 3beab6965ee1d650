# --partial writes a temporary file beside its name and renames it over the
# name, so a name that is not a regular file is refused before any reading:
# the rename would put a file in place of a symlink, a FIFO or a device (as
# root, /dev/full became a regular file). "-" is a usage error (exit 2).
o="$REPO/samples/orders.csv"; c="$REPO/samples/complaints.csv"
st=0; "$TOUSU" rates --orders "$o" --complaints "$c" --partial - > /dev/null 2> err.txt || st=$?
echo "dash: exit $st"; cat err.txt
"$TOUSU" rates --orders "$o" --complaints "$c" --partial a.part > /dev/null
st=0; "$TOUSU" merge --partial - a.part > /dev/null 2> err.txt || st=$?
echo "merge dash: exit $st"; cat err.txt
echo target > target.txt
ln -s target.txt link.part
st=0; "$TOUSU" rates --orders "$o" --complaints "$c" --partial link.part > out.tsv 2> err.txt || st=$?
echo "symlink: exit $st, $(wc -c < out.tsv) bytes out"; cat err.txt
[ -L link.part ] && echo "the symlink is still a symlink to: $(cat link.part)"
mkfifo fifo.part
st=0; "$TOUSU" rates --orders "$o" --complaints "$c" --partial fifo.part > /dev/null 2> err.txt || st=$?
echo "fifo: exit $st"; cat err.txt
[ -p fifo.part ] && echo "the FIFO is still a FIFO"
ls | grep -c '\.tmp\.' || true
# A regular file is replaced, as before.
echo old > ok.part
"$TOUSU" rates --orders "$o" --complaints "$c" --partial ok.part > /dev/null
"$TOUSU" merge ok.part 2> /dev/null | head -n 1 | cut -f1-3
