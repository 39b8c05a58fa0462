#!/usr/bin/env python3
"""Checks a warehouse written by the postgres connector against the file connector's
ops (tests/connectors/postgres.sh): per destination, seg_ops holds exactly the
reference ops, field for field, in the order they were written (no labels: NULL), and
seg_members is the membership they imply (keys, fields, labels and holdout of the
latest op, `since` the add that began it, `updated` the latest op's time).

    check_warehouse.py REF_DIR OPS.jsonl MEMBERS.jsonl DESTINATION...

OPS.jsonl / MEMBERS.jsonl: the tables as JSON lines, times in epoch milliseconds.
"""
import json
import sys
from datetime import datetime, timezone


def ms(ts):
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if "." in ts else "%Y-%m-%dT%H:%M:%SZ"
    return round(datetime.strptime(ts, fmt).replace(tzinfo=timezone.utc).timestamp() * 1000)


def main():
    ref_dir, ops_path, members_path, dests = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    rows = [json.loads(l) for l in open(ops_path)]
    members = [json.loads(l) for l in open(members_path)]
    want_members = []
    errors = []
    for d in dests:
        ref = [json.loads(l) for l in open("%s/%s.ndjson" % (ref_dir, d))]
        got = [r for r in rows if r["destination"] == d]
        for r in got:
            del r["id"], r["inserted_at"]
        want = [dict(o, ts=ms(o["ts"]), labels=o.get("labels")) for o in ref]
        if got != want:
            errors.append("%s: %d rows in seg_ops, %d reference ops" % (d, len(got), len(want)))
            for g, w in zip(got, want):
                if g != w:
                    errors.append("  first difference: %s\n    vs reference %s" % (g, w))
                    break
        now = {}
        for o in want:
            k = (o["segment"], o["profile"])
            if o["op"] == "remove":
                now.pop(k, None)
                continue
            m = now.get(k) or {"since": o["ts"]}
            if o["op"] == "add":
                m = {"since": o["ts"]}
            m.update(destination=d, segment=o["segment"], profile=o["profile"], audience=o["audience"], keys=o["keys"],
                     fields=o["fields"], labels=o["labels"], holdout=o["holdout"], updated=o["ts"])
            now[k] = m
        want_members += [now[k] for k in sorted(now)]
    got_members = sorted((m for m in members if m["destination"] in dests),
                         key=lambda m: (m["destination"], m["segment"], m["profile"]))
    want_members.sort(key=lambda m: (m["destination"], m["segment"], m["profile"]))
    if got_members != want_members:
        errors.append("seg_members: %d rows, %d expected" % (len(got_members), len(want_members)))
        for g, w in zip(got_members, want_members):
            if g != w:
                errors.append("  first difference: %s\n    vs expected %s" % (g, w))
                break
    if errors:
        sys.exit("\n".join(errors))
    print("warehouse: %d ops, %d members as expected" % (sum(1 for r in rows if r["destination"] in dests),
                                                          len(want_members)))


main()
