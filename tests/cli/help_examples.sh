#!/usr/bin/env bash
# `seg VERB --help` (issue 19, item 6): every verb, and every verb under a verb (`seg bench
# run`, `seg state inspect`), shows exactly one `example: seg VERB …` line in its
# description; the verbs that run rules say their files may be a `.segb` bundle, and the
# verbs over sources only (check, lint, fmt, parse, build) do not.
#
#   tests/cli/help_examples.sh SEG
set -u
seg=$1
failed=0
fail() { echo "FAIL: $*"; failed=1; }

# The verbs, as `seg` lists them for an unknown one.
verbs=$("$seg" no-such-verb 2>&1 | sed -n 's/^the commands are: //p')
[ -n "$verbs" ] || { echo "FAIL: no list of commands after an unknown verb"; exit 1; }

checked=0
check_help() {  # VERB [SUBVERB]
  local help status top subs s n
  help=$("$seg" "$@" --help 2>&1)
  status=$?
  [ $status = 0 ] || { fail "seg $* --help exited $status"; return; }
  checked=$((checked + 1))
  # The verb's own description is what comes before the `Usage:` line (the list of
  # sub-verbs below it repeats theirs).
  top=$(sed '/^Usage:/,$d' <<<"$help")
  n=$(grep -c "^ *example: seg $* " <<<"$top")
  [ "$n" = 1 ] || fail "seg $* --help: $n \`example: seg $* …\` lines in its description, expected 1"
  subs=$(sed -n '/^Subcommands:/,/^$/p' <<<"$help" | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
  for s in $subs; do check_help "$@" "$s"; done
}
for v in $verbs; do check_help "$v"; done

bundle_text="or one .segb bundle built by \`seg build\`"
for v in run test explain ir serve "bench run" "bench jit"; do
  # shellcheck disable=SC2086
  "$seg" $v --help 2>&1 | grep -qF "$bundle_text" || fail "seg $v --help does not say its rules may be a bundle"
done
for v in check lint fmt parse build; do
  help=$("$seg" "$v" --help 2>&1)
  grep -qF "searched for *.seg" <<<"$help" || fail "seg $v --help does not describe its files"
  grep -qF "$bundle_text" <<<"$help" && fail "seg $v --help offers a bundle it does not take"
done

[ $failed = 0 ] || exit 1
echo "help: $checked verbs and sub-verbs show one example each"
