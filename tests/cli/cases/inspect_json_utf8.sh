# inspect --format json is valid UTF-8 JSON whatever a file name or a header
# holds: invalid bytes are written as \ufffd, one a broken sequence, as in
# every json table.
name=$(printf 'na\377me-\350\264.csv')
printf 'complaint_id,shop_id,filed_at,text,\345\244\207\xff\n1,S1,2026-10-01,没发货,x\n' > "$name"
"$TOUSU" inspect --format json "$name" | python3 -c '
import json, sys
o = json.loads(sys.stdin.buffer.read().decode("utf-8"))
print(o["file"])
print(o["rows"], sorted(o["columns"]))'
