// Email normalisation (LANGUAGE.md §7).
#include "stdlib/builtins/builtins.h"

#include <algorithm>
#include <string_view>

extern "C" size_t seg_email_normalize(const char* s, size_t len, seg_email_rule rule,
                                      char* out, size_t cap) {
  if (len == 0) return 0;
  seg_str t = seg_str_trim(s, len);
  std::string_view v(t.data, t.len);
  size_t at = v.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == v.size()) return 0;
  if (v.find('@', at + 1) != std::string_view::npos) return 0;
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  if (std::any_of(v.begin(), v.end(), space)) return 0;

  std::string_view local = v.substr(0, at), domain = v.substr(at + 1);
  // Lower-case first so the Gmail check sees "GMAIL.COM" as gmail.com.
  char dom[256];
  if (domain.size() > sizeof dom) return 0;  // longer than any DNS name
  seg_str_lower(domain.data(), domain.size(), dom);
  std::string_view d(dom, domain.size());
  bool drop_dots = rule == SEG_EMAIL_GOOGLE && (d == "gmail.com" || d == "googlemail.com");

  size_t local_n = drop_dots ? local.size() - std::count(local.begin(), local.end(), '.')
                             : local.size();
  if (local_n == 0) return 0;  // e.g. "...@gmail.com"
  size_t n = local_n + 1 + d.size();
  if (n > cap) return n;
  char* o = out;
  for (char c : local) {
    if (drop_dots && c == '.') continue;
    *o++ = (c >= 'A' && c <= 'Z') ? c + 32 : c;
  }
  *o++ = '@';
  std::copy(d.begin(), d.end(), o);
  return n;
}
