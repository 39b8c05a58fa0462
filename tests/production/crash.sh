#!/usr/bin/env bash
# Issue 16: `seg run --follow --state DIR` killed with SIGKILL at random moments while
# its input grows (between and inside commit batches, while ops are being written),
# restarted each time with the same command line, then stopped with SIGTERM: the ops
# files, rejected lines and summary equal one uninterrupted run's, byte for byte — no
# input line applied twice or skipped, no op lost or doubled. Also: a state written by
# a newer format is refused; a changed output file is refused; `seg state inspect`.
#
#   tests/production/crash.sh SEG REPO_ROOT [KILLS]
set -eu
seg=$1 root=$2 kills=${3:-24}
tmp=$(mktemp -d)
pid= writer=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; [ -n "$writer" ] && kill $writer 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp"
rules=$root/examples/retention
# Time is the records' alone (the wall clock pinned before the stream), as in the reference.
clock=(--wall-clock 2026-01-01T00:00:00Z --max-future off)

python3 "$rules/generate_stream.py" --seed 31 --profiles 3000 --events 120000 --malformed 40 >full.ndjson 2>/dev/null
total=$(wc -l <full.ndjson)
"$seg" run "$rules" --input full.ndjson --out ref -q || fail "reference run exited $?"

# The input grows in chunks while the run is killed and restarted.
: >in.ndjson
( split -l 4000 -d -a 3 full.ndjson chunk.
  for c in chunk.*; do cat "$c" >>in.ndjson; sleep 0.15; done ) &
writer=$!

run() { "$seg" run "$rules" --input in.ndjson --out out --state st --follow --poll-ms 20 "${clock[@]}" -q 2>>err.txt & pid=$!; }
done_kills=0
while [ $done_kills -lt "$kills" ]; do
  run
  # Random moments: early (opening the store, cutting files back), mid-batch, idle.
  sleep "0.$(printf '%02d' $((RANDOM % 40 + 2)))"
  kill -9 $pid 2>/dev/null && done_kills=$((done_kills + 1))
  wait $pid 2>/dev/null || true
  pid=
done
wait $writer
writer=
# The last run catches up, then stops cleanly.
run
for _ in $(seq 1 600); do
  lines=$(python3 -c 'import json,sys; print(json.load(open("out/status.json"))["lines"])' 2>/dev/null || echo 0)
  [ "$lines" = "$total" ] && break
  sleep 0.1
done
[ "$lines" = "$total" ] || { tail -5 err.txt; fail "the restarted run did not catch up ($lines of $total lines)"; }
kill -TERM $pid
wait $pid || fail "SIGTERM: exit $?"
pid=

for f in ref/*.ndjson; do
  cmp -s "$f" "out/$(basename "$f")" || { diff "$f" "out/$(basename "$f")" | head -5; fail "$(basename "$f") differs from the uninterrupted run after $kills kills"; }
done
no_state() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("state"); print(json.dumps(d, indent=1))' "$1"; }
diff <(no_state ref/summary.json) <(no_state out/summary.json) || fail "summary differs after $kills kills"
echo "$kills kills: ops, rejected lines and summary identical"

# seg state inspect
"$seg" state inspect st --format json >inspect.json || fail "state inspect exited $?"
python3 - "$total" <<'PY' || fail "state inspect"
import json, sys
j = json.load(open("inspect.json"))
assert j["committed"] and j["profiles"] > 2000 and j["input"]["lines"] == int(sys.argv[1]), j
assert j["watermark"] == json.load(open("ref/summary.json"))["watermark"], j["watermark"]
assert j["files"]["out/meta_winback.ndjson"] > 0 and j["disk_bytes"] > 0, j
PY
"$seg" state inspect st | grep -q "profiles" || fail "human state inspect"
"$seg" state inspect nowhere 2>e.txt && fail "inspect of a missing state succeeded"
grep -q "not a seg state" e.txt || fail "missing state: $(cat e.txt)"

# A changed output file is refused, not silently cut.
"$seg" run "$rules" --input in.ndjson --out other --state st -q "${clock[@]}" 2>e.txt && fail "another --out was accepted"
grep -q "was written with --out out" e.txt || fail "another --out: $(cat e.txt)"
: >out/meta_winback.ndjson
"$seg" run "$rules" --input in.ndjson --out out --state st -q "${clock[@]}" 2>e.txt && fail "a truncated output file was accepted"
grep -q "shorter than the state's commit" e.txt || fail "changed output: $(cat e.txt)"
# --state with stdin or --threads is a usage error.
set +e
"$seg" run "$rules" --input - --out x --state st3 -q </dev/null 2>/dev/null; [ $? = 2 ] || fail "--state with stdin"
set -e
echo "crash: ok"
