#include "cli/rules.h"

#include <iostream>

#include "cli/commands.h"
#include "compiler/lower/lower.h"
#include "runtime/builtins/builtins.h"

namespace seg::cli {

LoadedRules load_rules(const std::vector<std::string>& paths, const DiagOptions& diag, int& exit_code) {
  LoadedRules out;
  std::vector<std::string> files;
  if (!collect_files(paths, files)) {
    exit_code = kExitUsage;
    return out;
  }
  out.compilation = compile(files);
  if (out.compilation->diags.has_errors()) {
    DiagOptions human = diag;
    human.format = "human";
    emit_diagnostics(out.compilation->sources, out.compilation->diags.sorted(), human);
    exit_code = kExitFailed;
    return out;
  }
  out.bundle = lower(*out.compilation);
  exit_code = kExitOk;
  return out;
}

bool parse_cli_time(const std::string& text, const char* flag, int64_t& out) {
  const char* why = nullptr;
  auto ms = builtins::parse_time(text, false, &why);
  if (!ms) {
    std::cerr << "error: " << flag << " `" << text << "` is not a timestamp: " << why << "\n";
    return false;
  }
  out = *ms;
  return true;
}

}  // namespace seg::cli
