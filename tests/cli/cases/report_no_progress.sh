# tousu report never writes a progress line, even with --progress: its
# stderr is the job's timestamped log, and a progress line there (carriage
# returns, escape codes) used to land in the cron log. The orders export is a
# FIFO that pauses for a second mid-way, so a read shows progress if any is
# shown (at most four updates a second).
stamp='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} '
"$TOUSU" sample --orders 40000 --complaints 2000 --shops 20 --chats 0 --out s > /dev/null 2>&1
mkfifo o.fifo
{ head -n 20000 s/orders.csv; sleep 1; tail -n +20001 s/orders.csv; } > o.fifo &
"$TOUSU" report --out R --date 2026-10-31 --orders o.fifo --complaints s/complaints.csv \
	--progress 2> err.txt
wait
echo "--progress: $(tr -cd '\r\033' < err.txt | wc -c) carriage returns or escapes on stderr"
sed -E "s/$stamp//" err.txt
