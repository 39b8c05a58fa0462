#!/usr/bin/env bash
# The webhook and ad-platform connectors of `seg run --config` (issue 7) against a local
# endpoint (127.0.0.1 only) that fails on schedule: 429 with Retry-After, 500s, dropped
# connections, a lost acknowledgement, slow answers, a malformed body, a 400. Every op of
# the file-connector reference run is applied exactly once (idempotency keys), in order
# per profile, in batches within the limit, except what was netted or given up on (then
# in failed-<destination>.ndjson); a resumed run does not send again what was delivered;
# an ads connector never mixes adds and removes in one request.
#
#   tests/connectors/webhook.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
here=$root/tests/connectors
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
tmp=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; exit 1; }

# start_server NAME SCHEDULE_JSON: the port in $port
start_server() {
  echo "$2" >"$1.schedule.json"
  rm -f "$1.port"
  "$py" "$here/fault_server.py" --port-file "$1.port" --schedule "$1.schedule.json" --log "$1.log" &
  server=$!
  for _ in $(seq 1 200); do [ -s "$1.port" ] && break; sleep 0.02; done
  port=$(cat "$1.port")
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }

python3 "$root/examples/retention/generate_stream.py" --seed 21 --profiles 300 --events 4000 >in.ndjson 2>/dev/null
"$seg" run "$root/examples/retention" --input in.ndjson --out ref -q

deploy() {  # deploy DEST CONNECTOR URLKEY URL EXTRA
  cat >deploy.json <<JSON
{"destinations": {"$1": {"connector": "$2", "$3": "$4", "max_batch": 25, "flush_interval_ms": 1000 $5}},
 "defaults": {"timeout_ms": 2000, "retry": {"max_attempts": 6, "base_ms": 10, "max_ms": 200}}}
JSON
}

# 1. Webhook, a schedule of every fault.
start_server wh '[{"status":200},{"status":429,"retry_after":1},{"status":500},{"drop":true},{"status":200},
  {"lose_response":true},{"status":503},{"delay_ms":300},{"status":200,"body":"not json"},{"status":400,"body":"{\"error\":\"bad batch\"}"}]'
deploy warehouse_segments webhook url "http://127.0.0.1:$port/ops" ', "headers": {"X-Team": "growth"}, "token_env": "SEG_TEST_TOKEN"'
code=0
SEG_TEST_TOKEN=s3cret "$seg" run "$root/examples/retention" --input in.ndjson --out wh --config deploy.json \
  --metrics wh/metrics.json -q || code=$?
[ $code = 3 ] || fail "seg run with the webhook gave up on a batch: exit $code, not 3"
stop_server
"$py" "$here/check_delivery.py" wh.log ref warehouse_segments --limit 25 --failed wh/failed-warehouse_segments.ndjson \
  --header "Authorization: Bearer s3cret" --header "X-Team: growth" || fail "webhook delivery"
[ "$(wc -l <wh/failed-warehouse_segments.ndjson)" -ge 1 ] || fail "the 400 batch is not in failed-warehouse_segments.ndjson"
grep -q '"bad batch' wh/failed-warehouse_segments.ndjson || fail "the failed file lacks the response"
"$py" - <<'PY' || fail "summary / metrics"
import json
s = json.load(open("wh/summary.json"))["destinations"]["warehouse_segments"]["delivery"]
m = json.load(open("wh/metrics.json"))["warehouse_segments"]
assert s == m, (s, m)
assert s["retried"] >= 3 and s["failed"] >= 1, s
assert s["queued"] == s["acknowledged"] + s["failed"] + s["netted"], s  # every op accounted for
PY
# Other destinations still go to their files, byte for byte.
cmp -s ref/meta_winback.ndjson wh/meta_winback.ndjson || fail "file destinations changed"

