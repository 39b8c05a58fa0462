#pragma once
// "Did you mean" suggestions by edit distance.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seg {

size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate within a distance that scales with the name's length, if any.
std::optional<std::string> closest_match(std::string_view name,
                                         const std::vector<std::string>& candidates);
// "did you mean `x`?" or "" when nothing is close.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace seg
