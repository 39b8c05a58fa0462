#!/usr/bin/env bash
# Issue 16, live time (RUNTIME.md §3): in `seg run --follow`, while the reader is caught
# up, the watermark follows the wall clock minus --lateness. A cart whose 24 h window
# ends a few seconds after the start, on a stream that then goes quiet, gets its
# `remove` within lateness + 2 s of its end, with the exact instant as `ts` and reason
# `expire`; status.json follows the clock and shows the audience emptied; SIGTERM then
# exits 0. Without --follow time is the records' alone: no remove.
#
#   tests/production/live_time.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp"

cat >rules.seg <<'SEG'
profile { email: string @id }
event added_to_cart { cart_value: number }
segment carts = added_to_cart within 24h
destination wh_carts {
  type     warehouse
  audience carts
}
SEG
# A cart added 24 h minus 4 s ago (ms precision): its window ends 4 s from now.
python3 - <<'PY' >in.ndjson
import datetime, json, time
now = int(time.time() * 1000)
def iso(ms):
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
ts = now - 24 * 3600 * 1000 + 4000
print(json.dumps({"type": "identify", "userId": "u1", "timestamp": iso(ts - 1000), "traits": {"email": "a@b.co"}}))
print(json.dumps({"type": "track", "userId": "u1", "event": "added_to_cart", "timestamp": iso(ts), "properties": {"cart_value": 80}}))
open("end.txt", "w").write(iso(ts + 24 * 3600 * 1000) + " %d\n" % (ts + 24 * 3600 * 1000))
PY
read -r end_iso end_ms <end.txt

"$seg" run rules.seg --input in.ndjson --out out --follow --lateness 1s --poll-ms 50 -q 2>err.txt &
pid=$!
# Wait for the remove, noting the wall-clock time it appears.
seen=
for _ in $(seq 1 300); do
  if grep -q '"op":"remove"' out/wh_carts.ndjson 2>/dev/null; then seen=$(python3 -c 'import time; print(int(time.time()*1000))'); break; fi
  sleep 0.05
done
[ -n "$seen" ] || { cat err.txt; fail "no remove within 15 s on a quiet stream"; }
python3 - "$end_iso" "$end_ms" "$seen" <<'PY' || fail "the remove"
import json, sys
end_iso, end_ms, seen = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ops = [json.loads(l) for l in open("out/wh_carts.ndjson")]
assert [o["op"] for o in ops] == ["add", "remove"], ops
r = ops[1]
assert r["ts"] == end_iso and r["reason"] == "expire", (r, end_iso)
lag = (seen - end_ms) / 1000
assert 1.0 <= lag <= 3.0 + 0.5, "remove appeared %.2f s after the window ended (lateness 1 s + 2 s)" % lag
print("remove %.2f s after the window ended" % lag)
PY
# status.json follows the clock while waiting.
sleep 1.2
python3 - "$end_ms" <<'PY' || fail "status.json"
import json, sys, time, datetime
s = json.load(open("out/status.json"))
assert s["audiences"] == {"carts": 0}, s
wm = datetime.datetime.strptime(s["watermark"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()
assert abs(time.time() - 1 - wm) < 3, (s["watermark"], time.time())
PY
kill -TERM $pid
wait $pid || fail "SIGTERM: exit $?"
pid=
python3 -c 'import json; s=json.load(open("out/summary.json")); assert s["audiences"]["carts"]=={"members":0,"entered":1,"left":1}, s' ||
  fail "summary after SIGTERM"

# Without --follow, time is the records' alone.
"$seg" run rules.seg --input in.ndjson --out batch -q
[ "$(grep -c '"op":"remove"' batch/wh_carts.ndjson || true)" = 0 ] || fail "a batch run moved time by the wall clock"

# A window that ended before the start (beyond the lateness) is closed at once, and the
# run still stops cleanly on SIGTERM.
python3 - <<'PY' >in2.ndjson
import datetime, json, time
now = int(time.time() * 1000)
iso = lambda ms: datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
print(json.dumps({"type": "track", "userId": "u2", "event": "added_to_cart", "timestamp": iso(now - 24 * 3600 * 1000 - 5000), "properties": {"cart_value": 80}}))
PY
"$seg" run rules.seg --input in2.ndjson --out stop --follow --lateness 1s --poll-ms 60000 -q &
pid=$!
sleep 0.5
kill -TERM $pid
wait $pid || fail "SIGTERM (2): exit $?"
pid=
[ "$(grep -c '"op":"remove"' stop/wh_carts.ndjson)" = 1 ] || fail "no remove at SIGTERM for a window that had ended"
echo "live time: ok"
