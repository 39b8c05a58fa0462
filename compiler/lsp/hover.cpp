// Hover (features.h): what a name is — an attribute's or property's type, a segment's
// description and condition, a destination's type, downstream name and match keys, a
// built-in's signature — with the comment lines written above its declaration.
#include <fmt/format.h>

#include "compiler/lsp/features.h"
#include "compiler/syntax/formatter.h"
#include "stdlib/builtins/functions.h"

namespace seg::lsp {
namespace {

std::string code(const std::string& s) { return "```seg\n" + s + "\n```\n"; }

// The comment lines right above the line of `at` (a declaration's doc comment).
std::string doc_comment(const Analysis& a, FileId file, Span at) {
  for (const ParsedFile& pf : a.c->files) {
    if (!pf.file || pf.file->id != file) continue;
    const SourceFile& src = a.c->sources.file(file);
    uint32_t line = src.line_of(at.begin);
    std::vector<std::string> lines;
    for (auto it = pf.file->comments.rbegin(); it != pf.file->comments.rend(); ++it) {
      uint32_t l = src.line_of(it->span.begin);
      if (l >= line) continue;
      if (l + 1 != line) break;
      std::string_view whole = src.line_text(l);
      size_t first = whole.find_first_not_of(" \t");
      if (first == std::string_view::npos || src.line_start(l) + first != it->span.begin) break;  // trailing comment
      std::string t = it->text.substr(it->text[0] == '#' ? 1 : 2);
      if (!t.empty() && t[0] == ' ') t.erase(0, 1);
      lines.insert(lines.begin(), t);
      line = l;
    }
    std::string out;
    for (const std::string& l : lines) out += l + "\n";
    return out.empty() ? "" : "\n" + out;
  }
  return "";
}

std::string param_word(builtins::Param p) {
  switch (p) {
    case builtins::Param::Events: return "events";
    case builtins::Param::NumberProperty: return "E.p";
    case builtins::Param::OrderedProperty: return "E.p";
    case builtins::Param::Time: return "time";
    case builtins::Param::String: return "string";
    case builtins::Param::Sized: return "string | set<string> | list";
    case builtins::Param::Value: return "value";
  }
  return "value";
}

std::string result_word(builtins::Result r) {
  switch (r) {
    case builtins::Result::Bool: return "bool";
    case builtins::Result::Int: return "int";
    case builtins::Result::Number: return "number";
    case builtins::Result::String: return "string";
    case builtins::Result::Duration: return "duration";
    case builtins::Result::Event: return "event";
    case builtins::Result::NumberOrTime: return "number | time | duration";
  }
  return "value";
}

std::string dest_type_text(const ast::DestTypeDecl& t) {
  std::string s = fmt::format("destination type {}", t.name.name);
  if (t.category) s += fmt::format("  (category {})", t.category->name);
  std::string out = code(s);
  if (t.description) out += "\n" + *t.description + "\n";
  out += "\nmatch keys:\n";
  for (const ast::DTypeKey& k : t.keys)
    out += fmt::format("- `{}`{}{}\n", k.key.name, k.normalize ? ", normalize " + k.normalize->name : "",
                       k.hash ? ", hash " + k.hash->name : "");
  if (t.max_fields) out += fmt::format("\nfields: at most {}", *t.max_fields);
  if (t.batch) out += fmt::format(" · batch: {}", *t.batch);
  if (t.updates) out += fmt::format(" · updates: {}", *t.updates ? "yes" : "no (remove + add)");
  if (t.latency) out += fmt::format(" · latency: {}", format_expr(*t.latency));
  return out + "\n";
}

}  // namespace

std::string builtin_signature(const builtins::FunctionInfo& f) {
  std::string args;
  for (size_t i = 0; i < f.arity; ++i) args += (i ? ", " : "") + param_word(f.param);
  return fmt::format("{}({}) -> {}", f.name, args, result_word(f.result));
}

Json hover(const FileView& v, uint32_t offset) {
  auto found = symbol_at(v, offset);
  if (!found) return nullptr;
  const Symbol& s = found->symbol;
  const Analysis* a = found->from ? found->from : v.now.get();
  const sema::Program* p = a->c->program ? a->c->program.get() : v.names();
  std::string md;
  std::string docs;
  if (const Occurrence* d = a->index->declaration(s)) docs = doc_comment(*a, d->file, d->span);
  switch (s.kind) {
    case SymbolKind::Attribute: {
      std::string type = "?", notes;
      if (p && p->attributes.count(s.name)) {
        const sema::Attribute& at = p->attributes.at(s.name);
        type = at.field->type;
        for (const ast::Ident& an : at.field->annotations) notes += " @" + an.name;
      }
      md = code(fmt::format("{}: {}{}", s.name, type, notes)) + "profile attribute";
      break;
    }
    case SymbolKind::ProfileId:
      md = code("id: string") + "the profile key (the input's `userId`): always present";
      break;
    case SymbolKind::Event: {
      std::string props;
      if (p && p->events.count(s.name))
        for (const ast::Field& f : p->events.at(s.name).decl->props) props += (props.empty() ? "" : ", ") + f.name.name + ": " + f.type;
      md = code(fmt::format("event {} {{ {} }}", s.name, props));
      if (found->occ && found->occ->expr && p) {
        auto t = p->types.find(found->occ->expr);
        if (t != p->types.end()) md += "here: " + sema::type_name(t->second);
      }
      break;
    }
    case SymbolKind::Property: {
      std::string type = "?";
      if (p && p->events.count(s.owner)) {
        auto it = p->events.at(s.owner).props.find(s.name);
        if (it != p->events.at(s.owner).props.end()) type = sema::type_kind_name(it->second);
      }
      md = code(fmt::format("{}.{}: {}", s.owner, s.name, type)) + fmt::format("property of event `{}`", s.owner);
      break;
    }
    case SymbolKind::Segment: {
      md = code("segment " + s.name);
      if (p && p->segments.count(s.name)) {
        const ast::SegmentDecl* seg = p->segments.at(s.name);
        if (seg->description) md += "\n" + *seg->description + "\n";
        if (seg->when) md += "\n**when** `" + format_expr(seg->when) + "`\n";
        if (!seg->excludes.empty()) {
          md += "\n**exclude**";
          for (size_t i = 0; i < seg->excludes.size(); ++i) md += (i ? ", `" : " `") + seg->excludes[i].name + "`";
          md += "\n";
        }
        if (seg->ttl) md += "\n**ttl** " + format_expr(*seg->ttl) + "\n";
        if (seg->holdout) md += "\n**holdout** " + seg->holdout->percent_text + "\n";
      }
      break;
    }
    case SymbolKind::Tiers: {
      md = code("tiers " + s.name);
      if (p && p->tiers.count(s.name)) {
        const ast::TiersDecl* t = p->tiers.at(s.name).decl;
        if (t->from) md = code("tiers " + s.name + " from " + t->from->name);
        md += "\nfirst match wins:\n";
        for (const ast::TierArm& arm : t->arms)
          md += fmt::format("- `{}`: `{}`\n", arm.name.name, arm.cond ? format_expr(arm.cond) : "else");
      }
      break;
    }
    case SymbolKind::Arm: {
      md = code(s.owner + "." + s.name) + fmt::format("arm of tiers `{}`", s.owner);
      if (p && p->tiers.count(s.owner)) {
        auto it = p->tiers.at(s.owner).arms.find(s.name);
        if (it != p->tiers.at(s.owner).arms.end())
          md += fmt::format(": `{}`", it->second->cond ? format_expr(it->second->cond) : "else");
      }
      break;
    }
    case SymbolKind::Destination: {
      md = code("destination " + s.name);
      if (p && p->destinations.count(s.name)) {
        const ast::DestinationDecl* d = p->destinations.at(s.name);
        std::string type = d->type ? d->type->name : "?";
        auto dt = p->dest_types.find(type);
        md += fmt::format("\n**type** `{}`{}\n", type, dt != p->dest_types.end() ? " (" + dt->second.category + ")" : "");
        md += fmt::format("\n**downstream name** \"{}\"\n", d->downstream_name ? *d->downstream_name : s.name);
        std::string keys;
        for (const ast::MatchKey& k : d->match) keys += (keys.empty() ? "`" : ", `") + k.key.name + (k.hash ? " hash " + k.hash->name : "") + "`";
        md += "\n**match** " + (keys.empty() ? std::string("`id` (the default)") : keys) + "\n";
        std::string aud;
        for (const ast::AudienceRef& r : d->audiences) aud += (aud.empty() ? "`" : ", `") + r.text() + "`";
        if (!aud.empty()) md += "\n**audience** " + aud + "\n";
        if (!d->fields.empty()) {
          std::string f;
          for (const ast::Ident& x : d->fields) f += (f.empty() ? "`" : ", `") + x.name + "`";
          md += "\n**fields** " + f + "\n";
        }
        md += std::string("\n**on exit** ") + (d->on_exit_keep ? "keep" : "remove") +
              (d->include_holdout ? " · **include holdout**" : "") + "\n";
      }
      break;
    }
    case SymbolKind::DestType:
      if (p && p->dest_types.count(s.name)) md = dest_type_text(*p->dest_types.at(s.name).decl);
      else md = code("destination type " + s.name);
      docs.clear();  // the stdlib's own comments describe the file, not the type
      break;
    case SymbolKind::Builtin: {
      const builtins::FunctionInfo* f = builtins::find_function(s.name);
      if (!f) return nullptr;
      md = code(builtin_signature(*f)) + std::string(f->description);
      break;
    }
  }
  if (!docs.empty()) md += "\n\n---" + docs;
  LineIndex lines(v.source->text());
  return {{"contents", {{"kind", "markdown"}, {"value", md}}}, {"range", lines.range(found->span)}};
}

}  // namespace seg::lsp
