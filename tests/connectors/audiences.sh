#!/usr/bin/env bash
# Ad platform audience life cycles (RUNTIME.md §4, issue 18) through `seg run --config`,
# against local fakes of Meta, Google Ads and TikTok (fake_platform.py) that check every
# request's shape, answer with the platforms' own bodies and rate-limit on schedule:
#  - the first run creates the audience by its downstream name and adds; a second run
#    finds it (by the state file, or by name on the platform) and creates nothing;
#  - a rule change that bumps the downstream name creates a new audience, and the old
#    one gets the removes;
#  - Google uploads go through offline user data jobs (create, addOperations in chunks,
#    run, poll); a FAILED job and a 400 end in failed-<destination>.ndjson, exit 3;
#  - rate limits are ridden out; size reads (read_audience_size) answer the fake's numbers.
#
#   tests/connectors/audiences.sh SEG SIZE_PROBE REPO_ROOT
set -eu
seg=$1 probe=$2 root=$3
here=$root/tests/connectors
tmp=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; exit 1; }
export SEG_TEST_TOKEN=tok-123 SEG_TEST_DEV_TOKEN=dev-456

# start_fake NAME PLATFORM ARGS...: the port in $port, the state in NAME.state.json
start_fake() {
  local name=$1 platform=$2
  shift 2
  rm -f "$name.port"
  python3 "$here/fake_platform.py" --platform "$platform" --port-file "$name.port" --state "$name.state.json" \
    --token "$SEG_TEST_TOKEN" --developer-token "$SEG_TEST_DEV_TOKEN" "$@" &
  server=$!
  for _ in $(seq 1 200); do [ -s "$name.port" ] && break; sleep 0.02; done
  port=$(cat "$name.port")
}
stop_fake() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }
# deploy FILE DEST CONNECTOR EXTRA_JSON
deploy() {
  cat >"$1" <<JSON
{"destinations": {"$2": {"connector": "$3", "token_env": "SEG_TEST_TOKEN", "max_batch": 25 $4}},
 "defaults": {"timeout_ms": 2000, "flush_interval_ms": 600000, "retry": {"max_attempts": 8, "base_ms": 5, "max_ms": 50}}}
JSON
}
hold() { python3 "$here/holdings.py" "$@"; }
run_code() { local c=0; "$@" || c=$?; echo $c; }

python3 "$root/examples/retention/generate_stream.py" --seed 21 --profiles 300 --events 4000 >in.ndjson 2>/dev/null
"$seg" run "$root/examples/retention" --input in.ndjson --out ref -q
: >none.ndjson

# 1. Meta: created once, found again (by the state file, then by name with paging), rate limits ridden out.
start_fake meta meta --account 77 --rate-limit-every 5 --seed OTHER_A --seed OTHER_B --seed OTHER_C
deploy meta.json meta_winback meta_audience ", \"base_url\": \"http://127.0.0.1:$port/v19.0\", \"ad_account_id\": \"act_77\""
"$seg" run "$root/examples/retention" --input in.ndjson --out m1 --config meta.json -q || fail "meta run 1"
hold meta meta.state.json ref/meta_winback.ndjson --creates 1 --min-rate-limited 1 || fail "meta run 1 holdings"
grep -q '"name":"ADS_WINBACK_v1_2026-03","id":"1004","created":true' m1/audiences-meta_winback.ndjson ||
  fail "the state file lacks the created audience: $(cat m1/audiences-meta_winback.ndjson)"
lists=$(python3 -c 'import json; print(json.load(open("meta.state.json"))["requests"]["GET customaudiences"])')
"$seg" run "$root/examples/retention" --input in.ndjson --out m1 --config meta.json -q || fail "meta run 2"
python3 -c 'import json,sys; s = json.load(open("meta.state.json")); sys.exit(s["requests"]["GET customaudiences"] != int(sys.argv[1]))' \
  "$lists" || fail "run 2 listed audiences although the state file names the audience"
"$seg" run "$root/examples/retention" --input in.ndjson --out m3 --config meta.json -q || fail "meta run 3"
hold meta meta.state.json ref/meta_winback.ndjson --creates 1 || fail "meta run 3 (found by name, not created again)"
grep -q '"created":false' m3/audiences-meta_winback.ndjson || fail "run 3 did not record the audience it found"

