#!/usr/bin/env bash
# Parser recovery must never crash: `seg check` on every prefix of the retention example
# (all its .seg files concatenated), cut after each line and in the middle of each line,
# exits 0 (clean) or 1 (errors reported), and every run that exits 1 printed an error.
#
#   tests/bad_input/truncated_rules.sh SEG REPO_ROOT
set -u
seg=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat "$root"/examples/retention/*.seg >"$tmp/all.seg"
lines=$(wc -l <"$tmp/all.seg")
failures=0 runs=0 clean=0

try() {  # try LABEL: checks $tmp/cut.seg
  local rc
  "$seg" check --color never "$tmp/cut.seg" >"$tmp/out" 2>&1
  rc=$?
  runs=$((runs + 1))
  if [ $rc -eq 0 ]; then
    clean=$((clean + 1))
  elif [ $rc -ne 1 ] || ! grep -q '^error' "$tmp/out"; then
    echo "FAIL: $1: exit $rc"
    head -20 "$tmp/out"
    failures=$((failures + 1))
  fi
}

for ((n = 1; n <= lines; n++)); do
  head -n "$n" "$tmp/all.seg" >"$tmp/cut.seg"
  try "after line $n"
  line=$(sed -n "${n}p" "$tmp/all.seg")
  if [ ${#line} -gt 2 ]; then
    head -n $((n - 1)) "$tmp/all.seg" >"$tmp/cut.seg"
    printf '%s' "${line:0:$((${#line} / 2))}" >>"$tmp/cut.seg"
    try "in the middle of line $n"
  fi
done

echo "$runs truncations checked ($clean clean), $failures failures"
[ $runs -gt "$lines" ] && [ $clean -gt 0 ] && [ $failures -eq 0 ]
