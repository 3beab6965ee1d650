#!/usr/bin/env python3
"""The per-shop chat signals of `tousu chats`, and the evidence it gives for
harassment complaints, computed independently from DOMAIN.md ("Chat signals")
and the choices analyzers/chats.h's header comment makes, to test tousu
against. Python 3 standard library only; no code is shared with tousu.

usage:
  reference.py CHATS_CSV [--tz +08:00]
      the per-shop table, tab separated, '#' header, tousu's columns and
      number formats, rows sorted by shop_id (byte order)
  reference.py CHATS_CSV --seller-texts OUT_CSV [...]
      also writes OUT_CSV: see abusive_messages below
  reference.py CHATS_CSV --complaints COMPLAINTS_CSV --claims EVIDENCE_TSV
      one row per complaint whose claim is harassment or attitude, in input
      order: complaint_id shop_id buyer_id filed_at claim evidence contacts_7d
      night_contacts_7d burst_7d. The claim of each complaint is taken from
      EVIDENCE_TSV (tousu chats --complaints output, its `claim` column,
      joined by row order; the complaint_id of each row is checked), since it
      is the classifier's. evidence is computed for harassment only; an
      attitude row has "-" there (its evidence rests on the rules' abusive
      messages), but its contact columns are computed all the same.

Inputs: UTF-8 CSV (a BOM is skipped), canonical header names
(session_id, shop_id, buyer_id, sender, channel, sent_at, text;
complaint_id, shop_id, buyer_id, filed_at), any row order, quoted fields
with commas and newlines. sender: buyer / seller (any case) or 买家 / 卖家;
channel: 电话 phone, 短信 SMS, anything else chat (旺旺). Times: local
wall-clock "YYYY-MM-DD HH:MM:SS" (also YYYY/M/D, H:MM, a 'T', and a trailing
Z or +HH:MM offset, converted to --tz). A row without a shop, whose sent_at
does not parse, or whose sender is neither buyer nor seller is left out and
counted on stderr (each row once, under the first of these that applies):

  reference: left out N rows without a shop, M whose sent_at does not parse, K whose sender is neither buyer nor seller

abusive_messages is not computed here (it needs the rules): the column is
left out of the table. Instead

  reference.py CHATS_CSV --seller-texts OUT_CSV

writes the texts it is about (seller rows on the chat channel with a
non-empty text, of the rows kept) as a complaints export - complaint_id
(1, 2, ...), shop_id, filed_at (the row's time), text - for `tousu
classify`: a shop's abusive_messages should be its rows whose types include
attitude (tests/cli/cases/chats_reference.sh).

Definitions used (times are epoch-like seconds of local wall-clock time):
  - rows are grouped per (shop_id, session_id) and sorted by time, a buyer
    row before a seller row in the same second (0 s replies), seller rows of
    one second chat first, then phone, then SMS (tousu's choice: chats.h says
    only "the order of their contents"), then by buyer id (a session's rows
    may name several buyers; some order is needed for "the row just
    before", and the input's must not be it);
  - conversations: distinct sessions of the shop; buyer_messages and
    seller_messages: its rows by sender (all channels);
  - asked: sessions with a buyer row; answered: some seller row at or after
    the earliest buyer row; first response: from that buyer row to the first
    such seller row; median (mean of the middle two), p90 nearest rank
    (the ceil(0.9 n)-th smallest);
  - seller-initiated contact: a seller phone/SMS row; a seller chat row
    unless a buyer row of the session is at most 1800 s before it (same
    second included) or the row just before it in the session is a buyer's;
  - night: local time 22:00:00-07:59:59;
  - burst buyer: some 5 seller-initiated contacts of the shop to the buyer
    (over all sessions and channels) with t[i+4] - t[i] <= 86400;
  - harassment evidence (shop S, buyer B, filed F): S's seller-initiated
    contacts to B in [F - 7 days, F]; a night one or a burst among them:
    supported; else any chat row of S and B (at any time): not_supported;
    else no_chats.
"""
import argparse
import csv
import math
import re
import sys
from datetime import datetime, timedelta

csv.field_size_limit(1 << 30)

EPOCH = datetime(1970, 1, 1)
DAY = 86400
REPLY_WINDOW = 1800
BURST_N = 5
BURST_SPAN = DAY
EVIDENCE_SPAN = 7 * DAY

TIME_RE = re.compile(
    r'^\s*(\d{4})([-/])(\d{1,2})\2(\d{1,2})'
    r'(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?'
    r'\s*(Z|z|[+-]\d{1,2}(?::?\d{2})?)?)?\s*$')


