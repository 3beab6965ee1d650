# Every command in the command table has --help and a section in the man page.
"$TOUSU" --help > help.txt
sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' help.txt > commands.txt
test -s commands.txt
while read -r c; do
	"$TOUSU" "$c" --help > /dev/null
	grep -q "^\.B $c" "$REPO/cmd/tousu.1" || { echo "man page lacks $c"; exit 1; }
done < commands.txt
cat commands.txt
