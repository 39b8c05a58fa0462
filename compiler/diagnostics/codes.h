#pragma once
#include <optional>
#include <span>
#include <string_view>

namespace seg {

enum class Severity { Error, Warning, Info };

enum class Code {
#define SEG_CODE(e, code, sev, title) e,
#include "compiler/diagnostics/codes.def"
#undef SEG_CODE
};

struct CodeInfo {
  Code code;
  std::string_view id;  // "SEG001"
  Severity default_severity;
  std::string_view title;
};

const CodeInfo& code_info(Code c);
std::span<const CodeInfo> all_codes();
std::optional<Code> code_from_id(std::string_view id);
std::string_view severity_name(Severity s);  // "error" | "warning" | "info"

}  // namespace seg
