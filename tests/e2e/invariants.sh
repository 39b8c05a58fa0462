#!/usr/bin/env bash
# Generated streams through `seg run`, checked against the op invariants
# (tests/e2e/ops_invariants.py) for several seeds.
#   tests/e2e/invariants.sh SEG REPO_ROOT [SEEDS...]
set -eu
seg=$1 root=$2
shift 2
seeds=${*:-"1 2 3"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for seed in $seeds; do
  python3 "$root/examples/retention/generate_stream.py" --seed "$seed" --profiles 1500 --events 15000 \
    --malformed 5 >"$tmp/s.ndjson" 2>/dev/null
  "$seg" run "$root/examples/retention" --input "$tmp/s.ndjson" --out "$tmp/out" -q --until 2026-05-01T00:00:00Z
  echo -n "seed $seed: "
  python3 "$(dirname "$0")/ops_invariants.py" "$tmp/out"
done
