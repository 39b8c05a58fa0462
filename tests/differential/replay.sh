#!/usr/bin/env bash
# Replays every saved differential mismatch (tests/regressions/differential_*): each must
# now give byte-identical output under interp, jit -O0 and jit -O2.
#   tests/differential/replay.sh SEG
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shopt -s nullglob
cases=("$here"/../regressions/differential_*/)
exec python3 "$here/run.py" --replay "$1" "${cases[@]}"
