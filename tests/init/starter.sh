#!/usr/bin/env bash
# `seg init DIR` (issue 19): the starter passes check, lint --strict, test and
# fmt --check as created, and its CI recipe (ci/seg-ci.sh) runs green; a non-empty DIR
# is refused with exit 2 unless --force, which replaces only the starter's own files;
# with SEG_BASELINE the recipe fails on a meaning change (SEG112) until the name is bumped;
# a DIR that is a file is exit 2.
#
#   tests/init/starter.sh SEG
set -u
seg=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$seg" init "$tmp/new/audiences" >"$tmp/init.out" || fail "seg init exit $?"
grep -q "wrote 8 files" "$tmp/init.out" || fail "summary: $(cat "$tmp/init.out")"
cd "$tmp/new/audiences" || exit 1
for f in README.md .seg-lint.json rules/schema.seg rules/segments.seg rules/destinations.seg rules/tests.seg \
         ci/seg-ci.sh .github/workflows/seg.yml; do
  [ -s "$f" ] || fail "missing $f"
done
[ -x ci/seg-ci.sh ] || fail "ci/seg-ci.sh is not executable"
"$seg" check rules/ >/dev/null 2>&1 || fail "seg check: $("$seg" check rules/ 2>&1)"
out=$("$seg" lint --strict rules/ 2>&1) || fail "seg lint --strict: $out"
grep -q "ok: no lint findings" <<<"$out" || fail "lint: $out"
out=$("$seg" test rules/ 2>&1) || fail "seg test: $out"
grep -q " 0 failed" <<<"$out" || fail "test: $out"
"$seg" fmt --check rules/ >/dev/null 2>&1 || fail "seg fmt --check: $("$seg" fmt --check rules/ 2>&1)"
SEG=$seg SEG_OUT="$tmp/reports" SEG_LINT_STRICT=1 bash ci/seg-ci.sh rules >"$tmp/ci.out" 2>&1 ||
  fail "ci/seg-ci.sh: $(cat "$tmp/ci.out")"
grep -q "all 4 steps passed" "$tmp/ci.out" || fail "ci: $(cat "$tmp/ci.out")"
[ -s "$tmp/reports/rules.segb" ] || fail "no bundle from the CI recipe"

# A change of meaning against the deployed bundle: the recipe's lint step fails (SEG112,
# strict) until the downstream name is bumped.
cp "$tmp/reports/rules.segb" "$tmp/deployed.segb"
sed -i 's/cart_value >= \$50/cart_value >= $40/' rules/segments.seg
sed -i 's/at 2026-01-06T11:00:00Z event ben added_to_cart { cart_value: 60 }/at 2026-01-06T11:00:00Z event ben added_to_cart { cart_value: 45 }/' rules/tests.seg
grep -q '>= \$40' rules/segments.seg || fail "the starter changed: update this test"
SEG=$seg SEG_OUT="$tmp/r2" SEG_LINT_STRICT=1 SEG_BASELINE="$tmp/deployed.segb" bash ci/seg-ci.sh rules >"$tmp/ci2.out" 2>&1
[ $? = 1 ] || fail "a meaning change under the same name passed CI: $(cat "$tmp/ci2.out")"
grep -q "error\[SEG112\]" "$tmp/ci2.out" || fail "no SEG112 in the CI log: $(cat "$tmp/ci2.out")"
sed -i 's/ADS_CART_ABANDON_v1_2026-01/ADS_CART_ABANDON_v2_2026-01/; s/WH_SEGMENTS_v1_2026-01/WH_SEGMENTS_v2_2026-01/' rules/destinations.seg
SEG=$seg SEG_OUT="$tmp/r3" SEG_LINT_STRICT=1 SEG_BASELINE="$tmp/deployed.segb" bash ci/seg-ci.sh rules >"$tmp/ci3.out" 2>&1 ||
  fail "CI fails after the names were bumped: $(cat "$tmp/ci3.out")"

# Not empty: refused, nothing written.
mkdir "$tmp/busy" && echo "mine" >"$tmp/busy/notes.txt"
"$seg" init "$tmp/busy" >/dev/null 2>"$tmp/err"
[ $? = 2 ] || fail "a non-empty folder is not exit 2"
grep -q "error: $tmp/busy is not empty" "$tmp/err" || fail "message: $(cat "$tmp/err")"
[ "$(ls -A "$tmp/busy")" = notes.txt ] || fail "something was written into the refused folder"
# --force: written, the starter's own files replaced, others kept.
mkdir -p "$tmp/busy/rules" && echo "old" >"$tmp/busy/rules/tests.seg"
"$seg" init --force "$tmp/busy" >"$tmp/force.out" || fail "--force exit $?"
grep -q "rules/tests.seg  (replaced)" "$tmp/force.out" || fail "--force does not list the replaced file"
[ "$(cat "$tmp/busy/notes.txt")" = mine ] || fail "--force touched another file"
"$seg" test "$tmp/busy/rules" >/dev/null 2>&1 || fail "the starter written with --force does not test"
# A file, not a folder.
: >"$tmp/file"
"$seg" init "$tmp/file" >/dev/null 2>&1
[ $? = 2 ] || fail "a file as DIR is not exit 2"
echo "seg init: the starter checks, lints (strict), tests, is formatted and its CI recipe passes"
