#!/usr/bin/env bash
# Hostile and degenerate inputs for `seg check` and `seg fmt --check`: every case must
# end with the expected exit code and diagnostic, never with a crash (exit >= 128, a
# sanitizer report) or a hang. Inputs are generated in a temporary directory.
#
#   tests/bad_input/run.sh SEG_BINARY        (ctest: label cli;bad_input)
#
# One PASS/FAIL line per command; exits 1 when any case fails.
set -u
seg=${1:?usage: run.sh SEG_BINARY}
seg=$(cd "$(dirname "$seg")" && pwd)/$(basename "$seg")
[ -x "$seg" ] || { echo "FAIL: $seg is not an executable"; exit 1; }
limit=${SEG_BAD_INPUT_TIMEOUT:-60}   # seconds per command

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
failures=0

# expect NAME EXIT PATTERN -- ARGS...
#   Runs `seg ARGS...`; PATTERN (an extended regex, "" for none) must match the combined
#   stdout+stderr. Exit >= 128, a timeout or a sanitizer report is always a failure.
expect() {
  local name=$1 want=$2 pattern=$3
  shift 4
  local out=$tmp/out.txt rc
  timeout "$limit" "$seg" "$@" >"$out" 2>&1
  rc=$?
  local why=""
  if [ "$rc" -eq 124 ]; then
    why="timed out after ${limit}s"
  elif [ "$rc" -ge 128 ]; then
    why="crashed: exit $rc (signal $((rc - 128)))"
  elif grep -Eq 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|stack-overflow|Segmentation fault' "$out"; then
    why="sanitizer report (exit $rc)"
  elif [ "$rc" -ne "$want" ]; then
    why="exit $rc, expected $want"
  elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$out"; then
    why="output lacks /$pattern/"
  fi
  if [ -z "$why" ]; then
    echo "PASS: $name (exit $rc)"
  else
    echo "FAIL: $name: $why"
    echo "      command: seg $*"
    head -n 20 "$out" | cut -c 1-200 | sed 's/^/      | /'
    failures=$((failures + 1))
  fi
}

# both NAME FILE CHECK_EXIT CHECK_PATTERN FMT_EXIT FMT_PATTERN
both() {
  expect "$1: seg check" "$3" "$4" -- check --color never "$2"
  expect "$1: seg fmt --check" "$5" "$6" -- fmt --check --color never "$2"
}

# repeat STRING N: STRING written N times, no separator.
repeat() { local s=$1 n=$2; awk -v s="$s" -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }

schema='profile {
  ltv:        number
  country:    string
  subscribed: bool
}

'

# --- empty and blank files: a rule set with nothing in it is valid -------------------
: >empty.seg
both "empty file" empty.seg 0 "^ok: 1 file" 0 ""

printf '# nothing here yet\n\n// only comments\n' >comments.seg
both "comments only" comments.seg 0 "^ok: 1 file" 0 ""

printf '   \n\t\n\n  # indented comment   \n\n\n   // another\t\n  \n' >blank.seg
both "whitespace and comments" blank.seg 0 "^ok: 1 file" 1 "SEG007"

# --- garbage --------------------------------------------------------------------------
head -c 65536 /dev/urandom >garbage.seg
both "64 KiB of /dev/urandom" garbage.seg 1 "SEG004" 1 "SEG004"

# Printable garbage gets past the UTF-8 check and exercises the parser's recovery.
head -c 400000 /dev/urandom | LC_ALL=C tr -dc 'a-z0-9 {}()=<>!?.,:;"\n#%$@-' | head -c 65536 >ascii_garbage.seg
both "64 KiB of printable garbage" ascii_garbage.seg 1 "SEG001" 1 "SEG001"

# --- one 1 MiB line -------------------------------------------------------------------
# An `and` chain of ~87 000 operands: `and` is n-ary (a flat list, no recursion), so
# this is a valid rule; the formatter breaks the line.
{ printf '%s' "$schema"; printf 'segment a = ltv > 1'; repeat ' and ltv > 1' 87000; printf '\n'; } >long_chain.seg
both "1 MiB line: and-chain" long_chain.seg 0 "^ok: 1 file, 1 segment" 1 "SEG007"

