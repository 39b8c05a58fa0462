#pragma once
// Writing JSON text by hand on the hot path (ops, rejected lines): escaping and numbers.
#include <cstdint>
#include <string>
#include <string_view>

namespace seg::rt {

// Appends s as a JSON string literal (quotes included). Invalid UTF-8 bytes are
// replaced by U+FFFD so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view s);
// A number as JSON: integral values without a fraction, others shortest round-trip;
// NaN and infinities (which JSON cannot spell) as null.
void append_json_number(std::string& out, double v);
bool valid_utf8(std::string_view s);

}  // namespace seg::rt
