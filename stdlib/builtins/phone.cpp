// Phone normalisation with libphonenumber (LANGUAGE.md §7): usable when it is a *possible*
// number (length fits the country), which is what ad platforms match on; validity against
// live number ranges would drop real numbers whenever the metadata is stale.
#include "stdlib/builtins/builtins.h"

#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// The common North American shapes, "+1 415 555 0132" anywhere and "(415) 555-0132" in
// the US or Canada, without libphonenumber's regular expressions (which cost ~60k
// instructions a number). Only forms whose parse is unambiguous take this path: the
// national number has 10 digits and starts with 2-9 (no national prefix to strip), and
// only digits, spaces, '-', '.', '(' and ')' surround it. Everything else returns false
// and goes through the full parse, as does anything the metadata says is not possible.
bool nanp_fast_path(std::string_view s, const char* region, uint64_t& national) {
  char digits[16];
  size_t n = 0;
  bool plus = false;
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  if (i < s.size() && s[i] == '+') {
    plus = true;
    ++i;
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      if (n == sizeof digits) return false;
      digits[n++] = c;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '\t') {
      return false;
    }
  }
  const char* nat = digits;
  if (plus) {
    if (n != 11 || digits[0] != '1') return false;
    nat = digits + 1;
  } else {
    bool nanp_region = region && (std::strcmp(region, "US") == 0 || std::strcmp(region, "CA") == 0);
    if (!nanp_region || n != 10) return false;
  }
  if (nat[0] < '2') return false;
  national = 0;
  for (int k = 0; k < 10; ++k) national = national * 10 + static_cast<uint64_t>(nat[k] - '0');
  return true;
}

}  // namespace

extern "C" size_t seg_phone_normalize(const char* s, size_t len, const char* region,
                                      seg_phone_format format, char* out, size_t cap) {
  if (len == 0) return 0;
  try {
    // "ZZ" is libphonenumber's unknown region: only numbers with '+' then parse.
    std::string reg = (region && *region) ? region : "ZZ";
    for (char& c : reg) c = (c >= 'a' && c <= 'z') ? c - 32 : c;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    uint64_t national = 0;
    if (nanp_fast_path(std::string_view(s, len), reg.c_str(), national)) {
      number.set_country_code(1);
      number.set_national_number(national);
    } else if (util.Parse(std::string(s, len), reg, &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
      return 0;
    }
    if (!util.IsPossibleNumber(number)) return 0;
    std::string e164;
    util.Format(number, PhoneNumberUtil::E164, &e164);
    // E.164 country codes never start with 0, so dropping '+' leaves no leading zero.
    std::string_view r = e164;
    if (format == SEG_PHONE_DIGITS && r.starts_with('+')) r.remove_prefix(1);
    if (r.size() > cap) return r.size();
    std::memcpy(out, r.data(), r.size());
    return r.size();
  } catch (...) {  // nothing may cross the C ABI
    return 0;
  }
}
