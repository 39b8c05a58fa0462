#include "cli/output.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/usage.h"

namespace seg::cli {

void add_file_options(CLI::App* sub, std::vector<std::string>& paths, DiagOptions& diag,
                      bool with_format, bool bundles) {
  sub->add_option("files", paths,
                  bundles ? "Rule files or directories (searched for *.seg), or one .segb bundle built by `seg build`"
                          : "Rule files or directories (searched for *.seg)")
      ->required();
  if (with_format)
    sub->add_option("--format", diag.format, "Diagnostics format")
        ->check(CLI::IsMember({"human", "json", "sarif", "github"}));
  sub->add_option("--color", diag.color, "Colour for human output")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

bool parse_format(const std::string& name, DiagFormat& out) {
  if (name == "human") out = DiagFormat::Human;
  else if (name == "json") out = DiagFormat::Json;
  else if (name == "sarif") out = DiagFormat::Sarif;
  else if (name == "github") out = DiagFormat::Github;
  else return false;
  return true;
}

void emit_diagnostics(const SourceManager& sm, const std::vector<Diagnostic>& diags,
                      const DiagOptions& opt) {
  DiagFormat f = DiagFormat::Human;
  parse_format(opt.format, f);
  RenderOptions ro;
  if (f == DiagFormat::Human) {
    ro.color = opt.color == "always" ||
               (opt.color == "auto" && isatty(STDERR_FILENO) && std::getenv("NO_COLOR") == nullptr);
    std::cerr << render_human(sm, diags, ro);
    return;
  }
  std::cout << render(f, sm, diags, ro);
  std::cout.flush();
}

bool collect_files(const std::vector<std::string>& paths, std::vector<std::string>& files) {
  std::vector<std::string> missing;
  files = expand_paths(paths, missing);
  for (const auto& m : missing) std::cerr << kErrorPrefix << "no such file or directory: " << m << "\n";
  if (!missing.empty()) return false;
  if (files.empty()) {
    std::cerr << kErrorPrefix << "no .seg files found in the given paths\n";
    return false;
  }
  return true;
}

// Columns padded to their widest cell; `right[i]`: column i is numbers.
std::string text_table(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right) {
  std::vector<size_t> w;
  auto width = [](const std::string& s) {  // code points, for ▁…█ and the arrows
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) {
      if (w.size() <= i) w.push_back(0);
      w[i] = std::max(w[i], width(r[i]));
    }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      std::string pad(w[i] - width(r[i]), ' ');
      bool last = i + 1 == r.size();
      line += (i < right.size() && right[i]) ? pad + r[i] : r[i] + (last ? "" : pad);
      if (!last) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += "  " + line + "\n";
  }
  return out;
}


}  // namespace seg::cli
