# Keeps the named columns of a '#'-headed tsv, in the order named, so that
# `tousu rates` output can be compared with tests/rates/reference.sh:
#
#   sh tests/rates/reference.sh o.csv c.csv classified.tsv --by day > want.tsv
#   tousu rates --orders o.csv --complaints c.csv --by day |
#       awk -f tests/rates/columns.awk -v cols="$(head -n 1 want.tsv)" |
#       { IFS= read -r h; printf '%s\n' "$h"; LC_ALL=C sort; } > got.tsv
#   diff want.tsv got.tsv
#
# cols: the names, tab separated, the first one may carry the '#'. A name the
# input lacks is an error (exit 2).
BEGIN {
	FS = OFS = "\t"
	sub(/^#/, "", cols)
	n = split(cols, want, "\t")
}

NR == 1 {
	sub(/^#/, "")
	for (i = 1; i <= NF; i++)
		at[$i] = i
	for (i = 1; i <= n; i++)
		if (!(want[i] in at)) {
			print "columns: no column " want[i] > "/dev/stderr"
			missing = 1
			exit 2
		}
	printf "#"
}

{
	for (i = 1; i <= n; i++)
		printf "%s%s", $at[want[i]], i < n ? OFS : ORS
}

END {
	if (missing)
		exit 2
}
