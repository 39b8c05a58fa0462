#pragma once
// Compiling the rule files a runtime verb was given into an IR bundle.
#include <memory>

#include "cli/output.h"
#include "compiler/ir/ir.h"

namespace seg::cli {

struct LoadedRules {
  std::unique_ptr<Compilation> compilation;  // null for a .segb bundle
  std::unique_ptr<ir::Bundle> bundle;
  // From a .segb bundle: its object code when it can run on this host (else empty and
  // a note was printed that the IR is compiled instead).
  std::string object;
};

// Compiles and lowers; on rule errors prints them (human, stderr) and returns the exit
// code in `exit_code` with a null bundle. A single path ending in `.segb` is loaded as a
// compiled bundle (issue 5) instead; a bundle that cannot be read is refused (exit 3).
LoadedRules load_rules(const std::vector<std::string>& paths, const DiagOptions& diag, int& exit_code);

// The whole file in `bytes`; false when it cannot be read.
bool read_whole_file(const std::string& path, std::string& bytes);

// Parses a --until/--at timestamp; prints a usage error and returns false when invalid.
bool parse_cli_time(const std::string& text, const char* flag, int64_t& out);

}  // namespace seg::cli
