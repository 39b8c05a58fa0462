#!/usr/bin/env python3
"""What a fake platform must hold after ops were delivered, for audiences.sh.

    holdings.py PLATFORM STATE.json OPS.ndjson... [--creates N] [--min-rate-limited N]

Replays the ops files (the file connector's output of the same runs, in order) per
downstream audience name (an op's `audience`), with the keys renamed as the platform
names them, and compares with the fake's state (fake_platform.py --state): every
audience named in the ops holds exactly the members the ops leave there, there is
one platform audience per name, no request broke the platform's documented shape
(`violations`), and with --creates exactly N audiences were created by the connector.
"""
import argparse
import json
import sys

NAMES = {
    "meta": {"email_sha256": "EMAIL_SHA256", "phone_sha256": "PHONE_SHA256", "external_id": "EXTERN_ID", "id": "EXTERN_ID"},
    "google": {"email_sha256": "hashedEmail", "phone_sha256": "hashedPhoneNumber", "external_id": "thirdPartyUserId",
               "id": "thirdPartyUserId"},
    "tiktok": {"email_sha256": "EMAIL_SHA256", "phone_sha256": "PHONE_SHA256", "external_id": "EXTERNAL_ID",
               "id": "EXTERNAL_ID"},
}
NAMES["webhook"] = {}


def member(platform, keys):
    return json.dumps({NAMES[platform].get(k, k): v for k, v in keys.items()}, sort_keys=True)


def expected(platform, files):
    held = {}
    for f in files:
        for line in open(f):
            op = json.loads(line)
            s = held.setdefault(op["audience"], set())
            m = member(platform, op["keys"])
            if op["op"] == "add":
                s.add(m)
            elif op["op"] == "remove":
                s.discard(m)
    return held


def main():
    p = argparse.ArgumentParser()
    p.add_argument("platform")
    p.add_argument("state")
    p.add_argument("ops", nargs="+")
    p.add_argument("--creates", type=int)
    p.add_argument("--min-rate-limited", type=int, default=0)
    a = p.parse_args()
    state = json.load(open(a.state))
    problems = list(state["violations"])
    by_name = {}
    for aid, aud in state["audiences"].items():
        by_name.setdefault(aud["name"], []).append(aid)
    want = expected(a.platform, a.ops)
    for name, members in want.items():
        ids = by_name.get(name, [])
        if len(ids) != 1:
            problems.append(f"{len(ids)} platform audiences named {name}")
            continue
        got = set(state["audiences"][ids[0]]["members"])
        if got != members:
            problems.append(f"{name}: {len(got)} members, expected {len(members)} "
                            f"({len(got - members)} extra, {len(members - got)} missing)")
    if a.creates is not None and state["creates"] != a.creates:
        problems.append(f"{state['creates']} audiences created, expected {a.creates}")
    if state["rate_limited"] < a.min_rate_limited:
        problems.append(f"only {state['rate_limited']} rate-limited answers, expected at least {a.min_rate_limited}")
    for p_ in problems:
        print("holdings:", p_, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
