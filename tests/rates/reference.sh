#!/bin/sh
# The counts of `tousu rates`, computed independently with sqlite3 from the
# README's contract ("### tousu rates"), to test tousu against. No code is
# shared with tousu: the CSV parser, the join and the date arithmetic are
# sqlite's.
#
# usage: tests/rates/reference.sh ORDERS_CSV COMPLAINTS_CSV CLASSIFIED_TSV
#            [--by shop|day|week|month|type] [--from YYYY-MM-DD --to YYYY-MM-DD]
#
#   ORDERS_CSV, COMPLAINTS_CSV  plain CSV (zcat first), UTF-8, the canonical
#                  header names (order_id, shop_id, created_at, finished_at;
#                  complaint_id, order_id, shop_id, filed_at, outcome) and
#                  times like 2026-10-01 01:17:32 with no zone: local
#                  wall-clock, so a time's day is its date
#   CLASSIFIED_TSV `tousu classify COMPLAINTS_CSV` (tsv): its `primary` and
#                  `points` are the classifier's, joined by row order (the
#                  complaint_id of each row is checked)
#
# Writes the grouping's key and its integer columns, in the README's order
# and with its names, tab separated, a '#' header, rows sorted by the key in
# byte order: for shop (default), day, week, month
#
#   #KEY orders complaints fake_shipment ... harassment other established
#        not_established penalty_points late_complaints no_order
#
# and for type (all 13 types, orders: all orders)
#
#   #type orders complaints established not_established penalty_points
#
# established, not_established and penalty_points are empty when the
# complaints have no outcome column. Rows left out (no shop; with --from,
# --to or a time grouping, a time that does not parse) are counted on stderr.
# Compare with tousu's output through tests/rates/columns.awk and sort.
set -eu
usage() { echo "usage: $0 ORDERS_CSV COMPLAINTS_CSV CLASSIFIED_TSV [--by shop|day|week|month|type] [--from D --to D]" >&2; exit 2; }
[ $# -ge 3 ] || usage
orders=$1 complaints=$2 classified=$3
shift 3
by=shop from= to=
while [ $# -gt 0 ]; do
	case $1 in
	--by) [ $# -ge 2 ] || usage; by=$2; shift 2 ;;
	--from) [ $# -ge 2 ] || usage; from=$2; shift 2 ;;
	--to) [ $# -ge 2 ] || usage; to=$2; shift 2 ;;
	*) usage ;;
	esac
done
name=$by
case $by in
shop) key=shop name=shop_id ;;
day) key=day ;;
week) key="date(day, '-6 days', 'weekday 1')" ;;   # the Monday on or before
month) key="strftime('%Y-%m-01', day)" ;;
type) key= ;;
*) usage ;;
esac
for d in "$from" "$to"; do
	case $d in '' | [0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]) ;; *) usage ;; esac
done
for f in "$orders" "$complaints" "$classified"; do
	[ -r "$f" ] || { echo "$0: cannot read $f" >&2; exit 2; }
done
command -v sqlite3 >/dev/null || { echo "$0: needs sqlite3 (apt-get install sqlite3)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
db=$tmp/db

# the classifier's columns, by their header names, numbered by row
awk -F '\t' 'NR == 1 {
		sub(/^#/, "")
		for (i = 1; i <= NF; i++) col[$i] = i
		if (!col["primary"] || !col["points"] || !col["complaint_id"]) {
			print "classified tsv: no primary, points or complaint_id column" > "/dev/stderr"
			exit 1
		}
		print "n\tcomplaint_id\tprim\tpoints"
		next
	}
	{ print NR - 1 "\t" $col["complaint_id"] "\t" $col["primary"] "\t" $col["points"] }' \
	"$classified" > "$tmp/classified.tsv"

# sqlite's shell says little when .import meets a ragged row: any word on
# stderr is a failure here
sq() { sqlite3 -bail "$db" "$@" 2> "$tmp/err"; if [ -s "$tmp/err" ]; then cat "$tmp/err" >&2; exit 1; fi; }
sq ".import --csv '$orders' o_raw" \
	".import --csv '$complaints' c_raw" \
	".mode tabs" ".import '$tmp/classified.tsv' cls"

have() { [ "$(sq "select count(*) from pragma_table_info('$1') where name = '$2'")" = 1 ]; }
for c in order_id shop_id created_at finished_at; do
	have o_raw $c || { echo "$0: $orders: no column $c" >&2; exit 1; }
done
for c in order_id shop_id filed_at; do
	have c_raw $c || { echo "$0: $complaints: no column $c" >&2; exit 1; }
done
if have c_raw complaint_id; then cid=c.complaint_id; else cid="''"; fi
if have c_raw outcome; then outcome=c.outcome; else outcome=NULL; fi

# time filters: only when a time is needed does an unparsed one leave a row out
need_time=0
[ -n "$from$to" ] && need_time=1
case $by in day | week | month) need_time=1 ;; esac
in_range="1"
[ -n "$from" ] && in_range="$in_range and day >= '$from'"
[ -n "$to" ] && in_range="$in_range and day <= '$to'"
[ $need_time = 1 ] && in_range="$in_range and day is not null"

