#!/usr/bin/env bash
# The durable state's figures (`seg run --state DIR`, RocksDB) in one run; the machine is
# shared and noisy, so each ratio is taken within the run, the configurations alternated,
# the median of REPEAT runs:
#  1. rate: `seg run` on the retention example's stream (generate_stream.py --seed 42,
#     PROFILES profiles, LINES lines), in memory (writes OUT/checkpoint.segstate at the
#     end) against `--state` (commits every 4096 records or 100 ms); lines/s from
#     summary.json's lines.read over the wall time; the ops files compared byte for byte;
#  2. size: the state folder right after each `--state` run (`du -sb`, and `disk_bytes`,
#     `record_bytes` from `seg state inspect --format json`) against summary.json's
#     `state.profiles_bytes` (the in-memory records, estimated) and `state.bytes`, and
#     again after a reopen (RocksDB flushes its write-ahead log to a table on recovery);
#  3. restart: a state of BIG profiles (bench/gen_profiles.py BIG: one identify and 1-3
#     events each), then the same `seg run … --state` command again on the fully consumed
#     input (nothing new to read: the whole restart cost), against `seg run --resume
#     OUT/checkpoint.segstate` of an in-memory run of the same input (with an empty input;
#     it also writes a new checkpoint), a run on an empty input with no state (startup),
#     and `seg bench run --parse-only` on the stream.
# Wall times and peak RSS from /usr/bin/time. Everything goes to WORK (default
# /tmp/seg-state-bench), deleted at the end unless KEEP=1. PERF=1 also runs
# `perf record -g` on one `--state` run and on one restart and prints the top of
# `perf report --no-children --sort dso,symbol`.
#
#   bench/state_bench.sh [SEG] [PROFILES] [LINES] [BIG] [REPEAT]
#       (default build/release, 100000 1000000 1000000 3; about 10 minutes on 2 CPUs)
set -euo pipefail
cd "$(dirname "$0")/.."
seg=${1:-} profiles=${2:-100000} lines=${3:-1000000} big=${4:-1000000} repeat=${5:-3}
if [ -z "$seg" ]; then
  cmake --preset release >/dev/null
  cmake --build build/release -j"$(nproc)" --target seg >/dev/null
  seg=build/release/cli/seg
