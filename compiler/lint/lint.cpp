// The lint pipeline: every rule in order over the checked program, then configuration,
// suppressions and --strict (finish).
#include "compiler/lint/lint.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <sstream>

#include "compiler/lint/lint_rules.h"

namespace seg::lint {

std::vector<Diagnostic> run(const Compilation& c, const ir::Bundle& bundle, const Config& cfg) {
  std::vector<Diagnostic> found;
  Context cx{c, *c.program, bundle, cfg, Conditions(bundle), found};
  rule_audience_rot(cx);
  rule_naming(cx);
  rule_overlapping_ads(cx);
  rule_over_sending(cx);
  rule_unused(cx);
  rule_unreachable_arm(cx);
  rule_holdouts(cx);
  rule_negated_missing(cx);
  rule_short_window(cx);
  return found;
}

namespace {

// `# seg-lint: allow SEG107, SEG102 -- reason`: before a declaration, for all of it;
// inside one, for its own line and the next.
struct Suppression {
  FileId file;
  uint32_t first_line, last_line;
  std::vector<Code> codes;
};

std::vector<Suppression> suppressions(const Compilation& c, std::vector<Diagnostic>& problems) {
  static const std::regex re(R"(^(#|//)\s*seg-lint:\s*allow\s+([A-Za-z0-9_,\s]+?)\s*(--\s*(.*))?$)");
  std::vector<Suppression> out;
  for (const ParsedFile& pf : c.files) {
    if (!pf.file) continue;
    const SourceFile& src = c.sources.file(pf.file->id);
    std::vector<std::pair<uint32_t, uint32_t>> decls;
    for (const ast::Decl* d : pf.file->decls) decls.push_back({src.line_of(d->span.begin), src.line_of(d->span.end)});
    for (const ast::Comment& cm : pf.file->comments) {
      std::smatch m;
      if (!std::regex_match(cm.text, m, re)) continue;
      auto problem = [&](std::string message) {
        Diagnostic d = make_diagnostic(Code::SuppressionNoReason, pf.file->id, cm.span, std::move(message));
        d.help = "write why: `# seg-lint: allow SEG107 -- the retargeting test has its own control group`";
        problems.push_back(std::move(d));
      };
      std::string reason = m[4].matched ? m[4].str() : "";
      reason.erase(0, reason.find_first_not_of(" \t"));
      if (reason.empty()) {
        problem("suppression without a reason: it is ignored until it says why");
        continue;
      }
      Suppression s{pf.file->id, 0, 0, {}};
      std::string list = m[2].str();
      std::replace(list.begin(), list.end(), ',', ' ');
      std::istringstream ids(list);
      bool ok = true;
      for (std::string id; ids >> id;) {
        auto code = code_from_id(id);
        if (!code || id.rfind("SEG1", 0) != 0 || *code == Code::SuppressionNoReason) {
          problem("`" + id + "` cannot be allowed: only the findings SEG101–SEG112 can");
          ok = false;
        } else {
          s.codes.push_back(*code);
        }
      }
      if (!ok || s.codes.empty()) continue;
      // On a declaration's first line, or directly above it (only comment lines between):
      // the whole declaration. Inside one: its own line and the next. Else: nothing.
      uint32_t line = src.line_of(cm.span.begin);
      s.first_line = line;
      s.last_line = line + 1;
      bool placed = false;
      for (auto [first, last] : decls) {
        if (first <= line && line <= last) {
          if (first == line) s.last_line = last;
          placed = true;
          break;
        }
        if (first > line) {
          bool adjacent = true;
          for (uint32_t l = line + 1; l < first && adjacent; ++l) {
            std::string_view text = src.line_text(l);
            size_t at = text.find_first_not_of(" \t");
            adjacent = at != std::string_view::npos && (text[at] == '#' || text.substr(at, 2) == "//");
          }
          if (adjacent) s.last_line = last, placed = true;
          break;
        }
      }
      if (!placed) continue;
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace

std::vector<Diagnostic> finish(const Compilation& c, std::vector<Diagnostic> found, const Config& cfg, bool strict) {
  std::vector<Diagnostic> problems;
  std::vector<Suppression> allow = suppressions(c, problems);
  found.insert(found.end(), problems.begin(), problems.end());
  std::vector<Diagnostic> out;
  for (Diagnostic& d : found) {
    if (auto it = cfg.severity.find(d.code); it != cfg.severity.end()) {
      if (!it->second) continue;  // off
      d.severity = *it->second;
    }
    uint32_t line = c.sources.file(d.file).line_of(d.span.begin);
    bool allowed = std::any_of(allow.begin(), allow.end(), [&](const Suppression& s) {
      return s.file == d.file && s.first_line <= line && line <= s.last_line &&
             std::find(s.codes.begin(), s.codes.end(), d.code) != s.codes.end();
    });
    if (allowed) continue;
    if (strict && d.severity == Severity::Warning) d.severity = Severity::Error;
    out.push_back(std::move(d));
  }
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.file != b.file) return a.file < b.file;
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    return a.code < b.code;
  });
  return out;
}

}  // namespace seg::lint
