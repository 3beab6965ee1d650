gzip -c "$FIXTURES/chats_small.csv" | "$TOUSU" inspect --format tsv -
