#pragma once
// `seg run --follow`: the rules a long-running process runs, and new ones on SIGHUP or
// when a watched rules path changes (issue 5). Each set of rules is a generation (the
// loaded bundle and its JIT tier); a generation is freed, with its compiled code, once
// the engine that ran it is gone.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli/backend.h"
#include "cli/rules.h"

namespace seg::cli {

class RuleGenerations {
 public:
  RuleGenerations(std::vector<std::string> paths, DiagOptions diag, BackendOptions backend, bool watch);
  ~RuleGenerations();

  // Loads the first rules (exit code in `code` when they fail).
  const ir::Bundle* load_first(int& code);
  // Between records: new rules when SIGHUP arrived or a watched path changed and they
  // compile; null otherwise (refused rules are reported and the running ones stay).
  const ir::Bundle* poll();
  void attach(rt::Interpreter& in);
  void detach(rt::Interpreter& in);
  JitTier& current_tier() { return *gens_.back()->tier; }

  // SIGINT/SIGTERM end a follow run cleanly; SIGHUP asks for new rules.
  static void install_signal_handlers();
  static bool stop_requested();

 private:
  struct Generation {
    LoadedRules rules;
    std::unique_ptr<JitTier> tier;
  };
  std::unique_ptr<Generation> load(int& code);
  std::string fingerprint() const;

  std::vector<std::string> paths_;
  DiagOptions diag_;
  BackendOptions backend_;
  bool watch_;
  std::string seen_;  // the watched paths' fingerprint last loaded (or refused)
  std::vector<std::unique_ptr<Generation>> gens_;  // back(): the newest
};

}  // namespace seg::cli
