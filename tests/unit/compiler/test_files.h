#pragma once
// Helpers for tests that read the repository's own files.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#ifndef SEG_SOURCE_DIR
#define SEG_SOURCE_DIR "."
#endif

namespace seg::test {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace seg::test
