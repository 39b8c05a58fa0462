// Diagnostics as one JSON object (RUNTIME.md §1):
//   {"diagnostics":[{"code","severity","message","file","line","column",
//                    "end_line","end_column","help"?}],
//    "summary":{"errors","warnings","infos"}}
// Lines and columns are 1-based, columns in code points. `end_line`/`end_column`
// are the position of the span's end, so `end_column` is EXCLUSIVE (as in LSP and
// SARIF): a zero-width span has end_column == column. `help` is omitted when empty.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "compiler/diagnostics/render.h"

namespace seg {
namespace {

using Json = nlohmann::ordered_json;

Json diagnostic_json(const SourceManager& sm, const Diagnostic& d) {
  Json j;
  j["code"] = code_info(d.code).id;
  j["severity"] = severity_name(d.severity);
  j["message"] = d.message;
  LineCol a, b;  // 1:1 when the file id is unknown, rather than throwing
  std::string path;
  if (d.file < sm.size()) {
    const SourceFile& f = sm.file(d.file);
    path = f.path();
    a = f.line_col(d.span.begin);  // line_col clamps offsets past the end
    b = f.line_col(std::max(d.span.begin, d.span.end));
  }
  j["file"] = path;
  j["line"] = a.line;
  j["column"] = a.column;
  j["end_line"] = b.line;
  j["end_column"] = b.column;
  if (!d.help.empty()) j["help"] = d.help;
  return j;
}

}  // namespace

std::string render_json(const SourceManager& sm, const std::vector<Diagnostic>& diags) {
  Json list = Json::array();
  for (const Diagnostic& d : diags) list.push_back(diagnostic_json(sm, d));
  DiagnosticCounts c = count(diags);  // SEG005 "too many" entries are listed, not counted
  Json root;
  root["diagnostics"] = std::move(list);
  root["summary"] = {{"errors", c.errors}, {"warnings", c.warnings}, {"infos", c.infos}};
  // Invalid UTF-8 in a message must not throw at the user: replace it with U+FFFD.
  return root.dump(-1, ' ', false, Json::error_handler_t::replace) + '\n';
}

}  // namespace seg
