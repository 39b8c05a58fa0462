#!/usr/bin/env bash
# Rule changes over a state (issue 5, RUNTIME.md §6), through `seg run --resume` with a
# checkpoint written by other rules:
#  - after the change, every destination holds exactly what a run of the new rules over
#    the same input from scratch holds (a downstream rename included: removed from the
#    old name, added under the new), and so does the end of the stream;
#  - every op of the change has reason rule_change, the same for every engine and from a
#    .segb bundle;
#  - what cannot be carried (a new aggregate) is reported on stderr and in summary.json.
#
#   tests/bundles/rule_change.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; exit 1; }
held() { python3 "$root/tests/bundles/held.py" "$@"; }

# v1: the example. v2: a lower vip threshold, a shorter browse window (carried: the old
# state kept more), a new Meta audience name, vip no longer sent to the warehouse.
# v3: v2 plus a segment over a new aggregate, which starts empty.
mkdir v1
cp "$root"/examples/retention/{schema,segments,tiers,destinations}.seg v1/
cp -r v1 v2
sed -i 's/when ltv >= \$500 or/when ltv >= $300 or/; s/count(viewed_product within 3d) >= 2/count(viewed_product within 2d) >= 2/' v2/segments.seg
sed -i 's/"ADS_WINBACK_v1_2026-03"/"ADS_WINBACK_v2_2026-04"/; s/replenishment_window, lapsed_90, vip$/replenishment_window, lapsed_90/' v2/destinations.seg
grep -q 'lapsed_90$' v2/destinations.seg || fail "the v2 edit did not apply"
cp -r v2 v3
printf '\nsegment heavy_browsers = count(viewed_product where category == "shoes" within 7d) >= 3\n' >>v3/segments.seg

python3 "$root/examples/retention/generate_stream.py" --seed 11 --profiles 1500 --events 30000 >all.ndjson 2>/dev/null
held split all.ndjson 15000 p1.ndjson p2.ndjson
: >none.ndjson

"$seg" run v1 --input p1.ndjson --out r1 -q
"$seg" run v2 --input none.ndjson --resume r1/checkpoint.segstate --out change -q 2>change.err
grep -q "rules changed (bundle .* -> .*) after input line 0" change.err || fail "no rule-change note: $(cat change.err)"
grep -q "ADS_WINBACK_v2_2026-04 (was ADS_WINBACK_v1_2026-03)" change.err || fail "no rename note"
grep -q "no longer syncs vip" change.err || fail "no note for the audience the warehouse stopped syncing"
"$seg" run v2 --input p1.ndjson --out scratch -q
held same r1,change scratch || fail "after the change the destinations do not hold what the new rules give"
python3 - <<'PY' || fail "ops of the change"
import glob, json
ops = [json.loads(l) for f in glob.glob("change/*.ndjson") if "rejected" not in f for l in open(f)]
assert ops and all(o["reason"] == "rule_change" for o in ops), "every op of the change is a rule_change"
old = [o for o in ops if o["audience"] == "ADS_WINBACK_v1_2026-03"]
new = [o for o in ops if o["audience"] == "ADS_WINBACK_v2_2026-04"]
assert old and all(o["op"] == "remove" for o in old) and new and all(o["op"] == "add" for o in new)
assert any(o["segment"] == "vip" and o["op"] == "remove" for o in ops)
s = json.load(open("change/summary.json"))
rc = s["rule_changes"][0]
assert rc["ops"] == len(ops) and rc["removed_from_old_audiences"] == len(old) + sum(o["segment"] == "vip" for o in ops), rc
PY

# The rest of the stream: the same holdings as the new rules over all of it.
"$seg" run v2 --input p2.ndjson --resume r1/checkpoint.segstate --out rest -q 2>/dev/null
"$seg" run v2 --input all.ndjson --out whole -q
held same r1,rest whole || fail "after the rest of the stream"

# Every engine, and from bundles, the same bytes.
"$seg" build v2 -o v2.segb >/dev/null
for be in interp jit; do
  "$seg" run v2 --backend $be --input p2.ndjson --resume r1/checkpoint.segstate --out rest_$be -q 2>/dev/null
done
"$seg" run v2.segb --input p2.ndjson --resume r1/checkpoint.segstate --out rest_segb -q 2>/dev/null
for d in rest_interp rest_jit rest_segb; do
  for f in rest/*.ndjson rest/checkpoint.segstate; do
    cmp -s "$f" "$d/$(basename "$f")" || fail "$d: $(basename "$f") differs"
  done
done

# A new aggregate starts empty and is reported per aggregate.
"$seg" run v3 --input none.ndjson --resume r1/checkpoint.segstate --out v3 -q 2>v3.err
grep -q 'aggregate `viewed_product where (.category == "shoes") within 1w` starts empty' v3.err ||
  fail "no note for the new aggregate: $(cat v3.err)"
python3 -c '
import json; n = json.load(open("v3/summary.json"))["rule_changes"][0]["notes"]
assert any("starts empty" in x for x in n), n' || fail "summary.json rule_changes notes"

# Rules back and forth restore what v1 alone holds, when every aggregate was carried
# (v2's shorter browse window would not be: going back, that window grows).
cp -r v2 v4
sed -i 's/within 2d) >= 2/within 3d) >= 2/' v4/segments.seg
"$seg" run v4 --input none.ndjson --resume r1/checkpoint.segstate --out there -q 2>/dev/null
"$seg" run v1 --input none.ndjson --resume there/checkpoint.segstate --out back -q 2>back.err
grep -q "starts empty" back.err && fail "v4 -> v1 should carry every aggregate: $(cat back.err)"
held same r1,there,back r1 || fail "changing back"
echo "rule changes: ok"
