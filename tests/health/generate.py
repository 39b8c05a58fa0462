#!/usr/bin/env python3
"""A seeded stream for the measure tests: carts, and purchases some days later, with a
treatment effect only seg's holdout draw can reveal (every profile behaves alike here,
so the lift is near 0 and the arms' rates agree)."""
import json, random, sys
from datetime import datetime, timedelta, timezone

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    rng = random.Random(seed)
    t0 = datetime(2026, 3, 1, tzinfo=timezone.utc)
    lines = []
    for i in range(n):
        p = f"p{i}"
        at = t0 + timedelta(minutes=rng.randrange(0, 60 * 24 * 10))
        lines.append((at, {"type": "identify", "userId": p, "timestamp": at, "traits": {"email": f"{p}@example.com"}}))
        lines.append((at, {"type": "track", "userId": p, "event": "added_to_cart", "timestamp": at,
                           "properties": {"cart_value": rng.choice([20, 50, 90, 120])}}))
        # Some buy within a day (never enter), some within the week, some later, some never.
        r = rng.random()
        if r < 0.6:
            delay = timedelta(hours=rng.choice([2, 30, 60, 100, 150, 200, 400]))
            refunded = rng.random() < 0.1
            lines.append((at + delay, {"type": "track", "userId": p, "event": "purchased", "timestamp": at + delay,
                                       "properties": {"order_value": rng.choice([40, 75, 130]), "refunded": refunded}}))
            if rng.random() < 0.2:  # a second purchase, summed into the value when in the window
                d2 = delay + timedelta(hours=rng.choice([1, 24, 300]))
                lines.append((at + d2, {"type": "track", "userId": p, "event": "purchased", "timestamp": at + d2,
                                        "properties": {"order_value": 25, "refunded": False}}))
    lines.sort(key=lambda x: (x[0], x[1]["userId"], x[1]["type"]))
    for at, rec in lines:
        rec["timestamp"] = at.strftime("%Y-%m-%dT%H:%M:%SZ")
        print(json.dumps(rec))

main()
