#!/usr/bin/env python3
"""Checks the ops `seg serve` committed to Kafka against one `seg run` over the same records.

For each REF_DIR/<destination>.ndjson, reads the ops topic <prefix><destination> with
kcat (from the beginning to its end) and checks: the same ops (each op line exactly),
and, per profile, the same ops in the same order. librdkafka's mock cluster does not
hide aborted transactions from read_committed readers, so an op that an aborted
transaction wrote and a later one wrote again is seen twice: copies with the same
op_id are counted (and must be byte-identical), then dropped.

    compare_ops.py BOOTSTRAP REF_DIR [--prefix seg.ops.] [--wait SECONDS]

With --wait, reads again until the topics hold every op (or the time is up).
Exit 0 when every destination matches; prints what differs otherwise.
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys
import time


def read_topic(bootstrap, topic):
    out = subprocess.run(["kcat", "-C", "-b", bootstrap, "-t", topic, "-e", "-o", "beginning", "-q", "-f", "%s\n"],
                         capture_output=True, timeout=60)
    return [l for l in out.stdout.decode("utf-8").split("\n") if l]


def compare(bootstrap, ref_dir, prefix, quiet):
    ok, dups_total, problems = True, 0, []
    for ref in sorted(glob.glob(os.path.join(ref_dir, "*.ndjson"))):
        dest = os.path.basename(ref)[:-len(".ndjson")]
        if dest in ("rejected",) or dest.startswith("failed-"):
            continue
        want = [l.rstrip("\n") for l in open(ref, encoding="utf-8") if l.strip()]
        got_all = read_topic(bootstrap, prefix + dest)
        seen, got, dups = {}, [], 0
        for line in got_all:
            op_id = json.loads(line)["op_id"]
            if op_id in seen:
                if seen[op_id] != line:
                    problems.append(f"{dest}: two different ops with op_id {op_id}")
                dups += 1
                continue
            seen[op_id] = line
            got.append(line)
        dups_total += dups
        if collections.Counter(got) != collections.Counter(want):
            missing = collections.Counter(want) - collections.Counter(got)
            extra = collections.Counter(got) - collections.Counter(want)
            problems.append(f"{dest}: {len(got)} ops, want {len(want)}; {sum(missing.values())} missing, "
                            f"{sum(extra.values())} not in the reference"
                            + (f"; e.g. missing {next(iter(missing))[:200]}" if missing else "")
                            + (f"; e.g. extra {next(iter(extra))[:200]}" if extra else ""))
            ok = False
            continue
        per = collections.defaultdict(list)
        for line in got:
            per[json.loads(line)["profile"]].append(line)
        ref_per = collections.defaultdict(list)
        for line in want:
            ref_per[json.loads(line)["profile"]].append(line)
        for profile, ops in ref_per.items():
            if per[profile] != ops:
                problems.append(f"{dest}: the ops of profile {profile} are out of order")
                ok = False
                break
    return ok and not problems, dups_total, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bootstrap")
    ap.add_argument("ref_dir")
    ap.add_argument("--prefix", default="seg.ops.")
    ap.add_argument("--wait", type=float, default=0)
    a = ap.parse_args()
    deadline = time.time() + a.wait
    while True:
        ok, dups, problems = compare(a.bootstrap, a.ref_dir, a.prefix, True)
        if ok or time.time() >= deadline:
            break
        time.sleep(1)
    for p in problems:
        print("FAIL: " + p)
    print(f"compare_ops: {'same ops' if ok else 'DIFFERENT'}; {dups} copies left by aborted transactions dropped")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
