#!/usr/bin/env bash
# The bundle revision depends on the rules' contents and their names relative to the rule
# root, never on how the paths were typed (issue 14): a folder named relatively,
# absolutely, as `.`, with a trailing slash or through `..`, and the list of its files in
# any order, all give one revision; the ops of `seg run` carry it as `bundle`, and a
# different file content or file name gives another.
#
#   tests/bundles/revision_paths.sh SEG REPO_ROOT
set -eu
seg=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() { echo "FAIL: $*"; exit 1; }
rev() { "$seg" build "$@" -o "$tmp/b.segb" | sed -n 's/.*revision \([0-9a-f]*\),.*/\1/p'; }

mkdir -p v1 other/deep
cp "$root"/examples/retention/{schema,segments,tiers,destinations}.seg v1/
want=$(rev v1)
[ -n "$want" ] || fail "seg build printed no revision"
check() {  # label, then the paths, run from the current folder
  local label=$1; shift
  local got; got=$(rev "$@")
  [ "$got" = "$want" ] || fail "$label: revision $got, want $want"
}
check "relative folder" v1
check "trailing slash" v1/
check "absolute folder" "$tmp/v1"
check "through .." other/../v1
check "files in order" v1/schema.seg v1/segments.seg v1/tiers.seg v1/destinations.seg
check "files reversed" v1/tiers.seg v1/destinations.seg v1/segments.seg v1/schema.seg
(cd v1 && check "dot" .)
(cd v1 && check "bare file names" schema.seg segments.seg tiers.seg destinations.seg)
(cd other/deep && check "from elsewhere" ../../v1)

# The ops carry the same bundle id whichever way the rules were named.
printf '{"type":"identify","userId":"u1","timestamp":"2026-03-01T00:00:00Z","traits":{"email":"A@x.com","ltv":900}}\n' >in.ndjson
"$seg" run v1 --input in.ndjson --out o1 -q
(cd v1 && "$seg" run . --input ../in.ndjson --out ../o2 -q)
ids() { cat "$1"/*.ndjson | grep -o '"bundle":"[0-9a-f]*"' | sort -u; }
[ -n "$(ids o1)" ] || fail "no ops carried a bundle id"
[ "$(ids o1)" = "$(ids o2)" ] || fail "ops carry $(ids o1) and $(ids o2)"

# A change of content, or of a file's name, is a new revision.
cp -r v1 v2 && printf '\n// a comment\n' >>v2/tiers.seg
[ "$(rev v2)" != "$want" ] || fail "a changed file kept the revision"
cp -r v1 v3 && mv v3/tiers.seg v3/tiering.seg
[ "$(rev v3)" != "$want" ] || fail "a renamed file kept the revision"
echo "revision: 9 spellings of one rule folder agree; ops carry it; content and names change it"
