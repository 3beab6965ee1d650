# --explain names each matched span of a type once, however many of the type's rules match it.
cat > two.rules <<'RULES'
[quality]
label = 质量问题
priority = 60
include = 质量差|质量(?:差|不好)
include = 质量差
RULES
printf 'complaint_id,shop_id,filed_at,text\nC1,1001,2026-10-09 10:45:00,质量差，真的质量差\n' > c.csv
"$TOUSU" classify --rules two.rules --explain c.csv
