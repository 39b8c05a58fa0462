#!/usr/bin/env bash
# `seg run` throughput on the retention example (issue 3): builds a Release `seg`
# (build/release, tests off), generates the example stream (seeded), then reports in one
# run: the parse-only baseline (simdjson + schema checks, no engine) and the end-to-end
# interpreter (parse + fold + evaluate + deadline + diff + op text), both as the median
# of N runs over the stream held in memory, plus `seg run` wall time writing the files.
#
#   bench/run_bench.sh [PROFILES] [LINES] [REPEAT]     (default 20000 200000 5)
set -euo pipefail
cd "$(dirname "$0")/.."
profiles=${1:-20000} lines=${2:-200000} repeat=${3:-5}
cmake --preset release -DSEG_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc)" >/dev/null
seg=build/release/cli/seg
work=build/bench
mkdir -p "$work"
stream=$work/stream-$profiles-$lines.ndjson
[ -f "$stream" ] || python3 examples/retention/generate_stream.py --seed 42 --profiles "$profiles" \
  --events "$lines" >"$stream" 2>/dev/null
echo "machine: $(nproc) CPU, $(lscpu | sed -n 's/^Model name: *//p' | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "stream: $stream ($(wc -c <"$stream") bytes)"
"$seg" bench run examples/retention --input "$stream" --repeat "$repeat" --parse-only
"$seg" bench run examples/retention --input "$stream" --repeat "$repeat"
start=$(date +%s.%N)
"$seg" run examples/retention --input "$stream" --out "$work/out" -q
end=$(date +%s.%N)
echo "seg run (files written): $(echo "$end - $start" | bc) s wall"
