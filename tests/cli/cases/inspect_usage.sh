# Usage errors exit 2 and say what is wrong.
"$TOUSU" inspect 2> err1.txt && exit 1
grep -q 'no input files' err1.txt
st=0; "$TOUSU" inspect --bogus x.csv 2> err2.txt || st=$?
[ $st = 2 ]; grep -q "unknown option '--bogus'" err2.txt
st=0; "$TOUSU" inspect --format xml x.csv 2> err3.txt || st=$?
[ $st = 2 ]; grep -q "is not one of" err3.txt
st=0; "$TOUSU" nosuchcommand 2> err4.txt || st=$?
[ $st = 2 ]
"$TOUSU" inspect --help | head -n 1
"$TOUSU" --help | grep -c '^  [a-z]'  >/dev/null
