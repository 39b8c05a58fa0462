#include "runtime/io/file_sink.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace seg::rt {

FileSink::~FileSink() {
  for (std::FILE* f : files_)
    if (f) std::fclose(f);
}

bool FileSink::open(const std::string& dir, const std::vector<std::string>& names, std::string& error) {
  dir_ = dir;
  for (const std::string& n : names)
    if (destination(n, error) < 0) return false;
  return true;
}

int32_t FileSink::destination(const std::string& name, std::string& error, const std::string& given) {
  if (auto it = index_.find(name); it != index_.end()) return it->second;
  std::string path = given.empty() ? dir_ + "/" + name + ".ndjson" : given;
  bool append = std::find(append_.begin(), append_.end(), path) != append_.end();
  std::FILE* f = std::fopen(path.c_str(), append ? "ab" : "wb");
  if (!f) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return -1;
  }
  std::setvbuf(f, nullptr, _IOFBF, 1 << 16);
  files_.push_back(f);
  paths_.push_back(path);
  return index_[name] = static_cast<int32_t>(files_.size() - 1);
}

void FileSink::write(int32_t destination, std::string_view line) {
  std::FILE* f = files_[destination];
  if (std::fwrite(line.data(), 1, line.size(), f) != line.size() || std::fputc('\n', f) == EOF)
    failed_ = true;
}

void FileSink::flush() {
  for (std::FILE* f : files_)
    if (std::fflush(f) != 0) failed_ = true;
}

}  // namespace seg::rt
