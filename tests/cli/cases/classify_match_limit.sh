# A pathological rule is stopped by the match limit, reported, and the run goes on.
printf '[slow]\ninclude = x(a+)+$\n' > slow.rules
printf 'complaint_id,shop_id,filed_at,text\nP1,1,2026-10-01 10:00:00,xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\nP2,1,2026-10-01 10:00:00,xaaa\n' > p.csv
"$TOUSU" classify --rules slow.rules --match-limit 1000 p.csv | cut -f1,11-