def parse_offset(s):
    """'+08:00', '+0800', '+8', 'Z' -> seconds east of UTC."""
    if s in ('Z', 'z', 'UTC', 'utc'):
        return 0
    m = re.fullmatch(r'([+-])(\d{1,2})(?::?(\d{2}))?', s)
    if not m:
        raise ValueError('bad offset ' + s)
    v = int(m.group(2)) * 3600 + int(m.group(3) or 0) * 60
    return -v if m.group(1) == '-' else v


def parse_time(s, tz):
    """Local wall-clock seconds (at tz) since 1970-01-01 00:00, or None."""
    m = TIME_RE.match(s)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
    hh = int(m.group(5) or 0)
    mi = int(m.group(6) or 0)
    ss = int(m.group(7) or 0)
    try:
        dt = datetime(y, mo, d, hh, mi, ss)
    except ValueError:
        return None
    t = int((dt - EPOCH).total_seconds())
    if m.group(8):
        try:
            off = parse_offset(m.group(8))
        except ValueError:
            return None
        t += tz - off   # to local wall-clock at tz
    return t


def is_night(t):
    h = (t % DAY) // 3600
    return h >= 22 or h < 8


def fmt_local(t):
    return (EPOCH + timedelta(seconds=t)).strftime('%Y-%m-%d %H:%M:%S')


def read_csv(path):
    with open(path, newline='', encoding='utf-8-sig') as f:
        r = csv.reader(f)
        header = next(r, None)
        if header is None:
            return [], []
        return header, list(r)


def col(header, name, path):
    try:
        return header.index(name)
    except ValueError:
        sys.exit('reference: %s: no %s column' % (path, name))


SENDER = {'buyer': 0, '买家': 0, 'seller': 1, '卖家': 1}
CHANNEL = {'电话': 'phone', '短信': 'sms'}
CHANNEL_RANK = {'chat': 0, 'phone': 1, 'sms': 2}


def load_chats(path, tz):
    header, rows = read_csv(path)
    if not header:
        return []
    ix = {n: col(header, n, path) for n in
          ('session_id', 'shop_id', 'buyer_id', 'sender', 'channel', 'sent_at')}
    if 'text' in header:
        ix['text'] = header.index('text')
    out = []
    no_shop = no_session = no_time = bad_sender = 0
    for row in rows:
        if row == []:          # csv gives [] for a blank line
            continue

        def get(n):
            i = ix[n]
            return row[i] if i < len(row) else ''
        shop = get('shop_id')
        if shop == '':
            no_shop += 1
            continue
        if get('session_id') == '':
            no_session += 1
            continue
        t = parse_time(get('sent_at'), tz)
        if t is None:
            no_time += 1
            continue
        sender = SENDER.get(get('sender').strip().lower())
        if sender is None:
            bad_sender += 1
            continue
        out.append({
            'session': get('session_id'), 'shop': shop, 'buyer': get('buyer_id'),
            'seller': sender, 'channel': CHANNEL.get(get('channel').strip(), 'chat'),
            't': t, 'text': get('text') if 'text' in ix else '',
        })
    if no_shop or no_session or no_time or bad_sender:
        print('reference: left out %d rows without a shop, %d without a session, %d whose '
              'sent_at does not parse, %d whose sender is neither buyer nor seller'
              % (no_shop, no_session, no_time, bad_sender), file=sys.stderr)
    return out


class Shop:
    def __init__(self):
        self.sessions = 0
        self.buyer_messages = 0
        self.seller_messages = 0
        self.asked = 0
        self.responses = []
        self.contacts = {}     # buyer -> [times of seller-initiated contacts]
        self.night = 0


def has_burst(times):
    times = sorted(times)
    return any(times[i + BURST_N - 1] - times[i] <= BURST_SPAN
               for i in range(len(times) - BURST_N + 1))


def analyse(rows):
    shops = {}
    sessions = {}
    for r in rows:
        sessions.setdefault((r['shop'], r['session']), []).append(r)
    for (shop_id, _), rs in sessions.items():
        s = shops.setdefault(shop_id, Shop())
        s.sessions += 1
        # buyer before seller at the same second; then, so that "the row
        # just before" does not depend on the input's order, seller rows of
        # one second by channel (chat, phone, SMS: a chat reply is then the
        # one right after the buyer), then buyer id
        rs.sort(key=lambda r: (r['t'], r['seller'], CHANNEL_RANK[r['channel']], r['buyer'].encode()))
        buyers = [r['t'] for r in rs if not r['seller']]
        s.buyer_messages += len(buyers)
        s.seller_messages += len(rs) - len(buyers)
        if buyers:
            s.asked += 1
            b0 = min(buyers)
            replies = [r['t'] for r in rs if r['seller'] and r['t'] >= b0]
            if replies:
                s.responses.append(min(replies) - b0)
        prev_seller = None   # sender of the row just before
        for r in rs:
            if r['seller']:
                if r['channel'] != 'chat':
                    contact = True
                else:
                    recent = any(r['t'] - REPLY_WINDOW <= tb <= r['t'] for tb in buyers)
                    contact = not recent and prev_seller is not False
                if contact:
                    s.contacts.setdefault(r['buyer'], []).append(r['t'])
                    if is_night(r['t']):
                        s.night += 1
            prev_seller = bool(r['seller'])
    return shops


