#!/usr/bin/env bash
# `seg diff` reports destination changes (issue 18): on the retention example with only
# destination clauses changed (Meta's winback audience renamed, both Meta destinations
# matched on phone only, the warehouse's fields and holdout changed, on exit keep on the
# analytics destination, tiktok_browse dropped, a webhook added), the audience table says
# nothing changes, every changed destination is listed, and the ops `seg diff` predicts
# for each are exactly the rule_change ops a deployment makes: `seg run NEW --resume` over
# the old rules' checkpoint.
#
#   tests/bundles/diff_destinations.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; exit 1; }
mkdir v1
cp "$root"/examples/retention/{schema,segments,tiers,destinations}.seg v1/
cp -r v1 v2
python3 - v2/destinations.seg <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
def edit(old, new):
    global s
    assert old in s, old
    s = s.replace(old, new)
edit('"ADS_WINBACK_v1_2026-03"', '"ADS_WINBACK_v2_2026-04"')
edit('  name     "ADS_CART_ABANDON_HIGH_AOV_v1_2026-03"\n  match    email, phone, id', '  name     "ADS_CART_ABANDON_HIGH_AOV_v1_2026-03"\n  match    phone')
edit('  name     "ADS_WINBACK_v2_2026-04"\n  match    email, phone', '  name     "ADS_WINBACK_v2_2026-04"\n  match    phone')
edit('  name     "WH_RETENTION_SEGMENTS_v1_2026-03"\n  match    id, email\n  fields   ltv, orders, last_order_date, country\n  include  holdout',
     '  name     "WH_RETENTION_SEGMENTS_v1_2026-03"\n  match    id, email\n  fields   ltv, orders, country, subscribed')
edit('  fields   orders, country, subscribed\n  include  holdout', '  fields   orders, country, subscribed\n  include  holdout\n  on exit  keep')
s = re.sub(r'destination tiktok_browse \{.*?\n\}\n', '', s, flags=re.S)
s += '\ndestination vip_hook {\n  type     webhook\n  audience vip\n}\n'
open(p, 'w').write(s)
PY
python3 "$root/examples/retention/generate_stream.py" --seed 5 --profiles 1200 --events 12000 >s.ndjson 2>/dev/null
: >none.ndjson

"$seg" diff v1 v2 --input s.ndjson --format json >d.json
"$seg" diff v1 v2 --input s.ndjson >d.txt
"$seg" diff v1 v2 >static.txt
"$seg" run v1 --input s.ndjson --out r1 -q
"$seg" run v2 --input none.ndjson --resume r1/checkpoint.segstate --out change -q 2>/dev/null
python3 - <<'PY'
import collections, glob, json, os
d = json.load(open("d.json"))
assert all(r["status"] == "unchanged" for r in d["audiences"]), "only destinations changed"
dests = {r["destination"]: r for r in d["destinations"]}
clauses = {n: sorted(c["clause"] for c in r["changes"]) for n, r in dests.items()}
expect = {
    "meta_winback": ["match", "name"],
    "meta_abandon_high_aov": ["match"],
    "warehouse_segments": ["fields", "include holdout"],
    "analytics_lifecycle": ["on exit"],
    "tiktok_browse": ["removed"],
    "vip_hook": ["added"],
}
assert clauses == expect, clauses
for r in d["destinations"]:
    for c in r["changes"]:
        assert c["effect"], (r["destination"], c)
# What a deployment sends: the rule_change ops of `seg run NEW --resume`.
actual = collections.defaultdict(lambda: collections.defaultdict(lambda: {"add": 0, "remove": 0, "update": 0}))
for f in glob.glob("change/*.ndjson"):
    for line in open(f):
        op = json.loads(line)
        assert op["reason"] == "rule_change", op
        actual[op["destination"]][op["audience"]][op["op"]] += 1
for name in set(actual) | set(dests):
    if name not in dests:
        raise AssertionError(f"{name} got ops but is not reported: {dict(actual[name])}")
    got = {k: v for k, v in dests[name].get("ops", {}).items()}
    want = {k: dict(v) for k, v in actual[name].items()}
    assert got == want, (name, got, want)
w = dests["meta_winback"]["ops"]
assert w["ADS_WINBACK_v1_2026-03"]["remove"] > 0 and w["ADS_WINBACK_v2_2026-04"]["add"] > 0, w
hi = dests["meta_abandon_high_aov"]["ops"]["ADS_CART_ABANDON_HIGH_AOV_v1_2026-03"]
assert hi["remove"] > 0 and hi["add"] > 0 and hi["update"] == 0, hi
summary = json.load(open("change/summary.json"))
change = summary["rule_changes"][0]
assert dests["tiktok_browse"]["left_held"] == change["left_in_dropped_destinations"], (dests["tiktok_browse"], change)
print("seg diff: %d destination changes; predicted ops equal the deployment's (%d ops)" %
      (len(dests), sum(sum(c.values()) for a in actual.values() for c in a.values())))
PY
grep -qx "0 of 16 audiences change" d.txt || fail "audience table: $(cat d.txt)"
grep -qx "6 of 9 destinations change" d.txt || fail "human summary: $(tail -3 d.txt)"
grep -q "next run: a new downstream audience: every member is added to ADS_WINBACK_v2_2026-04 and removed from ADS_WINBACK_v1_2026-03" d.txt ||
  fail "name change sentence"
head -1 static.txt | grep -q "audiences: not compared" || fail "without --input: $(head -1 static.txt)"
grep -qx "6 of 9 destinations change" static.txt || fail "without --input: $(tail -1 static.txt)"
