#!/usr/bin/env bash
# Resume: one run over a generated stream versus the same stream split in two runs, the
# second resuming from the first's checkpoint. The ops files must be byte-identical
# (each destination's second-run file appended to its first-run file).
#
#   tests/e2e/resume.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
rules=$root/examples/retention
python3 "$root/examples/retention/generate_stream.py" --seed 7 --profiles 2000 --events 20000 \
  --malformed 10 >"$tmp/all.ndjson" 2>/dev/null
# Split at an instant boundary: the first line after the middle whose timestamp is above
# every earlier one (a split inside an instant would evaluate that instant twice).
split=$(python3 - "$tmp/all.ndjson" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")
best = None
for i, line in enumerate(lines):
    try:
        ts = json.loads(line)["timestamp"]
    except Exception:
        continue
    if not isinstance(ts, str) or len(ts) < 19:
        continue
    key = ts[:19]
    if i > len(lines) // 2 and best is not None and key > best:
        print(i)
        break
    best = key if best is None or key > best else best
PY
)
head -n "$split" "$tmp/all.ndjson" >"$tmp/a.ndjson"
tail -n "+$((split + 1))" "$tmp/all.ndjson" >"$tmp/b.ndjson"
"$seg" run "$rules" --input "$tmp/all.ndjson" --out "$tmp/one" -q
"$seg" run "$rules" --input "$tmp/a.ndjson" --out "$tmp/first" -q
"$seg" run "$rules" --input "$tmp/b.ndjson" --out "$tmp/second" -q --resume "$tmp/first/checkpoint.segstate"
status=0 compared=0
# The sidecar says which input line the checkpoint follows.
want=$(wc -l <"$tmp/a.ndjson")
got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["input_lines"])' "$tmp/first/checkpoint.segstate.json")
[ "$got" = "$want" ] || { echo "FAIL: checkpoint sidecar says $got input lines, the input has $want"; status=1; }
# Periodic checkpoints do not change the ops.
"$seg" run "$rules" --input "$tmp/all.ndjson" --out "$tmp/periodic" -q --checkpoint-every 1000
for f in "$tmp/one"/*.ndjson; do
  cmp -s "$f" "$tmp/periodic/$(basename "$f")" || { echo "FAIL: --checkpoint-every changed $(basename "$f")"; status=1; }
done
for f in "$tmp/one"/*.ndjson; do
  name=$(basename "$f")
  [ "$name" = rejected.ndjson ] && continue
  cat "$tmp/first/$name" "$tmp/second/$name" >"$tmp/joined"
  if ! cmp -s "$f" "$tmp/joined"; then
    echo "FAIL: $name differs between one run and two resumed runs"
    diff <(head -c 2000 "$f") <(head -c 2000 "$tmp/joined") | head -20
    status=1
  fi
  compared=$((compared + 1))
done
ops=$(cat "$tmp/one"/*.ndjson | wc -l)
[ "$ops" -gt 1000 ] || { echo "FAIL: only $ops ops: the stream does not exercise the rules"; status=1; }
# The final state is the same too.
cmp -s "$tmp/one/checkpoint.segstate" "$tmp/second/checkpoint.segstate" ||
  { echo "FAIL: final checkpoints differ"; status=1; }
# A checkpoint from other rules, or a damaged one, is refused with exit 3.
head -c 100 "$tmp/first/checkpoint.segstate" >"$tmp/broken.segstate"
set +e
"$seg" run "$rules" --input "$tmp/b.ndjson" --out "$tmp/x" -q --resume "$tmp/broken.segstate" 2>"$tmp/err"
rc=$?
set -e
[ $rc -eq 3 ] && grep -q "truncated or corrupt" "$tmp/err" || { echo "FAIL: truncated checkpoint: exit $rc"; cat "$tmp/err"; status=1; }
echo "split at line $split; $compared destination files compared; $ops ops"
[ $status -eq 0 ] && echo "ok: resumed runs match one run"
exit $status
