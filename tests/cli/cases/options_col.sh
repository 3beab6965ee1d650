# --col binds roles to columns whatever their names, and leaves the operands that follow alone.
printf 'S,T,X\n1001,2026-10-09 10:45:00,坏了\n' > odd.csv
"$TOUSU" inspect --format tsv --kind complaints --col shop_id=S --col filed_at=T --col text=X odd.csv | cut -f2,7,15
st=0; "$TOUSU" inspect --kind complaints odd.csv 2> err.txt > /dev/null || st=$?
echo "without --col: exit $st"
