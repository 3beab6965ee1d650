# The harassers `tousu sample` plants show up in `tousu chats`.
#
# The generator writes no truth file, so which shops are harassers
# (SHOP_HARASSER in cmd/sample.c) is read off the chats the way the generator
# makes them: gen_chats() sends review requests (sample_seller_review, the
# only texts with 好评) by SMS between 22:00 and 01:00 for SHOP_HARASSER shops
# only; everyone else asks between 10:00 and 18:00. Such a shop is a
# harasser; the others are not. The generator also pesters buyers of
# harassers (pester_p: 5-7 contacts in 10 hours from 20:00-23:00) and plants
# night bursts before most harassment complaints against them (85%), so
# tousu must show, for each harasser:
#  - burst_buyers > 0 and night_contacts > 0;
#  - more burst buyers than any shop that is not a harasser (those get
#    bursts only before a harassment complaint, 35% of them);
#  - of the complaints against it whose claim is harassment (the
#    classifier's), more supported than not.
# The exact numbers are not the generator's truth but tousu's, kept in the
# expected output; tests/cli/cases/chats_reference.sh checks them against
# tests/chats/reference.py.
command -v python3 > /dev/null || { echo "skip: no python3" >&2; exit 77; }
for seed in 38 2; do
	"$TOUSU" sample -q --orders 5000 --seed "$seed" --out "s$seed"
	python3 - "s$seed/chats.csv" > harassers.txt << 'EOF'
import csv, sys
shops = set()
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    for r in csv.DictReader(f):
        hour = int(r['sent_at'][11:13])
        if (r['sender'] == 'seller' and r['channel'] == '短信' and '好评' in r['text']
                and (hour >= 22 or hour < 1)):
            shops.add(r['shop_id'])
for s in sorted(shops):
    print(s)
EOF
	[ -s harassers.txt ] || { echo "seed $seed: no harasser found"; exit 1; }
	"$TOUSU" chats --chats "s$seed/chats.csv" > table.tsv
	"$TOUSU" chats --chats "s$seed/chats.csv" --complaints "s$seed/complaints.csv" > ev.tsv
	awk -F '\t' -v seed="$seed" '
		FILENAME == ARGV[1] { h[$1] = 1; next }
		FILENAME == ARGV[2] { if ($5 == "harassment") ev[$2 " " $6]++; next }
		FNR > 1 {
			if ($1 in h) {
				printf "seed %s harasser %s: seller_contacts %d, night_contacts %d, burst_buyers %d, harassment complaints supported %d, not_supported %d, no_chats %d\n",
					seed, $1, $10, $11, $12, ev[$1 " supported"], ev[$1 " not_supported"], ev[$1 " no_chats"]
				if ($11 <= 0 || $12 <= 0) { print "  no night contacts or no burst buyers"; bad = 1 }
				if (ev[$1 " supported"] <= ev[$1 " not_supported"] + ev[$1 " no_chats"]) {
					print "  not mostly supported"; bad = 1 }
				if (min == "" || $12 < min) min = $12
			} else if ($12 > others) others = $12
		}
		END {
			printf "seed %s: most burst buyers of a shop that is not a harasser: %d\n", seed, others
			if (others >= min) { print "  a harasser has no more burst buyers than another shop"; bad = 1 }
			exit bad
		}' harassers.txt ev.tsv table.tsv
done
