#!/usr/bin/env bash
# The postgres connector of `seg run --config` (issue 18, docs/warehouse.md) against a
# real PostgreSQL 15 started here (initdb + pg_ctl in a temp dir, a private unix socket
# and no TCP port; as an unprivileged user when run as root), stopped by the trap:
#  a. seg_ops holds exactly the ops the file connector writes (same op ids, fields, order);
#  b. seg_members is the membership those ops imply; read_postgres_size counts it, and
#     read_audience_size (seg_size_probe) answers with that count, exact, for drift;
#  c. a rerun of the same input inserts nothing and changes no member; --resume sends nothing;
#  d. a backend terminated mid-transaction and a server restart lose nothing (retried);
#  e. a CHECK constraint rejecting a profile: its batches in failed-<dest>.ndjson, exit 3;
#  f. the DDL and the three attribution queries of docs/warehouse.md, run verbatim over
#     ops with labels fed through the same connector, give the hand-expected rows;
#  and: bad configs are refused (exit 2); no server at all is retried, then exit 3.
#
#   tests/connectors/postgres.sh SEG SEG_PG_TOOL REPO_ROOT SEG_SIZE_PROBE
set -eu
seg=$1 tool=$2 root=$3 probe=$4
here=$root/tests/connectors
doc=$root/docs/warehouse.md
pgbin=/usr/lib/postgresql/15/bin
tmp=$(mktemp -d)
chmod 755 "$tmp"  # the server's user reaches its data dir through it
as=()
if [ "$(id -u)" = 0 ]; then  # initdb refuses root
  user=postgres
  getent passwd postgres >/dev/null || user=nobody
  as=(runuser -u "$user" --)
fi
pg=$tmp/pg
mkdir "$pg"
[ ${#as[@]} = 0 ] || chown "$user" "$pg"
pgctl() { "${as[@]}" "$pgbin/pg_ctl" -D "$pg/data" -l "$pg/server.log" "$@" >/dev/null; }
trap '[ -f "$pg/data/postmaster.pid" ] && pgctl -m immediate stop; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; [ -f "$pg/server.log" ] && tail -20 "$pg/server.log"; exit 1; }
cd "$tmp"

"${as[@]}" "$pgbin/initdb" -D "$pg/data" -A trust -U seg -E UTF8 --locale=C --no-sync >initdb.log 2>&1 ||
  fail "initdb: $(cat initdb.log)"
opts="-c listen_addresses= -c unix_socket_directories=$pg -c fsync=off -c full_page_writes=off"
pgctl -w -o "$opts" start || fail "pg_ctl start"
export WAREHOUSE_DSN="host=$pg user=seg dbname=postgres"
q() { "$pgbin/psql" "$WAREHOUSE_DSN" -XAtq -v ON_ERROR_STOP=1 "$@"; }
doc_sql() { python3 "$here/doc_sql.py" "$doc" "$1"; }

python3 "$root/examples/retention/generate_stream.py" --seed 18 --profiles 300 --events 4000 >in.ndjson 2>/dev/null
rules=$root/examples/retention
"$seg" run "$rules" --input in.ndjson --out ref -q
dests="warehouse_segments analytics_lifecycle"
deploy() {  # deploy FILE SCHEMA MAX_BATCH: both warehouse destinations to postgres
  cat >"$1" <<JSON
{"destinations": {
   "warehouse_segments": {"connector": "postgres", "dsn_env": "WAREHOUSE_DSN", "schema": "$2", "max_batch": $3},
   "analytics_lifecycle": {"connector": "postgres", "dsn_env": "WAREHOUSE_DSN", "schema": "$2", "max_batch": $3}},
 "defaults": {"flush_interval_ms": 50, "timeout_ms": 5000, "retry": {"max_attempts": 40, "base_ms": 20, "max_ms": 300}}}
JSON
}
# dump SCHEMA: seg_ops and seg_members as JSON lines (ops in id order) in SCHEMA.ops / .members
dump() {
  q -o "$1.ops" -c "SELECT json_build_object('op', op, 'destination', destination, 'audience', audience, 'segment', segment,
      'profile', profile, 'ts', (extract(epoch FROM ts) * 1000)::bigint, 'keys', keys, 'fields', fields, 'labels', labels,
      'holdout', holdout, 'reason', reason, 'bundle', bundle, 'op_id', op_id, 'id', id, 'inserted_at', inserted_at)
      FROM $1.seg_ops ORDER BY id"
  q -o "$1.members" -c "SELECT json_build_object('destination', destination, 'segment', segment, 'profile', profile,
      'audience', audience, 'keys', keys, 'fields', fields, 'labels', labels, 'holdout', holdout,
      'since', (extract(epoch FROM since) * 1000)::bigint, 'updated', (extract(epoch FROM updated) * 1000)::bigint)
      FROM $1.seg_members ORDER BY destination, segment, profile"
}
# check_full SCHEMA: seg_ops equals the reference ops; seg_members what they imply
check_full() {
  dump "$1"
  python3 "$here/check_warehouse.py" ref "$1.ops" "$1.members" $dests || fail "$2: the warehouse differs from the file connector"
}

