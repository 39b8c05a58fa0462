#!/usr/bin/env bash
# Rule-change re-evaluation (issue 5): a state of PROFILES profiles written by the
# retention example, then `seg run NEW --resume STATE` with changed rules (a lower vip
# threshold, a shorter browse window, a renamed Meta audience, vip no longer sent to the
# warehouse). Reports, in one run: the re-evaluation alone (profiles/s, from
# summary.json), the whole `seg run` (load + migrate + re-evaluate + ops + checkpoint),
# a plain resume with unchanged rules (load + checkpoint: the floor), each with the
# interpreter and the JIT, and the alternative without migration: replaying the whole
# stream with the new rules.
#
#   bench/rule_change_bench.sh [PROFILES]     (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
profiles=${1:-1000000}
cmake --preset release -DSEG_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc)" >/dev/null
seg=$PWD/build/release/cli/seg
work=$PWD/build/bench/rule_change
mkdir -p "$work"
stream=$work/profiles-$profiles.ndjson
[ -f "$stream" ] || python3 bench/gen_profiles.py "$profiles" >"$stream"
rm -rf "$work/v1" "$work/v2"
mkdir "$work/v1"
cp examples/retention/{schema,segments,tiers,destinations}.seg "$work/v1/"
cp -r "$work/v1" "$work/v2"
sed -i 's/when ltv >= \$500 or/when ltv >= $300 or/; s/count(viewed_product within 3d) >= 2/count(viewed_product within 2d) >= 2/' "$work/v2/segments.seg"
sed -i 's/"ADS_WINBACK_v1_2026-03"/"ADS_WINBACK_v2_2026-04"/; s/replenishment_window, lapsed_90, vip$/replenishment_window, lapsed_90/' "$work/v2/destinations.seg"
: >"$work/none.ndjson"

echo "machine: $(nproc) CPU, $(lscpu | sed -n 's/^Model name: *//p' | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "stream: $stream ($(wc -l <"$stream") lines)"
wall() {  # wall seconds of a command
  local s e
  s=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  e=$(date +%s.%N)
  echo "$e - $s" | bc
}
t=$(wall "$seg" run "$work/v1" --input "$stream" --out "$work/state" -q)
state=$work/state/checkpoint.segstate
echo "state: $(python3 -c "import json;print(json.load(open('$work/state/summary.json'))['profiles'])") profiles, $(wc -c <"$state") bytes, written by a ${t} s run"
for be in interp jit; do
  t=$(wall "$seg" run "$work/v1" --backend $be --input "$work/none.ndjson" --resume "$state" --out "$work/same_$be" -q)
  echo "$be: plain resume, same rules (load + checkpoint): ${t} s wall"
  t=$(wall "$seg" run "$work/v2" --backend $be --input "$work/none.ndjson" --resume "$state" --out "$work/change_$be" -q)
  python3 - "$work/change_$be/summary.json" "$be" "$t" <<'PY'
import json, sys
rc = json.load(open(sys.argv[1]))["rule_changes"][0]
print(f"{sys.argv[2]}: rule change: {rc['profiles']} profiles re-evaluated in {rc['seconds']:.3f} s = "
      f"{rc['profiles'] / rc['seconds']:,.0f} profiles/s, {rc['ops']} ops; whole seg run {float(sys.argv[3]):.2f} s wall")
PY
done
for f in "$work"/change_interp/*.ndjson; do
  cmp -s "$f" "$work/change_jit/$(basename "$f")" || { echo "interp and jit differ on $(basename "$f")"; exit 1; }
done
t=$(wall "$seg" run "$work/v2" --input "$stream" --out "$work/replay" -q)
echo "without migration: replaying the whole stream with the new rules: ${t} s wall"
