// `seg ir FILES…`: the lowered IR bundle as text (golden tests, debugging).
#include <iostream>

#include "cli/commands.h"
#include "cli/host_options.h"

namespace seg::cli {

Runner add_ir(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "ir",
      "Print the compiled IR: state layout and kernels\n"
      "  example: seg ir retention.segb");
  add_file_options(sub, o->paths, o->diag, false, /*bundles=*/true);
  return [o]() {
    int code = 0;
    LoadedRules r = load_rules(o->paths, o->diag, code);
    if (!r.bundle) return code;
    std::cout << ir::print(*r.bundle);
    return kExitOk;
  };
}

}  // namespace seg::cli
