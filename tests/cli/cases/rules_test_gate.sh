# rules test prints precision, recall and F1 per type and gates on --min-f1.
printf '#text\ttypes\n坏了\tquality\n发货太慢还没发货\tlate_shipment\n挺好的\tother\n骂人\tattitude\n退款\trefund,quality\n' > l.tsv
"$TOUSU" rules test --rules "$FIXTURES/test.rules" l.tsv
st=0; "$TOUSU" rules test --rules "$FIXTURES/test.rules" --min-f1 0.99 l.tsv > /dev/null 2> err.txt || st=$?
echo "exit $st"; cat err.txt
# A text may start with '#' (#差评#): it is scored, not taken for a comment.
printf '#text\ttypes\n# a comment\n#差评# 坏了\tquality\n' | "$TOUSU" rules test --rules "$FIXTURES/test.rules" - | grep '^texts'
