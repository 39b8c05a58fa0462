#!/usr/bin/env bash
# Issue 16: one future-dated record must not empty every audience. A `page` record dated
# next year and an `identify` dated 9999-12-31, in the middle of a stream, are rejected
# as future_timestamp (`--max-future`, default 1h after the wall clock, pinned here with
# `--wall-clock`), and every op and audience is exactly as without them. Without the
# guard (`--max-future off`) the same stream shows the harm the guard prevents.
#
#   tests/production/future_guard.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp"

python3 "$root/examples/retention/generate_stream.py" --seed 16 --profiles 400 --events 6000 >clean.ndjson 2>/dev/null
n=$(wc -l <clean.ndjson)
half=$((n / 2))
{
  head -n "$half" clean.ndjson
  echo '{"type":"page","userId":"u000001","timestamp":"2027-03-15T10:00:00Z","name":"typo"}'
  sed -n "$((half + 1)),$((half + 100))p" clean.ndjson
  echo '{"type":"identify","userId":"u000002","timestamp":"9999-12-31T23:59:59Z","traits":{"ltv":1}}'
  tail -n +"$((half + 101))" clean.ndjson
} >dirty.ndjson

clock=2026-04-01T00:00:00Z
"$seg" run "$root/examples/retention" --input clean.ndjson --out clean -q --wall-clock $clock || fail "clean run exited $?"
"$seg" run "$root/examples/retention" --input dirty.ndjson --out dirty -q --wall-clock $clock || fail "dirty run exited $?"

for f in clean/*.ndjson; do
  b=$(basename "$f")
  [ "$b" = rejected.ndjson ] && continue
  cmp -s "$f" "dirty/$b" || fail "$b differs with the future-dated records in the stream"
done
python3 - "$half" <<'PY' || fail "summary"
import json, sys
half = int(sys.argv[1])
c, d = json.load(open("clean/summary.json")), json.load(open("dirty/summary.json"))
assert d["rejected"].get("future_timestamp") == 2, d["rejected"]
assert c["audiences"] == d["audiences"], "audiences differ"
assert c["watermark"] == d["watermark"], (c["watermark"], d["watermark"])
assert d["lines"]["rejected"] == c["lines"]["rejected"] + 2
rej = [json.loads(l) for l in open("dirty/rejected.ndjson")]
fut = [r for r in rej if r["cause"] == "future_timestamp"]
assert [r["line"] for r in fut] == [half + 1, half + 102], [r["line"] for r in fut]
assert "2027-03-15T10:00:00Z" in fut[0]["raw"] and "after 2026-04-01T01:00:00Z" in fut[0]["reason"], fut[0]
PY

# --max-future 10m moves the limit; a record 5 min ahead is accepted, 20 min is not.
printf '%s\n' '{"type":"page","userId":"a","timestamp":"2026-04-01T00:05:00Z"}' \
  '{"type":"page","userId":"a","timestamp":"2026-04-01T00:20:00Z"}' >near.ndjson
"$seg" run "$root/examples/retention" --input near.ndjson --out near -q --wall-clock $clock --max-future 10m
python3 -c 'import json; s=json.load(open("near/summary.json")); assert s["rejected"]=={"future_timestamp":1} and s["watermark"]=="2026-04-01T00:05:00Z", s' ||
  fail "--max-future 10m"

# Without the guard the harm is real: audiences end emptier (the test can fail).
"$seg" run "$root/examples/retention" --input dirty.ndjson --out off -q --max-future off || fail "off run exited $?"
python3 - <<'PY' || fail "--max-future off should let the 2027 record move time"
import json
c, o = json.load(open("clean/summary.json")), json.load(open("off/summary.json"))
assert o["watermark"].startswith("9999-12-31"), o["watermark"]
assert o["late"] > 1000 and o["audiences"] != c["audiences"], (o["late"], o["audiences"])
PY
# Bad flags are usage errors.
"$seg" run "$root/examples/retention" --input clean.ndjson --out x -q --max-future soon 2>err.txt && fail "--max-future soon accepted"
grep -q "is not a duration" err.txt || fail "no clear message for a bad --max-future"
echo "future guard: ok"
