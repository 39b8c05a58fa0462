// String built-ins. Case mapping is ASCII-only on purpose: it is what the email rule needs
// and keeps results independent of the machine's locale.
#include "stdlib/builtins/builtins.h"

#include <string_view>

namespace {

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view sv(seg_str s) { return s.len ? std::string_view(s.data, s.len) : ""; }

}  // namespace

extern "C" {

void seg_str_lower(const char* s, size_t len, char* out) {
  for (size_t i = 0; i < len; ++i) out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
}

void seg_str_upper(const char* s, size_t len, char* out) {
  for (size_t i = 0; i < len; ++i) out[i] = (s[i] >= 'a' && s[i] <= 'z') ? s[i] - 32 : s[i];
}

seg_str seg_str_trim(const char* s, size_t len) {
  size_t b = 0, e = len;
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return {s + b, e - b};
}

int seg_str_starts_with(seg_str s, seg_str prefix) { return sv(s).starts_with(sv(prefix)); }
int seg_str_ends_with(seg_str s, seg_str suffix) { return sv(s).ends_with(sv(suffix)); }
int seg_str_contains(seg_str s, seg_str needle) {
  return sv(s).find(sv(needle)) != std::string_view::npos;
}

size_t seg_str_len(const char* s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; ++i) n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return n;
}

}  // extern "C"
