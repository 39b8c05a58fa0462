#!/usr/bin/env python3
"""Invariants every `seg run` output must satisfy, checked on generated streams
(tests/e2e/invariants.sh): an independent reading of RUNTIME.md §4 that catches what a
hand-written case might not cover.

    ops_invariants.py OUT_DIR

Per destination file:
  - `ts` never decreases;
  - within one instant, ops are sorted by profile (UTF-8 bytes), then segment, then
    remove < add < update;
  - per (profile, segment) the ops follow the holding state: `add` only when not held,
    `remove`/`update` only when held, and a `remove` carries exactly the keys and fields
    last sent (what the destination holds);
  - reasons are the allowed ones for each op, `holdout` is a bool, keys are non-empty;
  - `op_id` is xxh64 over destination, segment, profile, op, ts in ms, seq joined by 0x1f,
    seq counting the ops written before for that destination and profile.
And summary.json's ops per destination equal the lines of each file.
"""
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xxh64 import xxh64  # noqa: E402

KIND_ORDER = {"remove": 0, "add": 1, "update": 2}
REASONS = {"add": {"enter", "change"}, "remove": {"ttl", "exit", "expire", "change"},
           "update": {"change"}}


def ms(ts):
    frac = 0
    base = ts[:-1]
    if "." in base:
        base, f = base.split(".")
        frac = int(f)
    d = datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return int(d.timestamp()) * 1000 + frac


def check(out):
    errors = []
    summary = json.load(open(os.path.join(out, "summary.json")))
    total = 0
    for dest, info in summary["destinations"].items():
        path = os.path.join(out, dest + ".ndjson")
        ops = [json.loads(l) for l in open(path, encoding="utf-8")]
        total += len(ops)
        counted = sum(info["ops"].values())
        if counted != len(ops):
            errors.append(f"{dest}: summary counts {counted} ops, file has {len(ops)}")
        held = {}
        seq = {}
        prev = None
        for n, op in enumerate(ops, 1):
            where = f"{dest}.ndjson:{n}"
            t = ms(op["ts"])
            key = (t, op["profile"].encode(), op["segment"].encode(), KIND_ORDER[op["op"]])
            if prev is not None and key < prev:
                errors.append(f"{where}: out of order")
            prev = key
            if op["reason"] not in REASONS[op["op"]]:
                errors.append(f"{where}: reason {op['reason']} on {op['op']}")
            if not isinstance(op["holdout"], bool) or not op["keys"]:
                errors.append(f"{where}: bad holdout or empty keys")
            h = (op["profile"], op["segment"])
            state = held.get(h)
            if op["op"] == "add":
                if state is not None:
                    errors.append(f"{where}: add while held")
                held[h] = (op["keys"], op["fields"])
            elif op["op"] == "remove":
                if state is None:
                    errors.append(f"{where}: remove while not held")
                elif state != (op["keys"], op["fields"]):
                    errors.append(f"{where}: remove does not carry what was sent")
                held.pop(h, None)
            else:
                if state is None:
                    errors.append(f"{where}: update while not held")
                held[h] = (op["keys"], op["fields"])
            s = seq.get(op["profile"], 0)
            seq[op["profile"]] = s + 1
            parts = [dest, op["segment"], op["profile"], op["op"], str(t), str(s)]
            want = "%016x" % xxh64("\x1f".join(parts).encode())
            if op["op_id"] != want:
                errors.append(f"{where}: op_id {op['op_id']}, expected {want}")
            if len(errors) > 20:
                break
    return errors, total


if __name__ == "__main__":
    errs, total = check(sys.argv[1])
    for e in errs[:20]:
        print("FAIL", e)
    if errs:
        sys.exit(1)
    print(f"ok: {total} ops satisfy the invariants")
