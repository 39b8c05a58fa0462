// Diagnostics as a SARIF 2.1.0 log: one run, one rule per distinct code used,
// one result per diagnostic. Regions use the run's columnKind "unicodeCodePoints",
// 1-based, with an exclusive endColumn (the SARIF definition).
#include <algorithm>
#include <cctype>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/diagnostics/render.h"

namespace seg {
namespace {

using Json = nlohmann::ordered_json;

std::string_view sarif_level(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "note";
  }
  return "error";
}

// Codes used, in table order, so ruleIndex is stable whatever the result order.
std::vector<Code> used_codes(const std::vector<Diagnostic>& diags) {
  std::vector<Code> codes;
  for (const Diagnostic& d : diags) codes.push_back(d.code);
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  return codes;
}

Json rule_json(Code c) {
  const CodeInfo& info = code_info(c);
  return {{"id", info.id}, {"name", info.title}, {"shortDescription", {{"text", info.title}}}};
}

// A location; `with_region` is false for a note that names a file but no range.
Json physical_location(const SourceManager& sm, FileId file, Span span, bool with_region) {
  if (file >= sm.size()) return Json::object();
  const SourceFile& f = sm.file(file);
  Json loc = {{"artifactLocation", {{"uri", path_to_uri(f.path())}}}};
  if (!with_region) return loc;
  LineCol a = f.line_col(span.begin);  // line_col clamps offsets past the end
  LineCol b = f.line_col(std::max(span.begin, span.end));
  loc["region"] = {{"startLine", a.line},
                   {"startColumn", a.column},
                   {"endLine", b.line},
                   {"endColumn", b.column}};
  return loc;
}

Json related_locations(const SourceManager& sm, const Diagnostic& d) {
  Json out = Json::array();
  for (const Label& n : d.notes) {
    bool plain = n.file != d.file && n.span.begin == n.span.end;  // as the human renderer
    Json loc = {{"physicalLocation", physical_location(sm, n.file, n.span, !plain)}};
    if (!n.message.empty()) loc["message"] = {{"text", n.message}};
    out.push_back(std::move(loc));
  }
  return out;
}

Json result_json(const SourceManager& sm, const Diagnostic& d, size_t rule_index) {
  Json r;
  r["ruleId"] = code_info(d.code).id;
  r["ruleIndex"] = rule_index;
  r["level"] = sarif_level(d.severity);
  r["message"] = {{"text", d.message}};
  r["locations"] =
      Json::array({{{"physicalLocation", physical_location(sm, d.file, d.span, true)}}});
  if (!d.notes.empty()) r["relatedLocations"] = related_locations(sm, d);
  if (!d.help.empty()) r["properties"] = {{"help", d.help}};
  return r;
}

}  // namespace

// A path as a URI reference (RFC 3986): unreserved bytes and `/` as they are, every
// other byte (spaces, `%`, `:`, UTF-8) percent-encoded, so any file name round-trips.
std::string path_to_uri(std::string_view path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}


std::string render_sarif(const SourceManager& sm, const std::vector<Diagnostic>& diags,
                         const RenderOptions& opt) {
  std::vector<Code> codes = used_codes(diags);
  Json rules = Json::array();
  for (Code c : codes) rules.push_back(rule_json(c));
  Json results = Json::array();
  for (const Diagnostic& d : diags) {
    auto index =
        static_cast<size_t>(std::lower_bound(codes.begin(), codes.end(), d.code) - codes.begin());
    results.push_back(result_json(sm, d, index));
  }
  Json driver = {{"name", "seg"}, {"version", opt.tool_version}, {"rules", std::move(rules)}};
  Json run = {{"tool", {{"driver", std::move(driver)}}},
              {"columnKind", "unicodeCodePoints"},
              {"results", std::move(results)}};
  Json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", Json::array({std::move(run)})}};
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

}  // namespace seg
