#!/usr/bin/env python3
"""A stream for the retention example with many profiles and few records each: one
identify per profile (email, phone, ltv, orders, last order, country, tags) and one to
three events, over 30 days, in timestamp order. For the rule-change benchmark, where the
number of profiles matters, not the history of each.

  bench/gen_profiles.py PROFILES [SEED] > stream.ndjson
"""
import random
import sys
import time

n = int(sys.argv[1])
rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
start = 1772323200  # 2026-03-01T00:00:00Z
span = 30 * 86400
countries = ["US", "GB", "DE", "FR", "CA", "AU"]


def iso(s):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(s))


records = []  # (ts, order, text without its timestamp)
for i in range(n):
    t = start + rng.randrange(span)
    ltv = rng.choice([0, 40, 120, 350, 600, 1500])
    tags = '["vip"]' if rng.random() < 0.02 else "[]"
    traits = ('{"email":"p%07d@example.com","phone":"+1415555%04d","ltv":%d,"orders":%d,"last_order_date":"%s",'
              '"country":"%s","tags":%s}' % (i, i % 10000, ltv, ltv // 50, iso(start - rng.randrange(400 * 86400)),
                                              rng.choice(countries), tags))
    records.append((t, 0, '"type":"identify","userId":"p%07d","traits":%s' % (i, traits)))
    for _ in range(rng.randint(1, 3)):
        e = rng.random()
        if e < 0.5:
            body = '"event":"viewed_product","properties":{"sku":"s%d","category":"shoes"}' % rng.randrange(100)
        elif e < 0.85:
            body = '"event":"added_to_cart","properties":{"cart_value":%d,"sku":"s1"}' % rng.choice([20, 60, 90, 150])
        else:
            body = '"event":"purchased","properties":{"order_value":%d,"refunded":false}' % rng.choice([30, 80, 200])
        records.append((t + rng.randrange(3 * 86400), 1, '"type":"track","userId":"p%07d",%s' % (i, body)))
records.sort(key=lambda r: (r[0], r[1]))
out = sys.stdout
for t, _, text in records:
    out.write('{"timestamp":"%s",%s}\n' % (iso(t), text))
