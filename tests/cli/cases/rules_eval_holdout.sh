# The built-in rules on the held-out third of the labelled set (tests/rules/eval.tsv).
# The floor guards against regressions; the README reports the figures.
[ -d "$DATA/online_shopping_10_cats" ] || { echo "skip: $DATA missing" >&2; exit 77; }
sh "$REPO/tests/rules/resolve.sh" "$REPO/tests/rules/eval.tsv" "$DATA" holdout > holdout.tsv
"$TOUSU" rules test --min-f1 0.75 holdout.tsv > report.txt
grep -q 'macro F1' report.txt
