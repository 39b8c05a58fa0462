// `seg parse FILES…`: the parsed AST as a span-free tree (for debugging and goldens).
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"
#include "compiler/syntax/formatter.h"

namespace seg::cli {

Runner add_parse(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    DiagOptions diag;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "parse",
      "Print the syntax tree of .seg files\n"
      "  example: seg parse examples/retention/segments.seg");
  add_file_options(sub, o->paths, o->diag, false);
  return [o]() {
    std::vector<std::string> files;
    if (!collect_files(o->paths, files)) return kExitUsage;
    auto c = compile(files, /*check=*/false);
    for (const ParsedFile& pf : c->files) std::cout << dump_ast(*pf.file);
    emit_diagnostics(c->sources, c->diags.sorted(), o->diag);
    return c->diags.has_errors() ? kExitFailed : kExitOk;
  };
}

}  // namespace seg::cli
