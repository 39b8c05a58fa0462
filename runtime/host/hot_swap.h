#pragma once
// `seg run --follow`: the rules a long-running process runs, and new ones on SIGHUP or
// when a watched rules path changes (issue 5). Each set of rules is a generation (the
// loaded bundle and its JIT tier); a generation is freed, with its compiled code, once
// the engine that ran it is gone. With `BackendOptions::trusted_keys`, every load (the
// first and each swap) takes only a bundle signed by a trusted key; a refused swap keeps
// the running rules.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runtime/host/tiering.h"
#include "runtime/host/load_rules.h"

namespace seg::host {

class RuleGenerations {
 public:
  // refused: told about rules that did not load on a swap (the running ones stay), with
  // the running revision; notify: other lines for the user.
  using Refused = std::function<void(const LoadedRules& rules, const std::string& running)>;
  RuleGenerations(std::vector<std::string> paths, BackendOptions backend, bool watch, Refused refused,
                  Notify notify);
  ~RuleGenerations();

  // Loads the first rules; null when they fail, with what failed in `failed`.
  const ir::Bundle* load_first(LoadedRules& failed);
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
  std::unique_ptr<Generation> load(LoadedRules& failed);
  std::string fingerprint() const;

  std::vector<std::string> paths_;
  BackendOptions backend_;
  bool watch_;
  Refused refused_;
  Notify notify_;
  std::string seen_;  // the watched paths' fingerprint last loaded (or refused)
  std::vector<std::unique_ptr<Generation>> gens_;  // back(): the newest
};

}  // namespace seg::host
