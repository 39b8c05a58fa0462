// Human diagnostics in the rustc shape (STYLE.md "Diagnostics"):
//
//   error[SEG012]: unknown property `cart_valu` on event `added_to_cart`
//    --> rules/abandon.seg:14:28
//     |
//   14 |    and last(added_to_cart).cart_valu >= 75
//      |                            ^^^^^^^^^ did you mean `cart_value`?
//
// Columns are code points; a tab is one column, and the caret padding repeats the
// source line's tabs so the carets still line up in a terminal.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "compiler/diagnostics/render.h"

namespace seg {
namespace {

struct Style {
  std::string_view sev;     // severity word and primary carets
  std::string_view gutter;  // line numbers, `|`, `-->`, `=`, secondary underlines
  std::string_view bold;
  std::string_view reset;
};

std::string_view severity_color(Severity s) {
  switch (s) {
    case Severity::Error: return "\x1b[1;31m";
    case Severity::Warning: return "\x1b[1;33m";
    case Severity::Info: return "\x1b[1;36m";
  }
  return "";
}

Style make_style(bool color, Severity s) {
  if (!color) return {};
  return {severity_color(s), "\x1b[1;34m", "\x1b[1m", "\x1b[0m"};
}

// One underlined range, reduced to its first line.
struct Mark {
  uint32_t line = 1;
  uint32_t column = 1;  // 1-based code-point column
  uint32_t width = 1;   // code points, at least one
  bool primary = false;
  std::string_view text;
};

Mark make_mark(const SourceFile& f, Span span, bool primary, std::string_view text) {
  // Clamp so a span past the end of the file (or reversed) still renders.
  auto size = static_cast<uint32_t>(f.text().size());
  uint32_t begin = std::min(span.begin, size);
  uint32_t end = std::clamp(span.end, begin, size);
  LineCol a = f.line_col(begin);
  LineCol b = f.line_col(end);
  uint32_t width = 0;
  if (b.line == a.line) {
    width = b.column - a.column;
  } else {  // multi-line: underline to the end of the first line
    uint32_t len = count_code_points(f.line_text(a.line));
    width = len >= a.column ? len - a.column + 1 : 0;
  }
  return {a.line, a.column, std::max<uint32_t>(width, 1), primary, text};
}

// The marks of one file, in the order they are shown.
struct Snippet {
  FileId file = 0;
  std::vector<Mark> marks;
};

// Control characters from a source or a message could drive the terminal (or emit escape codes
// with colour off); each becomes U+FFFD, one code point, so columns still line up. Tabs and
// newlines stay.
// Control characters and bytes that are not valid UTF-8 become U+FFFD, so a diagnostic
// never writes escape sequences or broken text to the terminal.
std::string printable(std::string_view s) {
  static constexpr std::string_view kReplacement = "\uFFFD";
  std::string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      bool control = (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
      out += control ? kReplacement : std::string_view(&s[i], 1);
      ++i;
      continue;
    }
    size_t n = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    out += ok ? s.substr(i, n) : kReplacement;
    i += ok ? n : 1;
  }
  return out;
}

bool valid_file(const SourceManager& sm, FileId id) { return id < sm.size(); }

// A note without a range in another file is only a sentence: `= note: ...`.
bool is_plain_note(const SourceManager& sm, const Diagnostic& d, const Label& n) {
  if (!valid_file(sm, n.file)) return true;
  return n.file != d.file && n.span.begin == n.span.end;
}

std::vector<Snippet> collect_snippets(const SourceManager& sm, const Diagnostic& d) {
  std::vector<Snippet> out;
  if (!valid_file(sm, d.file) || !d.quote_source) return out;
  out.push_back({d.file, {make_mark(sm.file(d.file), d.span, true, d.label)}});
  for (const Label& n : d.notes) {
    if (is_plain_note(sm, d, n)) continue;
    auto it =
        std::find_if(out.begin(), out.end(), [&](const Snippet& s) { return s.file == n.file; });
    if (it == out.end()) it = out.insert(out.end(), Snippet{n.file, {}});
    it->marks.push_back(make_mark(sm.file(n.file), n.span, false, n.message));
  }
  // Stable: the primary mark stays first among marks on its line.
  for (Snippet& s : out)
    std::stable_sort(s.marks.begin(), s.marks.end(),
                     [](const Mark& a, const Mark& b) { return a.line < b.line; });
  return out;
}

size_t gutter_width(const std::vector<Snippet>& snippets) {
  uint32_t max_line = 1;
  for (const Snippet& s : snippets)
    for (const Mark& m : s.marks) max_line = std::max(max_line, m.line);
  return std::to_string(max_line).size();
}

// Spaces up to a column, keeping the line's own tabs so the carets stay aligned.
std::string caret_padding(std::string_view line, uint32_t column) {
  std::string pad;
  uint32_t seen = 0;
  for (unsigned char c : line) {
    if ((c & 0xC0) == 0x80) continue;  // continuation byte of the same code point
    if (seen + 1 >= column) break;
    pad += c == '\t' ? '\t' : ' ';
    ++seen;
  }
  pad.append(column - 1 - std::min(seen, column - 1), ' ');
  return pad;
}

void render_mark(std::string& out, const Style& st, size_t w, std::string_view line,
                 const Mark& m) {
  std::string_view color = m.primary ? st.sev : st.gutter;
  out +=
      fmt::format("{}{:{}} |{} {}{}{}", st.gutter, "", w, st.reset, caret_padding(line, m.column),
                  color, std::string(m.width, m.primary ? '^' : '-'));
  if (!m.text.empty()) out += fmt::format(" {}", printable(m.text));
  out += fmt::format("{}\n", st.reset);
}

void render_snippet(std::string& out, const SourceManager& sm, const Style& st, size_t w,
                    const Snippet& s, bool first) {
  const SourceFile& f = sm.file(s.file);
  // The primary snippet is located at the primary mark, others at their first mark.
  auto head = std::find_if(s.marks.begin(), s.marks.end(), [](const Mark& m) { return m.primary; });
  if (head == s.marks.end()) head = s.marks.begin();
  out += fmt::format("{} {}{} {}:{}:{}\n", st.gutter, first ? "-->" : ":::", st.reset,
                     printable(f.path()), head->line, head->column);
  out += fmt::format("{}{:{}} |{}\n", st.gutter, "", w, st.reset);
  uint32_t prev = 0;
  for (const Mark& m : s.marks) {
    std::string_view text = f.line_text(m.line);
    if (m.line != prev) {
      if (prev != 0 && m.line > prev + 1) out += fmt::format("{}...{}\n", st.gutter, st.reset);
      out += fmt::format("{}{:<{}} |{}", st.gutter, m.line, w, st.reset);
      out += text.empty() ? "\n" : fmt::format(" {}\n", printable(text));
      prev = m.line;
    }
    render_mark(out, st, w, text, m);
  }
}

void render_footer(std::string& out, const SourceManager& sm, const Style& st, size_t w,
                   const Diagnostic& d, bool had_snippet) {
  std::vector<std::string> lines;
  for (const Label& n : d.notes)
    if (is_plain_note(sm, d, n))
      lines.push_back(fmt::format("{}note{}: {}", st.bold, st.reset, printable(n.message)));
  if (!d.help.empty())
    lines.push_back(fmt::format("{}help{}: {}", st.bold, st.reset, printable(d.help)));
  if (lines.empty()) return;
  if (had_snippet) out += fmt::format("{}{:{}} |{}\n", st.gutter, "", w, st.reset);
  for (const std::string& l : lines)
    out += fmt::format("{}{:{}} ={} {}\n", st.gutter, "", w, st.reset, l);
}

std::string render_one(const SourceManager& sm, const Diagnostic& d, bool color) {
  Style st = make_style(color, d.severity);
  std::string out =
      fmt::format("{}{}[{}]{}{}: {}{}\n", st.sev, severity_name(d.severity), code_info(d.code).id,
                  st.reset, st.bold, printable(d.message), st.reset);
  std::vector<Snippet> snippets = collect_snippets(sm, d);
  size_t w = gutter_width(snippets);
  if (!d.quote_source && valid_file(sm, d.file)) {  // where, without the binary "line"
    Mark m = make_mark(sm.file(d.file), d.span, true, "");
    out += fmt::format("{} -->{} {}:{}:{}\n", st.gutter, st.reset, printable(sm.file(d.file).path()), m.line, m.column);
  }
  for (size_t i = 0; i < snippets.size(); ++i) render_snippet(out, sm, st, w, snippets[i], i == 0);
  render_footer(out, sm, st, w, d, !snippets.empty());
  return out;
}

std::string plural(size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// `error: 2 errors, 1 warning emitted`, led by the most severe kind present.
std::string summary_line(const DiagnosticCounts& c, bool color) {
  std::vector<std::string> parts;
  if (c.errors) parts.push_back(plural(c.errors, "error"));
  if (c.warnings) parts.push_back(plural(c.warnings, "warning"));
  if (c.infos) parts.push_back(plural(c.infos, "info"));
  if (parts.empty()) return {};
  Severity lead = c.errors ? Severity::Error : c.warnings ? Severity::Warning : Severity::Info;
  Style st = make_style(color, lead);
  return fmt::format("{}{}{}{}: {} emitted{}\n", st.sev, severity_name(lead), st.reset, st.bold,
                     fmt::join(parts, ", "), st.reset);
}

}  // namespace

std::string render_human(const SourceManager& sm, const std::vector<Diagnostic>& diags,
                         const RenderOptions& opt) {
  std::string out;
  for (size_t i = 0; i < diags.size(); ++i) {
    if (i > 0) out += '\n';
    out += render_one(sm, diags[i], opt.color);
  }
  std::string summary = summary_line(count(diags), opt.color);
  if (!summary.empty()) out += '\n' + summary;
  return out;
}

}  // namespace seg
