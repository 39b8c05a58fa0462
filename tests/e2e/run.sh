#!/usr/bin/env bash
# Run hand-derived end-to-end cases through `seg run` and compare the ops.
#
#   tests/e2e/run.sh SEG [CASE_DIR...]
#
# Without CASE_DIRs it runs every folder under tests/e2e/cases/. A case folder holds
# rules.seg, input.ndjson, an optional until.txt (passed as --until) and expected/
# (one <destination>.ndjson per destination, rejected-count.txt); the layout is the
# one of the shared conformance cases, so those folders can be passed too.
# KEEP=1 keeps each output directory and prints its path. SEG_RUN_ARGS adds options to
# every `seg run` (the engine: --backend interp|jit|auto, --jit-opt 0|2).
set -u
if [ $# -lt 1 ]; then
  echo "usage: $0 SEG [CASE_DIR...]" >&2
  exit 2
fi
seg=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
  set -- "$here"/cases/*/
fi

pass=0 fail=0 failed=()
for case in "$@"; do
  case=${case%/}
  name=$(basename "$case")
  out=$(mktemp -d)
  args=(run "$case/rules.seg" --input "$case/input.ndjson" --out "$out")
  if [ -f "$case/until.txt" ]; then
    args+=(--until "$(tr -d '[:space:]' < "$case/until.txt")")
  fi
  # SEG_RUN_ARGS: extra options, e.g. "--backend jit --jit-opt 0" (one ctest per engine).
  # shellcheck disable=SC2206
  args+=(${SEG_RUN_ARGS:-})
  log=$("$seg" "${args[@]}" 2>&1)
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL $name: seg run exited $rc"
    [ -n "$log" ] && printf '%s\n' "$log" | sed 's/^/  /'
    fail=$((fail + 1)); failed+=("$name")
  elif diff=$(python3 "$here/compare_ops.py" "$case/expected" "$out"); then
    echo "ok   $name"
    pass=$((pass + 1))
  else
    echo "FAIL $name"
    printf '%s\n' "$diff" | sed 's/^/  /'
    fail=$((fail + 1)); failed+=("$name")
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "     output: $out"; else rm -rf "$out"; fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
