#!/usr/bin/env bash
# Drift end to end: `seg run` writes expected sizes into summary.json; `seg health`
# reads what three local size endpoints report (inside, near and far from the expected
# size), prints ok / warn / fail, exits 1 past `fail`, appends every check to
# drift.ndjson, and `seg report` reads that history. A size endpoint that is down is an
# error (exit 3); all sizes right is exit 0.
#   tests/health/drift.sh SEG
set -euo pipefail
seg=$1
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

for i in $(seq 1 40); do
  printf '{"type":"identify","userId":"u%d","timestamp":"2026-03-01T10:00:%02dZ","traits":{"email":"u%d@example.com","ltv":%d}}\n' \
    "$i" "$i" "$i" $(( (i % 4) * 300 ))
done > "$tmp/in.ndjson"
"$seg" run "$here/drift_rules.seg" --input "$tmp/in.ndjson" --out "$tmp/out" > /dev/null
expected=$("$py" -c "import json,sys; print(json.load(open(sys.argv[1]))['destinations']['hook_near']['expected_size'])" "$tmp/out/summary.json")
[ "$expected" -gt 0 ] || fail "expected_size is $expected"
# inside: exact; near: 25% short (warn at 20%); far: 60% short (fail at the default 50%).
echo "{\"VIP_INSIDE\": $expected, \"VIP_NEAR\": $((expected * 3 / 4)), \"VIP_FAR\": $((expected * 2 / 5))}" > "$tmp/sizes.json"
"$py" "$here/size_server.py" "$tmp/sizes.json" "$tmp/port" & server=$!
for _ in $(seq 1 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
cat > "$tmp/deploy.json" <<JSON
{"destinations": {
  "hook_inside": {"connector": "webhook", "url": "http://127.0.0.1:$port/ops", "size_url": "http://127.0.0.1:$port/size"},
  "hook_near": {"connector": "webhook", "url": "http://127.0.0.1:$port/ops", "size_url": "http://127.0.0.1:$port/size"},
  "hook_far": {"connector": "webhook", "url": "http://127.0.0.1:$port/ops", "size_url": "http://127.0.0.1:$port/size"}},
 "defaults": {"retry": {"max_attempts": 2, "base_ms": 10, "max_ms": 20}}}
JSON

set +e
"$seg" health --out "$tmp/out" --config "$tmp/deploy.json" > "$tmp/human.txt"; rc=$?
"$seg" health --out "$tmp/out" --config "$tmp/deploy.json" --format json > "$tmp/health.json"; rc_json=$?
set -e
cat "$tmp/human.txt"
[ "$rc" = 1 ] && [ "$rc_json" = 1 ] || fail "a fail threshold passed must exit 1 (got $rc, $rc_json)"
"$py" - "$tmp/health.json" "$expected" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); e = int(sys.argv[2])
by = {c["destination"]: c for c in j["checks"]}
assert set(by) == {"hook_inside", "hook_near", "hook_far"}, by.keys()  # hook_unchecked has no drift line
want = {"hook_inside": ("ok", 0.0), "hook_near": ("warn", (e - e * 3 // 4) / e), "hook_far": ("fail", (e - e * 2 // 5) / e)}
for d, (status, mismatch) in want.items():
    c = by[d]
    assert c["status"] == status, (d, c)
    assert abs(c["mismatch"] - mismatch) < 1e-12, (d, c)
    assert c["expected"] == e and c["reported"]["lower"] == c["reported"]["upper"], c
assert by["hook_far"]["thresholds"] == {"warn": 30, "fail": 50}, by["hook_far"]
assert j["status"] == "fail"
print("ok: inside / near / far are ok / warn / fail")
PY
grep -q 'hook_near .*warn' "$tmp/human.txt" || fail "the table must show hook_near as warn"
[ "$(wc -l < "$tmp/out/drift.ndjson")" = 6 ] || fail "two checks of three destinations must leave 6 lines in drift.ndjson"
"$seg" report --out "$tmp/out" --format json > "$tmp/report.json"
"$py" -c "
import json, sys
r = json.load(open(sys.argv[1]))
assert r['drift']['hook_far']['latest']['status'] == 'fail', r['drift']
assert len(r['drift']['hook_near']['series']) == 2, r['drift']
print('ok: seg report reads the drift history')" "$tmp/report.json"

# Every platform agrees: exit 0.
echo "{\"VIP_INSIDE\": $expected, \"VIP_NEAR\": $expected, \"VIP_FAR\": $((expected + 1))}" > "$tmp/sizes.json"
"$seg" health --out "$tmp/out" --config "$tmp/deploy.json" --no-record > /dev/null || fail "all sizes right must exit 0"
[ "$(wc -l < "$tmp/out/drift.ndjson")" = 6 ] || fail "--no-record must not append"

# On a timer in `seg run --follow` (drift_check_interval): checks are appended to
# drift.ndjson and published on /metrics, read by prometheus_client's parser.
echo "{\"VIP_INSIDE\": $expected, \"VIP_NEAR\": $expected, \"VIP_FAR\": 1}" > "$tmp/sizes.json"
"$py" - "$tmp/deploy.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["drift_check_interval"] = 1
json.dump(c, open(sys.argv[1], "w"))
PY
. "$here/../production/lib.sh"
"$seg" run "$here/drift_rules.seg" --input "$tmp/in.ndjson" --out "$tmp/follow" --config "$tmp/deploy.json" \
  --follow --poll-ms 20 --listen 127.0.0.1:0 --wall-clock 2026-03-01T11:00:00Z --max-future off -q 2> "$tmp/err" &
run=$!
addr=$(metrics_address "$tmp/err")
[ -n "$addr" ] || { kill $run; fail "no metrics address: $(cat "$tmp/err")"; }
for _ in $(seq 1 100); do
  [ "$(cat "$tmp/follow/drift.ndjson" 2>/dev/null | wc -l)" -ge 6 ] && break
  sleep 0.1
done
sleep 1.2  # the metrics page is published once a second
"$py" - "$addr" "$tmp/follow/drift.ndjson" <<'PY' || { kill $run; fail "drift on a timer"; }
import json, sys, urllib.request
from prometheus_client.parser import text_string_to_metric_families
lines = [json.loads(l) for l in open(sys.argv[2])]
assert len(lines) >= 6, lines  # two checks or more of three destinations
assert {l["status"] for l in lines if l["destination"] == "hook_far"} == {"fail"}, lines
text = urllib.request.urlopen(sys.argv[1] + "/metrics", timeout=5).read().decode()
samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
           for f in text_string_to_metric_families(text) for s in f.samples}
assert samples[("seg_drift_status", (("destination", "hook_far"), ("status", "fail")))] == 1, samples
assert samples[("seg_drift_status", (("destination", "hook_inside"), ("status", "ok")))] == 1, samples
assert samples[("seg_drift_checks_total", ())] >= 2, samples
assert samples[("seg_drift_mismatch_ratio", (("destination", "hook_near"),))] == 0, samples
print("ok: drift checked on a timer in --follow, on /metrics and in drift.ndjson")
PY
grep -q 'drift: hook_far (VIP_FAR) fail' "$tmp/err" || { kill $run; fail "a failing check must be logged: $(cat "$tmp/err")"; }
kill -TERM $run; wait $run || true

# The endpoint is down: an error, exit 3, with the reason.
kill "$server"; wait "$server" 2>/dev/null || true; server=
set +e
"$seg" health --out "$tmp/out" --config "$tmp/deploy.json" --format json > "$tmp/down.json"; rc=$?
set -e
[ "$rc" = 3 ] || fail "an unreadable size must exit 3 (got $rc)"
"$py" -c "
import json, sys
j = json.load(open(sys.argv[1]))
assert all(c['status'] == 'error' and c['error'] for c in j['checks']), j
print('ok: a size endpoint that is down is an error')" "$tmp/down.json"
