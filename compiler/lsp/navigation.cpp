// Go to definition, find references and document symbols (features.h).
#include <cctype>

#include "compiler/lsp/features.h"
#include "stdlib/builtins/functions.h"

namespace seg::lsp {
namespace {

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

Span word_at(std::string_view text, uint32_t offset) {
  uint32_t a = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size())), b = a;
  while (a > 0 && ident_char(text[a - 1])) --a;
  while (b < text.size() && ident_char(text[b])) ++b;
  return {a, b};
}

Json location(const Analysis& a, FileId f, Span s) {
  std::string uri;
  if (auto u = a.uris.find(f); u != a.uris.end()) uri = u->second;
  else if (auto l = a.library_uris.find(f); l != a.library_uris.end()) uri = l->second;
  else return nullptr;
  LineIndex lines(a.c->sources.file(f).text());
  return {{"uri", uri}, {"range", lines.range(s)}};
}

}  // namespace

const sema::Program* FileView::names() const {
  if (now && now->c->program) return now->c->program.get();
  return good ? good->c->program.get() : nullptr;
}

std::string FileView::uri_of(const Analysis& a, FileId f) const {
  auto it = a.uris.find(f);
  return it == a.uris.end() ? "" : it->second;
}

std::optional<Found> symbol_at(const FileView& v, uint32_t offset) {
  if (!v.source) return std::nullopt;
  if (const Occurrence* o = v.now->index->at(v.id, offset)) return Found{o->symbol, o->span, o, v.now.get()};
  // Not in what parsed: while the file is broken, look the word up among the names the
  // last good analysis declared.
  if (!v.now->has_syntax_errors(v.id) && v.now->c->program) return std::nullopt;
  std::string_view text = v.source->text();
  Span w = word_at(text, offset);
  if (w.end == w.begin) return std::nullopt;
  std::string word(text.substr(w.begin, w.end - w.begin));
  if (w.end < text.size() && text[w.end] == '(' && builtins::find_function(word))
    return Found{{SymbolKind::Builtin, word, ""}, w, nullptr, nullptr};
  if (word == "id") return Found{{SymbolKind::ProfileId, "id", ""}, w, nullptr, nullptr};
  std::string qualifier;
  if (w.begin > 0 && text[w.begin - 1] == '.') {
    Span q = word_at(text, w.begin - 1);
    qualifier = std::string(text.substr(q.begin, q.end - q.begin));
    if (q.end == q.begin && w.begin >= 2 && text[w.begin - 2] == ')') {
      // `last(E).p`: the event is the first name inside the parentheses
      size_t open = text.rfind('(', w.begin - 2);
      if (open != std::string_view::npos) {
        size_t i = open + 1;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
        Span e = word_at(text, static_cast<uint32_t>(i));
        if (e.begin == i) qualifier = std::string(text.substr(e.begin, e.end - e.begin));
      }
    }
  }
  const Occurrence* best = nullptr;
  for (const Analysis* a : {v.now.get(), v.good.get()}) {
    if (!a) continue;
    for (const Occurrence& o : a->index->all()) {
      if (!o.declaration || o.symbol.name != word) continue;
      bool member = o.symbol.kind == SymbolKind::Property || o.symbol.kind == SymbolKind::Arm;
      if (!qualifier.empty() ? member && o.symbol.owner == qualifier : !member) {
        best = &o;
        break;
      }
      if (!best) best = &o;
    }
    if (best) return Found{best->symbol, w, best, a};
  }
  return std::nullopt;
}

Json declaration_location(const FileView& v, const Symbol& s) {
  if (const Occurrence* d = v.now->index->declaration(s)) return location(*v.now, d->file, d->span);
  // Declared in a part of the file that does not parse now: the last good analysis knows
  // where, as long as that file has not changed since.
  if (v.good) {
    if (const Occurrence* d = v.good->index->declaration(s)) {
      const SourceFile& then = v.good->c->sources.file(d->file);
      const SourceFile* now = v.now->file(then.path());
      if (now && now->text() == then.text()) {
        FileId id = 0;
        v.now->file(then.path(), &id);
        return location(*v.now, id, d->span);
      }
    }
  }
  return nullptr;
}

