#!/usr/bin/env bash
# The layering rules of issue 14 (docs/architecture.md), checked over the sources
# (.h, .cpp, .def) of grammar/, stdlib/, compiler/, runtime/ and cli/:
#   - every #include of a project header points down the layer table below;
#   - no source file in compiler/, runtime/, stdlib/ or cli/ is over 600 lines;
#   - PEGTL (tao/pegtl, grammar/) only in grammar/ and compiler/syntax/, LLVM (llvm/,
#     llvm-c/) only in runtime/jit/, libpq (libpq-fe.h) only in runtime/connectors/.
# Prints one line per finding, `path:line: <folder> may not include <header> (<rule>)`
# (or `path:line: <file> has N lines (<rule>)`), and exits 1 when there is any.
# Usage: scripts/check-layers.sh [ROOT]   (ROOT: the repository root, by default this one)
#        scripts/check-layers.sh --table  (print what each folder may include, in full)
set -euo pipefail
mode=check
if [ "${1:-}" = --table ]; then mode=table; shift; fi
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
[ -d "$root" ] || { echo "check-layers: no such folder: $root" >&2; exit 2; }

exec python3 - "$mode" "$root" <<'PY'
import os, re, sys

# ---- The layer table ----------------------------------------------------------------
# A folder may include headers of its own folder (and its subfolders), of the folders
# named on its line, and of everything those may include in turn. A folder's stage is
# the longest entry that prefixes its path (compiler/ir/x/ is compiler/ir). A folder that
# is not in the table is a finding: add it here (and to docs/architecture.md).
#
# Top level: grammar, stdlib -> compiler -> runtime -> cli. Inside compiler and runtime
# the stages run in pipeline order, with three deliberate cuts, all following the CMake
# targets:
#   - compiler/ir (seg_ir) and compiler/bundle (seg_bundle) are what the runtime links:
#     they see compiler/binary and stdlib, never the front end (syntax, sema,
#     diagnostics), so the runtime below host/ sees the IR only; compiler/binary
#     (seg_binary, the codec of every file format) includes nothing of the project;
#   - runtime/jit (seg_jit, LLVM) is reached only from host/ (and the CLI): the engine
#     gets compiled kernels through stdlib/abi.h, so interp/ and jit/ do not include
#     each other and engine/ does not include jit/;
#   - grammar/ is PEGTL: it does not pass on through compiler/syntax (PRIVATE below).
# `scripts/check-layers.sh --table` prints the resulting lists in full.
#
#      folder             may include (directly named; more through them)
LAYERS = """
grammar               -
stdlib                -
compiler/diagnostics  stdlib
compiler/binary       -
compiler/syntax       compiler/diagnostics grammar
compiler/sema         compiler/syntax
compiler/ir           compiler/binary stdlib
compiler/lower        compiler/sema compiler/ir
compiler/passes       compiler/lower
compiler/driver       compiler/passes
compiler/lint         compiler/driver
compiler/lsp          compiler/lint
compiler/bundle       compiler/ir
runtime/state         compiler/ir
runtime/interp        runtime/state
runtime/jit           runtime/state
runtime/engine        runtime/interp
runtime/store         runtime/engine
runtime/io            runtime/engine
runtime/connectors    runtime/io
runtime/host          runtime/connectors runtime/jit compiler/lint compiler/bundle
runtime/service       runtime/host runtime/store
runtime/test_blocks   runtime/host
runtime/serve         runtime/service
runtime/report        runtime/store runtime/io
cli                   runtime/serve runtime/test_blocks runtime/report compiler/lsp
"""
PRIVATE = {"grammar"}  # allowed only where named directly, never passed on
TOP = ("grammar", "stdlib", "compiler", "runtime", "cli")
SIZE_LIMIT = 600
SIZE_FOLDERS = ("compiler", "runtime", "stdlib", "cli")
EXTENSIONS = (".h", ".cpp", ".def")
# (pattern on the included path, folders where it is allowed, the rule's name)
FENCED = [
    (re.compile(r"^tao/pegtl"), ("grammar", "compiler/syntax"), "PEGTL only in grammar/ and compiler/syntax/"),
    (re.compile(r"^llvm(-c)?/"), ("runtime/jit",), "LLVM only in runtime/jit/"),
    (re.compile(r"^rocksdb/"), ("runtime/store",), "RocksDB only in runtime/store/"),
    (re.compile(r"^librdkafka/"), ("runtime/serve", "cli/kafka_mock"), "librdkafka only in runtime/serve/ and cli/kafka_mock/"),
    (re.compile(r"^(libpq-fe|libpq/|postgresql/)"), ("runtime/connectors",), "libpq only in runtime/connectors/"),
]

