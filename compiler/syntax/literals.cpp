#include "compiler/syntax/literals.h"

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

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's algorithm: days since 1970-01-01 in the proleptic Gregorian calendar.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool read_digits(std::string_view s, size_t& i, size_t n, int64_t& out) {
  out = 0;
  for (size_t k = 0; k < n; ++k, ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
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
  size_t i = 0;
  int64_t y, mo, d, h = 0, mi = 0, se = 0, ms = 0, off = 0;
  bool ok = read_digits(s, i, 4, y) && i < s.size() && s[i++] == '-' && read_digits(s, i, 2, mo) &&
            i < s.size() && s[i++] == '-' && read_digits(s, i, 2, d);
  if (!ok) {
    error = "expected `YYYY-MM-DD`";
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, static_cast<unsigned>(mo))) {
    error = "no such date";
    return std::nullopt;
  }
  if (i < s.size()) {
    ++i;  // 'T'
    ok = read_digits(s, i, 2, h) && s[i++] == ':' && read_digits(s, i, 2, mi) && s[i++] == ':' &&
         read_digits(s, i, 2, se);
    if (!ok || h > 23 || mi > 59 || se > 59) {
      error = "no such time of day";
      return std::nullopt;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      int digits = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (digits < 3) ms = ms * 10 + (s[i] - '0');
        ++digits, ++i;
      }
      for (; digits < 3; ++digits) ms *= 10;
    }
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      int sign = s[i++] == '-' ? -1 : 1;
      int64_t oh, om;
      if (!read_digits(s, i, 2, oh) || s[i++] != ':' || !read_digits(s, i, 2, om) || oh > 23 ||
          om > 59) {
        error = "invalid UTC offset";
        return std::nullopt;
      }
      off = sign * (oh * 60 + om) * 60'000;
    }
  }
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return days * 86'400'000 + h * 3'600'000 + mi * 60'000 + se * 1000 + ms - off;
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

std::string format_duration(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  struct Unit { int64_t ms; char c; };
  static const Unit kUnits[] = {{7 * 86'400'000LL, 'w'}, {86'400'000, 'd'}, {3'600'000, 'h'},
                                {60'000, 'm'}, {1000, 's'}};
  for (const auto& u : kUnits) {
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms) + u.c;
      ms %= u.ms;
    }
  }
  return out;
}

std::string format_timestamp(int64_t ms) {
  int64_t days = ms >= 0 ? ms / 86'400'000 : -((-ms + 86'399'999) / 86'400'000);
  int64_t rem = ms - days * 86'400'000;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[64];
  int64_t h = rem / 3'600'000, mi = rem / 60'000 % 60, s = rem / 1000 % 60, frac = rem % 1000;
  if (frac)
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(h),
                  static_cast<long long>(mi), static_cast<long long>(s),
                  static_cast<long long>(frac));
  else
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(h),
                  static_cast<long long>(mi), static_cast<long long>(s));
  return buf;
}

}  // namespace seg
