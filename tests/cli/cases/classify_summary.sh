# --summary: how the texts agree with the platform's type (filed as harassment, about rudeness).
cd "$FIXTURES"
"$TOUSU" classify --rules test.rules --summary complaints_mixed.csv
