#!/usr/bin/env bash
# Set up from a fresh Debian machine and run the main job on the bundled example:
# install packages, configure and build (release), then check and format-check
# examples/ with the `seg` command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release -DSEG_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc)"
seg=build/release/cli/seg
echo "== seg check examples/"
"$seg" check examples/
echo "== seg fmt --check examples/"
"$seg" fmt --check examples/ && echo "ok: every file is formatted"
