// UTF-16 positions over UTF-8 text, and file URIs (positions.h).
#include "compiler/lsp/positions.h"

#include "compiler/diagnostics/render.h"

#include <algorithm>

namespace seg::lsp {
namespace {

// Length in bytes of the UTF-8 sequence that starts with `c` (1 for a stray byte).
uint32_t sequence_length(unsigned char c) {
  if (c >= 0xF0 && c <= 0xF7) return 4;
  if (c >= 0xE0) return c <= 0xEF ? 3 : 1;
  if (c >= 0xC0) return 2;
  return 1;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (uint32_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

Position LineIndex::position(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - starts_.begin()) - 1;
  uint32_t units = 0;
  for (uint32_t i = starts_[line]; i < offset;) {
    uint32_t n = sequence_length(static_cast<unsigned char>(text_[i]));
    units += n == 4 ? 2 : 1;  // outside the BMP: a surrogate pair
    i += n;
  }
  return {line, units};
}

uint32_t LineIndex::offset(Position p) const {
  if (p.line >= starts_.size()) return static_cast<uint32_t>(text_.size());
  uint32_t i = starts_[p.line];
  uint32_t end = p.line + 1 < starts_.size() ? starts_[p.line + 1] - 1 : static_cast<uint32_t>(text_.size());
  if (end > i && end <= text_.size() && end > 0 && text_[end - 1] == '\r') --end;
  uint32_t units = 0;
  while (i < end && units < p.character) {
    uint32_t n = sequence_length(static_cast<unsigned char>(text_[i]));
    uint32_t w = n == 4 ? 2 : 1;
    if (units + w > p.character) break;
    units += w;
    i = std::min(i + n, end);
  }
  return i;
}

Json LineIndex::range(Span s) const { return {{"start", to_json(position(s.begin))}, {"end", to_json(position(s.end))}}; }

Json to_json(Position p) { return {{"line", p.line}, {"character", p.character}}; }

Position position_from_json(const Json& j) {
  Position p;
  if (j.is_object()) {
    if (j.contains("line") && j["line"].is_number_unsigned()) p.line = j["line"].get<uint32_t>();
    if (j.contains("character") && j["character"].is_number_unsigned()) p.character = j["character"].get<uint32_t>();
  }
  return p;
}

std::string uri_to_path(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (uri.substr(0, kScheme.size()) != kScheme) return "";
  uri.remove_prefix(kScheme.size());
  if (!uri.empty() && uri[0] != '/') {  // file://host/path: keep the path
    size_t slash = uri.find('/');
    uri = slash == std::string_view::npos ? std::string_view() : uri.substr(slash);
  }
  std::string out;
  for (size_t i = 0; i < uri.size(); ++i) {
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (uri[i] == '%' && i + 2 < uri.size() && hex(uri[i + 1]) >= 0 && hex(uri[i + 2]) >= 0) {
      out += static_cast<char>(hex(uri[i + 1]) * 16 + hex(uri[i + 2]));
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return out;
}

std::string path_to_uri(std::string_view path) { return "file://" + seg::path_to_uri(path); }

}  // namespace seg::lsp
