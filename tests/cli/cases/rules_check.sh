# rules check reports every error with FILE:LINE and PCRE2's message and offset, and exits 1.
printf '[quality]\ninclude = 坏了(\nfoo = bar\n[Bad Id]\n[refund]\npriority = high\ninclude = a*\n[other]\n' > bad.rules
st=0; "$TOUSU" rules check bad.rules 2> err.txt || st=$?
echo "exit $st"
cat err.txt
cd "$FIXTURES"
"$TOUSU" rules check test.rules
