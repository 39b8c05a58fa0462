// Documents and per-folder analyses (workspace.h).
#include "compiler/lsp/workspace.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/lint/lint.h"
#include "stdlib/embedded.h"

namespace seg::lsp {
namespace fs = std::filesystem;

const SourceFile* Analysis::file(const std::string& path, FileId* id) const {
  auto it = by_path.find(path);
  if (it == by_path.end()) return nullptr;
  if (id) *id = it->second;
  return &c->sources.file(it->second);
}

bool Analysis::has_syntax_errors(FileId id) const {
  for (const ParsedFile& pf : c->files)
    if (pf.file && pf.file->id == id) return pf.file->has_errors;
  return false;
}

std::string Workspace::path_of(const std::string& uri) {
  std::string p = uri_to_path(uri);
  return p.empty() ? uri : p;
}

std::string Workspace::folder_of(const std::string& path) {
  if (path.empty() || path[0] != '/') return path;
  return fs::path(path).parent_path().string();
}

void Workspace::open(const std::string& uri, std::string text, int version) {
  std::string path = path_of(uri);
  docs_[path] = {uri, std::move(text), version};
  invalidate(folder_of(path));
}

bool Workspace::change(const std::string& uri, const Json& changes, int version) {
  auto it = docs_.find(path_of(uri));
  if (it == docs_.end() || !changes.is_array()) return false;
  std::string& text = it->second.text;
  for (const Json& ch : changes) {
    if (!ch.is_object() || !ch.contains("text") || !ch["text"].is_string()) continue;
    const std::string& piece = ch["text"].get_ref<const std::string&>();
    if (!ch.contains("range")) {
      text = piece;
      continue;
    }
    LineIndex lines(text);
    uint32_t a = lines.offset(position_from_json(ch["range"].value("start", Json::object())));
    uint32_t b = lines.offset(position_from_json(ch["range"].value("end", Json::object())));
    if (b < a) std::swap(a, b);
    text.replace(a, b - a, piece);
  }
  it->second.version = version;
  invalidate(folder_of(it->first));
  return true;
}

void Workspace::close(const std::string& uri) {
  std::string path = path_of(uri);
  docs_.erase(path);
  invalidate(folder_of(path));
}

const Workspace::Document* Workspace::document(const std::string& uri) const {
  auto it = docs_.find(path_of(uri));
  return it == docs_.end() ? nullptr : &it->second;
}

void Workspace::invalidate(const std::string& folder) {
  if (folder.empty()) {
    for (const auto& [f, a] : current_) stale_.insert(f);
  } else {
    stale_.insert(folder);
  }
}

std::set<std::string> Workspace::folders() const {
  std::set<std::string> out = stale_;
  for (const auto& [f, a] : current_) out.insert(f);
  return out;
}

std::shared_ptr<const Analysis> Workspace::analysis(const std::string& folder) {
  auto it = current_.find(folder);
  if (it != current_.end() && !stale_.count(folder)) return it->second;
  std::shared_ptr<const Analysis> a = run(folder);
  stale_.erase(folder);
  current_[folder] = a;
  if (a->c->program) good_[folder] = a;
  return a;
}

std::shared_ptr<const Analysis> Workspace::last_good(const std::string& folder) const {
  auto it = good_.find(folder);
  return it == good_.end() ? nullptr : it->second;
}

std::shared_ptr<Analysis> Workspace::run(const std::string& folder) const {
  // The program's files: the folder's *.seg on disk, and every open document in it.
  std::map<std::string, std::string> texts;  // path -> text, sorted like `seg check DIR`
  std::error_code ec;
  if (!folder.empty() && folder[0] == '/') {
    for (auto e = fs::directory_iterator(folder, ec); !ec && e != fs::directory_iterator(); e.increment(ec)) {
      if (!e->is_regular_file(ec) || e->path().extension() != ".seg") continue;
      std::ifstream in(e->path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      if (in) texts[e->path().string()] = ss.str();
    }
  }
  for (const auto& [path, doc] : docs_)
    if (folder_of(path) == folder) texts[path] = doc.text;

  auto a = std::make_shared<Analysis>();
  a->folder = folder;
  std::vector<std::pair<std::string, std::string>> sources(texts.begin(), texts.end());
  a->c = compile_sources(sources, true);
  for (const ParsedFile& pf : a->c->files) {
    const std::string& path = a->c->sources.file(pf.file->id).path();
    a->by_path[path] = pf.file->id;
    auto doc = docs_.find(path);
    a->uris[pf.file->id] = doc != docs_.end() ? doc->second.uri : path_to_uri(path);
    if (doc != docs_.end()) a->versions[pf.file->id] = doc->second.version;
    if (pf.file->has_errors) a->syntax_ok = false;
  }
  static const std::map<std::string, std::string> library = [] {  // path -> URI, when on disk as compiled in
    std::map<std::string, std::string> out;
    for (const auto& f : stdlib::files()) {
      std::string on_disk = std::string(SEG_SOURCE_TREE) + "/" + std::string(f.path);
      std::ifstream in(on_disk, std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      if (in && ss.str() == f.text) out[std::string(f.path)] = path_to_uri(on_disk);
    }
    return out;
  }();
  for (const ParsedFile& pf : a->c->stdlib) {
    auto it = library.find(a->c->sources.file(pf.file->id).path());
    if (it != library.end()) a->library_uris[pf.file->id] = it->second;
  }
  a->diags = a->c->diags.sorted();
  if (!a->c->diags.has_errors() && a->c->program) {
    // Lints need rules that check, as in `seg lint`.
    lint::Config cfg;
    std::vector<std::string> errors;
    if (!lint::load_config("", !folder.empty() && folder[0] == '/' ? folder : ".", cfg, errors)) {
      a->notes = errors;
      cfg = lint::Config{};
    }
    auto bundle = build_bundle(*a->c);
    a->diags = lint::finish(*a->c, lint::run(*a->c, *bundle, cfg), cfg, false);
  }
  a->index = std::make_unique<SymbolIndex>(*a->c);
  return a;
}

}  // namespace seg::lsp
