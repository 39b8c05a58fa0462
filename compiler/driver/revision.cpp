// The bundle revision: a content hash of the rule files, each named relative to the rule
// root, so `seg run v1`, `seg run /abs/v1`, `(cd v1 && seg run .)` and `seg run v1/*.seg`
// agree (a revision that depended on how a path was typed made --resume see a rule change).
#include <algorithm>
#include <filesystem>

#include "compiler/driver/driver.h"
#include "stdlib/builtins/builtins.h"

namespace seg {
namespace fs = std::filesystem;

namespace {

fs::path resolved(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  if (ec) return fs::path(path).lexically_normal();
  fs::path canon = fs::weakly_canonical(abs, ec);
  return ec ? abs.lexically_normal() : canon;
}

// The deepest folder holding every file.
fs::path common_root(const std::vector<fs::path>& files) {
  if (files.empty()) return {};
  fs::path root = files.front().parent_path();
  for (const fs::path& f : files) {
    fs::path dir = f.parent_path();
    fs::path common;
    auto a = root.begin(), b = dir.begin();
    for (; a != root.end() && b != dir.end() && *a == *b; ++a, ++b) common /= *a;
    root = common;
  }
  return root;
}

}  // namespace

std::string revision(const Compilation& c) {
  std::vector<fs::path> paths;
  for (const ParsedFile& f : c.files) paths.push_back(resolved(c.sources.file(f.file->id).path()));
  fs::path root = common_root(paths);
  std::vector<std::pair<std::string, std::string_view>> named;
  for (size_t i = 0; i < c.files.size(); ++i)
    named.emplace_back(paths[i].lexically_relative(root).generic_string(),
                       c.sources.file(c.files[i].file->id).text());
  std::sort(named.begin(), named.end());  // the order files were named in does not matter
  std::string all = "seg-0.3\x1f";
  for (const auto& [name, text] : named) {
    all += name;
    all += '\x1f';
    all += text;
    all += '\x1f';
  }
  return builtins::sha256_hex(all).substr(0, 16);
}

}  // namespace seg
