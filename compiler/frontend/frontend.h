#pragma once
// The front end in one call: read files, parse, check. What `seg check`, `seg fmt` and
// later stages start from.
#include <memory>
#include <string>
#include <vector>

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

}  // namespace seg
