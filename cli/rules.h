#pragma once
// Compiling the rule files a runtime verb was given into an IR bundle.
#include <memory>

#include "cli/output.h"
#include "compiler/ir/ir.h"

namespace seg::cli {

struct LoadedRules {
  std::unique_ptr<Compilation> compilation;
  std::unique_ptr<ir::Bundle> bundle;
};

// Compiles and lowers; on rule errors prints them (human, stderr) and returns the exit
// code in `exit_code` with a null bundle.
LoadedRules load_rules(const std::vector<std::string>& paths, const DiagOptions& diag, int& exit_code);

// Parses a --until/--at timestamp; prints a usage error and returns false when invalid.
bool parse_cli_time(const std::string& text, const char* flag, int64_t& out);

}  // namespace seg::cli
