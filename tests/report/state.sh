#!/usr/bin/env bash
# `seg report --state DIR`: a durable state records its run's --out (docs/production.md);
# the report reads that folder. Checks: the same JSON as `--out` (but for `state`), a
# relative --out resolved from where seg report runs (with an error that says so
# elsewhere), and the refusals: no such folder (exit 2), not a state (exit 3), --out
# with --state (exit 2).
#
#   tests/report/state.sh SEG SOURCE_DIR
set -uo pipefail
seg=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
rules=$src/tests/cli/data/cart.seg input=$src/tests/cli/data/cart.ndjson

expect_exit() {  # CODE PATTERN CMD…: exit code and a stderr line matching PATTERN
  local want=$1 pattern=$2
  shift 2
  "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local got=$?
  if [ "$got" != "$want" ] || ! grep -qE "$pattern" "$tmp/stderr"; then
    echo "FAIL: $* exited $got (expected $want), stderr:"; cat "$tmp/stderr"; fail=1
  fi
}

"$seg" run "$rules" --input "$input" --state "$tmp/state" --out "$tmp/out" >/dev/null || { echo "FAIL: seg run"; exit 1; }
"$seg" report --state "$tmp/state" --format json >"$tmp/by_state.json" || fail=1
"$seg" report --out "$tmp/out" --format json >"$tmp/by_out.json" || fail=1
python3 - "$tmp/by_state.json" "$tmp/by_out.json" "$tmp" <<'PY' || fail=1
import json, sys
a, b, tmp = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
assert a["state"] == tmp + "/state", a["state"]
assert b["state"] is None
a["state"] = None
assert a == b, "seg report --state and --out differ"
assert a["destinations"]["meta_abandoners"]["sizes"], "no sizes"
PY

# A relative --out: resolved from the current folder, like the run that recorded it.
(cd "$tmp" && "$seg" run "$rules" --input "$input" --state rel_state --out rel_out >/dev/null) || fail=1
(cd "$tmp" && "$seg" report --state rel_state >/dev/null) || { echo "FAIL: relative --out from the run's folder"; fail=1; }
expect_exit 3 "names --out rel_out, which is not a folder here \(a relative path" \
  "$seg" report --state "$tmp/rel_state"

expect_exit 2 "^error: --state $tmp/nope: no such folder" "$seg" report --state "$tmp/nope"
expect_exit 3 "^error: --state $tmp/out: " "$seg" report --state "$tmp/out"
expect_exit 2 "excludes" "$seg" report --state "$tmp/state" --out "$tmp/out"

[ $fail = 0 ] || exit 1
echo "report --state: same report as --out; relative --out and refusals clear"
