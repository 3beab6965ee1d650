# Every row comes out with its types, primary type, severity, points, the rule
# that decided and whether the text agrees with the platform's own type.
cd "$FIXTURES"
"$TOUSU" classify --rules test.rules complaints_mixed.csv
