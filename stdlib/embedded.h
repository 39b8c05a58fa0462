#pragma once
#include <span>
#include <string_view>

namespace seg::stdlib {
struct EmbeddedFile {
  std::string_view path;
  std::string_view text;
};
// The stdlib/*.seg files compiled into the binary.
std::span<const EmbeddedFile> files();
}  // namespace seg::stdlib
