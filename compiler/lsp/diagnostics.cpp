// Compiler diagnostics as LSP diagnostics: UTF-16 ranges, the code with a link to its
// section of docs/diagnostics.md, notes as related information, help in the message.
#include <cctype>

#include "compiler/lsp/features.h"

namespace seg::lsp {

std::string docs_anchor(Code code) {
  // GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens; the
  // headings are `## SEG001 — syntax error`.
  const CodeInfo& info = code_info(code);
  std::string heading = std::string(info.id) + " — " + std::string(info.title);
  std::string out;
  for (size_t i = 0; i < heading.size(); ++i) {
    unsigned char ch = static_cast<unsigned char>(heading[i]);
    if (std::isalnum(ch) || ch == '_' || ch == '-') out += static_cast<char>(std::tolower(ch));
    else if (ch == ' ') out += '-';
  }
  return out;
}

Json diagnostic_to_json(const Analysis& a, const Diagnostic& d, const std::string& docs_url) {
  const SourceFile& src = a.c->sources.file(d.file);
  LineIndex lines(src.text());
  const CodeInfo& info = code_info(d.code);
  std::string message = d.message;
  if (!d.label.empty()) message += " (" + d.label + ")";
  if (!d.help.empty()) message += "\nhelp: " + d.help;
  Json j = {{"range", lines.range(d.span)},
            {"severity", d.severity == Severity::Error ? 1 : d.severity == Severity::Warning ? 2 : 3},
            {"code", std::string(info.id)},
            {"source", "seg"},
            {"message", message}};
  if (!docs_url.empty()) j["codeDescription"] = {{"href", docs_url + "#" + docs_anchor(d.code)}};
  if (d.code == Code::Unused) j["tags"] = Json::array({1});  // Unnecessary: editors fade it
  Json related = Json::array();
  for (const Label& n : d.notes) {
    auto uri = a.uris.find(n.file);
    if (uri == a.uris.end()) continue;  // the standard library has no file to show
    LineIndex other(a.c->sources.file(n.file).text());
    related.push_back({{"location", {{"uri", uri->second}, {"range", other.range(n.span)}}}, {"message", n.message}});
  }
  if (!related.empty()) j["relatedInformation"] = related;
  return j;
}

}  // namespace seg::lsp
