#!/usr/bin/env bash
# Front-end benchmark: `seg check` and `seg fmt --check` on a generated rule set.
# Target: `seg check` on 10 000 segments in under 1 s (median wall time).
#
#   bench/check_bench.sh [SEGMENTS] [SEED]        (defaults: 10000 1)
#
# Builds a Release `seg` in build/release (tests off), generates the rule set with
# bench/gen_rules.py, puts it in canonical form with `seg fmt` (so `fmt --check` times
# the usual "already formatted" path), and times both commands: hyperfine when it is
# installed (apt-get install -y hyperfine), else 10 runs with /usr/bin/time. Prints the
# machine, the figures and a Markdown row for bench/RESULTS.md. Heavy steps run with
# `nice` and one build job (the machine is shared).
set -euo pipefail
segments=${1:-10000}
seed=${2:-1}
runs=${BENCH_RUNS:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

echo "== build (Release, build/release)"
cmake --preset release -DSEG_BUILD_TESTS=OFF >/dev/null
nice cmake --build build/release -j1 --target seg
seg=$root/build/release/cli/seg

work=$root/build/release/bench
mkdir -p "$work"
raw=$work/rules_${segments}_raw.seg
rules=$work/rules_${segments}.seg
echo "== generate: $segments segments, seed $seed"
python3 bench/gen_rules.py --segments "$segments" --seed "$seed" -o "$raw"
"$seg" fmt "$raw" >"$rules"
size=$(wc -c <"$rules")
lines=$(wc -l <"$rules")
echo "$rules: $size bytes, $lines lines"

echo "== sanity"
if ! "$seg" check --color never "$rules" >"$work/check.out" 2>&1; then
  echo "seg check reports errors on the generated file (first lines):"
  head -n 20 "$work/check.out"
  exit 1
fi
tail -n 1 "$work/check.out"
fmt_ok=yes
if ! "$seg" fmt --check --color never "$rules" >"$work/fmt.out" 2>&1; then
  fmt_ok=no
  echo "warning: seg fmt --check fails on seg fmt's own output (formatter not idempotent?):"
  head -n 20 "$work/fmt.out"
fi

# median_of FILE: median of the numbers in FILE, one per line.
median_of() { sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# bench NAME COMMAND...: prints the median wall time in seconds.
bench() {
  local name=$1
  shift
  if command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs "$runs" --ignore-failure --export-json "$work/$name.json" \
      --command-name "$name" "$(printf '%q ' "$@")" >&2
    python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' \
      "$work/$name.json"
  else
    local times=$work/$name.times
    : >"$times"
    "$@" >/dev/null 2>&1 || true  # warm-up
    for _ in $(seq 1 "$runs"); do
      /usr/bin/time -f %e -a -o "$times" "$@" >/dev/null 2>&1 || true
    done
    median_of "$times"
  fi
}

echo "== time ($runs runs each)"
t_check=$(bench seg_check "$seg" check --color never "$rules")
t_fmt=$(bench seg_fmt_check "$seg" fmt --check --color never "$rules")
# Baselines in the same run (the machine is shared and noisy: compare ratios):
# reading the file (the I/O floor) and `seg parse` (parsing without sema).
t_read=$(bench read_file wc -l "$rules")
t_parse=$(bench seg_parse sh -c "\"$seg\" parse \"$rules\" >/dev/null")
/usr/bin/time -f %M -o "$work/check.rss" "$seg" check --color never "$rules" >/dev/null 2>&1 || true
/usr/bin/time -f %M -o "$work/fmt.rss" "$seg" fmt --check --color never "$rules" >/dev/null 2>&1 || true
peak_check=$(tail -n 1 "$work/check.rss")
peak_fmt=$(tail -n 1 "$work/fmt.rss")

date=$(date -u +%Y-%m-%dT%H:%MZ)
model=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
machine="$(nproc) CPU, ${model:-unknown}"
tool=$(command -v hyperfine >/dev/null && echo "hyperfine, $runs runs" || echo "/usr/bin/time, $runs runs")
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
verdict=$(awk -v t="$t_check" 'BEGIN { print (t < 1.0) ? "under 1 s: target met" : "over 1 s: target missed" }')

echo
echo "date:            $date"
echo "machine:         $machine"
echo "commit:          $commit (plus uncommitted changes, if any)"
echo "input:           $segments segments, seed $seed, $size bytes, $lines lines"
echo "seg check:       median ${t_check} s, peak RSS ${peak_check} KB ($verdict)"
echo "seg fmt --check: median ${t_fmt} s, peak RSS ${peak_fmt} KB (file formatted: $fmt_ok)"
ratio=$(awk -v c="$t_check" -v p="$t_parse" 'BEGIN { printf "%.2f", (p > 0) ? c / p : 0 }')
echo "baselines:       read file ${t_read} s; seg parse (no sema) ${t_parse} s; check/parse = ${ratio}"
echo "timing:          $tool"
echo
echo "| $date | $machine | \`bench/check_bench.sh $segments $seed\` | $segments | $size B | ${t_check} s | ${t_fmt} s | ${t_read} s | ${t_parse} s | ${ratio} |"
