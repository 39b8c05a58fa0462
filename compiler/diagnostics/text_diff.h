#pragma once
// Line-based unified diff (Myers' O(ND) algorithm), for `seg fmt --check` and goldens.
#include <string>
#include <string_view>

namespace seg {

// A unified diff with `context` lines around each change; "" when the texts are equal.
std::string unified_diff(std::string_view before, std::string_view after,
                         const std::string& before_name, const std::string& after_name,
                         int context = 3);

}  // namespace seg