# a, b. Into "public" (created by the connector; two destinations, two senders).
deploy deploy.json public 100
"$seg" run "$rules" --input in.ndjson --out pg --config deploy.json -q || fail "seg run with postgres: exit $?"
check_full public "first run"
grep -q '"postgres \$WAREHOUSE_DSN schema public"' pg/summary.json || fail "the summary does not name the sink"
grep -q "$pg" pg/summary.json && fail "the DSN leaked into summary.json"
python3 - <<'PY' || fail "summary counts"
import json
s = json.load(open("pg/summary.json"))["destinations"]
for d in ("warehouse_segments", "analytics_lifecycle"):
    ops = sum(1 for _ in open("ref/%s.ndjson" % d))
    v = s[d]["delivery"]
    assert ops > 20 and v["queued"] == v["acknowledged"] == ops and v["failed"] == v["netted"] == 0, (d, ops, v)
PY
# The size for drift: rows of seg_members, per destination and per segment.
for d in $dests; do
  want=$(q -c "SELECT count(*) FROM seg_members WHERE destination = '$d'")
  [ "$("$tool" size deploy.json "$d")" = "$want" ] || fail "read_postgres_size $d"
  [ "$want" -gt 0 ] || fail "no members of $d to count"
  # the downstream name does not narrow it: seg_members is per destination
  got=$("$probe" deploy.json "$d" any_name pg) || fail "read_audience_size $d: exit $?"
  [ "$got" = "{\"ok\":true,\"supported\":true,\"lower\":$want,\"upper\":$want,\"error\":\"\"}" ] ||
    fail "read_audience_size $d: $got, want $want"
done
seg1=$(q -c "SELECT segment FROM seg_members WHERE destination = 'warehouse_segments' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
want=$(q -c "SELECT count(*) FROM seg_members WHERE destination = 'warehouse_segments' AND segment = '$seg1'")
[ "$("$tool" size deploy.json warehouse_segments "$seg1")" = "$want" ] || fail "read_postgres_size per segment"
deploy nowhere.json nowhere 100
"$tool" size nowhere.json warehouse_segments 2>size.err && fail "a size from a schema without tables"
grep -q 'nowhere.seg_members does not exist' size.err || fail "size error: $(cat size.err)"
got=$("$probe" nowhere.json warehouse_segments any_name pg) && fail "read_audience_size from a schema without tables"
case $got in *'"ok":false,"supported":true'*'nowhere.seg_members does not exist'*) ;; *) fail "read_audience_size error: $got" ;; esac

