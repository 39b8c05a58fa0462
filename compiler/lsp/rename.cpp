// Rename (features.h): every occurrence of a user-declared name across the files of its
// folder, refused when the new name is not an identifier, is reserved, or clashes with
// a name of the same namespace, and while a file of the folder does not parse (the
// references inside what did not parse would be missed).
#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "compiler/lsp/features.h"

namespace seg::lsp {
namespace {

constexpr int kRequestFailed = -32803;
constexpr int kInvalidParams = -32602;

const std::vector<std::string> kReserved = {"profile", "event",   "segment", "tiers",  "destination", "test",
                                            "when",    "exclude", "and",     "or",     "not",         "in",
                                            "between", "else",    "true",    "false",  "now",         "where",
                                            "within",  "since"};

// The occurrence under the cursor when it names something the user declared.
const Occurrence* renameable(const FileView& v, uint32_t offset, std::optional<RequestError>& error) {
  const Occurrence* o = v.source ? v.now->index->at(v.id, offset) : nullptr;
  if (!o) {
    error = RequestError{kRequestFailed, "there is no name to rename here"};
    return nullptr;
  }
  if (o->symbol.kind == SymbolKind::Builtin || o->symbol.kind == SymbolKind::ProfileId) {
    error = RequestError{kRequestFailed, fmt::format("`{}` is built in and cannot be renamed", o->symbol.name)};
    return nullptr;
  }
  const Occurrence* d = v.now->index->declaration(o->symbol);
  if (!d || !v.now->uris.count(d->file)) {
    error = RequestError{kRequestFailed,
                         fmt::format("`{}` is declared by the standard library and cannot be renamed", o->symbol.name)};
    return nullptr;
  }
  return o;
}

// What `name` already is in the namespace of `s`, or "".
std::string clash(const sema::Program& p, const Symbol& s, const std::string& name) {
  switch (s.kind) {
    case SymbolKind::Attribute:
    case SymbolKind::Event:
    case SymbolKind::Segment:
    case SymbolKind::Tiers:
      if (name == "id") return "the profile key";
      if (p.attributes.count(name)) return "an attribute";
      if (p.events.count(name)) return "an event";
      if (p.segments.count(name)) return "a segment";
      if (p.tiers.count(name)) return "a tiers block";
      return "";
    case SymbolKind::Property: {
      if (name == "time") return "the event's timestamp (`.time`)";
      auto e = p.events.find(s.owner);
      return e != p.events.end() && e->second.props.count(name) ? "a property of event `" + s.owner + "`" : "";
    }
    case SymbolKind::Arm: {
      auto t = p.tiers.find(s.owner);
      return t != p.tiers.end() && t->second.arms.count(name) ? "an arm of tiers `" + s.owner + "`" : "";
    }
    case SymbolKind::Destination: return p.destinations.count(name) ? "a destination" : "";
    case SymbolKind::DestType: return p.dest_types.count(name) ? "a destination type" : "";
    default: return "";
  }
}

}  // namespace

Json prepare_rename(const FileView& v, uint32_t offset, std::optional<RequestError>& error) {
  const Occurrence* o = renameable(v, offset, error);
  if (!o) return nullptr;
  LineIndex lines(v.source->text());
  return {{"range", lines.range(o->span)}, {"placeholder", o->symbol.name}};
}

Json rename(const FileView& v, uint32_t offset, const std::string& new_name, std::optional<RequestError>& error) {
  const Occurrence* o = renameable(v, offset, error);
  if (!o) return nullptr;
  static const std::regex ident("[A-Za-z_][A-Za-z0-9_]*");
  if (!std::regex_match(new_name, ident)) {
    error = RequestError{kInvalidParams, fmt::format("`{}` is not a name: names are letters, digits and `_`, "
                                                     "not starting with a digit", new_name)};
    return nullptr;
  }
  if (std::find(kReserved.begin(), kReserved.end(), new_name) != kReserved.end()) {
    error = RequestError{kInvalidParams, fmt::format("`{}` is a reserved word", new_name)};
    return nullptr;
  }
  if (!v.now->syntax_ok || !v.now->c->program) {
    for (const auto& [path, id] : v.now->by_path)
      if (v.now->has_syntax_errors(id)) {
        error = RequestError{kRequestFailed, fmt::format("cannot rename while `{}` has syntax errors: the names in "
                                                         "what did not parse would be missed", path)};
        return nullptr;
      }
    error = RequestError{kRequestFailed, "cannot rename: the schema does not check"};
    return nullptr;
  }
  if (new_name != o->symbol.name) {
    std::string what = clash(*v.now->c->program, o->symbol, new_name);
    if (!what.empty()) {
      error = RequestError{kRequestFailed, fmt::format("cannot rename `{}` to `{}`: `{}` is already {}",
                                                       o->symbol.name, new_name, new_name, what)};
      return nullptr;
    }
  }
  Json changes = Json::object();
  for (const Occurrence* x : v.now->index->occurrences(o->symbol)) {
    auto uri = v.now->uris.find(x->file);
    if (uri == v.now->uris.end()) continue;
    LineIndex lines(v.now->c->sources.file(x->file).text());
    if (!changes.contains(uri->second)) changes[uri->second] = Json::array();
    changes[uri->second].push_back({{"range", lines.range(x->span)}, {"newText", new_name}});
  }
  return {{"changes", changes}};
}

}  // namespace seg::lsp
