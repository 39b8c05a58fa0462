#include "compiler/diagnostics/source.h"

#include <algorithm>

namespace seg {

SourceFile::SourceFile(std::string path, std::string text)
    : path_(std::move(path)), text_(std::move(text)) {}

void SourceFile::build_line_table() const {
  if (!line_starts_.empty()) return;
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

uint32_t SourceFile::line_count() const {
  build_line_table();
  return static_cast<uint32_t>(line_starts_.size());
}

uint32_t SourceFile::line_start(uint32_t line) const {
  build_line_table();
  if (line == 0 || line > line_starts_.size()) return static_cast<uint32_t>(text_.size());
  return line_starts_[line - 1];
}

uint32_t SourceFile::line_of(uint32_t offset) const {
  build_line_table();
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  return static_cast<uint32_t>(std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) -
                               line_starts_.begin());
}

LineCol SourceFile::line_col(uint32_t offset) const {
  build_line_table();
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - line_starts_.begin());
  uint32_t start = line_starts_[line - 1];
  std::string_view prefix(text_.data() + start, offset - start);
  return {line, count_code_points(prefix) + 1};
}

std::string_view SourceFile::line_text(uint32_t line) const {
  build_line_table();
  if (line == 0 || line > line_starts_.size()) return {};
  uint32_t start = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] : static_cast<uint32_t>(text_.size());
  std::string_view s(text_.data() + start, end - start);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

FileId SourceManager::add(std::string path, std::string text) {
  files_.push_back(std::make_unique<SourceFile>(std::move(path), std::move(text)));
  return static_cast<FileId>(files_.size() - 1);
}

uint32_t count_code_points(std::string_view s) {
  uint32_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace seg
