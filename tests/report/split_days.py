#!/usr/bin/env python3
"""Splits exports into daily exports, as a shop platform hands them out night
by night: orders by the day of created_at, complaints by the day of filed_at.

usage: split_days.py SRC OUT FIRST LAST

SRC holds orders.csv and complaints.csv (tousu sample's names, UTF-8, English
headers, times "YYYY-MM-DD hh:mm:ss"). For each day FIRST..LAST (YYYY-MM-DD)
it writes OUT/DAY/orders.csv and OUT/DAY/complaints.csv, each with the header,
even when no row falls on the day. Rows of other days (or with no time) go to
no file. The csv module parses and writes the files, since complaint texts
can hold quoted newlines. Prints one line: days, rows written, rows left out.
"""
import csv
import datetime
import os
import sys

src, out, first, last = sys.argv[1:5]
day0 = datetime.date.fromisoformat(first)
days = [str(day0 + datetime.timedelta(d))
        for d in range((datetime.date.fromisoformat(last) - day0).days + 1)]
written = left_out = 0
for name, col in (("orders.csv", "created_at"), ("complaints.csv", "filed_at")):
    with open(os.path.join(src, name), newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        header = next(r)
        at = header.index(col)
        by_day = {d: [] for d in days}
        for row in r:
            d = row[at][:10]
            if d in by_day:
                by_day[d].append(row)
                written += 1
            else:
                left_out += 1
    for d, rows in by_day.items():
        os.makedirs(os.path.join(out, d), exist_ok=True)
        with open(os.path.join(out, d, name), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
print(f"split: {len(days)} days {first}..{last}, {written} rows written, {left_out} rows on other days")
