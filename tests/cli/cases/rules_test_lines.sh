# rules test scores every line it can and names every line it cannot (no
# silent skips: the score would be of another set): a spreadsheet's BOM
# before the header is dropped; no types, an empty text, an empty item,
# 'other' beside a type and a repeated type are each reported with the line
# and make the exit 1, and the scores are of the rest; precision with nothing
# found shows '-'; a file with nothing to score fails even the --min-type-f1
# gate; --min-f1 outside 0-1 is a usage error; a text on which a pattern hit
# the match limit is counted on stderr.
printf '\357\273\277text\ttypes\n质量太差了\tquality\nx\t\n\tquality\na\tquality,,refund\nb\tother,quality\nc\tquality,other\nd\tquality,quality\n要求退款\trefund\n假货\tcounterfeit\n' > t.tsv
st=0; "$TOUSU" rules test t.tsv > out || st=$?
echo "exit $st"
grep -E '^(#type|quality|refund|counterfeit|fake_shipment|other) ' out
grep '^texts' out
echo "== nothing to score"
: > empty.tsv
st=0; "$TOUSU" rules test --min-type-f1 0.9 empty.tsv > /dev/null || st=$?
echo "exit $st"
st=0; "$TOUSU" rules test --min-f1 -1 t.tsv > /dev/null || st=$?
echo "--min-f1 -1: exit $st"
echo "== the match limit"
printf '[quality]\ninclude = x(?:(a+)+c|a+!)\n' > slow.rules
printf 'xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\tquality\n' > slow.tsv
st=0; "$TOUSU" rules test --rules slow.rules slow.tsv | grep '^texts' || st=$?
echo "exit $st"
