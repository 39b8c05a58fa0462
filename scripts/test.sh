#!/usr/bin/env bash
# Set up from a fresh Debian machine and run the whole test suite (what CI runs).
# Extra arguments go to ctest, e.g. `scripts/test.sh -L golden`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/check-layers.sh   # the layer rules (docs/architecture.md), before building
cmake --preset ci >/dev/null
cmake --build build/ci -j"$(nproc)"
ctest --test-dir build/ci --output-on-failure -j"$(nproc)" "$@"
