#pragma once
// The CLI face of runtime/host: the --backend/--jit-opt/--trusted-keys options, loading
// rules with the failures printed and turned into exit codes, and where the host's notes
// go (stderr).
#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/output.h"
#include "runtime/host/hot_swap.h"
#include "runtime/host/load_rules.h"
#include "runtime/host/tiering.h"

namespace seg::cli {

using host::BackendOptions;
using host::JitTier;
using host::LoadedRules;
using host::read_whole_file;
using host::RuleGenerations;

void add_backend_options(CLI::App* sub, BackendOptions& o);
// --trusted-keys FILE (seg run): only bundles signed by one of the file's keys.
void add_trusted_keys_option(CLI::App* sub, BackendOptions& o);

// The host's notes and warnings, one line each on stderr.
host::Notify stderr_notify();

// Prints why rules did not load (diagnostics in human form on stderr, missing paths, a
// bad bundle) and returns the exit code; prints nothing and returns 0 when they loaded.
int report_load(const LoadedRules& r, const DiagOptions& diag);

// host::load_rules with its notes and failures printed; exit code in `exit_code`, null
// bundle on failure.
LoadedRules load_rules(const std::vector<std::string>& paths, const DiagOptions& diag, int& exit_code);

// Parses a --until/--at timestamp; prints a usage error and returns false when invalid.
bool parse_cli_time(const std::string& text, const char* flag, int64_t& out);
// Parses a duration flag (`1h`, `90s`, `1d12h`) into milliseconds; prints a usage error
// and returns false when invalid.
bool parse_cli_duration(const std::string& text, const char* flag, int64_t& out);

// The time and listen options `seg run` and `seg serve` share: --max-future,
// --wall-clock, --lateness (its help says what is caught up) and --listen.
struct LiveOptions {
  std::string max_future = "1h", wall_clock, lateness = "1m", listen;
};
void add_live_options(CLI::App* sub, LiveOptions& o, const char* lateness_help);
struct LiveSettings {
  std::optional<int64_t> max_future_ms = 3'600'000, wall_clock;
  int64_t lateness_ms = 60'000;
};
// Parses them (--listen only checked for its form); prints a usage error and returns
// false when one is invalid.
bool parse_live_options(const LiveOptions& o, LiveSettings& out);

}  // namespace seg::cli
