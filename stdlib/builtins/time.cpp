// Timestamps (RUNTIME.md §3): integer milliseconds since the Unix epoch, UTC. One parser
// and one formatter, shared by the compiler (literals) and the runtime (input, ops).
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "stdlib/builtins/builtins.h"

namespace {

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

bool at(std::string_view s, size_t i, char c) { return i < s.size() && s[i] == c; }

int fail(const char** error, const char* why) {
  if (error) *error = why;
  return 0;
}

}  // namespace

extern "C" int seg_parse_time(const char* data, size_t len, int strict, int64_t* out,
                              const char** error) {
  std::string_view s(data, len);
  size_t i = 0;
  int64_t y, mo, d, h = 0, mi = 0, se = 0, ms = 0, off = 0;
  bool ok = read_digits(s, i, 4, y) && at(s, i++, '-') && read_digits(s, i, 2, mo) &&
            at(s, i++, '-') && read_digits(s, i, 2, d);
  if (!ok) return fail(error, "expected `YYYY-MM-DD`");
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, static_cast<unsigned>(mo)))
    return fail(error, "no such date");
  if (i == s.size() && strict) return fail(error, "a date without a time of day");
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't') return fail(error, "expected `T` after the date");
    ++i;
    ok = read_digits(s, i, 2, h) && at(s, i++, ':') && read_digits(s, i, 2, mi) &&
         at(s, i++, ':') && read_digits(s, i, 2, se);
    if (!ok || h > 23 || mi > 59 || se > 59) return fail(error, "no such time of day");
    if (at(s, i, '.')) {
      ++i;
      int digits = 0;
      // More precision than milliseconds is truncated (RUNTIME.md §3).
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (digits < 3) ms = ms * 10 + (s[i] - '0');
        ++digits, ++i;
      }
      if (digits == 0) return fail(error, "expected digits after `.`");
      for (; digits < 3; ++digits) ms *= 10;
    }
    if (at(s, i, 'Z') || at(s, i, 'z')) {
      ++i;
    } else if (at(s, i, '+') || at(s, i, '-')) {
      int sign = s[i++] == '-' ? -1 : 1;
      int64_t oh, om;
      if (!read_digits(s, i, 2, oh) || !at(s, i++, ':') || !read_digits(s, i, 2, om) || oh > 23 ||
          om > 59)
        return fail(error, "invalid UTC offset");
      off = sign * (oh * 60 + om) * 60'000;
    } else if (strict) {
      return fail(error, "no UTC offset (`Z` or `+01:00`)");
    }
  }
  if (i != s.size()) return fail(error, "unexpected text after the timestamp");
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  *out = days * 86'400'000 + h * 3'600'000 + mi * 60'000 + se * 1000 + ms - off;
  return 1;
}

extern "C" size_t seg_format_time(int64_t ms, char out[SEG_TIME_MAX]) {
  int64_t days = ms >= 0 ? ms / 86'400'000 : -((-ms + 86'399'999) / 86'400'000);
  int64_t rem = ms - days * 86'400'000;
  int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  if (y < 0 || y > 9999) {  // outside RFC 3339's four-digit years: still printable
    long long h = rem / 3'600'000, mi = rem / 60'000 % 60, s = rem / 1000 % 60, frac = rem % 1000;
    int n = frac ? std::snprintf(out, SEG_TIME_MAX, "%lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                                 static_cast<long long>(y), m, d, h, mi, s, frac)
                 : std::snprintf(out, SEG_TIME_MAX, "%lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                                 static_cast<long long>(y), m, d, h, mi, s);
    return n < 0 ? 0 : static_cast<size_t>(n) < SEG_TIME_MAX ? static_cast<size_t>(n) : SEG_TIME_MAX - 1;
  }
  // Hand-rolled: this runs for every op and every time field.
  auto two = [](char* p, int64_t v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
  };
  char* p = out;
  two(p, y / 100);
  two(p + 2, y % 100);
  p[4] = '-';
  two(p + 5, m);
  p[7] = '-';
  two(p + 8, d);
  p[10] = 'T';
  two(p + 11, rem / 3'600'000);
  p[13] = ':';
  two(p + 14, rem / 60'000 % 60);
  p[16] = ':';
  two(p + 17, rem / 1000 % 60);
  size_t n = 19;
  int64_t frac = rem % 1000;
  if (frac) {
    p[19] = '.';
    p[20] = static_cast<char>('0' + frac / 100);
    two(p + 21, frac % 100);
    n = 23;
  }
  p[n++] = 'Z';
  p[n] = '\0';
  return n;
}

extern "C" size_t seg_format_duration(int64_t ms, char out[SEG_TIME_MAX]) {
  // The canonical spelling of the language: `1d12h`, `90d`, `1500ms` below a second.
  std::string s;
  if (ms < 0) {
    s += '-';
    ms = -ms;
  }
  if (ms == 0) s += "0s";
  struct Unit { int64_t ms; const char* name; };
  static const Unit kUnits[] = {{7 * 86'400'000LL, "w"}, {86'400'000, "d"}, {3'600'000, "h"},
                                {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const auto& u : kUnits) {
    if (ms >= u.ms) {
      s += std::to_string(ms / u.ms) + u.name;
      ms %= u.ms;
    }
  }
  size_t n = s.size() < SEG_TIME_MAX - 1 ? s.size() : SEG_TIME_MAX - 1;
  std::memcpy(out, s.data(), n);
  out[n] = '\0';
  return n;
}
