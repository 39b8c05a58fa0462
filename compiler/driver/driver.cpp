#include "compiler/driver/driver.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/sema/sema.h"
#include "stdlib/embedded.h"

namespace seg {
namespace fs = std::filesystem;

std::vector<std::string> expand_paths(const std::vector<std::string>& paths,
                                      std::vector<std::string>& missing) {
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec))
        if (it->is_regular_file(ec) && it->path().extension() == ".seg") found.push_back(it->path().string());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      out.push_back(p);
    } else {
      missing.push_back(p);
    }
  }
  return out;
}

namespace {

void finish(Compilation& c, bool check) {
  for (const auto& f : stdlib::files()) {
    FileId id = c.sources.add(std::string(f.path), std::string(f.text));
    c.stdlib.push_back(parse_file(c.ast, c.sources, id, c.diags));
  }
  // Sema also runs after syntax errors (references to declarations that failed to parse
  // stay quiet), unless the schema itself is broken or a file could not be read at all.
  bool schema_ok = std::none_of(c.files.begin(), c.files.end(), [&](const ParsedFile& f) {
    return f.schema_broken || (f.file->has_errors && f.file->decls.empty() &&
                               c.sources.file(f.file->id).text().empty());
  });
  if (check && schema_ok) c.program = sema::check(c.sources, c.files, c.stdlib, c.diags);
}

}  // namespace

std::unique_ptr<Compilation> compile(const std::vector<std::string>& files, bool check) {
  auto c = std::make_unique<Compilation>();
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    if (in) ss << in.rdbuf();
    FileId id = c->sources.add(path, in ? ss.str() : std::string());
    if (!in) {
      c->diags.report(Code::UnreadableFile, id, {0, 0}, "cannot read `" + path + "`");
      ParsedFile pf;
      pf.file = c->ast.make<ast::File>();
      pf.file->id = id;
      pf.file->has_errors = true;
      c->files.push_back(std::move(pf));
      continue;
    }
    c->files.push_back(parse_file(c->ast, c->sources, id, c->diags));
  }
  finish(*c, check);
  return c;
}

std::unique_ptr<Compilation> compile_sources(
    const std::vector<std::pair<std::string, std::string>>& sources, bool check) {
  auto c = std::make_unique<Compilation>();
  for (const auto& [path, text] : sources) {
    FileId id = c->sources.add(path, text);
    c->files.push_back(parse_file(c->ast, c->sources, id, c->diags));
  }
  finish(*c, check);
  return c;
}

}  // namespace seg
