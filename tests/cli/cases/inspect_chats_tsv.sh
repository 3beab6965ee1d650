cd "$FIXTURES"
"$TOUSU" inspect --format tsv chats_small.csv
