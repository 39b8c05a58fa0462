#pragma once
// Renderers for diagnostics: human (rustc-like, optional colour), JSON (RUNTIME.md §1),
// SARIF 2.1.0 and GitHub Actions workflow commands.
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"

namespace seg {

enum class DiagFormat { Human, Json, Sarif, Github };

struct RenderOptions {
  bool color = false;
  std::string tool_version = "0.1.0";
};

std::string render_human(const SourceManager& sm, const std::vector<Diagnostic>& diags,
                         const RenderOptions& opt);
std::string render_json(const SourceManager& sm, const std::vector<Diagnostic>& diags);
std::string render_sarif(const SourceManager& sm, const std::vector<Diagnostic>& diags,
                         const RenderOptions& opt);
std::string render_github(const SourceManager& sm, const std::vector<Diagnostic>& diags);
std::string render(DiagFormat f, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                   const RenderOptions& opt);

}  // namespace seg