direct = {}
for line in LAYERS.strip().splitlines():
    name, *deps = line.split()
    direct[name] = [d for d in deps if d != "-"]
for name, deps in direct.items():
    for d in deps:
        assert d in direct, f"layer table: {name} names unknown {d}"

allowed = {}
def closure(name, seen=()):
    if name in allowed:
        return allowed[name]
    assert name not in seen, f"layer table: cycle through {name}"
    out = set()
    for d in direct[name]:
        out.add(d)
        out |= {x for x in closure(d, seen + (name,)) if x not in PRIVATE}
    allowed[name] = out
    return out
for name in direct:
    closure(name)

def stage(path):
    """The table entry a repository path (file or folder) belongs to, or None."""
    best = None
    for name in direct:
        if path == name or path.startswith(name + "/"):
            if best is None or len(name) > len(best):
                best = name
    return best

def under(path, folder):
    return path == folder or path.startswith(folder + "/")

mode, root = sys.argv[1], sys.argv[2]
if mode == "table":
    for name in direct:
        print(f"{name:22} {' '.join(sorted(allowed[name])) or '-'}")
    sys.exit(0)
findings = []
include_re = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')

files = []
for top in TOP:
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if f.endswith(EXTENSIONS):
                files.append(os.path.relpath(os.path.join(dirpath, f), root).replace(os.sep, "/"))

for rel in files:
    folder = os.path.dirname(rel)
    with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as fh:
        lines = fh.read().splitlines()

    if rel.split("/")[0] in SIZE_FOLDERS and len(lines) > SIZE_LIMIT:
        findings.append((rel, SIZE_LIMIT + 1,
                         f"{rel} has {len(lines)} lines (size: at most {SIZE_LIMIT} lines per source file; split it)"))

    mine = stage(folder)
    for no, text in enumerate(lines, 1):
        m = include_re.match(text)
        if not m:
            continue
        header = m.group(2)
        for pattern, where, rule in FENCED:
            if pattern.match(header) and not any(under(folder, w) for w in where):
                findings.append((rel, no, f"{folder} may not include {header} ({rule})"))
        # Which repository path the include names: from the root, or next to the file.
        target = None
        if header.split("/")[0] in TOP:
            target = os.path.normpath(header).replace(os.sep, "/")
        elif m.group(1) == '"':
            near = os.path.normpath(os.path.join(folder, header)).replace(os.sep, "/")
            if os.path.exists(os.path.join(root, near)):
                target = near
        if target is None:
            continue  # the standard library or a third-party header
        theirs = stage(os.path.dirname(target))
        if mine is None:
            findings.append((rel, no, f"{folder} may not include {header} "
                                      f"(layers: {folder} is not in the layer table of scripts/check-layers.sh)"))
        elif theirs is None:
            findings.append((rel, no, f"{folder} may not include {header} "
                                      f"(layers: {os.path.dirname(target)} is not in the layer table of scripts/check-layers.sh)"))
        elif theirs != mine and theirs not in allowed[mine]:
            if theirs in PRIVATE:
                users = " and ".join(n for n in direct if theirs in direct[n])
                why = f"layers: {theirs} is included only by {users}"
            else:
                why = f"layers: {theirs} is not below {mine}"
            findings.append((rel, no, f"{folder} may not include {header} ({why})"))

for rel, no, message in sorted(findings):
    print(f"{rel}:{no}: {message}")
if findings:
    print(f"check-layers: {len(findings)} finding(s) in {len(files)} files; "
          "the rules are in scripts/check-layers.sh and docs/architecture.md", file=sys.stderr)
    sys.exit(1)
print(f"check-layers: ok ({len(files)} files)", file=sys.stderr)
PY
