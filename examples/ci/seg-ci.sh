#!/usr/bin/env bash
# CI for a repository of seg rules: format, lint, test (with coverage), build.
#
#   seg-ci.sh [RULES]
#
# RULES is the folder (or file) of .seg rules, relative to the repository root so
# that the paths in the reports are repository paths (default: $SEG_RULES, else
# `rules`). Run it from the repository root. The steps run in order and the first
# one that fails stops the script:
#
#   1. format  seg fmt --check RULES                       (the diff is in the log)
#   2. lint    seg lint RULES --format sarif > seg-lint.sarif, then
#              seg lint RULES                               (human text for the log)
#   3. test    seg test RULES --coverage --min-coverage $SEG_MIN_COVERAGE
#                     --format junit > seg-test.xml         (coverage table in the log)
#   4. build   seg build RULES -o rules.segb
#
# Reports are written to $SEG_OUT (default: the current folder): seg-lint.sarif,
# seg-test.xml and the bundle rules.segb. The SARIF log and the JUnit XML are
# written even when their own step fails, so CI can still upload them.
#
# Settings (environment):
#   SEG                the seg binary                      (default: seg on PATH)
#   SEG_RULES          RULES when no argument is given     (default: rules)
#   SEG_MIN_COVERAGE   minimum condition coverage, percent (default: 80)
#   SEG_LINT_STRICT    1: lint warnings fail the build too (default: 0)
#   SEG_OUT            where reports and the bundle go     (default: .)
#   SEG_BUNDLE         the bundle's file name              (default: rules.segb)
#   SEG_BASELINE       the deployed bundle: lint also warns when an ads or warehouse
#                      audience changed meaning under the same name (SEG112)
#                                                          (default: none)
#
# Exit status: 0 when every step passed; otherwise the status of the seg command
# that failed: 1 rule problems (errors, unformatted files, lint findings, failed
# tests, coverage below the minimum), 2 usage error, 3 runtime failure (a file
# that cannot be read or written). 2 also when this script is misused (no seg, no
# RULES).
set -uo pipefail

SEG=${SEG:-seg}
RULES=${1:-${SEG_RULES:-rules}}
MIN_COVERAGE=${SEG_MIN_COVERAGE:-80}
STRICT=${SEG_LINT_STRICT:-0}
OUT=${SEG_OUT:-.}
BUNDLE=${SEG_BUNDLE:-rules.segb}
BASELINE=${SEG_BASELINE:-}
STEPS=4

die() { echo "seg-ci: error: $*" >&2; exit 2; }
[ $# -le 1 ] || die "usage: seg-ci.sh [RULES]"
command -v "$SEG" >/dev/null 2>&1 || die "no seg binary ('$SEG'); install seg or set SEG=/path/to/seg"
[ -e "$RULES" ] || die "rules '$RULES' not found (run from the repository root, or pass RULES)"
case $MIN_COVERAGE in
  ''|*[!0-9.]*) die "SEG_MIN_COVERAGE must be a number of percent, not '$MIN_COVERAGE'" ;;
esac
mkdir -p "$OUT" || die "cannot create the output folder '$OUT'"

[ -z "$BASELINE" ] || [ -f "$BASELINE" ] || die "SEG_BASELINE '$BASELINE' is not a file (the deployed .segb bundle)"

lint_flags=()
[ "$STRICT" = 1 ] && lint_flags+=(--strict)
[ -n "$BASELINE" ] && lint_flags+=(--baseline "$BASELINE")

# In GitHub Actions each step is a collapsible group of the log.
group() { [ "${GITHUB_ACTIONS:-}" = true ] && echo "::group::$*" || echo "== $*"; }
endgroup() { [ "${GITHUB_ACTIONS:-}" = true ] && echo "::endgroup::"; return 0; }

# step N NAME: announce step N.
step() {
  current="$1/$STEPS $2"
  group "seg-ci: step $current"
}
# passed / failed STATUS HINT: close the step; a failure stops the script with STATUS.
passed() { endgroup; echo "seg-ci: step $current: ok"; }
failed() {
  endgroup
  echo "seg-ci: step $current: FAILED (exit $1)" >&2
  [ -n "${2:-}" ] && echo "seg-ci: $2" >&2
  [ "${GITHUB_ACTIONS:-}" = true ] && echo "::error title=seg-ci::step $current failed (exit $1)"
  exit "$1"
}

echo "seg-ci: $("$SEG" --version 2>&1 | head -n 1), rules: $RULES, reports: $OUT"

# 1. Formatting: every file exactly as `seg fmt` writes it.
step 1 format
"$SEG" fmt --check "$RULES"
rc=$?
[ $rc -eq 0 ] || failed $rc "run 'seg fmt --write $RULES' and commit the result"
passed

# 2. Lint: errors and the lint catalogue, as SARIF for code scanning, then as text.
step 2 lint
"$SEG" lint "$RULES" "${lint_flags[@]}" --format sarif >"$OUT/seg-lint.sarif"
rc=$?
# The SARIF run decides only whether lint could run at all; the text run below,
# with the same flags, gives the verdict and the readable log.
[ $rc -le 1 ] || failed $rc "seg lint could not run (see above)"
"$SEG" lint "$RULES" "${lint_flags[@]}"
rc=$?
[ $rc -eq 0 ] || failed $rc "fix the findings above (also in $OUT/seg-lint.sarif)"
passed

# 3. Tests: the `test` blocks, as JUnit XML; too little condition coverage fails.
step 3 test
"$SEG" test "$RULES" --coverage --min-coverage "$MIN_COVERAGE" --format junit >"$OUT/seg-test.xml"
rc=$?
[ $rc -eq 0 ] || failed $rc "failed tests are in $OUT/seg-test.xml; coverage below $MIN_COVERAGE% also fails"
passed

# 4. Build: the production bundle.
step 4 build
"$SEG" build "$RULES" -o "$OUT/$BUNDLE"
rc=$?
[ $rc -eq 0 ] || failed $rc
passed

echo "seg-ci: all $STEPS steps passed; reports: $OUT/seg-lint.sarif $OUT/seg-test.xml, bundle: $OUT/$BUNDLE"
