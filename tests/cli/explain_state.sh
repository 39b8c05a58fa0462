#!/usr/bin/env bash
# `seg explain --state DIR` / `--checkpoint FILE` (issue 19, rough edge 7): starting from
# what `seg run --state` or `--checkpoint` left gives the same explanation, human and
# JSON, as replaying the whole input; `--input` then adds the records after the state
# (a --state reads on from its committed byte, a checkpoint takes the file's records);
# `--at` moves a state's time forward, never back; the state folder is not changed; a
# missing or corrupt state is exit 3 with its path, an unknown profile exit 1 with the
# nearest ids of the state.
#
#   tests/cli/explain_state.sh SEG SOURCE_DIR
set -uo pipefail
seg=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
rules=$src/tests/cli/data/cart.seg input=$src/tests/cli/data/cart.ndjson
profiles=$(python3 -c 'import json,sys; print(" ".join(sorted({json.loads(l)["userId"] for l in open(sys.argv[1]) if l.strip()})))' "$input")
[ -n "$profiles" ] || { echo "FAIL: no profiles in $input"; exit 1; }

snapshot() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum; find . | sort) >"$2"; }

same() {  # LABEL FILE FILE
  if ! cmp -s "$2" "$3"; then
    echo "FAIL: $1 differs:"; diff -u "$2" "$3" | head -30; fail=1
  fi
}

explain_all() {  # OUTDIR ARGS…: every profile, human and json, with exit codes
  local out=$1; shift
  mkdir -p "$out"
  for p in $profiles; do
    for f in human json; do
      "$seg" explain "$rules" --profile "$p" --format "$f" "$@" >"$out/$p.$f" 2>"$out/$p.$f.err"
      echo "exit: $?" >>"$out/$p.$f"
    done
  done
}

expect_exit() {  # CODE PATTERN CMD…: exit code and a stderr line matching PATTERN
  local want=$1 pattern=$2
  shift 2
  "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local got=$?
  if [ "$got" != "$want" ] || ! grep -qE -- "$pattern" "$tmp/stderr"; then
    echo "FAIL: $* exited $got (expected $want), stderr:"; cat "$tmp/stderr"; fail=1
  fi
}

# The reference: the whole input replayed.
explain_all "$tmp/replay" --input "$input"
grep -q "^profile c03 at" "$tmp/replay/c03.human" || { echo "FAIL: reference explanation:"; cat "$tmp/replay/c03.human"; fail=1; }

# --state after a run over the whole input, with no --input: nothing replayed.
"$seg" run "$rules" --input "$input" --state "$tmp/state" --out "$tmp/out" >/dev/null || { echo "FAIL: seg run --state"; exit 1; }
snapshot "$tmp/state" "$tmp/state.before"
explain_all "$tmp/by_state" --state "$tmp/state"
for f in "$tmp"/replay/*.human "$tmp"/replay/*.json; do same "--state: $(basename "$f")" "$f" "$tmp/by_state/$(basename "$f")"; done
snapshot "$tmp/state" "$tmp/state.after"
same "the state folder after seg explain --state" "$tmp/state.before" "$tmp/state.after"

# --checkpoint after a run over the whole input.
"$seg" run "$rules" --input "$input" --checkpoint "$tmp/full.segstate" --out "$tmp/out2" >/dev/null || { echo "FAIL: seg run --checkpoint"; exit 1; }
explain_all "$tmp/by_checkpoint" --checkpoint "$tmp/full.segstate"
for f in "$tmp"/replay/*.human "$tmp"/replay/*.json; do same "--checkpoint: $(basename "$f")" "$f" "$tmp/by_checkpoint/$(basename "$f")"; done

# A state of the first half, then --input: a --state reads the same file on from its
# committed byte; a checkpoint takes the records after it from a file of their own.
head -n 10 "$input" >"$tmp/half.ndjson"
tail -n +11 "$input" >"$tmp/rest.ndjson"
cp "$tmp/half.ndjson" "$tmp/growing.ndjson"
"$seg" run "$rules" --input "$tmp/growing.ndjson" --state "$tmp/half_state" --out "$tmp/out3" >/dev/null || { echo "FAIL: seg run half --state"; exit 1; }
cat "$tmp/rest.ndjson" >>"$tmp/growing.ndjson"
explain_all "$tmp/by_half_state" --state "$tmp/half_state" --input "$tmp/growing.ndjson"
for f in "$tmp"/replay/*.human "$tmp"/replay/*.json; do same "--state + --input: $(basename "$f")" "$f" "$tmp/by_half_state/$(basename "$f")"; done
"$seg" run "$rules" --input "$tmp/half.ndjson" --checkpoint "$tmp/half.segstate" --out "$tmp/out4" >/dev/null || { echo "FAIL: seg run half --checkpoint"; exit 1; }
explain_all "$tmp/by_half_checkpoint" --checkpoint "$tmp/half.segstate" --input "$tmp/rest.ndjson"
for f in "$tmp"/replay/*.human "$tmp"/replay/*.json; do same "--checkpoint + --input: $(basename "$f")" "$f" "$tmp/by_half_checkpoint/$(basename "$f")"; done

# --at past the state's watermark moves time forward (TTLs and windows run out) ...
late=2026-03-09T00:00:00Z
"$seg" explain "$rules" --input "$input" --profile c03 --at $late >"$tmp/late_replay" 2>&1 || fail=1
"$seg" explain "$rules" --state "$tmp/state" --profile c03 --at $late >"$tmp/late_state" 2>&1 || fail=1
same "--at $late" "$tmp/late_replay" "$tmp/late_state"
grep -q "^profile c03 at $late" "$tmp/late_state" || { echo "FAIL: --at not applied:"; cat "$tmp/late_state"; fail=1; }
# ... and never back.
expect_exit 2 "before the watermark of state $tmp/state" "$seg" explain "$rules" --state "$tmp/state" --profile c03 --at 2026-02-01T00:00:00Z

# Errors: a missing state, a folder that is not one, a corrupt checkpoint (exit 3 with
# the path); an unknown profile (exit 1, the nearest ids of the state).
expect_exit 3 "state $tmp/nowhere" "$seg" explain "$rules" --state "$tmp/nowhere" --profile c03
mkdir "$tmp/empty"
expect_exit 3 "$tmp/empty" "$seg" explain "$rules" --state "$tmp/empty" --profile c03
head -c 100 "$tmp/full.segstate" >"$tmp/cut.segstate"
expect_exit 3 "$tmp/cut.segstate" "$seg" explain "$rules" --checkpoint "$tmp/cut.segstate" --profile c03
expect_exit 3 "$tmp/none.segstate" "$seg" explain "$rules" --checkpoint "$tmp/none.segstate" --profile c03
expect_exit 3 "shorter than state $tmp/state's position" "$seg" explain "$rules" --state "$tmp/state" --input "$tmp/half.ndjson" --profile c03
expect_exit 1 'nearest ids in the state: `c0' "$seg" explain "$rules" --state "$tmp/state" --profile c3
expect_exit 2 "give --input, --state or --checkpoint" "$seg" explain "$rules" --profile c03
snapshot "$tmp/state" "$tmp/state.after2"
same "the state folder after the refusals" "$tmp/state.before" "$tmp/state.after2"

[ $fail = 0 ] && echo "seg explain --state/--checkpoint ok"
exit $fail
