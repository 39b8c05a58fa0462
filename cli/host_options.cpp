// Printing and exit codes for what runtime/host returns as data.
#include "cli/host_options.h"

#include <iostream>

#include "cli/commands.h"
#include "cli/usage.h"
#include "runtime/service/metrics.h"
#include "compiler/syntax/literals.h"
#include "stdlib/builtins/builtins.h"

namespace seg::cli {

void add_backend_options(CLI::App* sub, BackendOptions& o) {
  sub->add_option("--backend", o.backend,
                  "interp (reference interpreter), jit (compile first) or auto (start on the "
                  "interpreter, swap in compiled code when ready; the default)")
      ->check(CLI::IsMember({"interp", "jit", "auto"}));
  sub->add_option("--jit-opt", o.jit_opt, "LLVM optimisation level for the JIT: 0 or 2 (default 2)")
      ->check(CLI::IsMember({0, 2}));
}

void add_trusted_keys_option(CLI::App* sub, BackendOptions& o) {
  sub->add_option("--trusted-keys", o.trusted_keys,
                  "Run only a .segb bundle signed by one of the Ed25519 public keys in FILE (PEM blocks, "
                  "e.g. `seg keygen` .pub files concatenated); re-read on every hot swap")
      ->type_name("FILE");
}

host::Notify stderr_notify() {
  return [](const std::string& line) { std::cerr << line << "\n"; };
}

int report_load(const LoadedRules& r, const DiagOptions& diag) {
  switch (r.status) {
    case host::LoadStatus::Ok:
      return kExitOk;
    case host::LoadStatus::MissingPaths:
      for (const auto& m : r.missing) std::cerr << kErrorPrefix << "no such file or directory: " << m << "\n";
      return kExitUsage;
    case host::LoadStatus::NoRuleFiles:
      std::cerr << kErrorPrefix << "no .seg files found in the given paths\n";
      return kExitUsage;
    case host::LoadStatus::RuleErrors: {
      DiagOptions human = diag;
      human.format = "human";
      emit_diagnostics(r.compilation->sources, r.compilation->diags.sorted(), human);
      return kExitFailed;
    }
    case host::LoadStatus::BadBundle:
      std::cerr << kErrorPrefix << r.error << "\n";
      return kExitRuntime;
    case host::LoadStatus::BadTrustedKeys:
      std::cerr << kErrorPrefix << r.error << "\n";
      return kExitUsage;
    case host::LoadStatus::Untrusted:
      std::cerr << kErrorPrefix << "refused: " << r.error << "\n";
      return kExitRuntime;
  }
  return kExitRuntime;
}

LoadedRules load_rules(const std::vector<std::string>& paths, const DiagOptions& diag, int& exit_code) {
  LoadedRules r = host::load_rules(paths);
  for (const std::string& n : r.notes) std::cerr << n << "\n";
  exit_code = report_load(r, diag);
  return r;
}

bool parse_cli_time(const std::string& text, const char* flag, int64_t& out) {
  const char* why = nullptr;
  auto ms = builtins::parse_time(text, false, &why);
  if (!ms) {
    std::cerr << kErrorPrefix << flag << " `" << text << "` is not a timestamp: " << why << "\n";
    return false;
  }
  out = *ms;
  return true;
}

bool parse_cli_duration(const std::string& text, const char* flag, int64_t& out) {
  std::string why;
  auto ms = seg::parse_duration_ms(text, why);
  if (!ms) {
    std::cerr << kErrorPrefix << flag << " `" << text << "` is not a duration (such as 90s, 10m, 1h or 1d): " << why
              << "\n";
    return false;
  }
  out = *ms;
  return true;
}

void add_live_options(CLI::App* sub, LiveOptions& o, const char* lateness_help) {
  sub->add_option("--listen", o.listen,
                  "Serve /metrics (Prometheus), /healthz and /readyz on HOST:PORT (port 0: any free port)");
  sub->add_option("--max-future", o.max_future,
                  "Reject records dated more than this after the wall clock as future_timestamp "
                  "(a duration such as 1h or 10m, or off; default 1h)");
  sub->add_option("--wall-clock", o.wall_clock, "Pin the wall clock to this instant (tests and replays)");
  sub->add_option("--lateness", o.lateness, lateness_help);
}

bool parse_live_options(const LiveOptions& o, LiveSettings& out) {
  if (!o.listen.empty()) {
    std::string host, error;
    int port = 0;
    if (!rt::parse_listen(o.listen, host, port, error)) {
      std::cerr << kErrorPrefix << error << "\n";
      return false;
    }
  }
  if (o.max_future == "off") out.max_future_ms.reset();
  else if (!parse_cli_duration(o.max_future, "--max-future", *out.max_future_ms)) return false;
  if (!parse_cli_duration(o.lateness, "--lateness", out.lateness_ms)) return false;
  if (!o.wall_clock.empty()) {
    int64_t t = 0;
    if (!parse_cli_time(o.wall_clock, "--wall-clock", t)) return false;
    out.wall_clock = t;
  }
  return true;
}

}  // namespace seg::cli
