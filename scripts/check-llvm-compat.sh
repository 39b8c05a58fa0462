#!/usr/bin/env bash
# Syntax-checks the JIT layer (the only code that includes LLVM headers) against every
# LLVM 14-19 header tree installed under /usr/lib/llvm-N, so runtime/jit/llvm_compat.h
# keeps the older branches compiling. CI builds with 19; `apt-get install llvm-14-dev`
# (or 15, 16) adds a version to check. Exits 77 (skipped) when only 19 is present.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
checked=0
for dir in /usr/lib/llvm-1[4-9]; do
  [ -f "$dir/include/llvm/Config/llvm-config.h" ] || continue
  version=${dir##*-}
  [ "$version" = 19 ] && continue  # the build itself covers 19
  for f in "$root"/runtime/jit/*.cpp; do
    ${CXX:-g++} -std=c++20 -fsyntax-only -I"$root" -isystem "$dir/include" \
      -D__STDC_CONSTANT_MACROS -D__STDC_FORMAT_MACROS -D__STDC_LIMIT_MACROS "$f"
  done
  echo "LLVM $version: runtime/jit compiles"
  checked=$((checked + 1))
done
[ "$checked" -gt 0 ] || { echo "no LLVM 14-18 headers installed: nothing to check"; exit 77; }
