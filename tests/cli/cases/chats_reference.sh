# `tousu chats` equals tests/chats/reference.py (Python, no code shared) on
# generated data (`tousu sample`: planted night contacts and bursts), on
# tests/chats/edges.py's exports (times on every boundary of the definitions,
# same-second rows, shared and empty session ids, rows to leave out) and on
# the bundled samples:
#  - the per-shop table, every column but abusive_messages, rows sorted by
#    shop_id on both sides, and the counts of rows left out;
#  - abusive_messages against `tousu classify` of the seller chat texts the
#    reference writes out: per shop, the rows whose types include attitude;
#  - evidence mode: for every complaint whose claim (tousu's, the
#    classifier's) is harassment, evidence, contacts_7d, night_contacts_7d
#    and burst_7d; for attitude ones the three contact columns.
command -v python3 > /dev/null || { echo "skip: no python3" >&2; exit 77; }
R=$REPO/tests/chats/reference.py
"$TOUSU" sample -q --orders 5000 --seed 38 --out s
python3 "$REPO/tests/chats/edges.py" 1 edges1 2 edges2 3 edges3
mkdir samples
cp "$REPO/samples/chats.csv" "$REPO/samples/complaints.csv" samples/

# table DIR: "DIR: N shops equal, A abusive messages, left out: ..."
table() {
	d=$1
	python3 "$R" "$d/chats.csv" --seller-texts texts.csv > want.tsv 2> want.err
	"$TOUSU" chats --chats "$d/chats.csv" > got-full.tsv 2> got.err
	cut -f 1-12 got-full.tsv | { IFS= read -r h; printf '%s\n' "$h"; LC_ALL=C sort; } > got.tsv
	diff want.tsv got.tsv
	want_out=$(sed -n 's/^reference: left out \([0-9]*\) rows without a shop, \([0-9]*\) without a session, \([0-9]*\) whose sent_at does not parse, \([0-9]*\) whose sender.*/\1 \2 \3 \4/p' want.err)
	got_out=$(sed -n 's/^tousu: chats: left out \([0-9]*\) rows\{0,1\} without a shop, \([0-9]*\) without a session, \([0-9]*\) whose sent_at does not parse, \([0-9]*\) whose sender.*/\1 \2 \3 \4/p' got.err)
	[ "$want_out" = "$got_out" ] || { echo "left out: reference '$want_out', tousu '$got_out'"; exit 1; }
	# abusive_messages: the seller chat texts, classified as complaints
	"$TOUSU" classify texts.csv > texts.tsv 2> /dev/null
	awk -F '\t' 'FNR == 1 { sub(/^#/, ""); for (i = 1; i <= NF; i++) c[$i] = i; next }
		FILENAME != ARGV[2] { n[$c["shop_id"]] += ("," $c["types"] ",") ~ /,attitude,/; next }
		$1 != "" { total += $13
			if ($13 != n[$1] + 0) { print "abusive_messages: shop " $1 ": tousu " $13 ", classify " n[$1] + 0; bad = 1 } }
		END { if (bad) exit 1; print total }' texts.tsv got-full.tsv > abusive.out ||
		{ cat abusive.out; exit 1; }
	echo "$d: $(($(wc -l < want.tsv) - 1)) shops equal, $(cat abusive.out) abusive messages, left out (no shop, session, time, sender): ${got_out:-0 0 0 0}"
}

# evidence DIR: "DIR evidence: ..."
evidence() {
	d=$1
	"$TOUSU" chats --chats "$d/chats.csv" --complaints "$d/complaints.csv" > ev.tsv 2> /dev/null
	python3 "$R" "$d/chats.csv" --complaints "$d/complaints.csv" --claims ev.tsv > want.tsv 2> /dev/null
	awk -F '\t' -v OFS='\t' 'NR == 1 || $5 == "harassment" || $5 == "attitude" {
		if ($5 == "attitude") $6 = "-"; print $1, $2, $3, $4, $5, $6, $7, $8, $9 }' ev.tsv > got.tsv
	diff want.tsv got.tsv
	echo "$d evidence: $(awk -F '\t' '$5 == "harassment" { n++; e[$6]++ } $5 == "attitude" { a++ }
		END { printf "%d harassment rows equal (supported %d, not_supported %d, no_chats %d), contacts of %d attitude rows equal",
			n, e["supported"], e["not_supported"], e["no_chats"], a }' want.tsv)"
}

for d in s edges1 edges2 edges3 samples; do
	table "$d"
	evidence "$d"
done
