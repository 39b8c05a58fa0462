// `seg`: one tool for the whole life of a rule set (RUNTIME.md §1).
#include <CLI/CLI.hpp>

#include <iostream>
#include <map>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"seg: compiled audience rules for retention teams"};
  app.set_version_flag("--version", "seg 0.1.0");
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, seg::cli::Runner>> verbs;
  auto add = [&](seg::cli::Runner (*fn)(CLI::App&)) {
    size_t before = app.get_subcommands({}).size();
    seg::cli::Runner r = fn(app);
    verbs.push_back({app.get_subcommands({})[before], std::move(r)});
  };
  add(seg::cli::add_check);
  add(seg::cli::add_fmt);
  add(seg::cli::add_parse);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : seg::cli::kExitUsage;
  }
  for (auto& [sub, run] : verbs)
    if (sub->parsed()) return run();
  return seg::cli::kExitUsage;
}
