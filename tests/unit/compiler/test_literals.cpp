#include <doctest/doctest.h>

#include "compiler/diagnostics/suggest.h"
#include "compiler/diagnostics/text_diff.h"
#include "compiler/syntax/literals.h"

using namespace seg;

TEST_CASE("durations are exact milliseconds") {
  std::string err;
  CHECK(*parse_duration_ms("24h", err) == 86'400'000);
  CHECK(*parse_duration_ms("1d12h", err) == 129'600'000);
  CHECK(*parse_duration_ms("2w", err) == 14 * 86'400'000LL);
  CHECK(*parse_duration_ms("30s", err) == 30'000);
  CHECK(!parse_duration_ms("99999999999999999999d", err));
  CHECK(format_duration(129'600'000) == "1d12h");
  CHECK(format_duration(0) == "0s");
}

TEST_CASE("timestamps are UTC milliseconds, truncated, offsets applied") {
  std::string err;
  CHECK(*parse_timestamp_ms("1970-01-01", err) == 0);
  CHECK(*parse_timestamp_ms("2026-03-01T10:00:00Z", err) == 1772359200000);
  CHECK(*parse_timestamp_ms("2026-03-01T12:00:00+02:00", err) == 1772359200000);
  CHECK(*parse_timestamp_ms("2026-03-01T10:00:00.1239Z", err) == 1772359200123);
  CHECK(*parse_timestamp_ms("2024-02-29", err) == 1709164800000);
  CHECK(!parse_timestamp_ms("2026-02-29", err));
  CHECK(!parse_timestamp_ms("2026-13-01", err));
  CHECK(!parse_timestamp_ms("2026-03-01T24:00:00Z", err));
  CHECK(format_timestamp(1772359200000) == "2026-03-01T10:00:00Z");
  CHECK(format_timestamp(1772359200123) == "2026-03-01T10:00:00.123Z");
  CHECK(format_timestamp(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("strings and numbers") {
  std::string err;
  CHECK(*unescape_string(R"("a\"b\\c\nd\te\u00e9")", err) == "a\"b\\c\nd\te\xc3\xa9");
  CHECK(!unescape_string(R"("\ud800")", err));
  CHECK(*parse_number("$75", err) == 75);
  CHECK(*parse_number("1e6", err) == 1e6);
  CHECK(!parse_number("1e999", err));
}

TEST_CASE("did you mean") {
  CHECK(did_you_mean("cart_valu", {"cart_value", "sku"}) == "did you mean `cart_value`?");
  CHECK(did_you_mean("ltvv", {"ltv", "orders"}) == "did you mean `ltv`?");
  CHECK(did_you_mean("zzz", {"ltv", "orders"}).empty());
  CHECK(edit_distance("exlude", "exclude") == 1);
  CHECK(edit_distance("teh", "the") == 1);  // transposition
}

TEST_CASE("unified diff") {
  CHECK(unified_diff("a\nb\n", "a\nb\n", "x", "y").empty());
  CHECK(unified_diff("a\nb\nc\n", "a\nB\nc\n", "x", "y") ==
        "--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
}
