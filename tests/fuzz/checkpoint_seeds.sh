#!/usr/bin/env bash
# Seeds for the checkpoint fuzz target (also its libFuzzer corpus), then replays the
# target over them: checkpoints written by tests/fuzz/checkpoint/a.seg and b.seg over a
# small generated stream (and an empty one), truncations, bit flips, and flips inside
# the layout block that a rule change reads.
#
#   tests/fuzz/checkpoint_seeds.sh SEG REPLAY REPO_ROOT [OUT_DIR]
set -eu
seg=$1 replay=$2 root=$3
out=${4:-$(mktemp -d)}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - >"$work/s.ndjson" <<'PY'
import random
rng = random.Random(5)
for i in range(600):
    t = "2026-03-%02dT%02d:%02d:00Z" % (1 + i // 100, (i // 4) % 24, i % 60)
    u = "u%d" % rng.randrange(40)
    r = rng.random()
    if r < 0.3:
        tags = '["vip"]' if rng.random() < 0.3 else "[]"
        print('{"type":"identify","userId":"%s","timestamp":"%s","traits":{"email":"%s@example.com","ltv":%d,"tags":%s}}'
              % (u, t, u, rng.randrange(900), tags))
    elif r < 0.6:
        print('{"type":"track","userId":"%s","timestamp":"%s","event":"bought","properties":{"value":%d,"sku":"s%d"}}'
              % (u, t, rng.randrange(200), rng.randrange(3)))
    else:
        print('{"type":"track","userId":"%s","timestamp":"%s","event":"viewed","properties":{"sku":"s%d"}}'
              % (u, t, rng.randrange(3)))
PY
: >"$work/none.ndjson"
for r in a b; do
  "$seg" run "$root/tests/fuzz/checkpoint/$r.seg" --input "$work/s.ndjson" --out "$work/$r" -q --backend interp
  cp "$work/$r/checkpoint.segstate" "$out/$r.segstate"
  "$seg" run "$root/tests/fuzz/checkpoint/$r.seg" --input "$work/none.ndjson" --out "$work/${r}0" -q --backend interp
  cp "$work/${r}0/checkpoint.segstate" "$out/${r}_empty.segstate"
done
python3 - "$out" <<'PY'
import os, random, sys
out = sys.argv[1]
rng = random.Random(7)
for name in ("a", "b"):
    b = open(os.path.join(out, name + ".segstate"), "rb").read()
    open(os.path.join(out, name + ".half"), "wb").write(b[: len(b) // 2])
    for i in range(30):
        m = bytearray(b)
        # a third of the flips land in the first 2 kB: header, revision and layout
        pos = rng.randrange(min(2048, len(m))) if i % 3 == 0 else rng.randrange(len(m))
        m[pos] ^= 1 << rng.randrange(8)
        open(os.path.join(out, f"{name}.flip{i}"), "wb").write(m)
PY
"$replay" "$out"