def median(v):
    v = sorted(v)
    n = len(v)
    if not n:
        return math.nan
    return float(v[n // 2]) if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def p90(v):
    v = sorted(v)
    if not v:
        return math.nan
    rank = -(-9 * len(v) // 10)   # ceil(0.9 n), in integers
    return float(v[rank - 1])


def num(x, d):
    return '' if math.isnan(x) else '%.*f' % (d, x)


def table(rows):
    shops = analyse(rows)
    print('#shop_id\tconversations\tbuyer_messages\tseller_messages\t'
          'first_response_median_s\tfirst_response_p90_s\tasked\tunanswered\t'
          'unanswered_share\tseller_contacts\tnight_contacts\tburst_buyers')
    for shop_id in sorted(shops, key=lambda k: k.encode()):
        s = shops[shop_id]
        un = s.asked - len(s.responses)
        print('\t'.join([
            shop_id, str(s.sessions), str(s.buyer_messages), str(s.seller_messages),
            num(median(s.responses), 1), num(p90(s.responses), 0), str(s.asked), str(un),
            num(un / s.asked if s.asked else math.nan, 4),
            str(sum(len(v) for v in s.contacts.values())), str(s.night),
            str(sum(1 for v in s.contacts.values() if has_burst(v))),
        ]))


def evidence(rows, complaints_path, claims_path, tz):
    shops = analyse(rows)
    pairs = {(r['shop'], r['buyer']) for r in rows}
    header, crow = read_csv(complaints_path)
    ix = {n: col(header, n, complaints_path) for n in
          ('complaint_id', 'shop_id', 'buyer_id', 'filed_at')}
    with open(claims_path, newline='', encoding='utf-8') as f:
        lines = f.read().split('\n')
    th = lines[0].lstrip('#').split('\t')
    ci, cc = th.index('complaint_id'), th.index('claim')
    claims = [ln.split('\t') for ln in lines[1:] if ln != '']
    crow = [r for r in crow if r != []]
    if len(claims) != len(crow):
        sys.exit('reference: %d complaints but %d claims' % (len(crow), len(claims)))
    print('#complaint_id\tshop_id\tbuyer_id\tfiled_at\tclaim\tevidence\t'
          'contacts_7d\tnight_contacts_7d\tburst_7d')
    for r, c in zip(crow, claims):
        def get(n):
            i = ix[n]
            return r[i] if i < len(r) else ''
        if c[ci] != get('complaint_id'):
            sys.exit('reference: claims out of step at complaint %s' % get('complaint_id'))
        claim = c[cc]
        if claim not in ('harassment', 'attitude'):
            continue
        shop, buyer = get('shop_id'), get('buyer_id')
        f = parse_time(get('filed_at'), tz)
        window = []
        if f is not None and shop in shops:
            window = [t for t in shops[shop].contacts.get(buyer, [])
                      if f - EVIDENCE_SPAN <= t <= f]
        night = sum(1 for t in window if is_night(t))
        burst = has_burst(window)
        if claim != 'harassment':
            ev = '-'
        elif night or burst:
            ev = 'supported'
        elif shop != '' and (shop, buyer) in pairs:
            ev = 'not_supported'
        else:
            ev = 'no_chats'
        print('\t'.join([get('complaint_id'), shop, buyer,
                         fmt_local(f) if f is not None else '', claim, ev,
                         str(len(window)), str(night), 'yes' if burst else 'no']))


def seller_texts(rows, path):
    """The texts abusive_messages is about: seller chat rows with a text."""
    with open(path, 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['complaint_id', 'shop_id', 'filed_at', 'text'])
        n = 0
        for r in rows:
            if r['seller'] and r['channel'] == 'chat' and r['text'] != '':
                n += 1
                w.writerow([n, r['shop'], fmt_local(r['t']), r['text']])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('chats')
    ap.add_argument('--complaints')
    ap.add_argument('--claims')
    ap.add_argument('--tz', default='+08:00')
    ap.add_argument('--seller-texts', metavar='OUT_CSV')
    a = ap.parse_args()
    tz = parse_offset(a.tz)
    rows = load_chats(a.chats, tz)
    if a.seller_texts:
        seller_texts(rows, a.seller_texts)
    if a.complaints:
        if not a.claims:
            ap.error('--complaints needs --claims')
        evidence(rows, a.complaints, a.claims, tz)
    else:
        table(rows)


if __name__ == '__main__':
    main()
