#!/usr/bin/env bash
# Issue 16: a run whose connectors give up on ops says so and exits 3 (RUNTIME.md §4).
# A webhook answering 503 to every request and an analytics webhook on a closed port:
# every op of both ends in failed-<destination>.ndjson (with the response or the
# connection error), summary.json counts them (undelivered, per destination delivered /
# failed / netted and where the ops went), the human summary shows the same, and the
# exit code is 3 — with -q too. The file destinations are untouched.
#
#   tests/production/delivery_failures.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
here=$root/tests/connectors
tmp=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp"

python3 "$root/examples/retention/generate_stream.py" --seed 5 --profiles 200 --events 2500 >in.ndjson 2>/dev/null
"$seg" run "$root/examples/retention" --input in.ndjson --out ref -q

python3 -c 'import json; print(json.dumps([{"status": 503}] * 500))' >schedule.json
python3 "$here/fault_server.py" --port-file port --schedule schedule.json --log server.log &
server=$!
for _ in $(seq 1 200); do [ -s port ] && break; sleep 0.02; done
port=$(cat port)
# A closed port: bind one, then close it.
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
cat >deploy.json <<JSON
{"destinations": {
   "warehouse_segments": {"connector": "webhook", "url": "http://127.0.0.1:$port/ops"},
   "analytics_lifecycle": {"connector": "webhook", "url": "http://127.0.0.1:$closed/track"}},
 "defaults": {"timeout_ms": 2000, "retry": {"max_attempts": 3, "base_ms": 5, "max_ms": 20}}}
JSON

set +e
"$seg" run "$root/examples/retention" --input in.ndjson --out q --config deploy.json -q 2>q.err
code=$?
"$seg" run "$root/examples/retention" --input in.ndjson --out h --config deploy.json >h.out 2>h.err
code_h=$?
set -e
[ $code = 3 ] || fail "-q run exited $code, not 3"
[ $code_h = 3 ] || fail "run exited $code_h, not 3"
grep -q "ops could not be delivered" q.err || fail "no message on stderr: $(cat q.err)"
grep -q "failed-warehouse_segments.ndjson" q.err || fail "stderr does not say where the failed ops are"
python3 - <<'PY' || fail "summary and failed files"
import json
ref = {d: sum(1 for _ in open("ref/%s.ndjson" % d)) for d in ("warehouse_segments", "analytics_lifecycle")}
s = json.load(open("q/summary.json"))
total = 0
for d, n in ref.items():
    x = s["destinations"][d]
    dl = x["delivery"]
    assert n > 0 and dl["acknowledged"] == 0 and dl["failed"] == n and dl["netted"] == 0, (d, n, dl)
    assert x["sink"].startswith("webhook http://127.0.0.1:"), x["sink"]
    failed = [json.loads(l) for l in open("q/failed-%s.ndjson" % d)]
    assert len(failed) == n, (d, len(failed), n)
    total += n
assert s["undelivered"] == total, (s["undelivered"], total)
assert [json.loads(l)["status"] for l in open("q/failed-warehouse_segments.ndjson")][0] == 503
assert json.loads(open("q/failed-analytics_lifecycle.ndjson").readline())["status"] == 0
assert "sink" not in s["destinations"]["meta_winback"], s["destinations"]["meta_winback"]  # OUT/<name>.ndjson
PY
cmp -s ref/meta_winback.ndjson q/meta_winback.ndjson || fail "a file destination changed"
grep -q "delivered  *failed  *netted" h.out || fail "the human summary has no delivery columns: $(cat h.out)"
grep -Eq "warehouse_segments .* 0 +[0-9]+ +0$" h.out || fail "the human summary's delivery row: $(grep warehouse_segments h.out)"
grep -q "warehouse_segments *-> webhook http://127.0.0.1:$port/ops" h.out || fail "the human summary does not say where ops went"
grep -q "meta_winback *-> h/meta_winback.ndjson" h.out || fail "file destinations' paths missing"
grep -q "ops were not delivered" h.out || fail "the human summary does not say ops were not delivered"
echo "delivery failures: ok"
