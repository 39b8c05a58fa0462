#!/usr/bin/env bash
# Issue 16: senders run off the engine thread (RUNTIME.md §4). A webhook that takes
# 150 ms per request, batches of 20: the engine has read and applied every line while
# most ops still wait in the sender's queue (seen on /metrics during the run), the
# run ends only once all are acknowledged, and what reached the endpoint equals a
# plain file run's ops, each once, in order per profile, never an add and a remove of
# the same keys in one request (checked by tests/connectors/check_delivery.py).
#
#   tests/production/slow_sender.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
here=$root/tests/connectors
tmp=$(mktemp -d)
server= run=
trap '[ -n "$server" ] && kill $server 2>/dev/null; [ -n "$run" ] && kill $run 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
. "$(dirname "$0")/lib.sh"
cd "$tmp"

python3 "$root/examples/retention/generate_stream.py" --seed 9 --profiles 150 --events 2000 >in.ndjson 2>/dev/null
"$seg" run "$root/examples/retention" --input in.ndjson --out ref -q
total=$(wc -l <ref/warehouse_segments.ndjson)
[ "$total" -gt 60 ] || fail "too few reference ops ($total)"

python3 -c 'import json; print(json.dumps([{"status": 200, "delay_ms": 50}] * 10000))' >schedule.json
python3 "$here/fault_server.py" --port-file port --schedule schedule.json --log server.log &
server=$!
for _ in $(seq 1 200); do [ -s port ] && break; sleep 0.02; done
cat >deploy.json <<JSON
{"destinations": {"warehouse_segments": {"connector": "webhook", "url": "http://127.0.0.1:$(cat port)/ops",
                                         "max_batch": 20, "flush_interval_ms": 50}}}
JSON

"$seg" run "$root/examples/retention" --input in.ndjson --out o --config deploy.json --listen 127.0.0.1:0 -q 2>err &
run=$!
addr=$(metrics_address err)
[ -n "$addr" ] || fail "no metrics address on stderr: $(cat err)"
lines=$(wc -l <in.ndjson)
# While the sender works through its queue, the engine is done reading.
seen=
for _ in $(seq 1 300); do
  /usr/bin/python3 - "$addr" "$lines" "$total" >probe 2>/dev/null <<'PY' && { seen=1; break; }
import sys, urllib.request
from prometheus_client.parser import text_string_to_metric_families
addr, lines, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
m = {}
for fam in text_string_to_metric_families(urllib.request.urlopen(addr + "/metrics", timeout=2).read().decode()):
    for s in fam.samples:
        m[(s.name, tuple(sorted(s.labels.items())))] = s.value
read = sum(v for (n, l), v in m.items() if n == "seg_records_total")
acked = m.get(("seg_delivery_ops_total", (("destination", "warehouse_segments"), ("result", "acknowledged"))), 0)
depth = m.get(("seg_sender_queue_depth", (("destination", "warehouse_segments"),)), 0)
print(read, acked, depth)
sys.exit(0 if read == lines and acked < total / 2 else 1)
PY
  kill -0 $run 2>/dev/null || break
  sleep 0.05
done
[ -n "$seen" ] || fail "never saw every line applied while ops were still being sent (last: $(cat probe 2>/dev/null))"
wait $run || fail "the run exited $? ($(cat err))"
run=
"$here/check_delivery.py" server.log ref warehouse_segments --limit 20 >check.out ||
  fail "delivery: $(cat check.out)"
python3 - <<PY || fail "summary"
import json
s = json.load(open("o/summary.json"))
d = s["destinations"]["warehouse_segments"]["delivery"]
assert d["acknowledged"] == $total and d["failed"] == 0, d
PY
echo "slow sender: ok (engine done with $(cat probe | cut -d' ' -f2) of $total ops acknowledged)"
