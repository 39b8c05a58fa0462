#!/usr/bin/env bash
# Issue 19, rough edge 9: `seg run --follow` reports its rate over the time it worked,
# not over the time it waited for input. 3000 lines are applied in a fraction of a
# second, then the run waits ~2 s on a quiet file before SIGTERM: the summary line says
# `lines in T s (busy B s: R lines/s)` with B well under T and R = lines / B.
#
#   tests/production/follow_rate.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$tmp"
python3 "$root/examples/retention/generate_stream.py" --seed 9 --profiles 300 --events 3000 >in.ndjson 2>/dev/null
"$seg" run "$root/examples/retention" --input in.ndjson --out out --follow --poll-ms 20 --max-future off >stdout.txt 2>err.txt &
pid=$!
for _ in $(seq 1 200); do
  [ "$(python3 -c 'import json; print(json.load(open("out/status.json"))["lines"])' 2>/dev/null)" = 3000 ] && break
  sleep 0.05
done
sleep 2
kill -TERM $pid
wait $pid || fail "SIGTERM: exit $?"
pid=
line=$(head -1 stdout.txt)
python3 - "$line" <<'PY' || fail "the summary line: $line"
import re, sys
m = re.match(r"seg run: (\d+) lines in ([\d.]+) s \(busy ([\d.]+) s: (\d+) lines/s\)", sys.argv[1])
assert m, "no busy time in the summary line"
lines, total, busy, rate = int(m[1]), float(m[2]), float(m[3]), int(m[4])
assert lines == 3000, lines
assert total >= 2.0 and busy < total - 1.5, (total, busy)
# the busy time is printed to 10 ms: the rate must be lines over it, within that rounding
assert lines / (busy + 0.006) - 1 <= rate <= lines / max(busy - 0.006, 1e-3) + 1, (rate, lines, busy)
print("3000 lines, busy %.2f s of %.2f s: %d lines/s" % (busy, total, rate))
PY
