# The built-in rules on the labelled sets (tests/rules/). holdout4 is the one
# set no rule was written from or chosen on (0.764 macro F1 when first scored,
# 0.774 after the fifth round, against a target of 0.90: README
# "Classification quality"); holdout5 (0.815) is the set variants are chosen
# on; the eval set's holdout split was held out for three rounds and is tuning
# data now. The floors guard against regressions; the README reports the
# figures.
[ -d "$DATA/online_shopping_10_cats" ] || { echo "skip: $DATA missing" >&2; exit 77; }
sh "$REPO/tests/rules/resolve.sh" "$REPO/tests/rules/holdout4.tsv" "$DATA" holdout4 > holdout4.tsv
"$TOUSU" rules test --min-f1 0.75 holdout4.tsv > report4.txt
grep -q 'texts 257, macro F1' report4.txt
sh "$REPO/tests/rules/resolve.sh" "$REPO/tests/rules/holdout5.tsv" "$DATA" holdout5 > holdout5.tsv
"$TOUSU" rules test --min-f1 0.81 holdout5.tsv > report5.txt
grep -q 'texts 275, macro F1' report5.txt
sh "$REPO/tests/rules/resolve.sh" "$REPO/tests/rules/eval.tsv" "$DATA" holdout > holdout.tsv
"$TOUSU" rules test --min-f1 0.85 holdout.tsv > report.txt
grep -q 'macro F1' report.txt
