// Formatting (the `seg fmt` result as one edit) and quick fixes: the "did you mean"
// suggestions of errors, and the lints with one obvious fix (features.h).
#include <fmt/format.h>

#include <regex>

#include "compiler/lsp/features.h"
#include "compiler/syntax/formatter.h"

namespace seg::lsp {
namespace {

Json edit(const LineIndex& lines, Span s, const std::string& text) { return {{"range", lines.range(s)}, {"newText", text}}; }

bool overlaps(Span a, Span b) { return a.begin <= b.end && b.begin <= a.end; }

// The whole lines of a span, with their line break (to delete them).
Span whole_lines(std::string_view text, Span s) {
  uint32_t a = s.begin, b = s.end;
  while (a > 0 && text[a - 1] != '\n') --a;
  while (b < text.size() && text[b] != '\n') ++b;
  if (b < text.size()) ++b;
  return {a, b};
}

}  // namespace

Json formatting(const std::string& path, const std::string& text, std::optional<RequestError>& error) {
  auto c = compile_sources({{path, text}}, /*check=*/false);
  const ParsedFile& pf = c->files.front();
  if (pf.file->has_errors) {
    for (const Diagnostic& d : c->diags.sorted()) {
      LineCol lc = c->sources.file(d.file).line_col(d.span.begin);
      error = RequestError{-32803, fmt::format("cannot format: {}:{}:{}: {}", path, lc.line, lc.column, d.message)};
      return nullptr;
    }
    error = RequestError{-32803, "cannot format a file with syntax errors"};
    return nullptr;
  }
  std::string formatted = format_file(c->sources.file(pf.file->id), *pf.file);
  Json out = Json::array();
  if (formatted == text) return out;
  LineIndex lines(text);
  out.push_back(edit(lines, {0, static_cast<uint32_t>(text.size())}, formatted));
  return out;
}

Json code_actions(const FileView& v, const Json& range, const Json& context) {
  Json out = Json::array();
  if (!v.source) return out;
  std::string_view text = v.source->text();
  LineIndex lines(text);
  Span want{lines.offset(position_from_json(range.value("start", Json::object()))),
            lines.offset(position_from_json(range.value("end", Json::object())))};
  (void)context;  // the analysis's own diagnostics are the truth; the client's copy may be older
  static const std::regex did_you_mean("did you mean `([A-Za-z_][A-Za-z0-9_]*)`\\?");
  static const std::regex ident("[A-Za-z_][A-Za-z0-9_]*");
  for (const Diagnostic& d : v.now->diags) {
    if (d.file != v.id || !overlaps(d.span, want)) continue;
    Json diag = diagnostic_to_json(*v.now, d, v.docs_url);
    auto action = [&](const std::string& title, Json edits) {
      out.push_back({{"title", title},
                     {"kind", "quickfix"},
                     {"isPreferred", true},
                     {"diagnostics", Json::array({diag})},
                     {"edit", {{"changes", {{v.uri_of(*v.now, v.id), edits}}}}}});
    };
    std::string written(text.substr(d.span.begin, d.span.end - d.span.begin));
    std::smatch m;
    if (std::regex_search(d.help, m, did_you_mean) && std::regex_match(written, ident)) {
      action(fmt::format("Replace `{}` with `{}`", written, m[1].str()), Json::array({edit(lines, d.span, m[1].str())}));
      continue;
    }
    if (d.code == Code::AudienceRot && written.rfind("on", 0) == 0) {
      // `on exit keep` on an ads destination: the default, `remove`, is the fix.
      action("Remove `on exit keep`", Json::array({edit(lines, whole_lines(text, d.span), "")}));
    } else if (d.code == Code::OverSending && std::regex_match(written, ident)) {
      // A @pii attribute in `fields`: drop it from the list (the line when it is alone).
      Span s = d.span;
      uint32_t a = s.begin, b = s.end;
      while (b < text.size() && (text[b] == ' ' || text[b] == '\t')) ++b;
      if (b < text.size() && text[b] == ',') {
        ++b;
        while (b < text.size() && (text[b] == ' ' || text[b] == '\t')) ++b;
        s = {a, b};
      } else {
        uint32_t k = a;
        while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t')) --k;
        if (k > 0 && text[k - 1] == ',') s = {k - 1, s.end};
        else s = whole_lines(text, s);  // the only field: the whole `fields` line goes
      }
      action(fmt::format("Remove `{}` from `fields`", written), Json::array({edit(lines, s, "")}));
    }
  }
  return out;
}

}  // namespace seg::lsp
