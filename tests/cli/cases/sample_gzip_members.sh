# --gzip writes one gzip stream, --gzip-member-size many members cut at row
# ends (like split-and-joined exports); both decode to the plain bytes.
"$TOUSU" sample -q --orders 3000 --seed 9 --out plain
"$TOUSU" sample -q --orders 3000 --seed 9 --gzip --out one
"$TOUSU" sample -q --orders 3000 --seed 9 --gzip --gzip-member-size 16K --threads 2 --out many
for f in orders complaints chats; do
	gzip -dc one/$f.csv.gz | cmp - plain/$f.csv
	gzip -dc many/$f.csv.gz | cmp - plain/$f.csv
done
python3 - many/orders.csv.gz <<'PY'
import sys, zlib
data, members, ends = open(sys.argv[1], "rb").read(), 0, []
while data:
    d = zlib.decompressobj(31)
    out = d.decompress(data)
    assert d.eof
    members += 1
    ends.append(out.endswith(b"\n"))
    data = d.unused_data
assert members > 10, members
assert all(ends), "a member does not end at a row end"
print("members ok")
PY
