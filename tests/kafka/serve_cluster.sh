#!/usr/bin/env bash
# Issue 17: `seg serve` as a Kafka application on librdkafka's mock cluster (3 brokers),
# every instance a separate process. The retention example's stream, keyed by profile,
# goes to a 12-partition topic; three instances share it. Mid-stream: one is killed with
# SIGKILL, its local state deleted, and restarted (it restores its partitions from the
# changelog); another stops with SIGTERM (exit 0, group left) and a fourth joins (a
# rebalance); a broker goes down and up; EndTxn and TxnOffsetCommit fail on request;
# a fifth process takes over an instance's name and fences the old one (exit 3, a
# clear log line). The committed ops must equal, per destination, one `seg run` over
# the same records — every op, each profile's in order (copies of an op that an
# aborted transaction left are dropped by op_id: the mock does not hide them).
#
#   tests/kafka/serve_cluster.sh SEG SEG_KAFKA_MOCK REPO_ROOT
set -eu
seg=$1 mock=$2 root=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
declare -A pid
mockpid=
cleanup() {
  for p in "${pid[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ -n "$mockpid" ] && kill "$mockpid" 2>/dev/null
  exec 3>&- 2>/dev/null || true
  if [ -n "${SEG_TEST_KEEP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*.err; do echo "--- $f"; tail -5 "$f"; done; exit 1; }
cd "$tmp"
rules=$root/examples/retention

topics=(--topic events:12 --topic seg.changelog:12 --topic seg.rejected:1)
for d in $(sed -n 's/^destination \([a-z_0-9]*\).*/\1/p' "$rules/destinations.seg"); do topics+=(--topic "seg.ops.$d:3"); done
mkfifo ctl
"$mock" --brokers 3 "${topics[@]}" <ctl >mock.out 2>mock.err &
mockpid=$!
exec 3>ctl
for _ in $(seq 1 100); do [ -s mock.out ] && break; sleep 0.1; done
bootstrap=$(head -1 mock.out)
[ -n "$bootstrap" ] || fail "the mock cluster printed no bootstrap address"
control() {  # a command to the mock, and its answer
  local before
  before=$(wc -l <mock.out)
  echo "$*" >&3
  for _ in $(seq 1 50); do [ "$(wc -l <mock.out)" -gt "$before" ] && break; sleep 0.1; done
  tail -1 mock.out | grep -q '^ok' || fail "mock: '$*' answered $(tail -1 mock.out)"
}

python3 "$rules/generate_stream.py" --seed 17 --profiles 3000 --events 60000 --malformed 30 >raw.ndjson 2>/dev/null
python3 "$here/keyed_stream.py" raw.ndjson stream
"$seg" run "$rules" --input stream.ndjson --out ref --max-future off --format json >ref.json || fail "reference run"
watermark=$(python3 -c 'import json; print(json.load(open("ref.json"))["watermark"])')
kcat -P -b "$bootstrap" -t events -K$'\t' -l stream.keyed || fail "kcat could not produce the stream"
cat >serve.json <<JSON
{"kafka": {"brokers": "$bootstrap", "group": "seg-test", "topics": ["events"],
           "properties": {"session.timeout.ms": "6000", "max.poll.interval.ms": "10000",
                          "heartbeat.interval.ms": "500"}}}
JSON
# Live time pinned to the stream's last instant: every partition ends where `seg run` does.
start() {  # name, extra flags; the rules from $rules_of_<name> when set
  local r="rules_of_$1"
  "$seg" serve "${!r:-$rules}" --config serve.json --state "st-$1" --instance "$1" --wall-clock "$watermark" --lateness 0s \
    --max-future off "${@:2}" 2>>"$1.err" &
  pid[$1]=$!
}
committed_ops() { kcat -C -b "$bootstrap" -t seg.ops.analytics_lifecycle -e -o beginning -q 2>/dev/null | wc -l; }

# The first transactions meet errors: a produce that fails for good (the transaction
# aborts, its records are read again), a coordinator that moved, one not available.
control error Produce MSG_SIZE_TOO_LARGE 1
control error EndTxn NOT_COORDINATOR 2
control error TxnOffsetCommit COORDINATOR_NOT_AVAILABLE 2
start a
start b
start c --listen 127.0.0.1:0
for _ in $(seq 1 200); do [ "$(committed_ops)" -gt 50 ] && break; sleep 0.1; done
[ "$(committed_ops)" -gt 50 ] || fail "no ops committed after 20 s"

# kill -9 mid-stream; the local state is gone: the restart restores from the changelog.
kill -9 "${pid[a]}"; wait "${pid[a]}" 2>/dev/null || true
rm -rf st-a
start a
control down 2
sleep 1
control up 2
# SIGTERM: the last transaction committed, the group left cleanly; a new instance joins.
kill -TERM "${pid[b]}"
wait "${pid[b]}" || fail "seg serve b exited $? on SIGTERM"
unset 'pid[b]'
grep -q '"event":"stopped"' b.err || fail "b did not log a clean stop"
# d runs a copy of the rules: after the comparison it gets new ones with SIGHUP.
cp -r "$rules" rules-d
rules_of_d=$PWD/rules-d
start d
python3 "$here/compare_ops.py" "$bootstrap" ref --wait 120 || fail "the committed ops differ from seg run's"
rejected=$(kcat -C -b "$bootstrap" -t seg.rejected -e -o beginning -q 2>/dev/null | python3 -c '
import json, sys
print(len({(j["partition"], j["offset"]) for j in map(json.loads, sys.stdin)}))')
want=$(wc -l <ref/rejected.ndjson)
[ "$rejected" = "$want" ] || fail "$rejected records in the dead-letter topic, seg run rejected $want"
# c's /metrics (Prometheus text, read by the reference parser) and /readyz.
address=$(sed -n 's/.*"event":"listen".*"address":"\([^"]*\)".*/\1/p' c.err | head -1)
[ -n "$address" ] || fail "c did not say where its metrics are"
curl -sf "$address/readyz" >/dev/null || fail "c is not ready after its partitions were restored"
curl -sf "$address/metrics" >metrics.txt || fail "GET /metrics failed"
/usr/bin/python3 - metrics.txt <<'PY' || fail "c's /metrics"
import sys
from prometheus_client.parser import text_string_to_metric_families
fam = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
for name in ("seg_consumer_lag_records", "seg_transactions", "seg_rebalances", "seg_restore_bytes",
             "seg_records", "seg_ops", "seg_assigned_partitions", "seg_partition_watermark_seconds"):
    assert name in fam, "missing " + name
committed = [s.value for s in fam["seg_transactions"].samples if s.labels.get("result") == "committed"]
assert committed and committed[0] > 0, "no committed transaction counted"
lags = [s.value for s in fam["seg_consumer_lag_records"].samples]
assert lags and all(v >= 0 for v in lags), "no lag per partition"
PY
# SIGHUP with changed rules (one more segment): d swaps them in on every partition it owns.
echo 'segment swap_test_extra = "vip" in tags' >>rules-d/segments.seg
kill -HUP "${pid[d]}"
for _ in $(seq 1 100); do grep -q '"event":"rule_change"' d.err && break; sleep 0.1; done
grep -q '"event":"rule_change"' d.err || fail "d did not swap its rules on SIGHUP"
cat ./*.err | grep -q '"event":"abort"' || fail "no transaction was aborted by the failed produce"
# Fenced: the broker answers EndTxn with PRODUCER_FENCED (as it does when a newer
# instance took our transactional.id; the mock does not fence by id itself). The
# instance that gets it exits 3 with a clear line. New records give it work.
control error EndTxn PRODUCER_FENCED 1
python3 -c '
import json
for i in range(240):
    p = "late%03d" % i
    print(p + "\t" + json.dumps({"type": "identify", "userId": p, "timestamp": "2026-04-01T00:00:00Z", "traits": {"email": p + "@example.com"}}))
' >more.keyed
kcat -P -b "$bootstrap" -t events -K$'\t' -l more.keyed
fenced=
for _ in $(seq 1 300); do
  for n in a c d; do kill -0 "${pid[$n]}" 2>/dev/null || { fenced=$n; break 2; }; done
  sleep 0.1
done
[ -n "$fenced" ] || fail "no instance stopped after PRODUCER_FENCED"
set +e
wait "${pid[$fenced]}"; code=$?
set -e
unset "pid[$fenced]"
[ "$code" = 3 ] || fail "the fenced instance $fenced exited $code, expected 3"
grep -q 'fenced' "$fenced.err" || fail "the fenced instance did not say it was fenced"
for n in "${!pid[@]}"; do
  kill -TERM "${pid[$n]}"
  wait "${pid[$n]}" || fail "seg serve $n exited $? on SIGTERM"
  unset "pid[$n]"
done
# Partitions moved between instances (and a's, whose local state was deleted) were
# brought back from the changelog.
cat ./*.err | grep -q '"event":"restored".*"changelog_messages":[1-9]' || fail "no partition was restored from the changelog"
echo "serve cluster: ops equal seg run's after kill -9, restore, SIGTERM, rebalance, broker down/up, txn errors, fencing"
