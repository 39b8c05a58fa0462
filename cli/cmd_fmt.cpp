// `seg fmt FILES… [--check] [--write]`: canonical formatting, comments kept.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/usage.h"
#include "compiler/diagnostics/text_diff.h"
#include "compiler/syntax/formatter.h"

namespace seg::cli {

Runner add_fmt(CLI::App& app) {
  struct Opts {
    std::vector<std::string> paths;
    bool check = false, write = false;
    DiagOptions diag;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "fmt",
      "Format .seg files canonically\n"
      "  example: seg fmt --write examples/retention");
  add_file_options(sub, o->paths, o->diag, true);
  auto* check = sub->add_flag("--check", o->check, "Exit 1 and show a diff when a file is not formatted");
  sub->add_flag("--write", o->write, "Rewrite files in place")->excludes(check);
  return [o]() {
    std::vector<std::string> files;
    if (!collect_files(o->paths, files)) return kExitUsage;
    // Formatting needs only a clean parse; type errors do not stop it.
    auto c = compile(files, /*check=*/false);
    bool failed = c->diags.has_errors();
    std::vector<Diagnostic> unformatted;
    for (const ParsedFile& pf : c->files) {
      if (pf.file->has_errors) continue;
      const SourceFile& sf = c->sources.file(pf.file->id);
      std::string formatted = format_file(sf, *pf.file);
      if (o->write) {
        if (formatted != sf.text()) {
          std::ofstream out(sf.path(), std::ios::binary | std::ios::trunc);
          out << formatted;
          if (!out) {
            std::cerr << kErrorPrefix << "cannot write " << sf.path() << "\n";
            return kExitRuntime;
          }
          std::cerr << "formatted " << sf.path() << "\n";
        }
      } else if (o->check) {
        if (formatted != sf.text()) {
          Diagnostic d;
          d.code = Code::NotFormatted;
          d.file = pf.file->id;
          // Point at the first line that formatting changes.
          std::string_view before = sf.text();
          size_t i = 0, line_start = 0;
          while (i < before.size() && i < formatted.size() && before[i] == formatted[i])
            if (before[i++] == '\n') line_start = i;
          d.span = {static_cast<uint32_t>(line_start), static_cast<uint32_t>(line_start)};
          d.message = fmt::format("`{}` is not formatted", sf.path());
          d.help = "run `seg fmt --write " + sf.path() + "`";
          unformatted.push_back(d);
          if (o->diag.format == "human")
            std::cout << unified_diff(sf.text(), formatted, sf.path(), sf.path() + " (formatted)");
        }
      } else {
        std::cout << formatted;
      }
    }
    auto diags = c->diags.sorted();
    diags.insert(diags.end(), unformatted.begin(), unformatted.end());
    if (!diags.empty() || o->diag.format != "human") emit_diagnostics(c->sources, diags, o->diag);
    return failed || !unformatted.empty() ? kExitFailed : kExitOk;
  };
}

}  // namespace seg::cli
