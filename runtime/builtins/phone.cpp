// Phone normalisation with libphonenumber (LANGUAGE.md §7): usable when it is a *possible*
// number (length fits the country), which is what ad platforms match on; validity against
// live number ranges would drop real numbers whenever the metadata is stale.
#include "runtime/builtins/builtins.h"

#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <string>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

extern "C" size_t seg_phone_normalize(const char* s, size_t len, const char* region,
                                      seg_phone_format format, char* out, size_t cap) {
  if (len == 0) return 0;
  try {
    // "ZZ" is libphonenumber's unknown region: only numbers with '+' then parse.
    std::string reg = (region && *region) ? region : "ZZ";
    for (char& c : reg) c = (c >= 'a' && c <= 'z') ? c - 32 : c;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util.Parse(std::string(s, len), reg, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
      return 0;
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
