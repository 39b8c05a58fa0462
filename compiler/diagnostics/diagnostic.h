#pragma once
// User diagnostics are data: collected, sorted by location, capped.
#include <string>
#include <vector>

#include "compiler/diagnostics/codes.h"
#include "compiler/diagnostics/source.h"

namespace seg {

struct Label {
  FileId file = 0;
  Span span;
  std::string message;
};

struct Diagnostic {
  Code code = Code::SyntaxError;
  Severity severity = Severity::Error;
  FileId file = 0;
  Span span;                 // primary range
  std::string message;
  std::string label;         // text under the primary carets (may be empty)
  std::vector<Label> notes;  // secondary labels
  std::string help;          // "did you mean `cart_value`?"
  bool quote_source = true;  // false: a binary file, whose "line" is not shown
  // SEG005 only: how many diagnostics the cap hid, per severity (counted in summaries).
  size_t hidden[3] = {0, 0, 0};
};

// A diagnostic at its code's default severity (the bag, the linter, `seg lint --sample`).
Diagnostic make_diagnostic(Code code, FileId file, Span span, std::string message);

class DiagnosticBag {
 public:
  explicit DiagnosticBag(size_t cap = 50) : cap_(cap) {}

  Diagnostic& report(Code code, FileId file, Span span, std::string message);
  bool has_errors() const { return errors_ > 0; }
  size_t error_count() const { return errors_; }
  // Sorted by file, then offset, then code; cap applied (an SEG005 note is appended when hit).
  std::vector<Diagnostic> sorted() const;
  const std::vector<Diagnostic>& raw() const { return diags_; }
  void clear() { diags_.clear(); errors_ = 0; }

 private:
  size_t cap_;
  size_t errors_ = 0;
  std::vector<Diagnostic> diags_;
};

struct DiagnosticCounts {
  size_t errors = 0, warnings = 0, infos = 0;
};
DiagnosticCounts count(const std::vector<Diagnostic>& diags);

}  // namespace seg
