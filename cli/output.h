#pragma once
// Shared CLI plumbing: diagnostic output, colour decisions, path expansion.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "compiler/driver/driver.h"
#include "compiler/diagnostics/render.h"

namespace seg::cli {

struct DiagOptions {
  std::string format = "human";  // human | json | sarif | github
  std::string color = "auto";    // auto | always | never
};

// The options every verb over rule files shares: the files, `--color`, and (when
// `with_format`) `--format`. `bundles`: the verb also runs a `.segb` bundle built by
// `seg build` (it loads its rules through host_options.h), and its help says so.
void add_file_options(CLI::App* sub, std::vector<std::string>& paths, DiagOptions& diag,
                      bool with_format, bool bundles = false);

// Parses "human|json|sarif|github"; false when unknown.
bool parse_format(const std::string& name, DiagFormat& out);

// Writes diagnostics: human to stderr, machine formats to stdout (always, even when empty).
void emit_diagnostics(const SourceManager& sm, const std::vector<Diagnostic>& diags,
                      const DiagOptions& opt);

// Expands paths; reports missing ones on stderr. Returns false when nothing usable was given.
bool collect_files(const std::vector<std::string>& paths, std::vector<std::string>& files);

// Rows as text columns padded to their widest cell (code points), two spaces apart and
// indented by two; `right[i]`: column i holds numbers (right-aligned).
std::string text_table(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right);

}  // namespace seg::cli
