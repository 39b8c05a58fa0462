#include "compiler/lint/lint_rules.h"

namespace seg::lint {

Diagnostic& Context::report(Code code, FileId file, Span span, std::string message) {
  out.push_back(make_diagnostic(code, file, span, std::move(message)));
  return out.back();
}

FileId Context::file_of(const void* decl) const {
  auto it = p.decl_file.find(decl);
  return it == p.decl_file.end() ? 0 : it->second;
}

bool Context::user_file(FileId f) const {
  for (const ParsedFile& s : c.stdlib)
    if (s.file && s.file->id == f) return false;
  return true;
}

void Context::each_destination(
    const std::function<void(const ast::DestinationDecl&, const ir::Destination&)>& f) const {
  for (const auto& [name, d] : p.destinations) {
    int32_t di = b.destination(name);
    if (di >= 0 && user_file(file_of(d))) f(*d, b.destinations[di]);
  }
}

const ast::Expr* Context::condition(const std::string& audience) const {
  if (auto s = p.segments.find(audience); s != p.segments.end()) return s->second->when;
  auto dot = audience.find('.');
  if (dot == std::string::npos) return nullptr;
  auto t = p.tiers.find(audience.substr(0, dot));
  if (t == p.tiers.end()) return nullptr;
  auto arm = t->second.arms.find(audience.substr(dot + 1));
  return arm == t->second.arms.end() ? nullptr : arm->second->cond;
}

FileId Context::audience_file(const std::string& audience) const {
  if (auto s = p.segments.find(audience); s != p.segments.end()) return file_of(s->second);
  auto t = p.tiers.find(audience.substr(0, audience.find('.')));
  return t == p.tiers.end() ? 0 : t->second.file;
}

void Context::walk(const ast::Expr* e, const std::function<void(const ast::Expr*, bool)>& f, bool positive) {
  if (!e) return;
  f(e, positive);
  bool flips = e->kind == ast::ExprKind::Unary && e->op == ast::Op::Not;
  for (const ast::Expr* a : e->args) walk(a, f, flips ? !positive : positive);
  // A query's clauses are about the events, not the audience's polarity.
  walk(e->where, f, true);
  walk(e->since, f, true);
}

}  // namespace seg::lint
