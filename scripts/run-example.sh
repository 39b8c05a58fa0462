#!/usr/bin/env bash
# Set up from a fresh Debian machine and run the main job on the bundled example:
# install packages, configure and build (release), check and format-check examples/,
# run the retention rules' test blocks, then `seg run` them over a generated, realistic
# Segment-spec stream (20 000 profiles, 200 000 lines, a few malformed) and print the
# summary: audience sizes, ops per destination, rejected records.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release -DSEG_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc)"
seg=build/release/cli/seg
work=build/example
mkdir -p "$work"
echo "== seg check examples/"
"$seg" check examples/
echo "== seg fmt --check examples/"
"$seg" fmt --check examples/ && echo "ok: every file is formatted"
echo "== seg test examples/retention"
"$seg" test examples/retention
echo "== generating a stream: examples/retention/generate_stream.py --seed 42"
python3 examples/retention/generate_stream.py --seed 42 --profiles 20000 --events 200000 \
  >"$work/stream.ndjson"
echo "== seg run examples/retention --input $work/stream.ndjson --out $work/out"
"$seg" run examples/retention --input "$work/stream.ndjson" --out "$work/out"
echo "== first ops sent to meta_abandon_high_aov"
head -n 3 "$work/out/meta_abandon_high_aov.ndjson"
