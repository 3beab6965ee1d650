#!/usr/bin/env python3
"""Writes a CSV export's rows in other orders, for tests that results do not
depend on the input's order (tests/cli/cases/chats_order.sh).

usage: reorder.py SRC_CSV [OUT_DIR]

Writes OUT_DIR/1.csv, 2.csv, 3.csv (rows shuffled by Python's random with
seeds 1, 2, 3) and reverse.csv, the header first in each. Rows are parsed
with the csv module, so quoted fields with newlines stay whole. Exits 1
unless writing SRC's rows back unchanged gives SRC byte for byte (so only
the order differs between the outputs and SRC) and each shuffle moved rows.
"""
import csv
import io
import os
import random
import sys


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.split('\n\n')[1])
    src = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) == 3 else '.'
    with open(src, newline='', encoding='utf-8') as f:
        text = f.read()
    rows = list(csv.reader(io.StringIO(text, newline='')))
    head, body = rows[0], rows[1:]

    def render(body):
        out = io.StringIO(newline='')
        w = csv.writer(out, lineterminator='\n')
        w.writerow(head)
        w.writerows(body)
        return out.getvalue()

    def write(name, body):
        with open(os.path.join(out_dir, name), 'w', newline='', encoding='utf-8') as f:
            f.write(render(body))

    if render(body) != text:
        sys.exit('reorder: %s: the csv module does not write its rows back as they were' % src)
    for seed in (1, 2, 3):
        b = body[:]
        random.Random(seed).shuffle(b)
        if len(body) > 2 and b == body:
            sys.exit('reorder: shuffling with seed %d changed nothing' % seed)
        write('%d.csv' % seed, b)
    write('reverse.csv', body[::-1])


if __name__ == '__main__':
    main()
