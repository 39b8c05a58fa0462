#!/usr/bin/env bash
# scripts/check-layers.sh (issue 14, docs/architecture.md), two ways:
#   layers.sh tree    SOURCE_DIR   the repository obeys the layer rules
#   layers.sh catches SOURCE_DIR   a copy of the sources with deliberate violations fails,
#                                  with one line per violation, and the untouched
#                                  neighbours of each violation are not reported
set -euo pipefail
mode="$1"
src="$(cd "$2" && pwd)"
check="$src/scripts/check-layers.sh"

case "$mode" in
tree)
  exec bash "$check" "$src"
  ;;
catches) ;;
*)
  echo "usage: layers.sh tree|catches SOURCE_DIR" >&2
  exit 2
  ;;
esac

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for d in grammar stdlib compiler runtime cli; do cp -R "$src/$d" "$tmp/$d"; done
fail=0

# 1. An include up the layer order: the compiler reaching into the runtime.
printf '#include "runtime/engine/engine.h"\n' >"$tmp/compiler/sema/layers_up.cpp"
# 2. Sideways inside the runtime: the engine includes the JIT, the interpreter the JIT.
printf '// fine\n#include "runtime/interp/interp.h"\n#include "runtime/jit/jit.h"\n' \
  >"$tmp/runtime/engine/layers_side.cpp"
# 3. The IR reaching back into the front end (the runtime links it without sema).
printf '#include "compiler/sema/program.h"\n' >"$tmp/compiler/ir/layers_front.h"
# 4. A relative include that names a higher folder.
printf '#include "../../cli/commands.h"\n' >"$tmp/runtime/state/layers_relative.h"
# 5. PEGTL and LLVM outside their folders; grammar/ outside compiler/syntax.
printf '#include <tao/pegtl.hpp>\n#include "grammar/errors.h"\n' >"$tmp/compiler/sema/layers_pegtl.cpp"
printf '#include <llvm/IR/Module.h>\n' >"$tmp/runtime/engine/layers_llvm.cpp"
# 6. A source file of 601 lines (and one of exactly 600, which is fine).
seq 1 601 | sed 's|^|// line |' >"$tmp/compiler/lower/layers_long.cpp"
seq 1 600 | sed 's|^|// line |' >"$tmp/compiler/lower/layers_600.cpp"
# 7. A stage folder the table does not know.
mkdir -p "$tmp/runtime/unknown_stage"
printf '#include "runtime/state/value.h"\n' >"$tmp/runtime/unknown_stage/x.cpp"
# Allowed: same folder, lower stages, stdlib, the CLI over everything.
printf '#include "compiler/sema/sema.h"\n#include "compiler/syntax/ast.h"\n#include "stdlib/abi.h"\n' \
  >"$tmp/compiler/sema/layers_ok.cpp"
printf '#include "runtime/host/load_rules.h"\n#include "runtime/jit/jit.h"\n' >"$tmp/cli/layers_ok.cpp"

set +e
out="$(bash "$check" "$tmp" 2>"$tmp/check.err")"
rc=$?
set -e
echo "$out"
cat "$tmp/check.err"
if [ "$rc" -ne 1 ]; then
  echo "FAIL: expected exit 1 from check-layers.sh, got $rc" >&2
  fail=1
fi

expect() {
  if ! grep -qxF -- "$1" <<<"$out"; then
    echo "FAIL: missing finding: $1" >&2
    fail=1
  fi
}
refuse() {
  if grep -qF -- "$1" <<<"$out"; then
    echo "FAIL: unexpected finding for $1" >&2
    fail=1
  fi
}
expect 'compiler/sema/layers_up.cpp:1: compiler/sema may not include runtime/engine/engine.h (layers: runtime/engine is not below compiler/sema)'
expect 'runtime/engine/layers_side.cpp:3: runtime/engine may not include runtime/jit/jit.h (layers: runtime/jit is not below runtime/engine)'
expect 'compiler/ir/layers_front.h:1: compiler/ir may not include compiler/sema/program.h (layers: compiler/sema is not below compiler/ir)'
expect 'runtime/state/layers_relative.h:1: runtime/state may not include ../../cli/commands.h (layers: cli is not below runtime/state)'
expect 'compiler/sema/layers_pegtl.cpp:1: compiler/sema may not include tao/pegtl.hpp (PEGTL only in grammar/ and compiler/syntax/)'
expect 'compiler/sema/layers_pegtl.cpp:2: compiler/sema may not include grammar/errors.h (layers: grammar is included only by compiler/syntax)'
expect 'runtime/engine/layers_llvm.cpp:1: runtime/engine may not include llvm/IR/Module.h (LLVM only in runtime/jit/)'
expect 'compiler/lower/layers_long.cpp:601: compiler/lower/layers_long.cpp has 601 lines (size: at most 600 lines per source file; split it)'
expect 'runtime/unknown_stage/x.cpp:1: runtime/unknown_stage may not include runtime/state/value.h (layers: runtime/unknown_stage is not in the layer table of scripts/check-layers.sh)'
refuse 'layers_side.cpp:2:'
refuse 'layers_600.cpp'
refuse 'layers_ok.cpp'

# Only the planted violations: the copy of the tree is otherwise clean when the tree is.
if bash "$check" "$src" >/dev/null 2>&1; then
  planted="$(grep -c 'layers_\|unknown_stage' <<<"$out" || true)"
  total="$(grep -c . <<<"$out" || true)"
  if [ "$planted" -ne "$total" ]; then
    echo "FAIL: findings other than the planted ones" >&2
    fail=1
  fi
  if [ "$total" -ne 9 ]; then
    echo "FAIL: expected 9 findings, got $total" >&2
    fail=1
  fi
fi

[ "$fail" -eq 0 ] && echo "ok: check-layers.sh catches every planted violation"
exit "$fail"
