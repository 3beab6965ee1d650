# --explain and rules explain list every hit, a type's later ones too,
# which plain classify does not run (they cannot change its answer).
cp "$FIXTURES/test.rules" .
printf 'complaint_id,shop_id,filed_at,text\nC1,1001,2026-10-09 10:45:00,质量差，态度很差，质量不好\n' > c.csv
"$TOUSU" classify --rules test.rules --explain c.csv
"$TOUSU" classify --rules test.rules c.csv
"$TOUSU" rules explain --rules test.rules "质量差，态度很差，质量不好"
