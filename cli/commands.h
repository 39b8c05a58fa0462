#pragma once
// The `seg` verbs. Each registers its options on the CLI11 app and runs when chosen.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace seg::cli {

// Exit codes (RUNTIME.md §1).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRuntime = 3;

using Runner = std::function<int()>;

Runner add_check(CLI::App& app);
Runner add_fmt(CLI::App& app);
Runner add_parse(CLI::App& app);
Runner add_ir(CLI::App& app);
Runner add_run(CLI::App& app);
Runner add_serve(CLI::App& app);
Runner add_test(CLI::App& app);
Runner add_explain(CLI::App& app);
Runner add_bench(CLI::App& app);
Runner add_build(CLI::App& app);
Runner add_inspect(CLI::App& app);
Runner add_diff(CLI::App& app);
Runner add_lint(CLI::App& app);
Runner add_keygen(CLI::App& app);
Runner add_state(CLI::App& app);
Runner add_lsp(CLI::App& app);
Runner add_init(CLI::App& app);
Runner add_report(CLI::App& app);
Runner add_health(CLI::App& app);

}  // namespace seg::cli
