#include "compiler/diagnostics/codes.h"

#include <array>

namespace seg {
namespace {
constexpr std::array kCodes = {
#define SEG_CODE(e, code, sev, title) CodeInfo{Code::e, code, Severity::sev, title},
#include "compiler/diagnostics/codes.def"
#undef SEG_CODE
};
}  // namespace

const CodeInfo& code_info(Code c) { return kCodes[static_cast<size_t>(c)]; }
std::span<const CodeInfo> all_codes() { return kCodes; }

std::optional<Code> code_from_id(std::string_view id) {
  for (const auto& c : kCodes)
    if (c.id == id) return c.code;
  return std::nullopt;
}

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "error";
}

}  // namespace seg
