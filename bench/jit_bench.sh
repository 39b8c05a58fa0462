#!/usr/bin/env bash
# Issue 4's figures in one run (ratios are what to compare: the machine is shared):
#  - end to end (parse + fold + evaluate + deadline + diff + op text, ops discarded):
#    parse-only baseline, interpreter and JIT -O2, on the retention example and on
#    generated bundles of 50 and 500 segments with generated streams;
#  - the evaluate kernel alone (row path) and the bulk kernel, interpreter vs JIT;
#  - compile time per segment at -O0/-O2, resident cost per loaded bundle and
#    compile/unload cycles for 1 000 segments;
#  - the bulk kernel against the hand-written struct-of-arrays loop.
#
#   bench/jit_bench.sh [LINES] [REPEAT]          (default 200000 3)
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-200000} repeat=${2:-3}
profiles=$((lines / 10))
cmake --preset release >/dev/null
cmake --build build/release -j"$(nproc)" --target seg seg_bulk_baseline >/dev/null
seg=build/release/cli/seg
work=build/bench
mkdir -p "$work"
echo "machine: $(nproc) CPU, $(lscpu | sed -n 's/^Model name: *//p' | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"

suite() {  # NAME RULES STREAM REPEAT
  echo "== $1 ($(wc -l <"$3") lines)"
  "$seg" bench run "$2" --input "$3" --repeat "$4" --parse-only
  "$seg" bench run "$2" --input "$3" --repeat "$4" --backend interp
  "$seg" bench run "$2" --input "$3" --repeat "$4" --backend jit
  "$seg" bench run "$2" --input "$3" --repeat "$4" --evaluate-only
  "$seg" bench run "$2" --input "$3" --repeat "$4" --bulk || true  # no bulk kernel: says why
}

stream=$work/stream-$profiles-$lines.ndjson
[ -f "$stream" ] || python3 examples/retention/generate_stream.py --seed 42 --profiles "$profiles" \
  --events "$lines" >"$stream" 2>/dev/null
suite "retention example" examples/retention "$stream" "$repeat"

for n in 50 500; do
  rules=$work/gen$n.seg
  python3 bench/gen_rules.py --segments $n --seed 1 -o "$rules"
  "$seg" fmt --write "$rules" >/dev/null
  # The 500-segment bundle re-evaluates a profile ~7 times per line (windows and time
  # comparisons expire constantly): a quarter of the stream, one run per engine.
  l=$lines r=$repeat
  [ $n -lt 500 ] || { l=$((lines / 4)); r=1; }
  s=$work/gen$n-$l.ndjson
  [ -f "$s" ] || python3 bench/gen_stream.py "$rules" --profiles $((l / 10)) --events $l --seed 1 -o "$s" 2>/dev/null
  suite "generated, $n segments" "$rules" "$s" "$r"
done

echo "== compile, 1000 segments"
python3 bench/gen_rules.py --segments 1000 --seed 1 -o "$work/gen1000.seg"
"$seg" fmt --write "$work/gen1000.seg" >/dev/null
"$seg" bench jit "$work/gen1000.seg" --cycles 100

echo "== bulk kernel vs hand-written SoA loop"
build/release/bench/seg_bulk_baseline 1000000 "$repeat"
