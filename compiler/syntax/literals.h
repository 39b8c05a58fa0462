#pragma once
// Literal decoding shared by the parser and later layers. Each returns nullopt on an
// invalid literal, with a reason in `error`.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seg {

std::optional<std::string> unescape_string(std::string_view quoted, std::string& error);
std::optional<int64_t> parse_duration_ms(std::string_view text, std::string& error);
// RFC 3339 date-time or a bare date (midnight UTC) -> milliseconds since the epoch, UTC.
// Extra precision is truncated to the millisecond.
std::optional<int64_t> parse_timestamp_ms(std::string_view text, std::string& error);
std::optional<double> parse_number(std::string_view text, std::string& error);
// Canonical spelling of a duration: `1d12h`.
std::string format_duration(int64_t ms);
// Milliseconds since the epoch -> `YYYY-MM-DDTHH:MM:SS[.sss]Z`.
std::string format_timestamp(int64_t ms);

}  // namespace seg
