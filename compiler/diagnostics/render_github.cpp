// GitHub Actions workflow commands, one annotation per line:
//   ::error file=P,line=L,col=C,endLine=EL,endColumn=EC,title=SEG012::message
// endColumn is exclusive, like the JSON renderer. GitHub only honours columns on
// single-line annotations, so col/endColumn are left out when the span crosses lines.
#include <algorithm>

#include <fmt/format.h>

#include "compiler/diagnostics/render.h"

namespace seg {
namespace {

// Escaping for the text after `::`.
std::string escape_message(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

// Property values also end at `,` and `::`.
std::string escape_property(std::string_view s) {
  std::string out;
  for (char c : escape_message(s)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

std::string_view command_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "notice";
  }
  return "error";
}

std::string location_properties(const SourceManager& sm, const Diagnostic& d) {
  if (d.file >= sm.size()) return {};
  const SourceFile& f = sm.file(d.file);
  LineCol a = f.line_col(d.span.begin);
  LineCol b = f.line_col(std::max(d.span.begin, d.span.end));
  std::string out = fmt::format("file={},line={}", escape_property(f.path()), a.line);
  if (a.line == b.line) out += fmt::format(",col={}", a.column);
  out += fmt::format(",endLine={}", b.line);
  if (a.line == b.line) out += fmt::format(",endColumn={}", b.column);
  return out + ',';
}

}  // namespace

std::string render_github(const SourceManager& sm, const std::vector<Diagnostic>& diags) {
  std::string out;
  for (const Diagnostic& d : diags) {
    std::string message = d.message;
    if (!d.help.empty()) message += "\nhelp: " + d.help;
    out +=
        fmt::format("::{} {}title={}::{}\n", command_name(d.severity), location_properties(sm, d),
                    escape_property(code_info(d.code).id), escape_message(message));
  }
  return out;
}

}  // namespace seg
