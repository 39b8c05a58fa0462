#include "compiler/diagnostics/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace seg {

Diagnostic make_diagnostic(Code code, FileId file, Span span, std::string message) {
  Diagnostic d;
  d.code = code;
  d.severity = code_info(code).default_severity;
  d.file = file;
  d.span = span;
  d.message = std::move(message);
  return d;
}

Diagnostic& DiagnosticBag::report(Code code, FileId file, Span span, std::string message) {
  Diagnostic d = make_diagnostic(code, file, span, std::move(message));
  if (d.severity == Severity::Error) ++errors_;
  diags_.push_back(std::move(d));
  return diags_.back();
}

std::vector<Diagnostic> DiagnosticBag::sorted() const {
  std::vector<Diagnostic> out = diags_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tuple(a.file, a.span.begin, a.span.end, code_info(a.code).id) <
           std::tuple(b.file, b.span.begin, b.span.end, code_info(b.code).id);
  });
  if (out.size() > cap_) {
    Diagnostic last = out[cap_ - 1];
    size_t dropped = out.size() - cap_;
    Diagnostic note;
    for (size_t i = cap_; i < out.size(); ++i) ++note.hidden[static_cast<int>(out[i].severity)];
    note.code = Code::TooManyErrors;
    note.severity = Severity::Error;
    note.file = last.file;
    note.span = last.span;
    note.message = "too many diagnostics; " + std::to_string(dropped) + " more not shown";
    out.resize(cap_);
    out.push_back(std::move(note));
  }
  return out;
}

DiagnosticCounts count(const std::vector<Diagnostic>& diags) {
  DiagnosticCounts c;
  for (const auto& d : diags) {
    c.errors += d.hidden[0];
    c.warnings += d.hidden[1];
    c.infos += d.hidden[2];
    if (d.code == Code::TooManyErrors) continue;  // a note about others, not an error itself
    switch (d.severity) {
      case Severity::Error: ++c.errors; break;
      case Severity::Warning: ++c.warnings; break;
      case Severity::Info: ++c.infos; break;
    }
  }
  return c;
}

}  // namespace seg
