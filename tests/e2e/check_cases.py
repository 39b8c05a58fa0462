#!/usr/bin/env python3
"""Sanity checks on the hand-written e2e cases themselves (no `seg` needed).

    check_cases.py [CASES_DIR]      (default: the `cases/` folder next to this file)

For every case: rules.seg, input.ndjson and expected/rejected-count.txt exist; every
`destination NAME {` in rules.seg has an expected/NAME.ndjson and vice versa; every
expected line is a JSON object with exactly the op fields (op, destination,
audience, segment, profile, ts, keys, fields, holdout, reason; optionally op_id);
`destination` matches the file name; `ts` is RFC 3339 UTC in the op format
(`.sss` only when the milliseconds are not zero); ts never decreases; ops of one
instant are sorted by profile, then segment (UTF-8 bytes), then remove < add <
update; reasons are allowed for their op; until.txt (if any) is one timestamp.
Exits 1 and lists the problems when any check fails.
"""
import json
import os
import re
import sys

FIELDS = ["op", "destination", "audience", "segment", "profile", "ts", "keys", "fields",
          "holdout", "reason"]
REASONS = {
    "add": {"enter", "change", "rule_change"},
    "remove": {"ttl", "exit", "expire", "change", "rule_change"},
    "update": {"change", "rule_change"},
}
RANK = {"remove": 0, "add": 1, "update": 2}
TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$")
DEST = re.compile(r"^\s*destination\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{", re.M)


def ts_key(ts):
    base, _, frac = ts[:-1].partition(".")
    return base, int(frac or 0)


def check_case(path):
    problems = []
    name = os.path.basename(path)
    for f in ("rules.seg", "input.ndjson", os.path.join("expected", "rejected-count.txt")):
        if not os.path.exists(os.path.join(path, f)):
            problems.append("%s: missing %s" % (name, f))
    if problems:
        return problems
    with open(os.path.join(path, "rules.seg"), encoding="utf-8") as f:
        dests = set(DEST.findall(f.read()))
    exp_dir = os.path.join(path, "expected")
    files = {n[:-len(".ndjson")] for n in os.listdir(exp_dir) if n.endswith(".ndjson")}
    for d in sorted(dests - files):
        problems.append("%s: destination %s has no expected/%s.ndjson" % (name, d, d))
    for d in sorted(files - dests):
        problems.append("%s: expected/%s.ndjson names no destination of rules.seg" % (name, d))
    with open(os.path.join(exp_dir, "rejected-count.txt"), encoding="utf-8") as f:
        if not f.read().strip().isdigit():
            problems.append("%s: rejected-count.txt is not a number" % name)
    until = os.path.join(path, "until.txt")
    if os.path.exists(until):
        with open(until, encoding="utf-8") as f:
            if not TS.match(f.read().strip()):
                problems.append("%s: until.txt is not one RFC 3339 UTC timestamp" % name)
    for d in sorted(files):
        prev = None
        with open(os.path.join(exp_dir, d + ".ndjson"), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                where = "%s/%s.ndjson:%d" % (name, d, n)
                try:
                    o = json.loads(line)
                except json.JSONDecodeError as e:
                    problems.append("%s: not JSON: %s" % (where, e))
                    continue
                keys = set(o) - {"op_id"}
                if keys != set(FIELDS):
                    problems.append("%s: fields %s" % (where, sorted(keys ^ set(FIELDS))))
                    continue
                if o["destination"] != d:
                    problems.append("%s: destination %r" % (where, o["destination"]))
                if o["op"] not in REASONS or o["reason"] not in REASONS[o["op"]]:
                    problems.append("%s: op %r with reason %r" % (where, o["op"], o["reason"]))
                    continue
                if not TS.match(o["ts"]) or o["ts"].endswith(".000Z"):
                    problems.append("%s: ts %r" % (where, o["ts"]))
                    continue
                if not isinstance(o["holdout"], bool):
                    problems.append("%s: holdout is not a bool" % where)
                if not o["keys"]:
                    problems.append("%s: an op without keys is never sent" % where)
                cur = (ts_key(o["ts"]), o["profile"].encode("utf-8"),
                       o["segment"].encode("utf-8"), RANK[o["op"]])
                if prev is not None and cur < prev:
                    problems.append("%s: out of order (ts, profile, segment, op)" % where)
                prev = cur
    return problems


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases")
    cases = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    problems = []
    for c in cases:
        problems += check_case(os.path.join(root, c))
    for p in problems:
        print(p)
    print("%d case(s), %d problem(s)" % (len(cases), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
