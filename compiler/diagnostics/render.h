#pragma once
// Renderers for diagnostics: human (rustc-like, optional colour), JSON (RUNTIME.md §1),
// SARIF 2.1.0 and GitHub Actions workflow commands.
#include <string>
#include <string_view>
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
// A path as a URI reference (RFC 3986): unreserved bytes and `/` kept, every other byte
// percent-encoded (SARIF artifact locations; the language server's file:// URIs).
std::string path_to_uri(std::string_view path);

std::string render_sarif(const SourceManager& sm, const std::vector<Diagnostic>& diags,
                         const RenderOptions& opt);
std::string render_github(const SourceManager& sm, const std::vector<Diagnostic>& diags);
std::string render(DiagFormat f, const SourceManager& sm, const std::vector<Diagnostic>& diags,
                   const RenderOptions& opt);

}  // namespace seg
