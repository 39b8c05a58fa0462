#pragma once
// LSP positions: (line, character) with characters counted in UTF-16 code units, as the
// protocol requires, mapped to and from the compiler's byte offsets; and `file://` URIs
// mapped to and from paths.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/diagnostics/source.h"

namespace seg::lsp {

using Json = nlohmann::json;

struct Position {
  uint32_t line = 0;       // 0-based
  uint32_t character = 0;  // 0-based, UTF-16 code units
};

// Line starts of one text, for both directions of the mapping.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  Position position(uint32_t offset) const;
  // A position past the end of its line clamps to the line's end (as LSP says); past the
  // last line, to the end of the text; inside a surrogate pair, to the character's start.
  uint32_t offset(Position p) const;
  Json range(Span s) const;  // {"start": …, "end": …}

 private:
  std::string_view text_;
  std::vector<uint32_t> starts_;
};

Json to_json(Position p);
Position position_from_json(const Json& j);  // {"line": n, "character": n}; missing fields: 0

// `file:///a/b%20c.seg` <-> `/a/b c.seg`. A URI of another scheme gives "".
std::string uri_to_path(std::string_view uri);
std::string path_to_uri(std::string_view path);

}  // namespace seg::lsp
