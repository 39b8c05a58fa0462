#!/usr/bin/env bash
# examples/ci/seg-ci.sh on a copy of examples/retention, with this build's seg: every
# step passes, the SARIF log validates, the JUnit report parses, the bundle inspects;
# then a lint finding fails the lint step with --strict, and a coverage minimum above
# what the tests reach fails the test step.
#
#   tests/lint/ci_recipe.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; exit 1; }
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3  # the Debian interpreter has python3-jsonschema
mkdir rules
cp "$root"/examples/retention/*.seg rules/
SEG=$seg SEG_OUT=reports SEG_MIN_COVERAGE=90 bash "$root/examples/ci/seg-ci.sh" rules >log.txt 2>&1 || {
  cat log.txt
  fail "the recipe failed on the example"
}
"$py" "$root/tests/lint/validate_sarif.py" reports/seg-lint.sarif || fail "SARIF log"
"$py" -c 'import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); assert r.find(".//testcase") is not None' \
  reports/seg-test.xml || fail "JUnit report"
"$seg" inspect reports/rules.segb >/dev/null || fail "bundle"

# A destination name off the convention: a warning, so only --strict fails.
sed -i 's/"ADS_WINBACK_v1_2026-03"/"winback"/' rules/destinations.seg
SEG=$seg SEG_OUT=r2 SEG_MIN_COVERAGE=90 bash "$root/examples/ci/seg-ci.sh" rules >log2.txt 2>&1 || fail "a warning failed the build"
set +e
SEG=$seg SEG_OUT=r3 SEG_MIN_COVERAGE=90 SEG_LINT_STRICT=1 bash "$root/examples/ci/seg-ci.sh" rules >log3.txt 2>&1
status=$?
set -e
[ $status = 1 ] || fail "--strict lint did not fail the build (exit $status)"
grep -q "SEG102" r3/seg-lint.sarif || fail "the SARIF log does not carry the finding"
sed -i 's/"winback"/"ADS_WINBACK_v1_2026-03"/' rules/destinations.seg
set +e
SEG=$seg SEG_OUT=r4 SEG_MIN_COVERAGE=100 bash "$root/examples/ci/seg-ci.sh" rules >log4.txt 2>&1
status=$?
set -e
[ $status = 1 ] || fail "coverage below the minimum did not fail the build (exit $status)"
echo "ci recipe: ok"