# 2. Restart: ops acknowledged before are not sent again, the others are. Run A gives
# up on a batch (400); run B replays the same input from an empty state into the
# same folder with --resume (same op ids): it sends exactly what A did not deliver.
# (A gives up on its last batch, so no later op overtakes what it gave up on; the
# blocking of later ops after a give-up mid-run is covered by the first run.)
"$seg" run "$root/examples/retention" --input /dev/null --out empty -q
start_server count '[]'
deploy warehouse_segments webhook url "http://127.0.0.1:$port/ops" ''
sed -i 's/"flush_interval_ms": 1000/"flush_interval_ms": 600000/' deploy.json  # batches by size only: deterministic
"$seg" run "$root/examples/retention" --input in.ndjson --out count -q --config deploy.json
stop_server
n=$(wc -l <count.log)
schedule=$("$py" -c "import json; print(json.dumps([{'status': 200}] * ($n - 1) + [{'status': 400}]))")
start_server rs "$schedule"
sed -i "s|127.0.0.1:[0-9]*|127.0.0.1:$port|" deploy.json
code=0
"$seg" run "$root/examples/retention" --input in.ndjson --out rs --config deploy.json -q || code=$?
[ $code = 3 ] || fail "run A gave up on a batch: exit $code, not 3"
[ "$(wc -l <rs/failed-warehouse_segments.ndjson)" -gt 0 ] || fail "run A gave up on nothing"
"$seg" run "$root/examples/retention" --input in.ndjson --out rs --config deploy.json --resume empty/checkpoint.segstate -q
stop_server
"$py" "$here/check_delivery.py" rs.log ref warehouse_segments --limit 25 || fail "after the restart"
"$py" - <<'PY' || fail "restart counters"
import json
s = json.load(open("rs/summary.json"))["destinations"]["warehouse_segments"]["delivery"]
failed = sum(1 for _ in open("rs/failed-warehouse_segments.ndjson"))
assert s["skipped_delivered"] > 0 and s["sent"] == s["acknowledged"] == failed, (s, failed)
PY

# 3. Meta (ads), one pinned audience: adds and removes in separate requests, POST and DELETE.
start_server meta '[{"status":429,"retry_after":1},{"status":200}]'
deploy meta_winback meta_audience base_url "http://127.0.0.1:$port/v19.0" ', "audience_id": "2385"'
"$seg" run "$root/examples/retention" --input in.ndjson --out meta --config deploy.json -q || fail "seg run with meta"
stop_server
"$py" - <<'PY' || fail "meta requests"
import json
ref = [json.loads(l) for l in open("ref/meta_winback.ndjson")]
log = [json.loads(l) for l in open("meta.log")]
applied = [e for e in log if e["applied"]]
rows = {"POST": 0, "DELETE": 0}
for e in applied:
    assert e["path"] == "/v19.0/2385/users", e["path"]
    p = e["body"]["payload"]
    assert p["schema"] and all(len(r) == len(p["schema"]) for r in p["data"]), p
    assert len(p["data"]) <= 25
    rows[e["method"]] += len(p["data"])
s = json.load(open("meta/summary.json"))["destinations"]["meta_winback"]["delivery"]
adds = sum(o["op"] == "add" for o in ref) - s["netted"] // 2
removes = sum(o["op"] == "remove" for o in ref) - s["netted"] // 2
assert rows == {"POST": adds, "DELETE": removes}, (rows, adds, removes, s)
PY

# Google and TikTok (and Meta's audience life cycle): tests/connectors/audiences.sh,
# against fakes that speak each platform's API.

# 4. A bad config is refused with its location, exit 2.
echo '{"destinations": {"meta_winback": {"connector": "webhook"}}}' >bad.json
set +e
"$seg" run "$root/examples/retention" --input in.ndjson --out bad --config bad.json -q 2>bad.err
status=$?
set -e
[ $status = 2 ] && grep -q 'destinations.meta_winback: a webhook needs "url"' bad.err || fail "bad config: $(cat bad.err)"
echo '{"destinations": {"warehouse_tiers": {"connector": "meta_audience", "base_url": "http://x", "audience_id": "1"}}}' >bad2.json
"$seg" run "$root/examples/retention" --input in.ndjson --out bad --config bad2.json -q 2>bad.err && fail "wrong connector accepted"
grep -q "cannot send a warehouse destination" bad.err || fail "wrong connector: $(cat bad.err)"
echo "connectors: ok"
