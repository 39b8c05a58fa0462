#!/usr/bin/env bash
# Neovim's built-in LSP client against `seg lsp` (label `lsp;editor`): a rule file with
# an unknown name gets its SEG010 diagnostic at the right range, and go to definition
# answers with the declaration (in another file of the folder, and as an editor jump).
#
#   tests/lsp/neovim.sh SEG
set -u
seg=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v nvim >/dev/null || { echo "FAIL: nvim is not installed (scripts/install-deps.sh installs neovim)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$here/rules" "$tmp/rules"
# The error: `ltv` misspelt on line 9 (0-based 8), column 14.
sed -i 's/segment vip = ltv > 1000/segment vip = ltvv > 1000/' "$tmp/rules/segments.seg"
grep -q ltvv "$tmp/rules/segments.seg" || { echo "FAIL: fixture edit"; exit 1; }
out=$tmp/out.txt
( cd "$tmp" && SEG=$seg OUT=$out FILE=$tmp/rules/segments.seg ROOT=$tmp/rules HOME=$tmp XDG_STATE_HOME=$tmp \
    XDG_CACHE_HOME=$tmp XDG_DATA_HOME=$tmp timeout 60 nvim --headless --clean -u "$here/neovim_init.lua" ) \
    >"$tmp/nvim.log" 2>&1
status=$?
cat "$out" 2>/dev/null
failed=0
fail() { echo "FAIL: $*"; failed=1; }
[ $status = 0 ] || fail "nvim exited $status: $(cat "$tmp/nvim.log")"
[ -f "$out" ] || { echo "FAIL: no results written"; exit 1; }
grep -q '^error' "$out" && fail "the client script failed"
grep -qx 'diagnostics_received true' "$out" || fail "no diagnostics reached Neovim"
# code, severity (1 = error), line, column, end line, end column (0-based)
grep -qx 'diag SEG010 1 8 14 8 18' "$out" || fail "SEG010 not at line 8, columns 14-18"
grep -qx "definition $tmp/rules/schema.seg 10 6" "$out" || fail "definition of added_to_cart is not schema.seg:10:6"
grep -qx 'jumped segments.seg 1 8' "$out" || fail "vim.lsp.buf.definition() did not jump to big_cart's declaration"
[ $failed = 0 ] && echo "ok: Neovim received the diagnostics and definitions of seg lsp"
exit $failed
