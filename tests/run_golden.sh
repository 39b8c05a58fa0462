#!/usr/bin/env bash
# One golden test: runs `seg` on a case file and compares the output with the case's
# .expected file (unified diff on mismatch). UPDATE=1 rewrites the expectation instead.
#
#   run_golden.sh SEG MODE CASE
#     check  CASE.seg  -> `seg check --color never CASE.seg`, output + "exit: N"
#     parse  CASE.seg  -> `seg parse CASE.seg`, output + "exit: N"
#     ir     CASE.seg  -> `seg ir CASE.seg`, output + "exit: N"
#     test   CASE.seg  -> `seg test CASE.seg`, output + "exit: N"
#     lint   CASE.seg  -> `seg lint CASE.seg` (+ the `# sample:` / `# args:` of its header,
#                         tests/lint/cases/README.md), output + "exit: N"
#     fmt    CASE.seg  -> `seg fmt CASE.seg`; then the output must itself be formatted
#     cli    CASE.cmd  -> `seg <args in CASE.cmd>` run in the case's folder, output + "exit: N"
set -u
seg=$1 mode=$2 case=$3
dir=$(cd "$(dirname "$case")" && pwd)
base=$(basename "$case")
name=${base%.*}
expected="$dir/$name.expected"
actual=$(mktemp)
trap 'rm -f "$actual" "$actual.seg"' EXIT
cd "$dir" || exit 1

case $mode in
  check) "$seg" check --color never "$base" >"$actual" 2>&1; echo "exit: $?" >>"$actual" ;;
  parse) "$seg" parse --color never "$base" >"$actual" 2>&1; echo "exit: $?" >>"$actual" ;;
  ir) "$seg" ir --color never "$base" >"$actual" 2>&1; echo "exit: $?" >>"$actual" ;;
  test) "$seg" test --color never "$base" >"$actual" 2>&1; echo "exit: $?" >>"$actual" ;;
  lint)
    extra=()
    sample=$(sed -n 's/^# sample: *//p' "$base" | head -1)
    [ -n "$sample" ] && extra+=(--sample "$sample")
    args=$(sed -n 's/^# args: *//p' "$base" | head -1)
    # shellcheck disable=SC2206
    [ -n "$args" ] && extra+=($args)
    "$seg" lint --color never "$base" "${extra[@]}" >"$actual" 2>&1; echo "exit: $?" >>"$actual" ;;
  fmt)
    "$seg" fmt "$base" >"$actual" 2>&1 || { cat "$actual"; echo "seg fmt failed"; exit 1; }
    cp "$actual" "$actual.seg"
    if ! "$seg" fmt --check --color never "$actual.seg" >/dev/null 2>&1; then
      echo "formatting is not idempotent for $base:"
      "$seg" fmt --check --color never "$actual.seg"
      exit 1
    fi ;;
  cli)
    # shellcheck disable=SC2046
    eval "set -- $(cat "$base")"
    "$seg" "$@" >"$actual" 2>&1; echo "exit: $?" >>"$actual" ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac

if [ "${UPDATE:-0}" = 1 ]; then
  cp "$actual" "$expected"
  echo "updated $expected"
  exit 0
fi
if [ ! -f "$expected" ]; then
  echo "missing $expected (run with UPDATE=1 to create it); actual output:"
  cat "$actual"
  exit 1
fi
if ! diff -u "$expected" "$actual"; then
  echo "golden mismatch for $case (UPDATE=1 to accept)"
  exit 1
fi
