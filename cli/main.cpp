// `seg`: one tool for the whole life of a rule set (RUNTIME.md §1).
#include <CLI/CLI.hpp>

#include <iostream>
#include <map>

#include <algorithm>

#include "cli/commands.h"
#include "cli/usage.h"
#include "compiler/diagnostics/suggest.h"

int main(int argc, char** argv) {
  CLI::App app{"seg: compiled audience rules for retention teams", "seg"};
  app.set_version_flag("--version", "seg 0.1.0");
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, seg::cli::Runner>> verbs;
  auto add = [&](seg::cli::Runner (*fn)(CLI::App&)) {
    size_t before = app.get_subcommands({}).size();
    seg::cli::Runner r = fn(app);
    verbs.push_back({app.get_subcommands({})[before], std::move(r)});
  };
  add(seg::cli::add_check);
  add(seg::cli::add_lint);
  add(seg::cli::add_fmt);
  add(seg::cli::add_parse);
  add(seg::cli::add_ir);
  add(seg::cli::add_run);
  add(seg::cli::add_serve);
  add(seg::cli::add_test);
  add(seg::cli::add_explain);
  add(seg::cli::add_bench);
  add(seg::cli::add_build);
  add(seg::cli::add_inspect);
  add(seg::cli::add_keygen);
  add(seg::cli::add_state);
  add(seg::cli::add_diff);
  add(seg::cli::add_lsp);
  add(seg::cli::add_init);
  add(seg::cli::add_report);
  add(seg::cli::add_health);
  // An unknown verb gets a suggestion rather than CLI11's generic message.
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const auto& [sub, run] : verbs) names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      std::string help = seg::did_you_mean(argv[1], names);
      std::cerr << seg::cli::kErrorPrefix << "unknown command `" << argv[1] << "`"
                << (help.empty() ? "" : "; " + help) << "\nthe commands are:";
      for (const auto& n : names) std::cerr << " " << n;
      std::cerr << "\n";
      return seg::cli::kExitUsage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // One `error: ` prefix, and "did you mean" for an unknown option (cli/usage.h).
    return seg::cli::report_parse_error(app, e, argc, argv);
  }
  for (auto& [sub, run] : verbs)
    if (sub->parsed()) return run();
  return seg::cli::kExitUsage;
}
