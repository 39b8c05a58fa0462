#!/usr/bin/env bash
# `--threads N` (RUNTIME.md §7, issue 15): the ops, rejected lines and summary of a run
# split over N engines are byte for byte those of one engine — on every hand-derived
# case, every shared conformance case, and a generated retention stream (late records,
# equal timestamps, key changes, malformed lines), for N = 2, 3 and 7 and both engines.
#
#   tests/e2e/threads.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The whole output folder but the checkpoint (one thread writes it; N do not) and the
# summary's state size (N engines each intern their own strings).
no_state() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("state"); print(json.dumps(d))' "$1"; }
same() {  # label, folder of one thread, folder of N
  diff -r -q -x 'checkpoint.segstate*' -x summary.json "$2" "$3" >/dev/null || {
    diff -r -x 'checkpoint.segstate*' -x summary.json "$2" "$3" | head -20
    fail "$1: the output differs from one thread's"
  }
  [ "$(no_state "$2/summary.json")" = "$(no_state "$3/summary.json")" ] || fail "$1: the summaries differ"
}

runs=0
check_case() {  # label, rules, input, extra args...
  local label=$1 rules=$2 input=$3; shift 3
  "$seg" run "$rules" --input "$input" --out "$tmp/one" -q "$@" || fail "$label: one thread exited $?"
  for n in 2 3 7; do
    "$seg" run "$rules" --input "$input" --out "$tmp/n$n" -q --threads "$n" "$@" ||
      fail "$label: --threads $n exited $?"
    same "$label --threads $n $*" "$tmp/one" "$tmp/n$n"
    runs=$((runs + 1))
    rm -rf "$tmp/n$n"
  done
  rm -rf "$tmp/one"
}

cases=("$root"/tests/e2e/cases/*/)
[ -d "$root/../shared/conformance" ] && cases+=("$root"/../shared/conformance/*/)
for c in "${cases[@]}"; do
  c=${c%/}
  [ -f "$c/rules.seg" ] || continue
  extra=()
  [ -f "$c/until.txt" ] && extra=(--until "$(tr -d '[:space:]' <"$c/until.txt")")
  check_case "$(basename "$c")" "$c/rules.seg" "$c/input.ndjson" "${extra[@]}" --backend interp
done

python3 "$root/examples/retention/generate_stream.py" --seed 7 --profiles 3000 --events 40000 \
  >"$tmp/stream.ndjson" 2>/dev/null
for backend in interp jit; do
  check_case "retention stream ($backend)" "$root/examples/retention" "$tmp/stream.ndjson" --backend "$backend"
done
# A stream with nothing applied at all, and --until past the end (time-driven exits only).
printf '{"type":"page","userId":"u1","timestamp":"2026-03-01T00:00:00Z"}\n' >"$tmp/quiet.ndjson"
check_case "ignored-only stream" "$root/examples/retention" "$tmp/quiet.ndjson"
check_case "retention --until" "$root/examples/retention" "$tmp/stream.ndjson" --until 2026-05-01T00:00:00Z

# Refused combinations are usage errors.
set +e
"$seg" run "$root/examples/retention" --input "$tmp/stream.ndjson" --out "$tmp/x" --threads 2 --follow -q 2>/dev/null
[ $? -eq 2 ] || fail "--threads with --follow was not a usage error"
set -e
echo "threads: $runs runs with 2, 3 and 7 engines, byte-identical to one"
