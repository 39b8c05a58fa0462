#pragma once
// `seg init DIR` (issue 19): a starter folder of rules that passes `seg check`, `seg lint`,
// `seg test` and `seg fmt --check` as created, with a lint configuration, a CI recipe and
// a README. The files are examples/starter/ (and examples/ci/'s recipe), embedded at build
// time (examples/starter/files.cmake). Status comes back as data; the CLI prints.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace seg::host {

struct StarterFile {
  std::string_view path;  // relative to DIR, `/`-separated
  std::string_view text;
  bool executable = false;
};

// The embedded files, in the order of files.cmake (generated: starter_embedded.cpp).
std::span<const StarterFile> starter_files();

enum class InitStatus {
  Ok,
  NotEmpty,   // DIR exists and holds something; `force` not given (`error` names DIR)
  NotFolder,  // DIR exists and is not a folder
  WriteFailed,  // a folder or file could not be created (`error` says which and why)
};

struct InitResult {
  InitStatus status = InitStatus::Ok;
  std::string error;
  std::vector<std::string> written;   // paths relative to DIR, in order
  std::vector<std::string> replaced;  // of those, files that existed (only with force)
};

// Creates DIR (and its parents) when absent. A non-empty DIR is refused unless `force`:
// then the starter's files are written into it, replacing files of the same names, and
// everything else in DIR is left alone.
InitResult init_project(const std::string& dir, bool force);

}  // namespace seg::host