# 36 000 valid segments on one line (1 MiB): whitespace is insignificant, so this checks.
{ printf '%s' "$schema"; awk 'BEGIN { for (i = 1; i <= 36000; i++) printf "segment s%d = ltv > %d ", i, i }'
  printf '\n'; } >long_line.seg
both "1 MiB line: many segments" long_line.seg 0 "^ok: 1 file, 36000 segments" 1 "SEG007"

# One string literal of 1 MiB.
{ printf '%s' "$schema"; printf 'segment a = country == "'; repeat 'abcdefghijklmnop' 65536; printf '"\n'; } >long_string.seg
both "1 MiB string literal" long_string.seg 0 "^ok: 1 file" 0 ""

# --- deep nesting: a diagnostic, never a stack overflow --------------------------------
{ printf '%s' "$schema"; printf 'segment a = '; repeat '(' 100000; printf 'ltv > 1'; repeat ')' 100000; printf '\n'; } >parens.seg
both "100 000 nested parentheses" parens.seg 1 "SEG003" 1 "SEG003"

{ printf '%s' "$schema"; printf 'segment a = '; repeat 'not ' 100000; printf 'subscribed\n'; } >nots.seg
both "100 000 x not" nots.seg 1 "SEG003" 1 "SEG003"

{ printf '%s' "$schema"; printf 'segment a = '; repeat '- ' 100000; printf 'ltv > 1\n'; } >minus.seg
both "100 000 x unary minus" minus.seg 1 "SEG003" 1 "SEG003"

# Deep, not nested: 100 000 segments each naming the next. Valid (a DAG), so it must
# check; sema walks reference chains (cycle detection), which must not recurse per link.
# (Not in canonical form: the formatter aligns the `=` of consecutive segments.)
{ printf '%s' "$schema"; awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "segment s%d = s%d\n", i, i + 1 }'
  printf 'segment s100001 = ltv > 1\n'; } >ref_chain.seg
both "chain of 100 000 segment references" ref_chain.seg 0 "^ok: 1 file, 100001 segments" 1 "SEG007"

# The same chain closed into a cycle: SEG032, not a stack overflow.
{ printf '%s' "$schema"; awk 'BEGIN { for (i = 1; i < 100000; i++) printf "segment s%d = s%d\n", i, i + 1 }'
  printf 'segment s100000 = s1\n'; } >ref_cycle.seg
both "cycle of 100 000 segment references" ref_cycle.seg 1 "SEG032" 1 "SEG007"

# --- encoding -------------------------------------------------------------------------
{ printf '%s' "$schema"; printf 'segment caf\xe9 = ltv > 1\n'; } >latin1.seg
both "invalid UTF-8 (Latin-1 byte)" latin1.seg 1 "SEG004" 1 "SEG004"

{ printf '%s' "$schema"; printf 'segment a = country == "\xc3\x28"\n'; } >bad_utf8_string.seg
both "invalid UTF-8 inside a string" bad_utf8_string.seg 1 "SEG004" 1 "SEG004"

{ printf '%s' "$schema"; printf 'segment a = ltv > 1\0\nsegment b = ltv > 2\n'; } >nul.seg
both "NUL byte" nul.seg 1 "SEG00[14]" 1 "SEG00[14]"

{ printf '%s' "$schema"; printf 'segment a = country == "x\0y"\n'; } >nul_string.seg
both "NUL byte inside a string" nul_string.seg 1 "SEG00[124]" 1 "SEG00[124]"

# CRLF line endings are accepted (the formatter writes LF, so fmt --check reports it).
printf '%s' "$schema" | sed 's/$/\r/' >crlf.seg
printf 'segment a = ltv > 1 # comment\r\n\r\nsegment b {\r\n  when a\r\n    and subscribed\r\n  ttl 3d\r\n}\r\n' >>crlf.seg
both "CRLF line endings" crlf.seg 0 "^ok: 1 file, 2 segments" 1 "SEG007"

# --- paths ----------------------------------------------------------------------------
both "non-existent path" "$tmp/does/not/exist.seg" 2 "no such file" 2 "no such file"
mkdir -p noseg/sub && echo 'not rules' >noseg/readme.txt
both "directory without .seg files" noseg 2 "no \.seg files" 2 "no \.seg files"

echo
if [ "$failures" -eq 0 ]; then
  echo "bad_input: all cases passed"
else
  echo "bad_input: $failures failure(s)"
fi
[ "$failures" -eq 0 ]
