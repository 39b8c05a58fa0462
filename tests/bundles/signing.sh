#!/usr/bin/env bash
# Signed bundles (RUNTIME.md §5, docs/bundles.md "Signed bundles"), through the real `seg`:
#  - `seg keygen` writes PREFIX.key (mode 0600) and PREFIX.pub and will not overwrite them;
#    `seg build --sign` signs, `seg inspect` shows the signer's key id (human and JSON);
#  - `seg run --trusted-keys FILE` (several keys) runs a bundle signed by any of them, with
#    the ops of an unchecked run; it refuses, exit 3 with a clear message and nothing run,
#    an unsigned bundle, one signed by another key, one with a byte flipped (digest
#    recomputed, or not), one with another signed bundle's manifest, one whose signature
#    was stripped, and .seg sources; a bad trusted-keys file is a usage error (exit 2);
#  - on a hot swap (--watch and SIGHUP) every one of those is refused too: the running
#    bundle stays and the run goes on with the old rules (its ops equal a run of the old
#    bundle alone); a good signed bundle swaps in; a key added to the trusted-keys file
#    counts from the next swap (rotation).
#
#   tests/bundles/signing.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; [ -f live.err ] && tail -5 live.err; exit 1; }
segb() { python3 "$root/tests/bundles/segb.py" "$@"; }
# wait_status DIR KEY VALUE: until DIR/status.json says so (20 s at most)
wait_status() {
  local j
  for j in $(seq 1 2000); do
    grep -Eq "\"$2\":(\"$3\"|$3[,}])" "$1/status.json" 2>/dev/null && return 0
    sleep 0.01
  done
  fail "timed out waiting for $2 = $3 in $1/status.json: $(cat "$1/status.json" 2>/dev/null)"
}
# wait_refusals N: until live.err tells of N refused swaps (20 s at most)
wait_refusals() {
  local j
  for j in $(seq 1 2000); do
    [ "$(grep -c "the new rules were refused" live.err)" -ge "$1" ] && return 0
    sleep 0.01
  done
  fail "timed out waiting for refused swap $1"
}
# refused EXPECTED_CODE MESSAGE_PATTERN COMMAND…: the command fails with that code and
# message, and writes no ops
refused() {
  local want=$1 pattern=$2 code=0
  shift 2
  rm -rf refused_out
  "$@" --out refused_out -q 2>refused.err && code=0 || code=$?
  [ "$code" = "$want" ] || fail "exit $code, not $want, from: $* ($(cat refused.err))"
  grep -Eq "$pattern" refused.err || fail "no message /$pattern/ from: $*: $(cat refused.err)"
  [ ! -e refused_out ] || fail "a refused run wrote output: $*"
}

# ---- keys ----
"$seg" keygen -o ops >keygen.out || fail "keygen"
[ "$(stat -c %a ops.key)" = 600 ] || fail "ops.key has mode $(stat -c %a ops.key), not 600"
grep -q "BEGIN PRIVATE KEY" ops.key || fail "ops.key is not a PKCS#8 PEM key"
grep -q "BEGIN PUBLIC KEY" ops.pub || fail "ops.pub is not a PEM public key"
ops_id=$(sed -n 's/.*key id \([0-9a-f]\{16\}\)$/\1/p' keygen.out)
[ -n "$ops_id" ] || fail "keygen printed no key id: $(cat keygen.out)"
# The key id is the first 16 hex digits of the SHA-256 of the raw 32-byte public key.
raw_id=$(openssl pkey -pubin -in ops.pub -outform DER | tail -c 32 | sha256sum | cut -c1-16)
[ "$ops_id" = "$raw_id" ] || fail "key id $ops_id is not the SHA-256 prefix of the raw key ($raw_id)"
code=0; "$seg" keygen -o ops >/dev/null 2>keygen.err || code=$?
[ "$code" = 3 ] && grep -q "exists already" keygen.err || fail "keygen replaced a key pair (exit $code)"
for k in next other spare; do "$seg" keygen -o $k >/dev/null || fail "keygen $k"; done
{ echo "# the ops team's keys; the second one for the next rotation"; cat ops.pub; echo; cat spare.pub; } >trusted.pem

