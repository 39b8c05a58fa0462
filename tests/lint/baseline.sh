#!/usr/bin/env bash
# `seg lint --baseline` (SEG112, issue 18) against a real deployed bundle: every
# tests/lint/cases/SEG112_*.seg case gives the same findings against
# `seg build baseline/deployed.seg` as against the sources; the human output names the
# destination's `name` and suggests the bumped version; a segment with a default holdout
# salt renamed is a change (its draw moves); a baseline that cannot be read is exit 2.
#
#   tests/lint/baseline.sh SEG REPO_ROOT
set -u
seg=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cases=$root/tests/lint/cases
cd "$cases" || exit 1
"$seg" build baseline/deployed.seg -o "$tmp/deployed.segb" >/dev/null || fail "seg build of the baseline"

findings() {  # CASE BASELINE -> "CODE LINE:COL" lines, sorted
  "$seg" lint "$1" --baseline "$2" --format json |
    python3 -c 'import json,sys; [print(d["code"], "%d:%d" % (d["line"], d["column"])) for d in json.load(sys.stdin)["diagnostics"]]' |
    sort
}
n=0
for c in SEG112_*.seg; do
  a=$(findings "$c" baseline/deployed.seg) || fail "$c against sources"
  b=$(findings "$c" "$tmp/deployed.segb") || fail "$c against the bundle"
  [ "$a" = "$b" ] || fail "$c: sources give [$a], the bundle gives [$b]"
  want=$(sed -n 's/^# expect: \(SEG112\) at \([0-9:]*\)$/\1 \2/p' "$c" | sort)
  [ "$b" = "$want" ] || fail "$c: got [$b], expected [$want]"
  n=$((n + 1))
done
[ $n -ge 6 ] || fail "only $n SEG112 cases"

# Human output: at the name, with the next version as help; warnings do not fail without --strict.
out=$("$seg" lint --color never SEG112_fires.seg --baseline "$tmp/deployed.segb" 2>&1)
status=$?
[ $status = 0 ] || fail "exit $status without --strict"
grep -q 'warning\[SEG112\]: the audience of `meta_cart_abandoners` changed meaning since the deployed rules: `cart_abandoners` (condition)' <<<"$out" || fail "message: $out"
grep -q 'help: bump the version in the name, e.g. `ADS_CART_ABANDON_v2_2026-03`' <<<"$out" || fail "help: $out"
"$seg" lint --strict SEG112_fires.seg --baseline "$tmp/deployed.segb" >/dev/null 2>&1
[ $? = 1 ] || fail "--strict does not fail on SEG112"

# A rename is internal only when the holdout salt is written out: with the default salt
# (the segment's name) the draw moves, and so does who the platform gets.
sed 's/ salt "abandoners-2026-03"//' baseline/deployed.seg >"$tmp/default_salt.seg"
sed 's/ salt "abandoners-2026-03"//' SEG112_clean_rename.seg >"$tmp/renamed.seg"
"$seg" build "$tmp/default_salt.seg" -o "$tmp/default_salt.segb" >/dev/null || fail "build default_salt"
out=$("$seg" lint --color never "$tmp/renamed.seg" --baseline "$tmp/default_salt.segb" 2>&1)
grep -q '`abandoned_carts` (holdout)' <<<"$out" || fail "a rename with the default salt is not reported: $out"

# Baselines that cannot be used: exit 2, nothing linted.
"$seg" lint SEG112_fires.seg --baseline "$tmp/missing.segb" >/dev/null 2>&1
[ $? = 2 ] || fail "a missing baseline is not exit 2"
printf 'not a bundle' >"$tmp/bad.segb"
out=$("$seg" lint SEG112_fires.seg --baseline "$tmp/bad.segb" 2>&1)
[ $? = 2 ] || fail "a corrupt baseline is not exit 2"
grep -q -- "--baseline $tmp/bad.segb: cannot be read as the deployed rules" <<<"$out" || fail "corrupt baseline message: $out"
echo "seg lint --baseline: $n cases agree between sources and bundle; default salt rename reported; bad baselines exit 2"
