#!/usr/bin/env bash
# Hostile streams for `seg run` (issue 3): truncated lines, wrong types, unknown fields,
# a 100 MB line, non-UTF-8 bytes, NUL bytes, timestamps far in the past and future, CRLF,
# no final newline. Each run must exit 0 (never crash), and every input line must be
# accounted for: read = applied + ignored + rejected + blank, and rejected.ndjson has one
# line per rejected input line.
#
#   tests/bad_input/run_stream.sh SEG REPO_ROOT
set -u
seg=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rules=$root/examples/retention
failures=0

check() {  # check NAME FILE [EXPECTED_REJECTED]
  local name=$1 file=$2 want=${3:-}
  timeout 300 "$seg" run "$rules" --input "$file" --out "$tmp/out" -q 2>"$tmp/err"
  local rc=$?
  if [ $rc -ne 0 ]; then
    echo "FAIL $name: exit $rc"; head -5 "$tmp/err"; failures=$((failures + 1)); return
  fi
  if ! python3 - "$tmp/out" "$want" <<'PY'
import json, sys
out, want = sys.argv[1], sys.argv[2]
s = json.load(open(out + "/summary.json"))
l = s["lines"]
total = l["applied"] + l["ignored"] + l["rejected"] + l["blank"]
rej = sum(1 for _ in open(out + "/rejected.ndjson", "rb"))
ok = total == l["read"] and rej == l["rejected"] and sum(s["rejected"].values()) == l["rejected"]
if want and int(want) != l["rejected"]:
    ok = False
if not ok:
    print("lines", l, "rejected.ndjson lines", rej, "by cause", s["rejected"], "want", want)
for line in open(out + "/rejected.ndjson", "rb"):
    r = json.loads(line)
    assert "line" in r and "reason" in r and ("raw" in r or "raw_hex" in r), r
sys.exit(0 if ok else 1)
PY
  then
    echo "FAIL $name: lines not accounted for"; failures=$((failures + 1)); return
  fi
  echo "PASS $name"
}

ok='{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00Z","traits":{"email":"a@example.com","ltv":5}}'
{
  echo "$ok"
  echo '{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00Z","traits":{"ema'
  echo '{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00Z","traits":{"ltv":"abc"}}'
  echo '{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00Z","traits":{"orders":2.5}}'
  echo '{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00Z","traits":{"subscribed":"yes"}}'
  echo '{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00Z","traits":{"tags":["a",1]}}'
  echo '{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00Z","traits":{"last_order_date":"yesterday"}}'
  echo '{"type":"track","userId":"u1","timestamp":"2026-03-01T10:00:00Z","event":"purchased","properties":{"order_value":true}}'
  echo '{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00Z","traits":{"ltv":NaN}}'
  echo '{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00Z","traits":{"ltv":1e999}}'
  echo '[1,2,3]'
  echo '"just a string"'
  echo '{"type":"identify","userId":"","timestamp":"2026-03-01T10:00:00Z"}'
  echo '{"type":"identify","userId":42,"timestamp":"2026-03-01T10:00:00Z"}'
  echo '{"type":"identify","timestamp":"2026-03-01T10:00:00Z"}'
  echo '{"type":"identify","userId":"u1","timestamp":"2026-03-01"}'
  echo '{"type":"identify","userId":"u1","timestamp":1772359200000}'
  echo '{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00"}'
  echo '{"type":"identify","userId":"u1","timestamp":"2026-02-30T10:00:00Z"}'
  echo '{"userId":"u1","timestamp":"2026-03-01T10:00:00Z"}'
  echo '{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00Z","traits":"x"}'
  echo '{"type":"track","userId":"u1","timestamp":"2026-03-01T10:00:00Z","properties":{}}'
  echo '{"type":"track","userId":"u1","timestamp":"2026-03-01T10:00:00Z","event":"purchased","properties":[1]}'
  printf '{"type":"identify","userId":"u\xff\xfe","timestamp":"2026-03-01T10:00:00Z"}\n'
  printf '{"type":"identify","userId":"u1",\x00"timestamp":"2026-03-01T10:00:00Z"}\n'
} >"$tmp/bad.ndjson"
check "every kind of bad line" "$tmp/bad.ndjson" 24

{
  echo "$ok"
  echo '{"type":"identify","userId":"u1","timestamp":"2026-03-01T10:00:00Z","traits":{"unknown_trait":1,"email":null},"extra":{"deep":[1,2]}}'
  echo '{"type":"page","userId":"u2","timestamp":"2026-03-01T10:00:01Z","name":"Home"}'
  echo '{"type":"track","userId":"u2","timestamp":"2026-03-01T10:00:02Z","event":"app_opened","properties":"whatever"}'
  echo '{"type":"identify","userId":"u3","timestamp":"0001-01-01T00:00:00Z","traits":{"ltv":1}}'
  echo '{"type":"identify","userId":"u4","timestamp":"9999-12-31T23:59:59.999Z","traits":{"ltv":1}}'
  echo '{"type":"identify","userId":"u5","timestamp":"2026-03-01T10:00:00Z","traits":{"ltv":1}}'
  echo '   '
  echo ''
  printf '{"type":"identify","userId":"u6","timestamp":"2026-03-01T10:00:00Z"}\r\n'
  printf '{"type":"identify","userId":"u7","timestamp":"2026-03-01T10:00:00Z"}'
} >"$tmp/odd.ndjson"
# The year-9999 line is more than --max-future (1h) after the wall clock: future_timestamp.
check "unknown fields, far timestamps, blank, CRLF, no final newline" "$tmp/odd.ndjson" 1
grep -q '"cause":"future_timestamp"' "$tmp/out/rejected.ndjson" || { echo "FAIL far timestamps: the year 9999 is not future_timestamp"; failures=$((failures + 1)); }

# A 100 MB line (one huge string trait) between two good ones.
{
  echo "$ok"
  printf '{"type":"identify","userId":"big","timestamp":"2026-03-01T11:00:00Z","traits":{"country":"'
  head -c 100000000 /dev/zero | tr '\0' 'x'
  echo '"}}'
  echo "$ok"
} >"$tmp/huge.ndjson"
check "a 100 MB line" "$tmp/huge.ndjson" 0

# Random bytes, and a truncated file.
head -c 300000 /dev/urandom >"$tmp/random.ndjson"
check "random bytes" "$tmp/random.ndjson"
python3 "$root/examples/retention/generate_stream.py" --seed 3 --profiles 300 --events 3000 2>/dev/null |
  head -c 250000 >"$tmp/truncated.ndjson"
check "a stream cut mid-line" "$tmp/truncated.ndjson"

# Missing input: exit 3 with a message.
"$seg" run "$rules" --input "$tmp/nope.ndjson" --out "$tmp/out" -q 2>"$tmp/err"
rc=$?
if [ $rc -eq 3 ] && grep -q "cannot read" "$tmp/err"; then echo "PASS missing input"; else
  echo "FAIL missing input: exit $rc"; failures=$((failures + 1)); fi

[ $failures -eq 0 ] && echo "all bad-input streams handled" || echo "$failures failed"
exit $((failures > 0))
