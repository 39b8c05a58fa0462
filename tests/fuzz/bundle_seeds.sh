#!/usr/bin/env bash
# Seeds for the bundle fuzz target (also its libFuzzer corpus), then replays the target
# over them: bundles of the example and the bulk benchmark rules
# (without object code; one signed), their IR sections, and truncated and bit-flipped
# variants.
#
#   tests/fuzz/bundle_seeds.sh SEG REPLAY REPO_ROOT [OUT_DIR]
set -eu
seg=$1 replay=$2 root=$3
out=${4:-$(mktemp -d)}
mkdir -p "$out"
"$seg" build "$root/examples/retention" --no-object -o "$out/retention.segb" >/dev/null
"$seg" build "$root/bench/bulk/rules.seg" --no-object -o "$out/bulk.segb" >/dev/null
keys=$(mktemp -d)
"$seg" keygen -o "$keys/k" >/dev/null
"$seg" build "$root/examples/retention" --no-object --sign "$keys/k.key" -o "$out/signed.segb" >/dev/null
rm -rf "$keys"
python3 - "$out" <<'PY'
import os, random, struct, sys
out = sys.argv[1]
rng = random.Random(3)
for name in ("retention", "bulk"):
    b = open(os.path.join(out, name + ".segb"), "rb").read()
    pos, sections = 16, struct.unpack_from("<I", b, 12)[0]
    for _ in range(sections):
        kind, length = struct.unpack_from("<IQ", b, pos)
        pos += 12
        if kind == 2:
            ir = b[pos:pos + length]
            open(os.path.join(out, name + ".ir"), "wb").write(ir)
            for i in range(20):
                m = bytearray(ir)
                m[rng.randrange(len(m))] ^= 1 << rng.randrange(8)
                open(os.path.join(out, f"{name}.ir.flip{i}"), "wb").write(m)
            open(os.path.join(out, name + ".ir.half"), "wb").write(ir[: len(ir) // 2])
        pos += length
PY
"$replay" "$out"