types="fake_shipment late_shipment quality not_as_described damaged_lost logistics counterfeit after_sales refund shipping_fee attitude harassment other"

sq <<SQL
-- strftime('%s', t): seconds of a wall-clock time read as UTC (fine for
-- differences), NULL when it does not parse

-- one row per order_id: the earliest finished_at wins; rows without one
-- come last
create table ord as
select order_id, shop_id, finished_at from (
	select order_id, nullif(shop_id, '') as shop_id,
	       cast(strftime('%s', nullif(finished_at, '')) as integer) as finished_at,
	       row_number() over (partition by order_id
	                          order by strftime('%s', nullif(finished_at, '')) is null,
	                                   cast(strftime('%s', nullif(finished_at, '')) as integer),
	                                   rowid) as rank
	from o_raw where order_id <> '')
where rank = 1;
create unique index ord_id on ord(order_id);

create table orders as
select nullif(shop_id, '') as shop, date(created_at) as day from o_raw;

create table complaints as
select c.rowid as n, $cid as complaint_id, k.complaint_id as k_id,
       coalesce(nullif(c.shop_id, ''), o.shop_id) as shop,
       date(c.filed_at) as day,
       o.order_id is null as no_order,
       coalesce(cast(strftime('%s', c.filed_at) as integer) - o.finished_at > 15 * 86400, 0) as late,
       k.prim as prim, cast(k.points as integer) as points,
       $outcome in ('成立', 'established') as est,
       $outcome in ('不成立', 'not established') as notest
from c_raw c
left join ord o on o.order_id = c.order_id and c.order_id <> ''
left join cls k on k.n = c.rowid;
SQL

# the classified rows must be the complaints, one for one
bad=$(sq "select (select count(*) from cls) <> (select count(*) from complaints)
	  or exists (select 1 from complaints where k_id is null or (complaint_id <> '' and complaint_id <> k_id))")
[ "$bad" = 0 ] || { echo "$0: $classified does not match $complaints row for row" >&2; exit 1; }

sq "select 'reference: left out: ' ||
	(select count(*) from orders where shop is null) || ' orders and ' ||
	(select count(*) from complaints where shop is null) || ' complaints without a shop, ' ||
	(select count(*) from orders where shop is not null and $need_time and day is null) || ' orders and ' ||
	(select count(*) from complaints where shop is not null and $need_time and day is null) ||
	' complaints whose time does not parse'" >&2

if [ "$by" = type ]; then
	values=
	for t in $types; do values="$values${values:+, }('$t')"; done
	est="sum(c.est)" notest="sum(c.notest)" pts="sum(case when c.est then c.points else 0 end)"
	[ "$outcome" = NULL ] && est="''" notest="''" pts="''"
	sq ".mode tabs" ".headers on" "
		with t(type) as (values $values),
		     c as (select * from complaints where shop is not null and not late and $in_range)
		select t.type as '#type',
		       (select count(*) from orders where shop is not null and $in_range) as orders,
		       count(c.n) as complaints,
		       coalesce($est, 0) as established, coalesce($notest, 0) as not_established,
		       coalesce($pts, 0) as penalty_points
		from t left join c on c.prim = t.type
		group by t.type order by t.type"
	exit 0
fi

type_cols=
for t in $types; do type_cols="$type_cols, sum(is_c and prim = '$t') as $t"; done
est="sum(is_c and est)" notest="sum(is_c and notest)" pts="sum(case when is_c and est then points else 0 end)"
[ "$outcome" = NULL ] && est="''" notest="''" pts="''"
sq ".mode tabs" ".headers on" "
	with ev as (
		select shop, day, 1 as is_order, 0 as is_c, 0 as late, 0 as no_order,
		       null as prim, 0 as points, 0 as est, 0 as notest
		from orders where shop is not null and $in_range
		union all
		select shop, day, 0, not late, late, no_order, prim, points, est, notest
		from complaints where shop is not null and $in_range)
	select $key as '#$name', sum(is_order) as orders, sum(is_c) as complaints $type_cols,
	       $est as established, $notest as not_established, $pts as penalty_points,
	       sum(late) as late_complaints, sum(is_c and no_order) as no_order
	from ev group by 1 order by 1"
