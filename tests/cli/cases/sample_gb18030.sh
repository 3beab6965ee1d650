# --encoding gb18030 is the UTF-8 output converted, and converts back exactly,
# with --bom and --crlf too.
"$TOUSU" sample -q --orders 1500 --seed 3 --out u
"$TOUSU" sample -q --orders 1500 --seed 3 --encoding gb18030 --out g
"$TOUSU" sample -q --orders 1500 --seed 3 --encoding gb18030 --gzip --out gz
for f in orders complaints chats; do
	if cmp -s u/$f.csv g/$f.csv; then echo "$f.csv was not converted"; exit 1; fi
	iconv -f GB18030 -t UTF-8 g/$f.csv | cmp - u/$f.csv
	gzip -dc gz/$f.csv.gz | cmp - g/$f.csv
done
"$TOUSU" sample -q --orders 1500 --seed 3 --bom --crlf --out bc
python3 - u bc <<'PY'
import sys
u, bc = sys.argv[1:]
for f in ("orders", "complaints", "chats"):
    plain = open(f"{u}/{f}.csv", "rb").read()
    b = open(f"{bc}/{f}.csv", "rb").read()
    assert b.startswith(b"\xef\xbb\xbf"), f
    assert b.count(b"\r\n") >= plain.count(b"\n") - plain.count(b"\r\n") - 50
    assert b[3:].replace(b"\r\n", b"\n") == plain, f
print("ok")
PY
