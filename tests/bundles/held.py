#!/usr/bin/env python3
"""What each destination holds after replaying op files in order (RUNTIME.md §4).

  held.py same DIRS_A DIRS_B   both comma-separated lists of output dirs, replayed in
                               order: exit 1 unless they leave the same holdings
  held.py split FILE N A B     splits an NDJSON stream at the first instant boundary
                               at or after line N into A and B

A `remove` must carry exactly the keys and fields the destination holds, or the replay
fails: that is the contract that makes a rule change's removes safe downstream.
"""
import glob
import json
import os
import sys


def held(dirs):
    h = {}
    for d in dirs:
        for f in sorted(glob.glob(os.path.join(d, "*.ndjson"))):
            if os.path.basename(f) == "rejected.ndjson":
                continue
            for line in open(f, encoding="utf-8"):
                o = json.loads(line)
                k = (o["destination"], o["audience"], o["segment"], o["profile"])
                v = (json.dumps(o["keys"], sort_keys=True), json.dumps(o["fields"], sort_keys=True))
                if o["op"] == "remove":
                    if h.get(k) != v:
                        sys.exit(f"remove of what is not held: {k} {v} (held: {h.get(k)})")
                    del h[k]
                else:
                    h[k] = v
    return h


def timestamp(line):
    try:
        o = json.loads(line)
        return o.get("timestamp") if isinstance(o, dict) else None
    except ValueError:
        return None


def main():
    if sys.argv[1] == "same":
        a, b = held(sys.argv[2].split(",")), held(sys.argv[3].split(","))
        diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        for k in diff[:10]:
            print("differs:", k, a.get(k), b.get(k))
        print(f"held: {len(a)} vs {len(b)}, {len(diff)} differ")
        sys.exit(1 if diff or not a else 0)
    if sys.argv[1] == "split":
        lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
        n = int(sys.argv[3])
        while n < len(lines) and (timestamp(lines[n]) is None or timestamp(lines[n]) == timestamp(lines[n - 1])):
            n += 1
        open(sys.argv[4], "w", encoding="utf-8").write("\n".join(lines[:n]) + "\n")
        open(sys.argv[5], "w", encoding="utf-8").write("\n".join(lines[n:]) + "\n")
        return
    sys.exit("usage: held.py same A B | split FILE N A B")


main()
