// `seg init DIR`: writes the embedded starter files into DIR (init_project.h).
#include "runtime/host/init_project.h"

#include <filesystem>
#include <fstream>
#include <system_error>

namespace seg::host {

namespace fs = std::filesystem;

InitResult init_project(const std::string& dir, bool force) {
  InitResult r;
  std::error_code ec;
  fs::path root(dir);
  if (fs::exists(root, ec)) {
    if (!fs::is_directory(root, ec)) {
      r.status = InitStatus::NotFolder;
      r.error = dir + " exists and is not a folder";
      return r;
    }
    if (!force && !fs::is_empty(root, ec)) {
      r.status = InitStatus::NotEmpty;
      r.error = dir + " is not empty: seg init writes only into a new or empty folder (--force writes into it anyway, "
                      "replacing files of the same names)";
      return r;
    }
  }
  for (const StarterFile& f : starter_files()) {
    fs::path path = root / fs::path(std::string(f.path));
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      r.status = InitStatus::WriteFailed;
      r.error = "cannot create " + path.parent_path().string() + ": " + ec.message();
      return r;
    }
    bool existed = fs::exists(path, ec);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(f.text.data(), static_cast<std::streamsize>(f.text.size()));
    out.close();
    if (!out) {
      r.status = InitStatus::WriteFailed;
      r.error = "cannot write " + path.string();
      return r;
    }
    if (f.executable)
      fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                      fs::perm_options::add, ec);
    r.written.emplace_back(f.path);
    if (existed) r.replaced.emplace_back(f.path);
  }
  return r;
}

}  // namespace seg::host
