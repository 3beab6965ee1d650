# `tousu chats` does not depend on the order of the chat rows: the same
# exports shuffled (tests/chats/reorder.py: Python's random with fixed seeds;
# the csv module keeps quoted newlines inside their rows) and reversed, plain
# and gzipped, on one thread and on two, give the same output as the
# original, in both modes.
#
# Evidence mode (one row per complaint, in the complaints' order) must be
# byte-identical. The per-shop table is compared with its rows sorted: tousu
# prints shops in the order they are first seen in the input, so the table's
# row order follows the input's (reported; compare it byte for byte once it
# no longer does).
command -v python3 > /dev/null || { echo "skip: no python3" >&2; exit 77; }
"$TOUSU" sample -q --orders 5000 --seed 38 --out s
python3 "$REPO/tests/chats/edges.py" 1 edges

sorted_table() { { IFS= read -r h; printf '%s\n' "$h"; LC_ALL=C sort; }; }

for d in s edges; do
	python3 "$REPO/tests/chats/reorder.py" "$d/chats.csv"
	"$TOUSU" chats --chats "$d/chats.csv" 2> /dev/null | sorted_table > want.tsv
	"$TOUSU" chats --chats "$d/chats.csv" --complaints "$d/complaints.csv" > want-ev.tsv 2> /dev/null
	n=0
	for mode in 1 2 3 reverse; do
		gzip -c "$mode.csv" > "$mode.csv.gz"
		for f in "$mode.csv" "$mode.csv.gz"; do
			for j in 1 2; do
				"$TOUSU" chats -j "$j" --chats "$f" 2> /dev/null | sorted_table > got.tsv
				cmp want.tsv got.tsv
				"$TOUSU" chats -j "$j" --chats "$f" --complaints "$d/complaints.csv" > got-ev.tsv 2> /dev/null
				cmp want-ev.tsv got-ev.tsv
				n=$((n + 1))
			done
		done
	done
	echo "$d: $n reorderings x (table, evidence) equal: $(($(wc -l < want.tsv) - 1)) shops, $(($(wc -l < want-ev.tsv) - 1)) complaints"
done
