#pragma once
// The compiler's driver: read files, parse, check (compile), then lower, run the pass
// pipeline and stamp the revision (build_bundle). What `seg check`, `seg fmt`, lint and
// the runtime's rule loading start from.
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/sema/program.h"
#include "compiler/syntax/parser.h"

namespace seg {

struct Compilation {
  SourceManager sources;
  ast::Ast ast;
  std::vector<ParsedFile> files;   // the user's files, in path order
  std::vector<ParsedFile> stdlib;  // stdlib/*.seg, compiled into the binary
  DiagnosticBag diags{50};
  std::unique_ptr<sema::Program> program;  // null when parsing failed
};

// Expands directories (recursively, `*.seg`, sorted) and keeps files as given.
// Paths that do not exist are returned in `missing`.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths,
                                      std::vector<std::string>& missing);

// Parses every file; runs sema when `check` is set and the schema parsed.
std::unique_ptr<Compilation> compile(const std::vector<std::string>& files, bool check = true);

// Same, from in-memory sources (tests, the docs checker, the fuzzer).
std::unique_ptr<Compilation> compile_sources(
    const std::vector<std::pair<std::string, std::string>>& sources, bool check = true);

// Lowers a compilation that checked without errors, runs the pass pipeline and sets the
// revision: the bundle the engines run.
std::unique_ptr<ir::Bundle> build_bundle(const Compilation& c);

// The straight-line pass pipeline run after lowering (compiler/driver/pipeline.cpp).
void run_passes(ir::Bundle& b);

// Content hash of the user's rule files and the compiler version: ops carry it as
// `bundle`. Files are named relative to the rule root (their deepest common folder), so
// the same rules give the same revision however their paths were typed
// (compiler/driver/revision.cpp).
std::string revision(const Compilation& c);

}  // namespace seg