# Size reads: the fake's approximate bounds, through its rate limit; an unknown name is an error.
out=$("$probe" meta.json meta_winback ADS_WINBACK_v1_2026-03 m1) || fail "meta size: $out"
python3 - "$out" <<'PY' || fail "meta size $out"
import json, sys
got = json.loads(sys.argv[1]); s = json.load(open("meta.state.json"))
assert [got["lower"], got["upper"]] == s["sizes"]["1004"] and got["ok"], (got, s["sizes"])
PY
out=$("$probe" meta.json meta_winback NO_SUCH_AUDIENCE m1) && fail "a size for an unknown audience: $out"
echo "$out" | grep -q 'no audience named \\"NO_SUCH_AUDIENCE\\"' || fail "unknown audience: $out"

# An audience deleted on the platform since the state file named it: the upload fails,
# the name is looked up again, the audience created anew, and the batch sent there.
stop_fake
start_fake meta meta --account 77 --seed OTHER_A --seed OTHER_B
sed -i "s/127.0.0.1:[0-9]*/127.0.0.1:$port/" meta.json
"$seg" run "$root/examples/retention" --input in.ndjson --out m1 --config meta.json -q || fail "meta after a deletion"
hold meta meta.state.json ref/meta_winback.ndjson --creates 1 || fail "meta after a deletion: holdings"
tail -n 1 m1/audiences-meta_winback.ndjson | grep -q '"id":"1003","created":true' ||
  fail "the re-created audience is not in the state file: $(cat m1/audiences-meta_winback.ndjson)"

# 2. A rule change that bumps the downstream name: a new audience, removes in the old one.
mkdir v1 && cp "$root"/examples/retention/{schema,segments,tiers,destinations}.seg v1/ && cp -r v1 v2
sed -i 's/"ADS_WINBACK_v1_2026-03"/"ADS_WINBACK_v2_2026-04"/' v2/destinations.seg
head -n 2000 in.ndjson >p1.ndjson
"$seg" run v1 --input p1.ndjson --out rc_ref1 -q
"$seg" run v2 --input none.ndjson --resume rc_ref1/checkpoint.segstate --out rc_ref2 -q 2>/dev/null
stop_fake
start_fake rc meta --account 77 --rate-limit-every 4
deploy rc.json meta_winback meta_audience ", \"base_url\": \"http://127.0.0.1:$port/v19.0\", \"ad_account_id\": \"77\""
"$seg" run v1 --input p1.ndjson --out rc --config rc.json -q || fail "rule change: v1 run"
"$seg" run v2 --input none.ndjson --resume rc/checkpoint.segstate --out rc --config rc.json -q 2>/dev/null ||
  fail "rule change: v2 run"
stop_fake
hold meta rc.state.json rc_ref1/meta_winback.ndjson rc_ref2/meta_winback.ndjson --creates 2 ||
  fail "rule change holdings"
python3 - <<'PY' || fail "rule change: the old audience is not emptied into the new one"
import json
s = json.load(open("rc.state.json"))
by = {a["name"]: a for a in s["audiences"].values()}
assert by["ADS_WINBACK_v1_2026-03"]["members"] == [] and by["ADS_WINBACK_v2_2026-04"]["members"], by.keys()
removes = sum(1 for l in open("rc_ref2/meta_winback.ndjson") if '"op":"remove"' in l)
assert removes > 0, "the change removed nobody"
PY
[ "$(wc -l <rc/audiences-meta_winback.ndjson)" = 2 ] || fail "state: $(cat rc/audiences-meta_winback.ndjson)"

# 3. Meta 400: given up at once into failed-<destination>.ndjson, exit 3.
start_fake m400 meta --account 77 --reject-upload 2
deploy m400.json meta_winback meta_audience ", \"base_url\": \"http://127.0.0.1:$port/v19.0\", \"ad_account_id\": \"77\""
[ "$(run_code "$seg" run "$root/examples/retention" --input in.ndjson --out m400 --config m400.json -q 2>/dev/null)" = 3 ] ||
  fail "a 400 did not exit 3"
