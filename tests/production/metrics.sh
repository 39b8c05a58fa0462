#!/usr/bin/env bash
# Issue 16: `seg run --listen` (RUNTIME.md §8). A follow run with --state serves
# /healthz, /readyz and /metrics; the text is read by prometheus_client's own parser
# (Debian's python3-prometheus-client), and its numbers agree with what the run writes
# itself: records by outcome and cause with summary-like counts in status.json, audience
# members with status.json, ops per destination with the lines of OUT/<destination>.ndjson,
# the evaluation histogram is consistent, state bytes are there. Name rules: seg_*,
# counters end in _total, no label carries a profile id. A port in use is exit 3, a malformed --listen exit 2 (usage).
#
#   tests/production/metrics.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/lib.sh"
cd "$tmp"
rules=$root/examples/retention
clock=(--wall-clock 2026-01-01T00:00:00Z --max-future off)

python3 "$rules/generate_stream.py" --seed 4 --profiles 300 --events 3000 >in.ndjson 2>/dev/null
printf '{"type":"track","event":"page","userId":"u1","timestamp":"not a time"}\nnot json\n' >>in.ndjson
lines=$(wc -l <in.ndjson)

"$seg" run "$rules" --input in.ndjson --out out --state st --follow --poll-ms 20 --listen 127.0.0.1:0 \
  "${clock[@]}" -q 2>err &
pid=$!
addr=$(metrics_address err)
[ -n "$addr" ] || fail "no metrics address on stderr: $(cat err)"
for _ in $(seq 1 500); do
  [ -s out/status.json ] && [ "$(python3 -c 'import json; print(json.load(open("out/status.json"))["lines"])')" = "$lines" ] && break
  sleep 0.02
done
sleep 1.2  # one more publication after the last line
/usr/bin/python3 - "$addr" <<'PY' || fail "metrics"
import json, sys, urllib.request, urllib.error
from prometheus_client.parser import text_string_to_metric_families
addr = sys.argv[1]
def get(path):
    try:
        r = urllib.request.urlopen(addr + path, timeout=5)
        return r.status, r.read().decode(), r.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), ""
assert get("/healthz")[0] == 200, get("/healthz")
assert get("/readyz")[0] == 200, get("/readyz")
code, text, ctype = get("/metrics")
assert code == 200 and ctype.startswith("text/plain; version=0.0.4"), (code, ctype)
fams = {f.name: f for f in text_string_to_metric_families(text)}
samples = {}
for f in fams.values():
    for s in f.samples:
        assert s.name.startswith("seg_"), s.name
        assert "profile" not in s.labels, s
        samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
for f in fams.values():  # the parser names a counter without _total; the text has it
    if f.type == "counter":
        assert all(s.name.endswith("_total") for s in f.samples), f.name
def v(name, **labels):
    return samples[(name, tuple(sorted(labels.items())))]
status = json.load(open("out/status.json"))
outcomes = {o: v("seg_records_total", outcome=o) for o in ("applied", "ignored", "rejected", "blank")}
assert sum(outcomes.values()) == status["lines"], (outcomes, status["lines"])
rej = [json.loads(l)["cause"] for l in open("out/rejected.ndjson")]
assert outcomes["rejected"] == len(rej) >= 2, (outcomes, len(rej))
for cause in set(rej):
    assert v("seg_records_rejected_total", cause=cause) == rej.count(cause), cause
for a, n in status["audiences"].items():
    assert v("seg_audience_members", audience=a) == n, (a, n)
for d in ("meta_winback", "warehouse_segments", "analytics_lifecycle"):
    ops = [json.loads(l)["op"] for l in open("out/%s.ndjson" % d)]
    for k in ("add", "remove", "update"):
        assert v("seg_ops_total", destination=d, kind=k) == ops.count(k), (d, k)
count = v("seg_evaluation_seconds_count")
assert count >= status["lines"] // 64 - 1 and count > 0, count
assert v("seg_evaluation_seconds_bucket", le="+Inf") == count
assert fams["seg_evaluation_seconds"].type == "histogram"
assert v("seg_state_bytes") > 0
wall = 1767225600  # --wall-clock 2026-01-01T00:00:00Z
assert v("seg_watermark_seconds") > 1.7e9, v("seg_watermark_seconds")
assert abs(v("seg_wall_clock_lag_seconds") - (wall - v("seg_watermark_seconds"))) < 0.01
assert [s for s in fams["seg_bundle_info"].samples][0].labels["revision"]
print("metrics ok:", len(samples), "samples")
PY
kill -TERM $pid
wait $pid || fail "SIGTERM exit $?"
pid=
# A port in use, and a malformed address: refused at start, with the flag named.
python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(30)' >busy &
busy=$!
for _ in $(seq 1 200); do [ -s busy ] && break; sleep 0.02; done
"$seg" run "$rules" --input in.ndjson --out x --listen 127.0.0.1:"$(cat busy)" -q 2>e1 && fail "a port in use was accepted"
kill $busy
grep -q -- "--listen" e1 || fail "no --listen in: $(cat e1)"
rc=0; "$seg" run "$rules" --input in.ndjson --out x --listen nonsense -q 2>e2 || rc=$?
[ "$rc" = 2 ] || fail "a malformed --listen: exit $rc, not 2 (usage)"
grep -q "HOST:PORT" e2 || fail "no HOST:PORT in: $(cat e2)"
echo "metrics: ok"
