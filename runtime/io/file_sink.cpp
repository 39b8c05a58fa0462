#include "runtime/io/file_sink.h"

#include <cerrno>
#include <cstring>

namespace seg::rt {

FileSink::~FileSink() {
  for (std::FILE* f : files_)
    if (f) std::fclose(f);
}

bool FileSink::open(const std::string& dir, const std::vector<std::string>& names, std::string& error) {
  for (const std::string& n : names) {
    std::string path = dir + "/" + n + ".ndjson";
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) {
      error = "cannot write " + path + ": " + std::strerror(errno);
      return false;
    }
    std::setvbuf(f, nullptr, _IOFBF, 1 << 16);
    files_.push_back(f);
  }
  return true;
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
