#!/usr/bin/env bash
# `seg diff OLD NEW --input F` (issue 5): identical rules change nothing; a widened window
# makes cart abandoners enter; counts agree with what `seg run` reports for each rule set
# (members at the end: before + enter - leave = after), for sources and for a bundle.
#
#   tests/bundles/diff.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; exit 1; }
python3 "$root/examples/retention/generate_stream.py" --seed 9 --profiles 1500 --events 15000 >s.ndjson 2>/dev/null
mkdir new
cp "$root"/examples/retention/*.seg new/
sed -i 's/when added_to_cart within 24h/when added_to_cart within 48h/' new/segments.seg
grep -q "within 48h" new/segments.seg || fail "the example changed: update this test"
until=2026-03-05T00:00:00Z

"$seg" diff "$root/examples/retention" "$root/examples/retention" --input s.ndjson --until $until | tail -1 |
  grep -qx "0 of 16 audiences change" || fail "identical rules reported a change"
"$seg" build "$root/examples/retention" -o old.segb >/dev/null
"$seg" diff old.segb new --input s.ndjson --until $until --format json >d.json
"$seg" run "$root/examples/retention" --input s.ndjson --until $until --out old -q
"$seg" run new --input s.ndjson --until $until --out new_out -q
python3 - <<'PY'
import json
d = json.load(open("d.json"))
old = json.load(open("old/summary.json"))["audiences"]
new = json.load(open("new_out/summary.json"))["audiences"]
rows = {r["audience"]: r for r in d["audiences"]}
assert set(rows) == set(old) == set(new), "audience names"
for name, r in rows.items():
    assert r["before"] == old[name]["members"], (name, r, old[name])
    assert r["after"] == new[name]["members"], (name, r, new[name])
    assert r["after"] == r["before"] + r["enter"] - r["leave"], (name, r)
    assert len(r["enter_examples"]) == min(3, r["enter"]) and len(r["leave_examples"]) == min(3, r["leave"])
ca = rows["cart_abandoners"]
assert ca["status"] == "changed" and ca["enter"] > 0 and ca["leave"] == 0, ca
print("seg diff: counts agree with seg run for", len(rows), "audiences; cart_abandoners +%d" % ca["enter"])
PY
