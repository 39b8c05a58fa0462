#!/usr/bin/env bash
# The bulk (columnar) evaluate kernel against the interpreter on the retention example:
# a generated stream's final state, every profile in batches of 64; `seg bench run
# --bulk` fails on any differing membership word.
#
#   tests/e2e/bulk.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$root/examples/retention/generate_stream.py" --seed 11 --profiles 3000 --events 30000 \
  >"$tmp/s.ndjson" 2>/dev/null
for level in 0 2; do
  "$seg" bench run "$root/examples/retention" --input "$tmp/s.ndjson" --bulk --repeat 1 --jit-opt $level
done
