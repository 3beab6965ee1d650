# --extra-rules adds to the rules in use: a new type, and more patterns for an existing one.
cd "$FIXTURES"
printf '[quality]\ninclude = 不错\n[praise]\nlabel = 好评\npriority = 1\ninclude = 下次还来\n' > "$OLDPWD/extra.rules"
"$TOUSU" classify --rules test.rules --extra-rules "$OLDPWD/extra.rules" complaints_mixed.csv | cut -f1,11,12 | tail -n 1
"$TOUSU" classify --extra-rules "$OLDPWD/extra.rules" complaints_mixed.csv | cut -f11 | tail -n 1 | tr ',' '\n' | grep -c '^praise$'