# ---- bundles: A and B (other thresholds), signed and not ----
mkdir a
cp "$root"/examples/retention/{schema,segments,tiers,destinations}.seg a/
cp -r a b
sed -i 's/when ltv >= \$500 or/when ltv >= $300 or/' b/segments.seg
"$seg" build a -o A.segb --sign ops.key >build.out || fail "build --sign"
grep -q "signed by key id $ops_id" build.out || fail "build did not say who signed: $(cat build.out)"
"$seg" build b -o B.segb --sign ops.key --no-object >/dev/null || fail "build B --sign"
"$seg" build a -o U.segb >/dev/null || fail "build unsigned"
"$seg" build a -o O.segb --sign other.key --no-object >/dev/null || fail "build --sign other"
"$seg" build a -o N.segb --sign next.key --no-object >/dev/null || fail "build --sign next"
segb flip A.segb F_ir.segb 2 100                  # a byte of the IR, digest recomputed
segb flip A.segb F_obj.segb 4 3000                # a byte of the object code
segb flip A.segb F_sig.segb 5 40                  # a byte of the signature itself
segb flip A.segb F_raw.segb 1 5 --keep-digest     # a byte of the manifest, digest left
segb swap-manifest B.segb A.segb S.segb           # B's manifest over A's contents
segb unsign A.segb X.segb                         # the signature section stripped
code=0; "$seg" build a -o Z.segb --sign ops.pub 2>build.err || code=$?
[ "$code" = 2 ] && grep -q "is a public key" build.err || fail "build --sign with a public key: exit $code"
[ ! -e Z.segb ] || fail "a bundle was written with a bad key"

# ---- inspect ----
"$seg" inspect A.segb >inspect.out
grep -q "^signature key id $ops_id (Ed25519): matches the bundle's bytes" inspect.out || fail "inspect: $(cat inspect.out)"
"$seg" inspect U.segb | grep -q "^signature none (unsigned)" || fail "inspect of an unsigned bundle"
"$seg" inspect F_ir.segb | grep -q "DOES NOT MATCH" || fail "inspect of a tampered bundle"
python3 - "$seg" "$ops_id" <<'PY' || fail "inspect --format json"
import json, subprocess, sys
seg, ops_id = sys.argv[1], sys.argv[2]
def j(path):
    return json.loads(subprocess.run([seg, "inspect", path, "--format", "json"], check=True,
                                     capture_output=True, text=True).stdout)
assert j("A.segb")["signature"] == {"algorithm": "ed25519", "key_id": ops_id, "matches": True}, j("A.segb")
assert j("U.segb")["signature"] is None
assert j("S.segb")["signature"]["matches"] is False
PY
"$seg" inspect A.segb --trusted-keys trusted.pem | grep -q "matches, key trusted by trusted.pem" || fail "inspect --trusted-keys"
code=0; "$seg" inspect O.segb --trusted-keys trusted.pem >/dev/null 2>inspect.err || code=$?
[ "$code" = 3 ] && grep -q "not in trusted keys" inspect.err || fail "inspect --trusted-keys of another key's bundle: exit $code"