stop_fake
python3 - <<'PY' || fail "meta 400 failed file"
import json
f = [json.loads(l) for l in open("m400/failed-meta_winback.ndjson")]
assert f and any(x["status"] == 400 and "Invalid parameter" in x["response"] for x in f), f[:2]
assert json.load(open("m400.state.json"))["rejected"] == 1
PY

# 4. Google Customer Match: user list created once, jobs run to SUCCESS, operations in chunks.
start_fake g google --account 1234567890 --rate-limit-every 7 --job-polls 2
deploy g.json google_replenish google_customer_match ", \"base_url\": \"http://127.0.0.1:$port/v17\",
  \"customer_id\": \"123-456-7890\", \"developer_token_env\": \"SEG_TEST_DEV_TOKEN\", \"max_batch\": 60,
  \"max_request_identifiers\": 40, \"job_poll_ms\": 5"
"$seg" run "$root/examples/retention" --input in.ndjson --out g1 --config g.json -q || fail "google run 1"
"$seg" run "$root/examples/retention" --input in.ndjson --out g2 --config g.json -q || fail "google run 2"
hold google g.state.json ref/google_replenish.ndjson --creates 1 --min-rate-limited 1 || fail "google holdings"
python3 - <<'PY' || fail "google jobs"
import json
s = json.load(open("g.state.json"))
assert s["jobs"] and set(s["jobs"].values()) == {"SUCCESS"}, s["jobs"]
assert s["requests"]["POST addOperations"] > s["requests"]["POST run"] >= len(s["jobs"]), s["requests"]
PY
out=$("$probe" g.json google_replenish ADS_REPLENISH_v1_2026-03 g1) || fail "google size: $out"
python3 - "$out" <<'PY' || fail "google size $out"
import json, sys
got = json.loads(sys.argv[1]); s = json.load(open("g.state.json"))
n = len(next(a for a in s["audiences"].values() if a["name"] == "ADS_REPLENISH_v1_2026-03")["members"])
want = [0, 500] if n < 500 else [500, 1000] if n < 1000 else [1000, 10000]
assert got["ok"] and [got["lower"], got["upper"]] == want, (got, n)
PY
stop_fake
# A FAILED job: its ops are given up on, exit 3.
start_fake gf google --account 1234567890 --fail-job 2 --job-polls 1
sed "s/127.0.0.1:[0-9]*/127.0.0.1:$port/; s/\"max_batch\": 60/\"max_batch\": 15/" g.json >gf.json
[ "$(run_code "$seg" run "$root/examples/retention" --input in.ndjson --out gf --config gf.json -q 2>/dev/null)" = 3 ] ||
  fail "a FAILED job did not exit 3"
stop_fake
grep -q 'offlineUserDataJobs/2 FAILED' gf/failed-google_replenish.ndjson || fail "the FAILED job is not in the failed file"
python3 - <<'PY' || fail "the FAILED job's ops"
import json
s = json.load(open("gf.state.json"))
assert len(s["jobs"]) >= 2 and s["jobs"]["customers/1234567890/offlineUserDataJobs/2"] == "FAILED", s["jobs"]
failed = [json.loads(l) for l in open("gf/failed-google_replenish.ndjson")]
assert failed and all(f["status"] == 0 for f in failed), failed[:1]
PY

# A 400 (INVALID_ARGUMENT in addOperations): given up at once, exit 3.
start_fake g400 google --account 1234567890 --reject-upload 1
sed "s/127.0.0.1:[0-9]*/127.0.0.1:$port/" g.json >g400.json
[ "$(run_code "$seg" run "$root/examples/retention" --input in.ndjson --out g400 --config g400.json -q 2>/dev/null)" = 3 ] ||
  fail "a Google 400 did not exit 3"
stop_fake
python3 - <<'PY' || fail "google 400 failed file"
import json
f = [json.loads(l) for l in open("g400/failed-google_replenish.ndjson")]
assert f and f[0]["status"] == 400 and "INVALID_ARGUMENT" in f[0]["response"], f[:1]
s = json.load(open("g400.state.json"))
assert s["rejected"] == 1 and set(s["jobs"].values()) == {"PENDING"}, s["jobs"]  # never run
PY

