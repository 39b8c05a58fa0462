#!/usr/bin/env bash
# Connector throughput (issue 7): the retention example over a generated stream, once
# with every destination on its file (the embedded connector) and once with the
# analytics and warehouse destinations on the webhook connector, posting to a local
# endpoint (bench/ack_server.py on 127.0.0.1) that acknowledges at once.
# Reports ops/s through the webhook connector and the run's records/s with and without.
#
#   bench/connector_bench.sh [PROFILES] [LINES] [MAX_BATCH]     (default 20000 200000 1000)
#   SEG=path/to/seg bench/connector_bench.sh …                  (skip the Release build)
set -euo pipefail
cd "$(dirname "$0")/.."
profiles=${1:-20000} lines=${2:-200000} batch=${3:-1000}
if [ -z "${SEG:-}" ]; then
  cmake --preset release -DSEG_BUILD_TESTS=OFF >/dev/null
  cmake --build build/release -j"$(nproc)" >/dev/null
  SEG=$PWD/build/release/cli/seg
fi
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
work=$PWD/build/bench/connectors
mkdir -p "$work"
stream=$work/stream-$profiles-$lines.ndjson
[ -f "$stream" ] || python3 examples/retention/generate_stream.py --seed 42 --profiles "$profiles" \
  --events "$lines" >"$stream" 2>/dev/null
echo "machine: $(nproc) CPU, $(lscpu | sed -n 's/^Model name: *//p' | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
wall() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
t_file=$(wall "$SEG" run examples/retention --input "$stream" --out "$work/file" -q)
rm -f "$work/port" "$work/log.ndjson"
"$py" bench/ack_server.py "$work/port" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 1 200); do [ -s "$work/port" ] && break; sleep 0.02; done
url="http://127.0.0.1:$(cat "$work/port")/ops"
cat >"$work/deploy.json" <<JSON
{"destinations": {
  "warehouse_segments": {"connector": "webhook", "url": "$url"},
  "warehouse_tiers": {"connector": "webhook", "url": "$url"},
  "analytics_lifecycle": {"connector": "webhook", "url": "$url"}},
 "defaults": {"max_batch": $batch}}
JSON
t_hook=$(wall "$SEG" run examples/retention --input "$stream" --out "$work/hook" --config "$work/deploy.json" -q)
"$py" - "$work" "$stream" "$t_file" "$t_hook" <<'PY'
import json, sys
work, stream, t_file, t_hook = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
lines = sum(1 for _ in open(stream))
d = json.load(open(work + "/hook/summary.json"))["destinations"]
acked = sum(d[n]["delivery"]["acknowledged"] for n in ("warehouse_segments", "warehouse_tiers", "analytics_lifecycle"))
batches = sum(d[n]["delivery"]["batches"] for n in ("warehouse_segments", "warehouse_tiers", "analytics_lifecycle"))
lat = max(d[n]["delivery"]["batch_latency_ms"]["mean"] for n in ("warehouse_segments", "warehouse_tiers", "analytics_lifecycle"))
print(f"stream: {lines} lines")
print(f"file connector only:  {t_file:.2f} s = {lines / t_file:,.0f} records/s")
print(f"with webhook (3 destinations, {acked} ops acknowledged in {batches} batches, mean batch latency {lat:.1f} ms): "
      f"{t_hook:.2f} s = {lines / t_hook:,.0f} records/s; {acked / t_hook:,.0f} ops/s through the webhook; "
      f"runtime with/without = {t_file / t_hook:.2f}")
PY
