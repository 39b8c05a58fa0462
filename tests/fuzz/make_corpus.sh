#!/usr/bin/env bash
# Seed corpus for the libFuzzer target: every .seg under examples/, tests/ and stdlib/,
# plus the committed regressions (tests/fuzz/regressions/*), flattened into one
# directory, plus small generated rule sets (below). The corpus grows while fuzzing
# and is never committed.
#
#   tests/fuzz/make_corpus.sh [CORPUS_DIR]     (default: build/fuzz/corpus)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build/fuzz/corpus}
mkdir -p "$out"
n=0
while IFS= read -r -d '' f; do
  rel=${f#"$root"/}
  cp "$f" "$out/seed-${rel//\//_}"
  n=$((n + 1))
done < <(find "$root/examples" "$root/tests" "$root/stdlib" -type f \
           \( -name '*.seg' -o -path '*/tests/fuzz/regressions/*' \) -print0 | sort -z)
# Plus small generated rule sets (bench/gen_rules.py): valid files that use every
# construct, so the formatter checks get inputs that parse. SEG_FUZZ_GENERATED=0: none.
generated=${SEG_FUZZ_GENERATED:-200}
if [ "$generated" -gt 0 ] && command -v python3 >/dev/null; then
  python3 - "$root/bench" "$out" "$generated" <<'PY'
import sys
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, sys.argv[1])
import gen_rules
for seed in range(1, int(sys.argv[3]) + 1):
    text = gen_rules.Gen(seed, 5, tiers_every=2, dests_every=2, tests_every=3).generate()
    with open("%s/gen-%d.seg" % (sys.argv[2], seed), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
PY
  n=$((n + generated))
fi
echo "$n seed files in $out"