fi
seg=$(realpath "$seg")
rules=$PWD/examples/retention
work=${WORK:-/tmp/seg-state-bench}
rm -rf "$work"
mkdir -p "$work"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) CPU, $(lscpu | sed -n 's/^Model name: *//p' | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "seg: $seg ($(sha256sum "$seg" | cut -c1-16)); $(git log --oneline -1 | cut -c1-60)"

timed() {  # LOG COMMAND…: runs it quietly, appends "wall_s peak_kB" to LOG
  /usr/bin/time -o "$1.t" -f '%e %M' "${@:2}" >/dev/null 2>"$1.err" || { cat "$1.err"; exit 1; }
  cat "$1.t" >>"$1"
}
py() { python3 - "$@"; }

# ---- 1 and 2: rate and size on the retention example's stream -------------------------
stream=$work/stream-$profiles-$lines.ndjson
python3 examples/retention/generate_stream.py --seed 42 --profiles "$profiles" --events "$lines" \
  >"$stream" 2>/dev/null
echo "== retention example, $(wc -l <"$stream") lines, $(stat -c %s "$stream") bytes, $profiles profiles"
for i in $(seq "$repeat"); do
  rm -rf "$work/mem" "$work/dur" "$work/st"
  timed "$work/mem.log" "$seg" run "$rules" --input "$stream" --out "$work/mem" -q
  timed "$work/dur.log" "$seg" run "$rules" --input "$stream" --out "$work/dur" --state "$work/st" -q
  echo "$(du -sb "$work/st" | cut -f1) $(stat -c %s "$work/mem/checkpoint.segstate")" >>"$work/size.log"
  "$seg" state inspect "$work/st" --format json >"$work/inspect-$i.json"
  for f in "$work"/mem/*.ndjson; do
    cmp -s "$f" "$work/dur/$(basename "$f")" || { echo "ops differ: $(basename "$f")"; exit 1; }
  done
done
timed "$work/reopen.log" "$seg" run "$rules" --input "$stream" --out "$work/dur" --state "$work/st" -q
"$seg" state inspect "$work/st" --format json >"$work/inspect-reopen.json"
du -sb "$work/st" | cut -f1 >"$work/size-reopen.log"
py "$work" "$repeat" <<'PY'
import json, statistics as st, sys
w, n = sys.argv[1], int(sys.argv[2])
mem = [tuple(map(float, l.split())) for l in open(f"{w}/mem.log")]
dur = [tuple(map(float, l.split())) for l in open(f"{w}/dur.log")]
size = [tuple(map(int, l.split())) for l in open(f"{w}/size.log")]
s = json.load(open(f"{w}/mem/summary.json"))
read, state = s["lines"]["read"], s["state"]
for i in range(n):
    print(f"  pair {i + 1}: in memory {mem[i][0]:.2f} s ({read / mem[i][0]:,.0f} lines/s, {mem[i][1] / 1024:.0f} MB peak), "
          f"--state {dur[i][0]:.2f} s ({read / dur[i][0]:,.0f} lines/s, {dur[i][1] / 1024:.0f} MB peak): "
          f"{mem[i][0] / dur[i][0]:.2f} of in-memory")
m, d = st.median(x[0] for x in mem), st.median(x[0] for x in dur)
print(f"rate: in memory {read / m:,.0f} lines/s, --state {read / d:,.0f} lines/s (medians of {n}): "
      f"--state/in-memory = {m / d:.2f} (median of pairs {st.median(a[0] / b[0] for a, b in zip(mem, dur)):.2f}); "
      f"ops byte-identical")
print(f"in memory (summary.json state): {s['profiles']} profiles, bytes {state['bytes']:,}, profiles_bytes "
      f"{state['profiles_bytes']:,} ({state['profiles_bytes'] / s['profiles']:.0f} B/profile), strings_bytes "
      f"{state['strings_bytes']:,}; checkpoint.segstate {size[0][1]:,} B")
for i in range(n):
    j = json.load(open(f"{w}/inspect-{i + 1}.json"))
    print(f"  after --state run {i + 1}: du -sb {size[i][0]:,}, disk_bytes {j['disk_bytes']:,} "
          f"= {j['disk_bytes'] / state['profiles_bytes']:.2f}x profiles_bytes, {j['disk_bytes'] / state['bytes']:.2f}x "
          f"state.bytes; record_bytes {j['record_bytes']:,} ({j['bytes_per_profile']} B/profile)")
j = json.load(open(f"{w}/inspect-reopen.json"))
r = open(f"{w}/size-reopen.log").read().split()[0]
t = open(f"{w}/reopen.log").read().split()
print(f"  after a reopen (restart, nothing to read, {float(t[0]):.2f} s): du -sb {int(r):,}, disk_bytes "
      f"{j['disk_bytes']:,} = {j['disk_bytes'] / state['profiles_bytes']:.2f}x profiles_bytes")
PY
ls -l "$work/st" | awk 'NR > 1 {printf "    %s %s\n", $5, $9}'

if [ "${PERF:-0}" = 1 ]; then
  rm -rf "$work/dur" "$work/st"
  perf record -g -o "$work/perf-state.data" "$seg" run "$rules" --input "$stream" --out "$work/dur" \
    --state "$work/st" -q 2>/dev/null
  echo "== perf, seg run --state (retention)"
  perf report -i "$work/perf-state.data" --stdio -g none --no-children --sort dso,symbol >"$work/perf-state.txt" 2>/dev/null
  grep -v '^#' "$work/perf-state.txt" | grep -v '^$' | sed 's/[ -]*$//' | head -40 || true
fi
rm -rf "$work/mem" "$work/dur" "$work/st" "$stream"

# ---- 3: restart of a BIG-profile state -----------------------------------------------
bstream=$work/profiles-$big.ndjson
python3 bench/gen_profiles.py "$big" >"$bstream"
: >"$work/empty.ndjson"
echo "== restart: bench/gen_profiles.py $big, $(wc -l <"$bstream") lines, $(stat -c %s "$bstream") bytes"
timed "$work/bmem.log" "$seg" run "$rules" --input "$bstream" --out "$work/bmem" -q
timed "$work/bdur.log" "$seg" run "$rules" --input "$bstream" --out "$work/bdur" --state "$work/bst" -q
du -sb "$work/bst" | cut -f1 >"$work/bsize.log"
"$seg" state inspect "$work/bst" --format json >"$work/binspect.json"
for i in $(seq "$repeat"); do
  timed "$work/restart.log" "$seg" run "$rules" --input "$bstream" --out "$work/bdur" --state "$work/bst" -q
  rm -rf "$work/res"
  timed "$work/resume.log" "$seg" run "$rules" --input "$work/empty.ndjson" --resume "$work/bmem/checkpoint.segstate" \
    --out "$work/res" -q
  rm -rf "$work/none"
  timed "$work/nostate.log" "$seg" run "$rules" --input "$work/empty.ndjson" --out "$work/none" -q
done
"$seg" state inspect "$work/bst" --format json >"$work/binspect-reopen.json"
du -sb "$work/bst" | cut -f1 >"$work/bsize-reopen.log"
"$seg" bench run "$rules" --input "$bstream" --repeat "$repeat" --parse-only | tee "$work/parse.log" | sed 's/^/  /'
py "$work" <<'PY'
import json, statistics as st, sys
w = sys.argv[1]
def log(name): return [tuple(map(float, l.split())) for l in open(f"{w}/{name}.log")]
s = json.load(open(f"{w}/bmem/summary.json"))
sd = json.load(open(f"{w}/bdur/summary.json"))
read, state = s["lines"]["read"], s["state"]
(bm, km), = log("bmem"); (bd, kd), = log("bdur")
print(f"build: in memory {bm:.1f} s ({read / bm:,.0f} lines/s, {km / 1024:.0f} MB peak), --state {bd:.1f} s "
      f"({read / bd:,.0f} lines/s, {kd / 1024:.0f} MB peak): {bm / bd:.2f} of in-memory; {s['profiles']:,} profiles")
for name, what in [("restart", "restart, same --state command, nothing new to read"),
                   ("resume", "--resume checkpoint.segstate, empty input (also writes a checkpoint)"),
                   ("nostate", "empty input, no state (startup)")]:
    r = log(name)
    print(f"  {what}: median {st.median(x[0] for x in r):.2f} s ({', '.join(f'{x[0]:.2f}' for x in r)}), "
          f"peak {st.median(x[1] for x in r) / 1024:.0f} MB")
j, jr = json.load(open(f"{w}/binspect.json")), json.load(open(f"{w}/binspect-reopen.json"))
du, dur = int(open(f"{w}/bsize.log").read()), int(open(f"{w}/bsize-reopen.log").read())
print(f"size: in memory profiles_bytes {state['profiles_bytes']:,} ({state['profiles_bytes'] / s['profiles']:.0f} B/profile), "
      f"state.bytes {state['bytes']:,}; checkpoint.segstate {__import__('os').path.getsize(w + '/bmem/checkpoint.segstate'):,} B")
print(f"  after the --state run: du -sb {du:,}, disk_bytes {j['disk_bytes']:,} = "
      f"{j['disk_bytes'] / state['profiles_bytes']:.2f}x profiles_bytes; record_bytes {j['record_bytes']:,} "
      f"({j['bytes_per_profile']} B/profile)")
print(f"  after the restarts: du -sb {dur:,}, disk_bytes {jr['disk_bytes']:,} = "
      f"{jr['disk_bytes'] / state['profiles_bytes']:.2f}x profiles_bytes")
PY
if [ "${PERF:-0}" = 1 ]; then
  perf record -g -o "$work/perf-restart.data" "$seg" run "$rules" --input "$bstream" --out "$work/bdur" \
    --state "$work/bst" -q 2>/dev/null
  echo "== perf, restart of the $big-profile state"
  perf report -i "$work/perf-restart.data" --stdio -g none --no-children --sort dso,symbol >"$work/perf-restart.txt" 2>/dev/null
  grep -v '^#' "$work/perf-restart.txt" | grep -v '^$' | sed 's/[ -]*$//' | head -40 || true
fi