# c. A rerun (new out dir, nothing delivered there): every batch commits, nothing changes.
cp public.ops before.ops
cp public.members before.members
"$seg" run "$rules" --input in.ndjson --out pg2 --config deploy.json -q || fail "rerun: exit $?"
dump public
cmp -s before.ops public.ops || fail "a rerun changed seg_ops"
cmp -s before.members public.members || fail "a rerun changed seg_members"
# A resumed run into the first run's out dir sends nothing (its delivered log says all).
"$seg" run "$rules" --input /dev/null --out empty -q
"$seg" run "$rules" --input in.ndjson --out pg --config deploy.json --resume empty/checkpoint.segstate -q || fail "resume"
python3 - <<'PY' || fail "a resumed run sent again"
import json
v = json.load(open("pg/summary.json"))["destinations"]["warehouse_segments"]["delivery"]
assert v["sent"] == 0 and v["skipped_delivered"] == sum(1 for _ in open("ref/warehouse_segments.ndjson")), v
PY

# d. Connection lost mid-run. Tables made first from the doc's DDL, with a trigger
# that makes each insert slow (~2 s of batches); the test terminates the backends in
# the middle of a transaction, then restarts the server.
{ echo "CREATE SCHEMA drop1; SET search_path = drop1;"; doc_sql schema
  echo "CREATE FUNCTION drop1.slow() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN PERFORM pg_sleep(0.01); RETURN NULL; END \$\$;"
  echo "CREATE TRIGGER slow BEFORE INSERT ON drop1.seg_ops FOR EACH STATEMENT EXECUTE FUNCTION drop1.slow();"; } | q