Json definition(const FileView& v, uint32_t offset) {
  auto found = symbol_at(v, offset);
  if (!found) return nullptr;
  return declaration_location(v, found->symbol);
}

Json references(const FileView& v, uint32_t offset, bool include_declaration) {
  auto found = symbol_at(v, offset);
  if (!found) return nullptr;
  Json out = Json::array();
  for (const Occurrence* o : v.now->index->occurrences(found->symbol)) {
    if (o->declaration && !include_declaration) continue;
    Json loc = location(*v.now, o->file, o->span);
    if (!loc.is_null()) out.push_back(loc);
  }
  return out;
}

Json document_symbols(const FileView& v) {
  Json out = Json::array();
  if (!v.source) return out;
  LineIndex lines(v.source->text());
  auto sym = [&](const std::string& name, const std::string& detail, int kind, Span range, Span select) {
    Json j = {{"name", name.empty() ? std::string("?") : name},
              {"kind", kind},
              {"range", lines.range(range)},
              {"selectionRange", lines.range(select.end > select.begin ? select : range)}};
    if (!detail.empty()) j["detail"] = detail;
    return j;
  };
  for (const ParsedFile& pf : v.now->c->files) {
    if (!pf.file || pf.file->id != v.id) continue;
    for (const ast::Decl* d : pf.file->decls) {
      switch (d->kind) {
        case ast::DeclKind::Profile: {
          Json p = sym("profile", "", 23, d->span, {d->span.begin, d->span.begin + 7});
          p["children"] = Json::array();
          for (const ast::Field& f : d->profile->fields)
            p["children"].push_back(sym(f.name.name, f.type, 8, f.span, f.name.span));
          out.push_back(p);
          break;
        }
        case ast::DeclKind::Event: {
          Json e = sym(d->event->name.name, "event", 24, d->span, d->event->name.span);
          e["children"] = Json::array();
          for (const ast::Field& f : d->event->props)
            e["children"].push_back(sym(f.name.name, f.type, 7, f.span, f.name.span));
          out.push_back(e);
          break;
        }
        case ast::DeclKind::Segment:
          out.push_back(sym(d->segment->name.name, "segment", 13, d->span, d->segment->name.span));
          break;
        case ast::DeclKind::Tiers: {
          Json t = sym(d->tiers->name.name, d->tiers->from ? "tiers from " + d->tiers->from->name : "tiers", 10,
                       d->span, d->tiers->name.span);
          t["children"] = Json::array();
          for (const ast::TierArm& a : d->tiers->arms) t["children"].push_back(sym(a.name.name, "arm", 22, a.span, a.name.span));
          out.push_back(t);
          break;
        }
        case ast::DeclKind::Destination: {
          const ast::DestinationDecl* x = d->destination;
          out.push_back(sym(x->name.name, x->type ? "destination " + x->type->name : "destination", 19, d->span, x->name.span));
          break;
        }
        case ast::DeclKind::DestType:
          out.push_back(sym(d->dtype->name.name, "destination type", 5, d->span, d->dtype->name.span));
          break;
        case ast::DeclKind::Measure:
          out.push_back(sym(d->measure->name.name, "measure", 21, d->span, d->measure->name.span));
          break;
        case ast::DeclKind::Test:
          out.push_back(sym(d->test->name, "test", 12, d->span, d->test->name_span));
          break;
        case ast::DeclKind::DefaultRegion:
          out.push_back(sym("default_region", d->region->region, 14, d->span, d->region->value_span));
          break;
      }
    }
  }
  return out;
}

}  // namespace seg::lsp
