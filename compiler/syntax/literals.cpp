#include "compiler/syntax/literals.h"

#include "stdlib/builtins/builtins.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace seg {
namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::optional<std::string> unescape_string(std::string_view q, std::string& error) {
  std::string out;
  if (q.size() < 2) {
    error = "unterminated string";
    return std::nullopt;
  }
  std::string_view s = q.substr(1, q.size() - 2);
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= s.size()) break;
    switch (s[i]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'u': {
        bool hex4 = i + 4 < s.size();
        for (size_t k = 1; hex4 && k <= 4; ++k) hex4 = std::isxdigit(static_cast<unsigned char>(s[i + k]));
        if (!hex4) {
          error = "`\\u` needs four hex digits, as in `\\u00e9`";
          return std::nullopt;
        }
        uint32_t cp = static_cast<uint32_t>(std::strtoul(std::string(s.substr(i + 1, 4)).c_str(), nullptr, 16));
        if (cp >= 0xD800 && cp <= 0xDFFF) {
          error = "`\\u` escape names a surrogate code point, which is not a character";
          return std::nullopt;
        }
        append_utf8(out, cp);
        i += 4;
        break;
      }
      default:
        error = std::string("unknown escape `\\") + s[i] + "`; the escapes are \\\" \\\\ \\n \\t \\uXXXX";
        return std::nullopt;
    }
  }
  return out;
}

std::optional<int64_t> parse_duration_ms(std::string_view text, std::string& error) {
  int64_t total = 0;
  size_t i = 0;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 4;
  while (i < text.size()) {
    int64_t n = 0;
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (n > kMax / 10) {
        error = "duration is too large";
        return std::nullopt;
      }
      n = n * 10 + (text[i++] - '0');
    }
    if (i == start || i >= text.size()) {
      error = "a duration needs a unit (`s`, `m`, `h`, `d` or `w`)";
      return std::nullopt;
    }
    int64_t unit = 0;
    switch (text[i++]) {
      case 's': unit = 1000; break;
      case 'm': unit = 60'000; break;
      case 'h': unit = 3'600'000; break;
      case 'd': unit = 86'400'000; break;
      case 'w': unit = 7 * 86'400'000LL; break;
      default: error = "unknown duration unit"; return std::nullopt;
    }
    if (n > kMax / unit || total > kMax - n * unit) {
      error = "duration is too large";
      return std::nullopt;
    }
    total += n * unit;
  }
  return total;
}

std::optional<int64_t> parse_timestamp_ms(std::string_view s, std::string& error) {
  const char* why = nullptr;
  auto ms = builtins::parse_time(s, false, &why);
  if (!ms) error = why;
  return ms;
}

std::optional<double> parse_number(std::string_view text, std::string& error) {
  if (!text.empty() && text[0] == '$') text.remove_prefix(1);
  std::string buf(text);
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size() || !std::isfinite(v) || errno == ERANGE) {
    error = "number is out of range";
    return std::nullopt;
  }
  return v;
}

std::string format_duration(int64_t ms) { return builtins::format_duration(ms); }

std::string format_timestamp(int64_t ms) { return builtins::format_time(ms); }

}  // namespace seg
