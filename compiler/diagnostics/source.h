#pragma once
// Source buffers and positions. Ranges are byte offsets into one file's text;
// display positions are 1-based lines and 1-based code-point columns.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace seg {

using FileId = uint32_t;

struct Span {
  uint32_t begin = 0;  // byte offset, inclusive
  uint32_t end = 0;    // byte offset, exclusive
};

struct LineCol {
  uint32_t line = 1;    // 1-based
  uint32_t column = 1;  // 1-based, counted in code points
};

class SourceFile {
 public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }
  LineCol line_col(uint32_t offset) const;
  // Just the 1-based line (no column count: cheap on very long lines).
  uint32_t line_of(uint32_t offset) const;
  // Text of a 1-based line without its line terminator.
  std::string_view line_text(uint32_t line) const;
  uint32_t line_count() const;
  uint32_t line_start(uint32_t line) const;

 private:
  void build_line_table() const;
  std::string path_;
  std::string text_;
  mutable std::vector<uint32_t> line_starts_;  // built lazily
};

class SourceManager {
 public:
  FileId add(std::string path, std::string text);
  const SourceFile& file(FileId id) const { return *files_.at(id); }
  size_t size() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

// Number of code points in a byte range (invalid UTF-8 bytes count one each).
uint32_t count_code_points(std::string_view s);

}  // namespace seg
