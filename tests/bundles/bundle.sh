#!/usr/bin/env bash
# Bundles (issue 5): `seg build` then `seg inspect`, `seg test` and `seg run` from the
# .segb give what the sources give (byte for byte, with the object code and with it
# refused), and a corrupt, truncated, tampered, future-version or foreign file is refused
# with a clear error and exit 3 — never a crash, also under 300 re-digested mutations.
#
#   tests/bundles/bundle.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; exit 1; }

"$seg" build "$root/examples/retention" -o ret.segb | grep -q "object code" || fail "build"
"$seg" inspect ret.segb | grep -q "runs here as is" || fail "inspect: object not usable on the build host"
"$seg" inspect ret.segb --format json | python3 -c '
import json, sys
m = json.load(sys.stdin)
assert m["format"] == 1 and len(m["revision"]) == 16 and m["object_usable_here"], m
assert len(m["audiences"]) == 16 and len(m["destinations"]) == 8 and len(m["files"]) == 5
assert all(len(f["sha256"]) == 64 for f in m["files"])
' || fail "inspect --format json"
"$seg" test ret.segb | grep -q "13 passed, 0 failed" || fail "seg test from the bundle"

python3 "$root/examples/retention/generate_stream.py" --seed 5 --profiles 2000 --events 20000 >s.ndjson 2>/dev/null
"$seg" run "$root/examples/retention" --input s.ndjson --out src -q --backend interp
"$seg" run ret.segb --input s.ndjson --out obj | grep -q "object code, linked" || fail "run did not link the object code"
"$seg" run ret.segb --input s.ndjson --out irp -q --backend interp
same() { for f in src/*.ndjson src/summary.json; do cmp -s "$f" "$1/$(basename "$f")" || fail "$1: $(basename "$f") differs"; done; }
same obj
same irp

# Rewrites a bundle through python: patch(bytes) -> bytes, then recomputes the digest.
redigest() {
  python3 - "$@" <<'PY'
import hashlib, json, sys
src, dst, what = sys.argv[1], sys.argv[2], sys.argv[3]
b = bytearray(open(src, "rb").read())[:-32]
if what == "cpu":  # the manifest names another CPU (same length): object code unusable
    i = bytes(b).index(b'"cpu": "') + len(b'"cpu": "')
    b[i:i + 1] = b"Q"
open(dst, "wb").write(bytes(b) + hashlib.sha256(bytes(b)).digest())
PY
}
redigest ret.segb othercpu.segb cpu
"$seg" run othercpu.segb --input s.ndjson --out cpu 2>cpu.err | grep -q "kernels compiled" || fail "no recompile"
grep -q "compiling the IR, not using its object code: it was compiled for CPU Q" cpu.err || fail "no note"
same cpu

refuse() {  # FILE EXPECTED-MESSAGE
  set +e
  "$seg" run "$1" --input s.ndjson --out refused -q 2>err.txt
  code=$?
  set -e
  [ "$code" = 3 ] || fail "$1: exit $code, expected 3 ($(cat err.txt))"
  grep -q "$2" err.txt || fail "$1: message was: $(cat err.txt)"
}
head -c 1000 ret.segb >truncated.segb
refuse truncated.segb "digest mismatch"
python3 -c '
import sys; b = bytearray(open("ret.segb", "rb").read()); b[len(b) // 2] ^= 1; open("flipped.segb", "wb").write(b)'
refuse flipped.segb "digest mismatch"
python3 -c '
b = bytearray(open("ret.segb", "rb").read()); b[8] = 9; open("future.segb", "wb").write(b)'
refuse future.segb "bundle format version 9 is not supported"
cp "$root/examples/retention/schema.seg" notabundle.segb
refuse notabundle.segb "not a seg bundle"
: >empty.segb
refuse empty.segb "not a seg bundle"

# Re-digested mutations reach the section, manifest and IR readers: exit 0 or 3, no crash.
python3 - "$seg" <<'PY'
import hashlib, random, subprocess, sys
seg = sys.argv[1]
body = open("ret.segb", "rb").read()[:-32]
rng = random.Random(11)
codes = {}
for i in range(300):
    b = bytearray(body)
    for _ in range(1 + i % 5):
        b[rng.randrange(len(b))] = rng.randrange(256)
    if i % 7 == 0:
        b = b[: rng.randrange(len(b))]
    open("m.segb", "wb").write(bytes(b) + hashlib.sha256(bytes(b)).digest())
    r = subprocess.run([seg, "inspect", "m.segb"], capture_output=True, timeout=30)
    codes[r.returncode] = codes.get(r.returncode, 0) + 1
    if r.returncode not in (0, 3):
        sys.exit(f"mutation {i}: exit {r.returncode}: {r.stderr.decode(errors='replace')[-300:]}")
print("mutations by exit code:", codes)
PY
echo "bundles: build, inspect, test, run (object code, refused object code, IR), 5 refusals, 300 mutations"
