#!/usr/bin/env bash
# seg-kafka-mock (cli/kafka_mock/) end to end with kcat: a topic of 4 partitions given on the
# command line, 20 keyed messages produced and consumed back, control commands through a
# FIFO (down/up, an error push, a bad command), EOF on stdin not stopping it, bad arguments
# exiting 2, SIGTERM exiting 0. Fails without kcat.
#
#   tests/kafka/mock_smoke.sh SEG_KAFKA_MOCK|BIN_DIR
set -euo pipefail
mock=$1
[ -d "$mock" ] && mock=$mock/seg-kafka-mock
[ -x "$mock" ] || { echo "FAIL: no seg-kafka-mock at $mock"; exit 1; }
command -v kcat >/dev/null || { echo "FAIL: kcat is not installed (scripts/install-deps.sh installs it)"; exit 1; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*"
  for f in out err; do [ -f "$tmp/$f" ] && { echo "--- mock $f:"; cat "$tmp/$f"; }; done
  exit 1
}
# Wait (at most ~10 s) until the mock has written N stdout lines.
wait_lines() {
  for _ in $(seq 100); do
    [ "$(wc -l <"$tmp/out")" -ge "$1" ] && return 0
    kill -0 "$pid" 2>/dev/null || fail "seg-kafka-mock exited early"
    sleep 0.1
  done
  fail "timed out waiting for stdout line $1"
}
# Send one command and check its answer line.
send() { # COMMAND LINE_NO EXPECTED_PREFIX
  echo "$1" >&3
  wait_lines "$2"
  got=$(sed -n "$2p" "$tmp/out")
  [[ $got == "$3"* ]] || fail "'$1' answered '$got', expected '$3...'"
}

# Bad arguments: one error line, exit 2.
for bad in "--brokers 0" "--topic nopartitions" "--topic t:0" "--frobnicate"; do
  rc=0
  # shellcheck disable=SC2086
  "$mock" $bad >/dev/null 2>"$tmp/bad.err" </dev/null || rc=$?
  [ "$rc" -eq 2 ] || fail "'$bad' exited $rc, expected 2"
  grep -q '^seg-kafka-mock: error: ' "$tmp/bad.err" || fail "'$bad' printed no error line"
done

# The mock reading a FIFO: the open of the read end (in the background job) and of our
# write end (fd 3) wait for each other.
mkfifo "$tmp/ctl"
: >"$tmp/out"
"$mock" --brokers 3 --topic smoke:4 <"$tmp/ctl" >"$tmp/out" 2>"$tmp/err" &
pid=$!
exec 3>"$tmp/ctl"
wait_lines 1
bootstrap=$(head -n 1 "$tmp/out")
[[ $bootstrap =~ ^127\.0\.0\.1:[0-9]+(,127\.0\.0\.1:[0-9]+){2}$ ]] || fail "bootstrap line '$bootstrap'"

timeout 20 kcat -L -b "$bootstrap" -t smoke -m 5 | grep -q 'topic "smoke" with 4 partitions' ||
  fail "topic smoke does not have 4 partitions"
for i in $(seq 1 20); do echo "key$i:value$i"; done >"$tmp/sent"
timeout 20 kcat -P -b "$bootstrap" -t smoke -K: -m 5 <"$tmp/sent" || fail "kcat -P exited $?"
timeout 20 kcat -C -b "$bootstrap" -t smoke -e -o beginning -q -K: -m 5 >"$tmp/got" ||
  fail "kcat -C exited $?"
[ "$(wc -l <"$tmp/got")" -eq 20 ] || fail "consumed $(wc -l <"$tmp/got") messages, expected 20"
diff <(sort "$tmp/sent") <(sort "$tmp/got") >/dev/null || fail "consumed messages differ from produced"

send "down 1" 2 ok
send "up 1" 3 ok
send "error Produce NOT_COORDINATOR 2" 4 ok
send "clear Produce" 5 ok
send "down 99" 6 "error: "
send "frobnicate" 7 "error: unknown command"
send "topic second:2" 8 ok

# EOF on stdin: the mock keeps running until a signal.
exec 3>&-
sleep 0.3
kill -0 "$pid" 2>/dev/null || fail "seg-kafka-mock stopped at EOF on stdin"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGTERM, expected 0"

# Started with stdin at /dev/null (how tests run it in the background): still serves.
: >"$tmp/out"
"$mock" --brokers 1 --topic solo:1 </dev/null >"$tmp/out" 2>"$tmp/err" &
pid=$!
wait_lines 1
sleep 0.3
kill -0 "$pid" 2>/dev/null || fail "seg-kafka-mock stopped with stdin at /dev/null"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGTERM (stdin /dev/null), expected 0"
echo "ok: seg-kafka-mock smoke test passed"
