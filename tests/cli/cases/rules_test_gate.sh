# rules test prints precision, recall and F1 per type and gates on --min-f1; the
# macro F1 averages the types that occur (expected or found), not absent ones.
printf '#text\ttypes\n坏了\tquality\n发货太慢还没发货\tlate_shipment\n挺好的\tother\n骂人\tattitude\n退款\trefund,quality\n' > l.tsv
"$TOUSU" rules test --rules "$FIXTURES/test.rules" l.tsv
st=0; "$TOUSU" rules test --rules "$FIXTURES/test.rules" --min-f1 0.99 l.tsv > /dev/null 2> err.txt || st=$?
echo "exit $st"; cat err.txt
# A text may start with '#' (#差评#): it is scored, not taken for a comment.
printf '#text\ttypes\n# a comment\n#差评# 坏了\tquality\n' | "$TOUSU" rules test --rules "$FIXTURES/test.rules" - | grep '^texts'
# A header without '#' is a header too, not an error on line 1.
printf 'text\ttypes\n坏了\tquality\n' > h.tsv
"$TOUSU" rules test --rules "$FIXTURES/test.rules" h.tsv 2>&1 | grep -E '^texts|^tousu'
