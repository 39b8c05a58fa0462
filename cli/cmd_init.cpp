// `seg init DIR [--force]`: a starter folder of rules (runtime/host/init_project.h): schema,
// two segments with tests, two destinations, `.seg-lint.json`, a CI recipe and a README.
// Options and printing; exit 2 when DIR is not empty (without --force) or not a folder,
// 3 when a file cannot be written.
#include <algorithm>
#include <iostream>

#include "cli/commands.h"
#include "cli/usage.h"
#include "runtime/host/init_project.h"

namespace seg::cli {

Runner add_init(CLI::App& app) {
  struct Opts {
    std::string dir;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "init",
      "Start a folder of rules: schema, segments with tests, destinations, lint config, CI recipe, README\n"
      "  example: seg init audiences && cd audiences && bash ci/seg-ci.sh rules");
  sub->add_option("dir", o->dir, "The folder to create (it may exist if it is empty)")->required();
  sub->add_flag("--force", o->force, "Write into a non-empty folder, replacing files of the same names");
  return [o]() {
    host::InitResult r = host::init_project(o->dir, o->force);
    if (r.status != host::InitStatus::Ok) {
      std::cerr << kErrorPrefix << r.error << "\n";
      return r.status == host::InitStatus::WriteFailed ? kExitRuntime : kExitUsage;
    }
    for (const std::string& f : r.written)
      std::cout << "  " << o->dir << "/" << f
                << (std::find(r.replaced.begin(), r.replaced.end(), f) != r.replaced.end() ? "  (replaced)" : "")
                << "\n";
    std::cout << "wrote " << r.written.size() << " files; next: cd " << o->dir
              << " && seg test rules/ (and bash ci/seg-ci.sh rules: everything CI runs)\n";
    return kExitOk;
  };
}

}  // namespace seg::cli
