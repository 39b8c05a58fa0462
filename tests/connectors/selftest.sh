#!/usr/bin/env bash
# Self-test of the connector harness (fault_server.py, check_delivery.py); needs
# only /usr/bin/python3 and curl, no seg.
#
#   tests/connectors/selftest.sh        KEEP=1 keeps the scratch folder
#
# Part A drives a live fault_server with curl (drop, 429 + Retry-After, 500, lost
# ack, delay, 400, chunked PUT, DELETE), checks its log, then checks the delivery.
# Part B runs check_delivery.py on hand-made logs, each with a known exit code.
set -u
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  if [ -n "${KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
fails=0
ok() { echo "ok   $1"; }
ko() { echo "FAIL $1"; fails=$((fails + 1)); }

# expect NAME RC COMMAND...: the command must exit with RC.
expect() {
  local name=$1 want=$2; shift 2
  "$@" >"$tmp/out.txt" 2>&1
  local got=$?
  if [ "$got" = "$want" ]; then ok "$name (exit $got)"; else ko "$name: exit $got, expected $want"; sed 's/^/     /' "$tmp/out.txt"; fi
}

# --- the reference: 8 ops of destination "hook" -------------------------------
mkdir -p "$tmp/ref"
"$py" - "$tmp/ref/hook.ndjson" <<'EOF'
import json, sys
def op(kind, prof, ts, reason, fields=None, seq=0):
    return {"op": kind, "destination": "hook", "audience": "hook", "segment": "vip",
            "profile": prof, "ts": "2026-03-01T10:%02d:00Z" % ts, "keys": {"id": prof},
            "fields": fields or {}, "holdout": False, "reason": reason, "bundle": "r1",
            "op_id": "%04x%02d%s" % (ts, seq, prof.ljust(10, "0"))}
ops = [op("add", "u1", 0, "enter"), op("add", "u2", 0, "enter"),
       op("update", "u1", 5, "change", {"ltv": 3}), op("add", "u3", 5, "enter"),
       op("remove", "u3", 6, "expire"), op("remove", "u1", 10, "exit", {"ltv": 3}),
       op("remove", "u2", 10, "exit"), op("add", "u4", 10, "enter")]
with open(sys.argv[1], "w") as f:
    for o in ops:
        f.write(json.dumps(o) + "\n")
EOF
# batch FILE KEY INDEX...: a webhook body carrying those reference ops.
batch() {
  "$py" - "$tmp/ref/hook.ndjson" "$@" <<'EOF'
import json, sys
ref = [json.loads(l) for l in open(sys.argv[1])]
out, key = sys.argv[2], sys.argv[3]
body = {"batch_id": key, "destination": "hook", "ops": [ref[int(i)] for i in sys.argv[4:]]}
open(out, "w").write(json.dumps(body))
EOF
}

# --- Part A: live server --------------------------------------------------------
echo "== Part A: fault_server with curl"
cat >"$tmp/schedule.json" <<'EOF'
[{"status": 200},
 {"drop": true},
 {"status": 429, "retry_after": 1},
 {"status": 500},
 {"lose_response": true},
 {"status": 200},
 {"status": 200, "delay_ms": 300},
 {"status": 400, "body": "{\"error\":\"bad audience\"}"}]
EOF
"$py" "$here/fault_server.py" --port-file "$tmp/port" --schedule "$tmp/schedule.json" \
  --log "$tmp/live.ndjson" &
pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
port=$(cat "$tmp/port" 2>/dev/null)
[ -n "$port" ] || { ko "server did not write its port"; exit 1; }
url="http://127.0.0.1:$port"
batch "$tmp/k1.json" k1 0 1
batch "$tmp/k2.json" k2 2
batch "$tmp/k3.json" k3 5 6
batch "$tmp/k4.json" k4 7
# post NAME KEY: POST the batch with its key; prints "curl-exit http-code".
post() {
  local code
  code=$(curl -sS -o "$tmp/resp-$1.txt" -D "$tmp/hdr-$1.txt" -w '%{http_code}' --max-time 5 \
    -H 'Content-Type: application/json' -H "Idempotency-Key: $2" -H 'X-Team: growth' \
    --data-binary @"$tmp/$2.json" "$url/ops/hook" 2>/dev/null)
  echo "$? $code"
}
r1=$(post 1 k1)            # 200, applied
r2=$(post 2 k2)            # dropped: no response at all
r3=$(post 3 k2)            # 429, Retry-After: 1
sleep 1.1
r4=$(post 4 k2)            # 500
r5=$(post 5 k2)            # applied, then the ack is lost
r6=$(post 6 k2)            # 200 again, already applied
r7=$(post 7 k3)            # 200 after 300 ms
r8=$(post 8 k4)            # 400: the connector would give up
printf hello | curl -sS -o /dev/null -X PUT -H 'Transfer-Encoding: chunked' --data-binary @- "$url/other?x=1"
curl -sS -o /dev/null -X DELETE "$url/admin/u1"
[ "$r1 $r2 $r3 $r4 $r5 $r6 $r7 $r8" = "0 200 52 000 0 429 0 500 52 000 0 200 0 200 0 400" ] \
  && ok "curl saw 200, drop, 429, 500, drop, 200, 200, 400" \
  || ko "curl results: $r1 | $r2 | $r3 | $r4 | $r5 | $r6 | $r7 | $r8"
grep -qi '^Retry-After: 1' "$tmp/hdr-3.txt" && ok "429 carries Retry-After: 1" || ko "no Retry-After header"
[ "$(cat "$tmp/resp-1.txt")" = '{"ok":true}' ] && ok "default body" || ko "default body: $(cat "$tmp/resp-1.txt")"
[ "$(cat "$tmp/resp-8.txt")" = '{"error":"bad audience"}' ] && ok "scheduled body" || ko "scheduled body"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
[ "$rc" = 0 ] && ok "SIGTERM: clean exit" || ko "SIGTERM: exit $rc"

if "$py" - "$tmp/live.ndjson" <<'EOF'
import json, sys
log = [json.loads(l) for l in open(sys.argv[1])]
def check(cond, what):
    if not cond:
        sys.exit("log: " + what)
check(len(log) == 10, "10 lines, got %d" % len(log))
check([e["n"] for e in log] == list(range(1, 11)), "n in order")
check([e["status"] for e in log] == [200, None, 429, 500, 200, 200, 200, 400, 200, 200], "statuses")
check([e["applied"] for e in log] == [True, False, False, False, True, False, True, False, True, True], "applied")
check([e["dropped"] for e in log] == [False, True, False, False, True] + [False] * 5, "dropped")
check([e["idempotency_key"] for e in log] == ["k1"] + ["k2"] * 5 + ["k3", "k4", None, None], "keys")
check(all(e["method"] == "POST" and e["path"] == "/ops/hook" for e in log[:8]), "POST /ops/hook")
check(log[0]["headers"].get("x-team") == "growth" and log[0]["headers"].get("idempotency-key") == "k1",
      "lower-cased header names")
check([len(e["body"]["ops"]) for e in log[:8]] == [2, 1, 1, 1, 1, 1, 2, 1], "parsed bodies")
check(log[8]["method"] == "PUT" and log[8]["path"] == "/other?x=1" and log[8]["body"] == {"raw": "hello"},
      "chunked PUT, raw body: %r" % log[8])
check(log[9]["method"] == "DELETE" and log[9]["body"] == {"raw": ""}, "DELETE")
check(log[2]["retry_after"] == 1 and log[3]["t_recv"] - log[2]["t_answer"] >= 1.0, "Retry-After logged")
check(log[6]["t_answer"] - log[6]["t_recv"] >= 0.3, "delay_ms")
EOF
then ok "log lines"; else ko "log lines"; fi

echo '{"op": '"$(sed -n 8p "$tmp/ref/hook.ndjson")"', "status": 400, "response": "{\"error\":\"bad audience\"}"}' >"$tmp/failed.ndjson"
chk="$py $here/check_delivery.py"
expect "live delivery ok" 0 $chk "$tmp/live.ndjson" "$tmp/ref" hook --path /ops --failed "$tmp/failed.ndjson" --limit 2 --header 'X-Team: growth'
expect "live: --limit 1 exceeded" 1 $chk "$tmp/live.ndjson" "$tmp/ref" hook --path /ops --failed "$tmp/failed.ndjson" --limit 1
expect "live: op given up on, no --failed" 1 $chk "$tmp/live.ndjson" "$tmp/ref" hook --path /ops
expect "live: non-webhook bodies without --path" 1 $chk "$tmp/live.ndjson" "$tmp/ref" hook --failed "$tmp/failed.ndjson"

# --- Part B: hand-made logs -----------------------------------------------------
echo "== Part B: check_delivery.py on hand-made logs"
mkdir -p "$tmp/logs"
"$py" - "$tmp/ref/hook.ndjson" "$tmp/logs" <<'EOF'
import json, sys
ref = [json.loads(l) for l in open(sys.argv[1])]
out = sys.argv[2]

def req(key, idx, status=200, applied=None, dropped=False, t=None, retry_after=None, body_key=None):
    """One log line; t = (t_recv, t_answer), default one second per request."""
    return {"key": key, "idx": idx, "status": status, "applied": applied, "dropped": dropped,
            "t": t, "retry_after": retry_after, "body_key": body_key}

def write(name, reqs):
    seen = set()
    with open("%s/%s.ndjson" % (out, name), "w") as f:
        for n, r in enumerate(reqs, 1):
            applied = r["applied"]
            if applied is None:  # what fault_server would decide
                applied = 200 <= r["status"] < 300 and r["key"] not in seen
            if applied:
                seen.add(r["key"])
            t_recv, t_answer = r["t"] or (float(n), n + 0.1)
            body = {"batch_id": r["body_key"] or r["key"], "destination": "hook",
                    "ops": [ref[i] for i in r["idx"]]}
            f.write(json.dumps({
                "n": n, "method": "POST", "path": "/ops/hook",
                "headers": {"idempotency-key": r["key"], "x-team": "growth"},
                "idempotency_key": r["key"], "body": body, "status": r["status"],
                "applied": applied, "dropped": r["dropped"], "retry_after": r["retry_after"],
                "t_recv": t_recv, "t_answer": t_answer}) + "\n")

# Ops 3 and 4 (add then remove of u3) are netted; op 7 got a 400 (failed file).
good = [req("k1", [0, 1]), req("k2", [2], 500), req("k2", [2], dropped=True),
        req("k2", [2]), req("k3", [5, 6]), req("k4", [7], 400)]
write("correct", good)
write("lost_op", good[:4] + [req("k3", [5])] + good[5:])
write("duplicate_applied", good + [req("k5", [6])])
write("order_broken", [good[0], good[4], good[1], good[2], good[3], good[5]])
write("retry_body_differs", good[:3] + [req("k2", [2, 3])] + good[4:])
write("key_not_batch_id", good[:4] + [req("k3", [5, 6], body_key="other")] + good[5:])
write("sent_unnetted", good[:4] + [req("k6", [3]), req("k7", [4])] + good[4:])
write("same_keys_one_batch", good[:4] + [req("k6", [3, 4])] + good[4:])
write("mixed_batch", good[:4] + [req("k3", [5, 6, 7])])
write("in_flight", [req("k2", [2], 500, t=(0.2, 0.25)), req("k1", [0, 1], t=(0.0, 0.5)),
                    req("k2", [2], t=(1.0, 1.1))] + good[4:])
write("retry_after_ignored", [good[0], req("k2", [2], 429, t=(2.0, 2.1), retry_after=1),
                              req("k2", [2], t=(2.5, 2.6))] + good[4:])
write("retry_after_honoured", [good[0], req("k2", [2], 429, t=(2.0, 2.1), retry_after=1),
                               req("k2", [2], t=(3.2, 3.3))] + good[4:])
EOF
fl="--failed $tmp/failed.ndjson"
L=$tmp/logs; R=$tmp/ref
expect "correct"                        0 $chk $L/correct.ndjson $R hook $fl --limit 2 --header 'X-Team: growth'
expect "lost op"                        1 $chk $L/lost_op.ndjson $R hook $fl
expect "duplicate applied op"           1 $chk $L/duplicate_applied.ndjson $R hook $fl
expect "per-profile order broken"       1 $chk $L/order_broken.ndjson $R hook $fl
expect "over the limit"                 1 $chk $L/correct.ndjson $R hook $fl --limit 1
expect "failed op missing from --failed" 1 $chk $L/correct.ndjson $R hook
echo '{"op": '"$(sed -n 1p "$R/hook.ndjson")"', "status": 400, "response": ""}' >"$tmp/failed-applied.ndjson"
expect "failed op applied"              1 $chk $L/correct.ndjson $R hook --failed "$tmp/failed-applied.ndjson"
expect "retried key, different body"    1 $chk $L/retry_body_differs.ndjson $R hook $fl
expect "Idempotency-Key != batch_id"    1 $chk $L/key_not_batch_id.ndjson $R hook $fl
expect "add, then remove, not netted"   0 $chk $L/sent_unnetted.ndjson $R hook $fl --ads
expect "add+remove same keys, 1 batch"  1 $chk $L/same_keys_one_batch.ndjson $R hook $fl
expect "add+remove other profiles"      0 $chk $L/mixed_batch.ndjson $R hook
expect "add+remove other profiles --ads" 1 $chk $L/mixed_batch.ndjson $R hook --ads
expect "sent before previous ack"       1 $chk $L/in_flight.ndjson $R hook $fl
expect "Retry-After ignored"            1 $chk $L/retry_after_ignored.ndjson $R hook $fl
expect "Retry-After honoured"           0 $chk $L/retry_after_honoured.ndjson $R hook $fl
expect "missing header"                 1 $chk $L/correct.ndjson $R hook $fl --header 'Authorization: Bearer t'
expect "unreadable reference"           2 $chk $L/correct.ndjson $tmp/nowhere hook

if [ "$fails" = 0 ]; then echo "selftest: all passed"; else echo "selftest: $fails failed"; exit 1; fi
