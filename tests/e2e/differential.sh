#!/usr/bin/env bash
# Interpreter vs JIT on generated streams: every output file must be byte-identical.
#   tests/e2e/differential.sh SEG REPO_ROOT [SEEDS...]
set -eu
seg=$1 root=$2
shift 2
seeds=${*:-"1 2 3"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for seed in $seeds; do
  python3 "$root/examples/retention/generate_stream.py" --seed "$seed" --profiles 2000 --events 20000 \
    --malformed 5 >"$tmp/s.ndjson" 2>/dev/null
  for engine in "interp" "jit --jit-opt 0" "jit --jit-opt 2" "auto"; do
    name=${engine// /_}
    # shellcheck disable=SC2086
    "$seg" run "$root/examples/retention" --input "$tmp/s.ndjson" --out "$tmp/$name" -q \
      --until 2026-05-01T00:00:00Z --backend $engine
  done
  for name in jit_--jit-opt_0 jit_--jit-opt_2 auto; do
    for f in "$tmp/interp"/*.ndjson "$tmp/interp/summary.json"; do
      if ! cmp -s "$f" "$tmp/$name/$(basename "$f")"; then
        echo "FAIL seed $seed: $(basename "$f") differs between interp and $name"
        status=1
      fi
    done
  done
  echo "seed $seed: $(cat "$tmp/interp"/*.ndjson | wc -l) ops identical under interp, jit -O0, jit -O2, auto"
done
exit $status
