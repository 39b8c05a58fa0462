#!/usr/bin/env bash
# Measures end to end through `seg run` (RUNTIME.md §9): summary.json's counts against an
# independent recount and its statistics against scipy (measure_check.py), under the
# engine SEG_RUN_ARGS picks; then the same after a crash-free split into two runs over
# --state (exposures and conversions live in the durable state), and a deliberately
# broken split (most holdout profiles dropped from the input) that the sample-ratio
# check must flag.
#   tests/health/measure.sh SEG
set -euo pipefail
seg=$1
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3  # Debian's, with python3-scipy
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2206
args=(${SEG_RUN_ARGS:-})

"$py" "$here/generate.py" 3000 11 > "$tmp/in.ndjson"
"$seg" run "$here/rules.seg" --input "$tmp/in.ndjson" --out "$tmp/one" "${args[@]}" > /dev/null
"$py" "$here/measure_check.py" "$tmp/in.ndjson" "$tmp/one"

# Two runs over a durable state give the same measures as one: the first reads half the
# stream, the second the whole file (a state resumes at the offset it committed).
n=$(wc -l < "$tmp/in.ndjson")
head -n $((n / 2)) "$tmp/in.ndjson" > "$tmp/grow.ndjson"
"$seg" run "$here/rules.seg" --input "$tmp/grow.ndjson" --out "$tmp/two" --state "$tmp/state" "${args[@]}" > /dev/null
cp "$tmp/in.ndjson" "$tmp/grow.ndjson"
"$seg" run "$here/rules.seg" --input "$tmp/grow.ndjson" --out "$tmp/two" --state "$tmp/state" "${args[@]}" > /dev/null
cmp -s "$tmp/one/warehouse_history.ndjson" "$tmp/two/warehouse_history.ndjson" ||
  { echo "FAIL: the ops of two runs over --state differ from one run's"; exit 1; }
"$py" - "$tmp/one/summary.json" "$tmp/two/summary.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["measures"] for p in sys.argv[1:3])
if a != b:
    sys.exit(f"FAIL: measures after two runs over --state differ from one run:\n{a}\n{b}")
print("ok: two runs over --state agree with one")
PY

# --threads 2: the engines' counts are summed into the same measures.
"$seg" run "$here/rules.seg" --input "$tmp/in.ndjson" --out "$tmp/threads" --threads 2 "${args[@]}" > /dev/null
"$py" - "$tmp/one/summary.json" "$tmp/threads/summary.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["measures"] for p in sys.argv[1:3])
if a != b:
    sys.exit(f"FAIL: --threads 2 gives other measures:\n{a}\n{b}")
print("ok: --threads 2 agrees")
PY

# A broken split: keep every treatment profile but only a tenth of the holdout ones.
"$py" - "$tmp/in.ndjson" "$tmp/one/warehouse_history.ndjson" > "$tmp/broken.ndjson" <<'PY'
import json, sys
holdout = set()
for line in open(sys.argv[2]):
    op = json.loads(line)
    if op["holdout"]:
        holdout.add(op["profile"])
keep = {p for i, p in enumerate(sorted(holdout)) if i % 10 == 0}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["userId"] in holdout and r["userId"] not in keep:
        continue
    sys.stdout.write(line)
PY
"$seg" run "$here/rules.seg" --input "$tmp/broken.ndjson" --out "$tmp/broken" "${args[@]}" > /dev/null
"$py" "$here/measure_check.py" "$tmp/broken.ndjson" "$tmp/broken" --expect-srm-flag

# seg report reads the real measures as summary.json has them.
"$seg" report --out "$tmp/one" --format json > "$tmp/report.json"
"$py" - "$tmp/one/summary.json" "$tmp/report.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["measures"]["abandon_lift"]
r = json.load(open(sys.argv[2]))["measures"]["abandon_lift"]
for k in ("treatment", "holdout", "absolute_lift", "relative_lift", "p_value", "status"):
    assert r[k] == s[k], (k, r[k], s[k])
print("ok: seg report shows the run's lift")
PY