# 5. TikTok: created with segment/audience/, found again by name, rate limits (code 40100) ridden out.
start_fake t tiktok --account 42 --rate-limit-every 6 --seed OTHER_A --seed OTHER_B
deploy t.json tiktok_browse tiktok_audience ", \"base_url\": \"http://127.0.0.1:$port/open_api/v1.3\", \"advertiser_id\": \"42\""
"$seg" run "$root/examples/retention" --input in.ndjson --out t1 --config t.json -q || fail "tiktok run 1"
"$seg" run "$root/examples/retention" --input in.ndjson --out t2 --config t.json -q || fail "tiktok run 2"
hold tiktok t.state.json ref/tiktok_browse.ndjson --creates 1 --min-rate-limited 1 || fail "tiktok holdings"
out=$("$probe" t.json tiktok_browse ADS_BROWSE_INTENT_v1_2026-03 t2) || fail "tiktok size: $out"
python3 - "$out" <<'PY' || fail "tiktok size $out"
import json, sys
got = json.loads(sys.argv[1]); s = json.load(open("t.state.json"))
n = len(next(a for a in s["audiences"].values() if a["name"] == "ADS_BROWSE_INTENT_v1_2026-03")["members"])
assert got["ok"] and got["lower"] == got["upper"] == n, (got, n)
PY
stop_fake
# A TikTok error code (HTTP 200, code 40002) is a give-up too.
start_fake t400 tiktok --account 42 --reject-upload 1
sed "s/127.0.0.1:[0-9]*/127.0.0.1:$port/" t.json >t400.json
[ "$(run_code "$seg" run "$root/examples/retention" --input in.ndjson --out t400 --config t400.json -q 2>/dev/null)" = 3 ] ||
  fail "a TikTok error code did not exit 3"
stop_fake
grep -q 'TikTok code 40002' t400/failed-tiktok_browse.ndjson || fail "the TikTok error is not in the failed file"

# 6. The webhook's size_url, and a connector that cannot read sizes.
start_fake w webhook --rate-limit-every 3
cat >w.json <<JSON
{"destinations": {"meta_winback": {"connector": "webhook", "url": "http://127.0.0.1:$port/ops",
   "size_url": "http://127.0.0.1:$port/size", "retry": {"max_attempts": 8, "base_ms": 5, "max_ms": 50}},
  "warehouse_segments": {"connector": "file"}}}
JSON
"$seg" run "$root/examples/retention" --input in.ndjson --out w --config w.json -q || fail "webhook run"
out=$("$probe" w.json meta_winback ADS_WINBACK_v1_2026-03 w) || fail "webhook size: $out"
stop_fake
python3 - "$out" <<'PY' || fail "webhook size $out"
import json, sys
sys.path.insert(0, sys.argv[0] and ".")
got = json.loads(sys.argv[1])
held = set()
for l in open("ref/meta_winback.ndjson"):
    op = json.loads(l); k = json.dumps(op["keys"], sort_keys=True)
    held.add(k) if op["op"] == "add" else held.discard(k)
assert got["ok"] and got["lower"] == got["upper"] == len(held), (got, len(held))
PY
out=$("$probe" w.json warehouse_segments WH_RETENTION_SEGMENTS_v1_2026-03 w) && fail "a file size: $out"
echo "$out" | grep -q '"supported":false' || fail "file connector size: $out"

# 7. Config errors name the key.
echo '{"destinations": {"meta_winback": {"connector": "meta_audience", "base_url": "http://x"}}}' >bad.json
[ "$(run_code "$seg" run "$root/examples/retention" --input none.ndjson --out bad --config bad.json -q 2>bad.err)" = 2 ] &&
  grep -q 'destinations.meta_winback: the meta_audience connector needs "ad_account_id"' bad.err || fail "bad meta: $(cat bad.err)"
echo '{"destinations": {"google_replenish": {"connector": "google_customer_match", "base_url": "http://x", "customer_id": "1"}}}' >bad.json
[ "$(run_code "$seg" run "$root/examples/retention" --input none.ndjson --out bad --config bad.json -q 2>bad.err)" = 2 ] &&
  grep -q 'needs "developer_token_env"' bad.err || fail "bad google: $(cat bad.err)"
echo "audiences: ok"
