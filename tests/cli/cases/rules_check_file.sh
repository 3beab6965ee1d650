# What a rule file's author relies on beyond PCRE2's errors: the README's
# example of the rule file is a valid file; a comment after a value, a value
# that is not UTF-8, points outside 0-65535 and a bad section header are
# errors (all of them, each with its line, and the header's keys do not join
# the section before); a file with no section is refused by `rules check`
# and by --rules; `rules check -` reads stdin; --extra checks a file for
# --extra-rules on top of the built-in rules, so it may name their types;
# a long bad pattern's message ends on a whole character.
awk '/this is a whole, valid file/ { on = 1; next } on && /^A `#` after a value/ { exit }
	on && /^    / { sub(/^    /, ""); print } on && /^$/ { print }' "$REPO/README.md" > readme.rules
echo "== the README's example ($(grep -c . readme.rules) lines)"
"$TOUSU" rules check readme.rules | sed 's/: ok: .*/: ok/'
"$TOUSU" rules explain --rules readme.rules 他一直打电话骚扰我 | head -2
echo "== errors"
printf '[harassment]\ninclude = 骚扰|一直打电话   # note\nlabel = 恶意\270\247\npoints = 100000\nsevere_points = -5\n[bad\ninclude = x\n[quality]\ninclude = 质量差\n' > bad.rules
st=0; "$TOUSU" rules check bad.rules || st=$?
echo "exit $st"
echo "== no sections"
printf '# nothing yet\n' > empty.rules
st=0; "$TOUSU" rules check empty.rules || st=$?
echo "exit $st"
st=0; echo 质量太差 | "$TOUSU" rules explain --rules empty.rules - || st=$?
echo "exit $st"
echo "== stdin"
printf '[quality]\ninclude = 质量差\n' | "$TOUSU" rules check - | sed 's/: ok: .*/: ok/'
echo "== --extra"
printf '[logistics]\ninclude = 快递丢件\nsuppressed-by = fake_shipment\n' > extra.rules
st=0; "$TOUSU" rules check extra.rules || st=$?
echo "exit $st"
"$TOUSU" rules check --extra extra.rules | sed 's/: ok: .*/: ok/'
echo "== a long pattern"
python3 -c "print('[quality]\ninclude = (' + '质' * 300)" > long.rules
st=0; "$TOUSU" rules check long.rules 2> err || st=$?
echo "exit $st"
python3 -c "import sys; t = open('err', 'rb').read(); t.decode('utf-8'); print('stderr is UTF-8,', len(t), 'bytes')"
