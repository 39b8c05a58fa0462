#!/usr/bin/env bash
# Issue 15's figures in one run (compare ratios: the machine is shared and noisy):
#  - end to end (`seg bench run`: parse + fold + evaluate + deadline + diff + op text, ops
#    counted), with the parse-only baseline, on the retention example's stream and on
#    bench/gen_stream.py's stream for a generated 50-segment bundle: interpreter, JIT,
#    JIT with --threads 2; bytes of state per profile;
#  - `seg run` writing the ops files (wall time), one thread and --threads 2;
#  - heap allocations per record (bench/alloc_bench.cpp).
#
#   bench/stream_bench.sh [SEG] [PROFILES] [LINES] [REPEAT]   (default build/release, 100000 1000000 3)
set -euo pipefail
cd "$(dirname "$0")/.."
seg=${1:-} profiles=${2:-100000} lines=${3:-1000000} repeat=${4:-3}
if [ -z "$seg" ]; then
  cmake --preset release >/dev/null
  cmake --build build/release -j"$(nproc)" --target seg seg_alloc_bench >/dev/null
  seg=build/release/cli/seg
fi
alloc=$(dirname "$seg")/../bench/seg_alloc_bench
work=build/bench
mkdir -p "$work"
echo "machine: $(nproc) CPU, $(lscpu | sed -n 's/^Model name: *//p' | head -1); $(date -u +%Y-%m-%dT%H:%MZ); $seg"

suite() {  # NAME RULES STREAM
  echo "== $1 ($(wc -l <"$3") lines)"
  "$seg" bench run "$2" --input "$3" --repeat "$repeat" --parse-only
  "$seg" bench run "$2" --input "$3" --repeat "$repeat" --backend interp
  "$seg" bench run "$2" --input "$3" --repeat "$repeat" --backend jit
  "$seg" bench run "$2" --input "$3" --repeat "$repeat" --backend jit --threads 2
  for t in 1 2; do
    rm -rf "$work/out"
    start=$(date +%s.%N)
    "$seg" run "$2" --input "$3" --out "$work/out" -q --threads $t
    end=$(date +%s.%N)
    echo "seg run --threads $t (ops files written): $(echo "$end - $start" | bc) s wall, $(python3 -c \
      "import json;s=json.load(open('$work/out/summary.json'));print(s['lines']['read'], 'lines;', s['state']['bytes_per_profile'], 'B/profile')")"
  done
  [ -x "$alloc" ] && "$alloc" "$2" "$3"
}

stream=$work/stream-$profiles-$lines.ndjson
[ -f "$stream" ] || python3 examples/retention/generate_stream.py --seed 42 --profiles "$profiles" \
  --events "$lines" >"$stream" 2>/dev/null
suite "retention example" examples/retention "$stream"

rules=$work/gen50.seg
python3 bench/gen_rules.py --segments 50 --seed 1 -o "$rules"
"$seg" fmt --write "$rules" >/dev/null
gstream=$work/gen50-$profiles-$lines.ndjson
[ -f "$gstream" ] || python3 bench/gen_stream.py "$rules" --profiles "$profiles" --events "$lines" --seed 1 \
  -o "$gstream" >/dev/null
suite "generated, 50 segments" "$rules" "$gstream"
