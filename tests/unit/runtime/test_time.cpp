#include <doctest/doctest.h>

#include "stdlib/builtins/builtins.h"

using seg::builtins::format_time;
using seg::builtins::parse_time;

TEST_CASE("input timestamps are strict RFC 3339, truncated to the millisecond") {
  const char* why = nullptr;
  CHECK(parse_time("2026-03-01T10:00:00Z", true, &why) == 1772359200000);
  CHECK(parse_time("2026-03-01T12:00:00+02:00", true, &why) == 1772359200000);
  CHECK(parse_time("2026-03-01T10:00:00.5009Z", true, &why) == 1772359200500);
  CHECK(parse_time("2026-03-01t10:00:00z", true, &why) == 1772359200000);
  CHECK_FALSE(parse_time("2026-03-01", true, &why));         // a bare date
  CHECK_FALSE(parse_time("2026-03-01T10:00:00", true, &why));  // no offset
  CHECK_FALSE(parse_time("2026-02-30T10:00:00Z", true, &why));
  CHECK_FALSE(parse_time("2026-03-01T10:00:00Zjunk", true, &why));
  CHECK_FALSE(parse_time("2026-03-01T10:00:00.Z", true, &why));
  // Rule literals also take a bare date (midnight UTC).
  CHECK(parse_time("2026-03-01", false, &why) == 1772323200000);
}

TEST_CASE("ops print .sss only when the milliseconds are not zero") {
  CHECK(format_time(1772359200000) == "2026-03-01T10:00:00Z");
  CHECK(format_time(1772359200001) == "2026-03-01T10:00:00.001Z");
  CHECK(format_time(0) == "1970-01-01T00:00:00Z");
  CHECK(format_time(-1) == "1969-12-31T23:59:59.999Z");
  const char* why = nullptr;
  for (int64_t t : {int64_t{0}, int64_t{-62135596800000}, int64_t{253402300799999}, int64_t{1772359200042}})
    CHECK(parse_time(format_time(t), true, &why) == t);
}