deploy drop.json drop1 25
"$seg" run "$rules" --input in.ndjson --out drop --config drop.json -q &
run=$!
rows() { q -c "SELECT count(*) FROM drop1.seg_ops" 2>/dev/null || echo -1; }
for _ in $(seq 1 200); do [ "$(rows)" -gt 40 ] && break; sleep 0.05; done
killed=$(q -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'seg'")
[ "$killed" -ge 1 ] || fail "no seg backend to terminate"
n=$(rows)
for _ in $(seq 1 200); do [ "$(rows)" -gt $((n + 40)) ] && break; sleep 0.05; done
[ "$(rows)" -gt $((n + 40)) ] || fail "no progress after the backends were terminated"
kill -0 $run 2>/dev/null || fail "seg run ended before the restart (make the trigger slower)"
pgctl -w -m fast -o "$opts" restart || fail "pg_ctl restart"
code=0
wait $run || code=$?
[ $code = 0 ] || fail "seg run across the lost connections: exit $code"
check_full drop1 "after lost connections"
python3 - <<'PY' || fail "retries"
import json
s = json.load(open("drop/summary.json"))["destinations"]
retried = sum(s[d]["delivery"]["retried"] for d in ("warehouse_segments", "analytics_lifecycle"))
assert retried >= 2, s
PY

# e. A data error: a constraint rejects one profile's ops. Its batches go to the failed
# file with the SQLSTATE and the server's message, later ops of those profiles too; the
# rest is delivered; exit 3.
victim=$(python3 -c "import json; print(json.loads(open('ref/warehouse_segments.ndjson').readlines()[-1])['profile'])")
{ echo "CREATE SCHEMA bad; SET search_path = bad;"; doc_sql schema
  echo "ALTER TABLE bad.seg_ops ADD CONSTRAINT no_victim CHECK (destination <> 'warehouse_segments' OR profile <> '$victim');"
} | q
deploy bad.json bad 25
code=0
"$seg" run "$rules" --input in.ndjson --out bad --config bad.json -q || code=$?
[ $code = 3 ] || fail "a rejected batch: exit $code, not 3"
dump bad
python3 - "$victim" <<'PY' || fail "the failed ops"
import json, sys
victim = sys.argv[1]
ref = [json.loads(l) for l in open("ref/warehouse_segments.ndjson")]
failed = [json.loads(l) for l in open("bad/failed-warehouse_segments.ndjson")]
stored = {json.loads(l)["op_id"] for l in open("bad.ops") if json.loads(l)["destination"] == "warehouse_segments"}
lost = [f["op"]["op_id"] for f in failed]
assert failed and any(f["op"]["profile"] == victim for f in failed), "the victim's op is not in the failed file"
# the rejected batches with the SQLSTATE and the server's message; later ops of their profiles not sent
assert any(f.get("code") == "23514" and "no_victim" in f["response"] for f in failed), failed[:2]
assert all(f.get("code") == "23514" or f["response"].startswith("not sent:") for f in failed), failed
assert sorted(lost + list(stored)) == sorted(o["op_id"] for o in ref), "an op is neither stored nor failed, or both"
assert all(o["profile"] != victim for o in map(json.loads, open("bad.ops")) if o["destination"] == "warehouse_segments")
s = json.load(open("bad/summary.json"))["destinations"]["warehouse_segments"]["delivery"]
assert s["failed"] == len(failed) and s["acknowledged"] == len(stored), s
assert not open("bad/failed-analytics_lifecycle.ndjson").read(), "the other destination failed"
PY

# The DDL in the doc makes the same columns as the connector's.
cols() { q -c "SELECT string_agg(table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||
                coalesce(column_default, ''), ', ' ORDER BY table_name, ordinal_position)
               FROM information_schema.columns WHERE table_schema = '$1'"; }
[ "$(cols public)" = "$(cols bad)" ] || fail "docs/warehouse.md's DDL differs from the connector's: $(cols public) / $(cols bad)"

# f. The attribution queries of the doc over a hand-made history with labels.
cat >attr.json <<'JSON'
{"destinations": {"crm_hook": {"connector": "postgres", "dsn_env": "WAREHOUSE_DSN", "schema": "attr", "max_batch": 4}}}
JSON
op() {  # op KIND SEGMENT PROFILE TS REASON HOLDOUT OP_ID FIELDS [LABELS]
  printf '{"op":"%s","destination":"crm_hook","audience":"CRM","segment":"%s","profile":"%s","ts":"%s","keys":{"id":"%s"},"fields":%s%s,"holdout":%s,"reason":"%s","bundle":"b1","op_id":"%s"}\n' \
    "$1" "$2" "$3" "$4" "$3" "$8" "${9:+,\"labels\":$9}" "$6" "$5" "$7"
}
{ op add winback u1 2026-03-01T00:00:00Z enter false 01 '{"ltv":10}' '{"campaign":"spring"}'
  op add winback u2 2026-03-01T00:00:00Z enter true 02 '{}' '{"campaign":"spring"}'
  op add vip u1 2026-03-02T00:00:00Z enter false 03 '{"ltv":10}' '{"campaign":"loyalty"}'
  op update winback u1 2026-03-02T12:00:00Z change false 04 '{"ltv":20}' '{"campaign":"spring"}'
  op remove winback u1 2026-03-03T00:00:00Z exit false 05 '{"ltv":20}' '{"campaign":"spring"}'
  op remove winback u2 2026-03-04T00:00:00Z expire true 06 '{}' '{"campaign":"spring"}'
  op add winback u3 2026-03-05T00:00:00Z enter false 08 '{}'
  op remove winback u3 2026-03-06T00:00:00Z ttl false 09 '{}'
  op add winback u1 2026-03-10T00:00:00Z enter false 07 '{"ltv":25}' '{"campaign":"summer"}'; } >attr.ndjson
"$tool" feed attr.json crm_hook attr <attr.ndjson >feed.out || fail "feed: $(cat feed.out)"
"$tool" feed attr.json crm_hook attr2 <attr.ndjson >/dev/null || fail "feed again"  # a replay: no change
# A replay of an old prefix must not take members back (only inserted ops touch seg_members).
head -3 attr.ndjson | "$tool" feed attr.json crm_hook attr3 >/dev/null || fail "feed a prefix again"
[ "$(q -c "SELECT count(*), count(labels) FROM attr.seg_ops")" = "9|7" ] || fail "labels: $(q -c 'SELECT op_id, labels FROM attr.seg_ops')"
[ "$(q -c "SELECT segment, profile, labels->>'campaign', fields->>'ltv', since, updated FROM attr.seg_members ORDER BY 1, 2")" = \
  "vip|u1|loyalty|10|2026-03-02 00:00:00+00|2026-03-02 00:00:00+00
winback|u1|summer|25|2026-03-10 00:00:00+00|2026-03-10 00:00:00+00" ] || fail "attr members: $(q -c 'TABLE attr.seg_members')"
[ "$("$tool" size attr.json crm_hook)" = 2 ] && [ "$("$tool" size attr.json crm_hook winback)" = 1 ] || fail "attr sizes"
{ echo "SET search_path = attr;"; doc_sql conversions
  echo "INSERT INTO conversions VALUES ('u1', '2026-03-05T00:00:00Z', 30), ('u2', '2026-03-20T00:00:00Z', 50),
          ('u3', '2026-03-06T12:00:00Z', 10), ('u3', '2026-03-05T12:00:00Z', 99);"; } | q
query() { { echo "SET search_path = attr;"; doc_sql "$1"; } | q; }
[ "$(query entries_per_campaign)" = "crm_hook|vip|loyalty|1|1
crm_hook|winback|spring|2|2
crm_hook|winback|summer|1|1
crm_hook|winback||1|1" ] || fail "entries_per_campaign: $(query entries_per_campaign)"
[ "$(query time_in_audience)" = "crm_hook|vip|1|0|
crm_hook|winback|4|3|48.00" ] || fail "time_in_audience: $(query time_in_audience)"
[ "$(query conversions_after_exit)" = "crm_hook|winback|f|2|2|40
crm_hook|winback|t|1|0|0" ] || fail "conversions_after_exit: $(query conversions_after_exit)"

# A postgres connector for an ads destination, or without dsn_env, is refused (exit 2).
echo '{"destinations": {"meta_winback": {"connector": "postgres", "dsn_env": "WAREHOUSE_DSN"}}}' >ads.json
code=0
"$seg" run "$rules" --input in.ndjson --out x --config ads.json -q 2>ads.err || code=$?
[ $code = 2 ] && grep -q 'destinations.meta_winback: the postgres connector cannot send a meta_audience destination' ads.err ||
  fail "postgres for ads: exit $code, $(cat ads.err)"
echo '{"destinations": {"warehouse_segments": {"connector": "postgres", "dsn_env": "SEG_UNSET_DSN"}}}' >unset.json
code=0
"$seg" run "$rules" --input in.ndjson --out x --config unset.json -q 2>unset.err || code=$?
[ $code = 2 ] && grep -q 'unset.json: destinations.warehouse_segments.dsn_env: the environment variable SEG_UNSET_DSN is not set' unset.err ||
  fail "unset dsn_env: exit $code, $(cat unset.err)"
# No server there: retried, then given up with the connection error, exit 3.
echo '{"destinations": {"warehouse_segments": {"connector": "postgres", "dsn_env": "NO_DSN",
  "retry": {"max_attempts": 2, "base_ms": 10, "max_ms": 20}}}}' >down.json
code=0
NO_DSN="host=$tmp/nowhere user=seg dbname=postgres" "$seg" run "$rules" --input in.ndjson --out down --config down.json -q \
  2>/dev/null || code=$?
[ $code = 3 ] && grep -q 'nowhere/.s.PGSQL' down/failed-warehouse_segments.ndjson || fail "no server: exit $code"
python3 -c "
import json; v = json.load(open('down/summary.json'))['destinations']['warehouse_segments']['delivery']
assert v['acknowledged'] == 0 and v['failed'] == v['queued'] > 0 and v['retried'] >= 1, v" || fail "no server: counts"
echo '{"destinations": {"warehouse_segments": {"connector": "postgres", "dsn_env": "WAREHOUSE_DSN", "schema": "a;b"}}}' >schema.json
code=0
"$seg" run "$rules" --input in.ndjson --out x --config schema.json -q 2>schema.err || code=$?
[ $code = 2 ] && grep -q 'schema.json: destinations.warehouse_segments.schema: must be a plain SQL name' schema.err ||
  fail "a bad schema name: exit $code, $(cat schema.err)"
echo "connectors.postgres: ok"
