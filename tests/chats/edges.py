#!/usr/bin/env python3
"""Writes a small chats export and complaints export that sit on the edges of
the chat-signal definitions (DOMAIN.md "Chat signals", analyzers/chats.h),
for comparing `tousu chats` with tests/chats/reference.py. Deterministic for
a seed (Python's random with that seed).

usage: edges.py SEED OUT_DIR [SEED OUT_DIR...]
                                  writes OUT_DIR/chats.csv, OUT_DIR/complaints.csv

What it puts in, over a handful of shops and buyers so that rows collide:
  - seller rows exactly 0, 1, 1799, 1800 and 1801 s after a buyer row, and
    buyer and seller rows (of every channel) in the same second;
  - contacts 86399, 86400 and 86401 s apart, so five of them span exactly
    24 h or just over;
  - times at 21:59:59, 22:00:00, 07:59:59, 08:00:00;
  - sessions with only seller rows (calls, SMS), with only buyer rows, a
    session id used by two shops, an empty session id, an empty buyer id,
    a session whose rows name two buyers;
  - quoted texts with commas, quotes and newlines;
  - rows to leave out: no shop, a sent_at that does not parse, a sender
    that is neither buyer nor seller;
  - complaints (harassment, attitude and other texts) filed exactly 7 days
    after a contact, 7 days and 1 s after, at the second of a contact, one
    second before it, by buyers with no chats, with no shop or an unknown
    shop, and with a filed_at that does not parse.
"""
import csv
import os
import random
import sys
from datetime import datetime, timedelta

BASE = datetime(2026, 10, 10)
STEPS = [0, 0, 1, 59, 1799, 1800, 1801, 3600, 6 * 3600, 86399, 86400, 86401]
CLOCKS = ['21:59:59', '22:00:00', '07:59:59', '08:00:00', '12:00:00', '23:59:59',
          '00:00:00', '21:30:00']
TEXTS = ['好的', '亲，在的', '你再不给好评我天天打电话', '滚，爱买不买', '"引号",逗号',
         '多行\n第二行', '已发货请注意查收', '']
HARASS = ['卖家一直打电话骚扰我', '半夜打电话骚扰，每天打好几个电话']
ATTITUDE = ['客服骂人，态度极差']
OTHER = ['发货太慢了']


def main():
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit(__doc__.split('\n\n')[1])
    for i in range(0, len(args), 2):
        write(int(args[i]), args[i + 1])


def write(seed, out):
    rnd = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    shops = ['s%d' % i for i in range(4)]
    buyers = ['b%d' % i for i in range(5)] + ['']
    rows = []
    contacts = []   # (shop, buyer, time) of seller rows, for complaint times

    def day_clock():
        d = BASE + timedelta(days=rnd.randrange(12))
        h, m, s = map(int, rnd.choice(CLOCKS).split(':'))
        return d.replace(hour=h, minute=m, second=s)

    n_sessions = 120
    for k in range(n_sessions):
        shop = rnd.choice(shops)
        buyer = rnd.choice(buyers)
        sid = str(1000 + k)
        if k % 40 == 7:
            sid = '1003'             # reused, maybe by another shop
        if k % 50 == 11:
            sid = ''
        t = day_clock()
        kind = rnd.random()
        for j in range(rnd.randrange(1, 9)):
            if j:
                t += timedelta(seconds=rnd.choice(STEPS))
            if kind < 0.15:          # seller-only: calls and SMS, bursts
                sender = 'seller'
                channel = rnd.choice(['电话', '短信', '旺旺'])
            elif kind < 0.22:
                sender, channel = 'buyer', '旺旺'
            else:
                sender = rnd.choice(['buyer', 'seller'])
                channel = rnd.choice(['旺旺', '旺旺', '旺旺', '电话', '短信'])
            b = buyer
            if k % 30 == 13 and j == 2:
                b = 'b9'             # a second buyer in the session
            rows.append([sid, shop, b, sender, channel, t.strftime('%Y-%m-%d %H:%M:%S'),
                         rnd.choice(TEXTS)])
            if sender == 'seller':
                contacts.append((shop, b, t))
        # a same-second pile-up: buyer, seller chat, seller call
        if k % 9 == 0:
            for sender, channel in [('seller', '电话'), ('buyer', '旺旺'), ('seller', '旺旺'),
                                    ('seller', '短信')]:
                rows.append([sid, shop, buyer, sender, channel,
                             t.strftime('%Y-%m-%d %H:%M:%S'), rnd.choice(TEXTS)])
    # rows tousu leaves out (and counts): no shop, a time that does not
    # parse, a sender that is neither buyer nor seller
    for k in range(6):
        bad = [str(1000 + k), rnd.choice(shops), rnd.choice(buyers), 'seller', '电话',
               '2026-10-11 23:00:00', '未接通']
        if k % 3 == 0:
            bad[1] = ''
        elif k % 3 == 1:
            bad[5] = rnd.choice(['2026-10-32 10:00:00', '昨天', ''])
        else:
            bad[3] = rnd.choice(['robot', '', '系统'])
        rows.append(bad)
    rnd.shuffle(rows)
    with open(os.path.join(out, 'chats.csv'), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['session_id', 'shop_id', 'buyer_id', 'sender', 'channel', 'sent_at', 'text'])
        w.writerows(rows)

    complaints = []
    for i in range(80):
        shop, buyer, t = rnd.choice(contacts)
        f = t + timedelta(seconds=rnd.choice([0, -1, 1, 7 * 86400, 7 * 86400 + 1,
                                              7 * 86400 - 1, 3 * 86400, 86400]))
        filed = f.strftime('%Y-%m-%d %H:%M:%S')
        if i % 20 == 5:
            buyer = 'nobody'
        if i % 25 == 6:
            shop = ''
        if i % 25 == 7:
            shop = 'no-such-shop'
        if i % 33 == 8:
            filed = 'yesterday'
        text = rnd.choice(HARASS * 4 + ATTITUDE + OTHER)
        complaints.append(['c%03d' % i, shop, buyer, filed, text])
    with open(os.path.join(out, 'complaints.csv'), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['complaint_id', 'shop_id', 'buyer_id', 'filed_at', 'text'])
        w.writerows(complaints)


if __name__ == '__main__':
    main()
