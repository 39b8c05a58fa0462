#!/usr/bin/env bash
# Hot swap in a long-running `seg run --follow` (issue 5):
#  - a bundle swapped in on SIGHUP between two parts of a tailed file gives the same ops,
#    byte for byte, and the same final checkpoint as stopping and resuming with the new
#    bundle: nothing lost, nothing twice;
#  - --watch swaps when the bundle path is renamed over; a corrupt bundle is refused and
#    the running rules stay;
#  - 100 swaps back and forth: every remove matches what the destination holds, the end
#    holds what the first rules alone give, and resident memory does not grow;
#  - stdin ends the run at its end; SIGTERM ends a tail cleanly.
# The follow runs pin the wall clock before the stream (--wall-clock, --max-future off):
# live time (issue 16) would otherwise move time to today while waiting.
#
#   tests/bundles/hot_swap.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; [ -f live.err ] && tail -5 live.err; exit 1; }
held() { python3 "$root/tests/bundles/held.py" "$@"; }
# wait_status DIR KEY VALUE: until DIR/status.json says so (20 s at most)
wait_status() {
  local j
  for j in $(seq 1 2000); do
    grep -Eq "\"$2\":(\"$3\"|$3[,}])" "$1/status.json" 2>/dev/null && return 0
    sleep 0.01
  done
  fail "timed out waiting for $2 = $3 in $1/status.json: $(cat "$1/status.json" 2>/dev/null)"
}

# A: the example; B: other thresholds, a renamed Meta audience, vip no longer in the
# warehouse (every aggregate carried both ways).
mkdir a
cp "$root"/examples/retention/{schema,segments,tiers,destinations}.seg a/
cp -r a b
sed -i 's/when ltv >= \$500 or/when ltv >= $300 or/' b/segments.seg
sed -i 's/"ADS_WINBACK_v1_2026-03"/"ADS_WINBACK_v2_2026-04"/; s/replenishment_window, lapsed_90, vip$/replenishment_window, lapsed_90/' b/destinations.seg
"$seg" build a -o A.segb >/dev/null
"$seg" build b -o B.segb >/dev/null
python3 "$root/examples/retention/generate_stream.py" --seed 12 --profiles 1500 --events 20000 >all.ndjson 2>/dev/null
held split all.ndjson 10000 p1.ndjson p2.ndjson

# Reference: A over part 1, then B resuming over part 2.
"$seg" run A.segb --input p1.ndjson --out ref1 -q
"$seg" run B.segb --input p2.ndjson --resume ref1/checkpoint.segstate --out ref2 -q 2>/dev/null

# Live: A tails a file holding part 1; SIGHUP with B in place; part 2 appended; SIGTERM.
cp A.segb cur.segb
cp p1.ndjson in.ndjson
"$seg" run cur.segb --follow --wall-clock 2026-01-01T00:00:00Z --max-future off --poll-ms 5 --input in.ndjson --out live -q 2>live.err &
pid=$!
wait_status live lines "$(wc -l <p1.ndjson)"
cp B.segb next.segb && mv next.segb cur.segb
kill -HUP $pid
wait_status live rule_changes 1
cat p2.ndjson >>in.ndjson
wait_status live lines "$(($(wc -l <p1.ndjson) + $(wc -l <p2.ndjson)))"
kill -TERM $pid
wait $pid || fail "the follow run did not end cleanly"
pid=
for f in ref1/*.ndjson; do
  n=$(basename "$f")
  [ "$n" = rejected.ndjson ] && continue
  cat "ref1/$n" "ref2/$n" | cmp -s - "live/$n" || fail "$n: the swap lost or repeated ops"
done
cmp -s ref2/checkpoint.segstate live/checkpoint.segstate || fail "final checkpoint differs"
grep -q "rules changed (bundle .* -> .*) after input line $(wc -l <p1.ndjson)" live.err || fail "no swap note"

# --watch: a rename over the path swaps; a corrupt bundle is refused, the rules stay.
cp A.segb cur.segb
"$seg" run cur.segb --follow --wall-clock 2026-01-01T00:00:00Z --max-future off --watch --poll-ms 5 --input p1.ndjson --out watch -q 2>live.err &
pid=$!
wait_status watch rule_changes 0
cp B.segb next.segb && mv next.segb cur.segb
wait_status watch rule_changes 1
head -c 1000 A.segb >next.segb && mv next.segb cur.segb
for j in $(seq 1 500); do grep -q "new rules were refused" live.err && break; sleep 0.01; done
grep -q "new rules were refused" live.err || fail "a corrupt bundle was not refused"
kill -0 $pid || fail "a corrupt bundle stopped the run"
b_rev=$("$seg" inspect B.segb --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')
wait_status watch bundle "$b_rev"
kill -TERM $pid
wait $pid || fail "the watch run did not end cleanly"
pid=

# 100 swaps back and forth over a smaller state.
head -n 4000 p1.ndjson >small.ndjson
cp A.segb cur.segb
"$seg" run cur.segb --follow --wall-clock 2026-01-01T00:00:00Z --max-future off --poll-ms 2 --input small.ndjson --out many -q 2>live.err &
pid=$!
wait_status many rule_changes 0
for i in $(seq 1 100); do
  if [ $((i % 2)) = 1 ]; then cp B.segb next.segb; else cp A.segb next.segb; fi
  mv next.segb cur.segb
  kill -HUP $pid
  wait_status many rule_changes $i
  [ $i = 10 ] && rss10=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
done
rss100=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
kill -TERM $pid
wait $pid || fail "the run with 100 swaps did not end cleanly"
pid=
echo "resident memory after 10 swaps ${rss10} kB, after 100 ${rss100} kB"
[ $((rss100 - rss10)) -lt 4096 ] || fail "memory grew by $((rss100 - rss10)) kB over 90 swaps"
"$seg" run A.segb --input small.ndjson --out small_ref -q
held same many small_ref || fail "after 100 swaps the destinations do not hold what A gives"

# stdin: its end is the end of the run.
cat p1.ndjson | timeout 60 "$seg" run A.segb --follow --wall-clock 2026-01-01T00:00:00Z --max-future off --input - --out piped -q || fail "stdin follow run"
for f in ref1/*.ndjson; do cmp -s "$f" "piped/$(basename "$f")" || fail "stdin: $(basename "$f") differs"; done
echo "hot swap: ok"
