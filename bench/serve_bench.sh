#!/usr/bin/env bash
# Issue 17's targets for `seg serve` on librdkafka's mock cluster (seg-kafka-mock), with
# the baselines of the same run:
#   - `seg run --state` over the same records (one process, a file): lines/s;
#   - one `seg serve` instance: records/s from ready to every record applied (the stream
#     is in the topic before it starts), as a ratio to `seg run --state` (target >= 0.5);
#   - two instances (a new group, same records): records/s, as a ratio to one (>= 1.6);
#   - restore: a new instance with no local state takes over all partitions after the
#     first stopped; changelog bytes read / seconds until ready (target >= 100 MB/s),
#     and the profiles it restored per second of the slowest partition.
# The mock cluster, kcat and the instances share the machine's cores with the engine:
# on 2 cores two instances compete with the mock's broker threads.
#
#   bench/serve_bench.sh SEG SEG_KAFKA_MOCK REPO_ROOT [PROFILES] [LINES] [PARTITIONS]
set -eu
seg=$1 mock=$2 root=$3 profiles=${4:-20000} lines=${5:-400000} parts=${6:-4}
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
cd "$tmp"
rules=$root/examples/retention
python3 "$rules/generate_stream.py" --seed 7 --profiles "$profiles" --events "$lines" >raw.ndjson 2>/dev/null
python3 "$root/tests/kafka/keyed_stream.py" raw.ndjson stream
total=$(wc -l <stream.ndjson)

t0=$(date +%s.%N)
"$seg" run "$rules" --input stream.ndjson --out ref --state ref-state --max-future off -q
t1=$(date +%s.%N)
run_rate=$(python3 -c "print($total / ($t1 - $t0))")
watermark=$("$seg" run "$rules" --input stream.ndjson --out ref2 --max-future off --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["watermark"])')

topics=(--topic "events:$parts")
for g in one two; do topics+=(--topic "$g.changelog:$parts"); done
"$mock" --brokers 3 "${topics[@]}" </dev/null >mock.out 2>mock.err &
pids+=($!)
for _ in $(seq 1 100); do [ -s mock.out ] && break; sleep 0.1; done
bootstrap=$(head -1 mock.out)
kcat -P -b "$bootstrap" -t events -K$'\t' -l stream.keyed

config() {  # group name: its own changelog and ops topics
  echo "{\"kafka\": {\"brokers\": \"$bootstrap\", \"group\": \"$1\", \"topics\": [\"events\"],
    \"changelog_topic\": \"$1.changelog\", \"ops_topic_prefix\": \"$1.ops.\", \"dead_letter_topic\": \"$1.rejected\",
    \"commit_interval_ms\": ${COMMIT_MS:-100}, \"max_cycle_records\": ${CYCLE_RECORDS:-20000},
    \"properties\": {\"session.timeout.ms\": \"6000\", \"max.poll.interval.ms\": \"10000\"${EXTRA_PROPS:-}}}}" >"$1.json"
}
start() {  # group instance state
  "$seg" serve "$rules" --config "$1.json" --state "$3" --instance "$2" --wall-clock "$watermark" --lateness 0s \
    --max-future off --listen 127.0.0.1:0 2>"$2.err" &
  pids+=($!)
  eval "pid_$2=$!"
}
address() { for _ in $(seq 1 100); do a=$(sed -n 's/.*"event":"listen".*"address":"\([^"]*\)".*/\1/p' "$1.err" | head -1); [ -n "$a" ] && { echo "$a"; return; }; sleep 0.1; done; }
applied() {  # records every listed instance has applied, ignored or rejected
  local n=0 a
  for a in "$@"; do
    n=$((n + $(curl -sf "$a/metrics" | awk '/^seg_records_total\{/ {s += $2} END {printf "%d", s}')))
  done
  echo "$n"
}
ready_at() {  # the time of the instance's last "restored" line
  python3 - "$1.err" <<'PY'
import json, sys, datetime
ts = [json.loads(l)["ts"] for l in open(sys.argv[1]) if l.startswith("{") and '"restored"' in l]
print(datetime.datetime.fromisoformat(ts[-1].replace("Z", "+00:00")).timestamp() if ts else 0)
PY
}
measure() {  # instances...: seconds from the last ready to every record applied
  local addrs=() i
  for i in "$@"; do addrs+=("$(address "$i")"); done
  for _ in $(seq 1 3000); do [ "$(applied "${addrs[@]}")" -ge "$total" ] && break; sleep 0.05; done
  local done_at ready=0 r
  done_at=$(date +%s.%N)
  for i in "$@"; do r=$(ready_at "$i"); ready=$(python3 -c "print(max($ready, $r))"); done
  python3 -c "print($done_at - $ready)"
}

config one
start one a st-a
s1=$(measure a)
rate1=$(python3 -c "print($total / $s1)")
kill -TERM "$pid_a"; wait "$pid_a" || true

config two
start two b st-b
start two c st-c
s2=$(measure b c)
rate2=$(python3 -c "print($total / $s2)")
kill -TERM "$pid_b" "$pid_c"; wait "$pid_b" "$pid_c" || true

# Restore: a new instance of group one, no local state: every partition from the changelog.
start one r st-r
address r >/dev/null
for _ in $(seq 1 600); do [ "$(grep -c '"restored"' r.err)" -ge "$parts" ] && break; sleep 0.1; done
read -r rbytes rsec rprof <<<"$(python3 - r.err <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{") and '"restored"' in l]
print(sum(r["changelog_bytes"] for r in rs), max(r["seconds"] for r in rs), sum(r["profiles"] for r in rs))
PY
)"
kill -TERM "$pid_r"; wait "$pid_r" || true

python3 - <<PY
total, run_rate, rate1, rate2 = $total, $run_rate, $rate1, $rate2
rbytes, rsec, rprof = $rbytes, $rsec, $rprof
print(f"records                      {total}  ({$profiles} profiles, $parts partitions)")
print(f"seg run --state              {run_rate:10.0f} records/s   (baseline)")
print(f"seg serve, 1 instance        {rate1:10.0f} records/s   {rate1 / run_rate:.2f} of seg run --state (target >= 0.50)")
print(f"seg serve, 2 instances       {rate2:10.0f} records/s   {rate2 / rate1:.2f} x one instance (target >= 1.6)")
print(f"restore from the changelog  {rbytes / 1e6:8.1f} MB in {rsec:.2f} s (slowest partition): "
      f"{rbytes / 1e6 / rsec:.1f} MB/s (target >= 100), {rprof} profiles, {rprof / rsec:.0f} profiles/s")
PY