# ---- at start ----
python3 "$root/examples/retention/generate_stream.py" --seed 5 --profiles 800 --events 8000 >all.ndjson 2>/dev/null
python3 "$root/tests/bundles/held.py" split all.ndjson 4000 p1.ndjson p2.ndjson
"$seg" run U.segb --input all.ndjson --out ref -q || fail "unchecked run"
"$seg" run A.segb --input all.ndjson --out plain -q || fail "a signed bundle without --trusted-keys"
"$seg" run A.segb --input all.ndjson --out trusted --trusted-keys trusted.pem -q 2>trusted.err || fail "trusted run: $(cat trusted.err)"
grep -q "signed by trusted key id $ops_id" trusted.err || fail "no note of the trusted signer"
for f in ref/*.ndjson; do
  cmp -s "$f" "trusted/$(basename "$f")" || fail "trusted run: $(basename "$f") differs from the unchecked run"
done
cat next.pub ops.pub >rotated.pem
"$seg" run N.segb --input all.ndjson --out rotated --trusted-keys rotated.pem -q 2>/dev/null ||
  fail "a bundle signed by the second key of the file"

run_checked() { "$seg" run "$1" --input all.ndjson --trusted-keys trusted.pem "${@:2}"; }
refused 3 "refused: U.segb: the bundle is not signed, and --trusted-keys trusted.pem accepts only" run_checked U.segb
refused 3 "refused: O.segb: the bundle is signed by key id [0-9a-f]{16}, which is not in trusted keys trusted.pem \(key ids $ops_id, " run_checked O.segb
refused 3 "refused: F_ir.segb: the bundle's signature does not match its contents \(key id $ops_id\)" run_checked F_ir.segb
refused 3 "refused: F_obj.segb: the bundle's signature does not match" run_checked F_obj.segb
refused 3 "refused: F_sig.segb: the bundle's signature does not match" run_checked F_sig.segb
refused 3 "refused: S.segb: the bundle's signature does not match" run_checked S.segb
refused 3 "refused: X.segb: the bundle is not signed" run_checked X.segb
refused 3 "F_raw.segb: bundle digest mismatch" run_checked F_raw.segb
refused 3 "refused: a: rule sources are not signed, and --trusted-keys trusted.pem runs only signed bundles" run_checked a
refused 2 "cannot read trusted keys missing.pem" "$seg" run A.segb --input all.ndjson --trusted-keys missing.pem
refused 2 "trusted keys ops.key: block 1 \(line 1\) is a private key" "$seg" run A.segb --input all.ndjson --trusted-keys ops.key
echo "no key here" >empty.pem
refused 2 "trusted keys empty.pem: it holds no public key" "$seg" run A.segb --input all.ndjson --trusted-keys empty.pem

# ---- hot swap with --watch: every bad bundle refused, the run goes on with A ----
cp A.segb cur.segb
cp p1.ndjson in.ndjson
"$seg" run cur.segb --follow --wall-clock 2026-01-01T00:00:00Z --max-future off --watch --poll-ms 5 --input in.ndjson --out live --trusted-keys trusted.pem -q 2>live.err &
pid=$!
a_rev=$("$seg" inspect A.segb --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])')
wait_status live lines "$(wc -l <p1.ndjson)"
n=0
for bad in U O F_ir F_obj F_sig S X F_raw; do
  cp $bad.segb next.segb && mv next.segb cur.segb
  n=$((n + 1))
  wait_refusals $n
  kill -0 $pid || fail "refusing $bad.segb stopped the run"
done
grep -q "refused: cur.segb: the bundle is not signed" live.err || fail "watch: unsigned not refused clearly"
grep -q "refused: cur.segb: the bundle is signed by key id .*, which is not in trusted keys" live.err || fail "watch: other key"
[ "$(grep -c "refused: cur.segb: the bundle's signature does not match its contents" live.err)" = 4 ] ||
  fail "watch: not 4 signature mismatches"
grep -q "cur.segb: bundle digest mismatch" live.err || fail "watch: digest mismatch"
[ "$(grep -c "the new rules were refused (exit 3); still running bundle $a_rev" live.err)" = 8 ] ||
  fail "watch: the refusals do not say A keeps running"
cat p2.ndjson >>in.ndjson
wait_status live lines "$(wc -l <all.ndjson)"
wait_status live bundle "$a_rev"
wait_status live rule_changes 0
kill -TERM $pid
wait $pid || fail "the watch run did not end cleanly"
pid=
for f in ref/*.ndjson; do
  n=$(basename "$f")
  [ "$n" = rejected.ndjson ] && continue
  cmp -s "$f" "live/$n" || fail "after refused swaps, $n is not what A alone writes"
done

# ---- hot swap on SIGHUP: refused, then a good signed bundle, then rotation ----
cp A.segb cur.segb
cp ops.pub keys.pem
"$seg" run cur.segb --follow --wall-clock 2026-01-01T00:00:00Z --max-future off --poll-ms 5 --input p1.ndjson --out hup --trusted-keys keys.pem -q 2>live.err &
pid=$!
wait_status hup lines "$(wc -l <p1.ndjson)"
cp S.segb cur.segb && kill -HUP $pid
wait_refusals 1
grep -q "refused: cur.segb: the bundle's signature does not match" live.err || fail "SIGHUP: swapped manifest not refused"
cp N.segb cur.segb && kill -HUP $pid
wait_refusals 2
grep -q "refused: cur.segb: the bundle is signed by key id .*, which is not in trusted keys keys.pem" live.err ||
  fail "SIGHUP: the next key was trusted before it was added"
wait_status hup rule_changes 0
kill -0 $pid || fail "refused swaps stopped the run"
cp B.segb cur.segb && kill -HUP $pid
wait_status hup rule_changes 1
cat next.pub >>keys.pem   # rotation: the file is read again at the next swap
cp N.segb cur.segb && kill -HUP $pid
wait_status hup rule_changes 2
[ "$(grep -c "the new rules were refused" live.err)" = 2 ] || fail "SIGHUP: a good swap was refused"
kill -TERM $pid
wait $pid || fail "the SIGHUP run did not end cleanly"
pid=
echo "signing: ok (key id $ops_id)"
