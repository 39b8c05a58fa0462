// `seg check FILES…`: parse and type-check; diagnostics; exit 1 on any error.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"

namespace seg::cli {

Runner add_check(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "check",
      "Parse and type-check .seg files\n"
      "  example: seg check examples/retention");
  add_file_options(sub, o->paths, o->diag, true);
  return [o]() {
    std::vector<std::string> files;
    if (!collect_files(o->paths, files)) return kExitUsage;
    auto c = compile(files);
    auto diags = c->diags.sorted();
    emit_diagnostics(c->sources, diags, o->diag);
    if (c->diags.has_errors()) return kExitFailed;
    if (o->diag.format == "human") {
      const auto& p = *c->program;
      std::cout << fmt::format(
          "ok: {} file{}, {} segment{}, {} tiers block{}, {} destination{}, {} test{}\n", files.size(),
          files.size() == 1 ? "" : "s", p.segments.size(), p.segments.size() == 1 ? "" : "s",
          p.tiers.size(), p.tiers.size() == 1 ? "" : "s", p.destinations.size(),
          p.destinations.size() == 1 ? "" : "s", p.tests.size(), p.tests.size() == 1 ? "" : "s");
    }
    return kExitOk;
  };
}

}  // namespace seg::cli
