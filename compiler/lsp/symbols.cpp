// The symbol index (symbols.h): a walk over every declaration and expression.
#include "compiler/lsp/symbols.h"

#include <functional>

namespace seg::lsp {

const char* kind_word(SymbolKind k) {
  switch (k) {
    case SymbolKind::Attribute: return "attribute";
    case SymbolKind::Event: return "event";
    case SymbolKind::Property: return "property";
    case SymbolKind::Segment: return "segment";
    case SymbolKind::Tiers: return "tiers";
    case SymbolKind::Arm: return "tier arm";
    case SymbolKind::Destination: return "destination";
    case SymbolKind::DestType: return "destination type";
    case SymbolKind::Builtin: return "function";
    case SymbolKind::ProfileId: return "profile key";
  }
  return "name";
}

namespace {

class Walker {
 public:
  Walker(const sema::Program* p, std::vector<Occurrence>& out) : p_(p), out_(out) {}

  void add(SymbolKind k, const std::string& name, const std::string& owner, FileId f, Span s, bool decl,
           const ast::Expr* e = nullptr) {
    if (name.empty() || s.end <= s.begin) return;
    out_.push_back({{k, name, owner}, f, s, decl, e});
  }

  // What a bare audience name refers to: a segment or a tiers block.
  void audience(const ast::AudienceRef& r, FileId f) {
    bool tiers = r.arm || (p_ && p_->tiers.count(r.name.name));
    add(tiers ? SymbolKind::Tiers : SymbolKind::Segment, r.name.name, "", f, r.name.span, false);
    if (r.arm) add(SymbolKind::Arm, r.arm->name, r.name.name, f, r.arm->span, false);
  }

  // `event`: the event whose properties bare names are (inside `where`), or "".
  void expr(const ast::Expr* e, FileId f, const std::string& event) {
    if (!e) return;
    const sema::Ref* ref = nullptr;
    if (p_) {
      auto it = p_->refs.find(e);
      if (it != p_->refs.end()) ref = &it->second;
    }
    switch (e->kind) {
      case ast::ExprKind::Name:
        if (ref) {
          switch (ref->kind) {
            case sema::RefKind::Attribute: add(SymbolKind::Attribute, e->text, "", f, e->span, false, e); break;
            case sema::RefKind::Segment: add(SymbolKind::Segment, e->text, "", f, e->span, false, e); break;
            case sema::RefKind::Tiers: add(SymbolKind::Tiers, e->text, "", f, e->span, false, e); break;
            case sema::RefKind::Event: add(SymbolKind::Event, e->text, "", f, e->span, false, e); break;
            case sema::RefKind::Property: add(SymbolKind::Property, e->text, event, f, e->span, false, e); break;
            case sema::RefKind::ProfileId: add(SymbolKind::ProfileId, "id", "", f, e->span, false, e); break;
            default: break;
          }
        }
        return;
      case ast::ExprKind::ProfileAttr:
        add(SymbolKind::Attribute, e->text, "", f, e->name_span, false, e);
        return;
      case ast::ExprKind::Call:
        add(SymbolKind::Builtin, e->text, "", f, e->name_span, false, e);
        break;
      case ast::ExprKind::Member: {
        expr(e->args[0], f, event);
        if (ref && ref->kind == sema::RefKind::Arm) {
          add(SymbolKind::Arm, e->text, e->args[0]->text, f, e->name_span, false, e);
        } else if (p_ && e->text != "time") {
          auto t = p_->types.find(e->args[0]);
          if (t != p_->types.end() && t->second.event) {
            add(SymbolKind::Property, e->text, t->second.event->name.name, f, e->name_span, false, e);
          }
        }
        return;
      }
      case ast::ExprKind::Query: {
        expr(e->args[0], f, event);
        std::string inner = event;
        if (p_) {
          auto t = p_->types.find(e->args[0]);
          if (t != p_->types.end() && t->second.event) inner = t->second.event->name.name;
        }
        expr(e->where, f, inner);
        expr(e->within, f, event);
        expr(e->since, f, event);
        return;
      }
      default: break;
    }
    for (const ast::Expr* a : e->args) expr(a, f, event);
  }

  void decl(const ast::Decl* d, FileId f) {
    switch (d->kind) {
      case ast::DeclKind::Profile:
        for (const ast::Field& fld : d->profile->fields) add(SymbolKind::Attribute, fld.name.name, "", f, fld.name.span, true);
        break;
      case ast::DeclKind::Event:
        add(SymbolKind::Event, d->event->name.name, "", f, d->event->name.span, true);
        for (const ast::Field& p : d->event->props)
          add(SymbolKind::Property, p.name.name, d->event->name.name, f, p.name.span, true);
        break;
      case ast::DeclKind::Segment: {
        const ast::SegmentDecl* s = d->segment;
        add(SymbolKind::Segment, s->name.name, "", f, s->name.span, true);
        for (const auto& c : s->clauses) {
          if (c.kind == 1 || c.kind == 3) expr(c.expr, f, "");
          for (const ast::Ident& x : c.idents) add(SymbolKind::Segment, x.name, "", f, x.span, false);
        }
        if (s->short_form) expr(s->when, f, "");
        break;
      }
      case ast::DeclKind::Tiers: {
        const ast::TiersDecl* t = d->tiers;
        add(SymbolKind::Tiers, t->name.name, "", f, t->name.span, true);
        if (t->from) add(SymbolKind::Segment, t->from->name, "", f, t->from->span, false);
        for (const ast::TierArm& a : t->arms) {
          add(SymbolKind::Arm, a.name.name, t->name.name, f, a.name.span, true);
          expr(a.cond, f, "");
        }
        for (const ast::Expr* x : t->ttls) expr(x, f, "");
        break;
      }
      case ast::DeclKind::Destination: {
        const ast::DestinationDecl* x = d->destination;
        add(SymbolKind::Destination, x->name.name, "", f, x->name.span, true);
        for (const ast::DestItem& it : x->items) {
          if (it.type) add(SymbolKind::DestType, it.type->name, "", f, it.type->span, false);
          for (const ast::AudienceRef& r : it.audiences) audience(r, f);
          for (const ast::MatchKey& k : it.match)
            add(k.key.name == "id" ? SymbolKind::ProfileId : SymbolKind::Attribute, k.key.name, "", f, k.key.span, false);
          for (const ast::Ident& fl : it.fields) add(SymbolKind::Attribute, fl.name, "", f, fl.span, false);
        }
        break;
      }
      case ast::DeclKind::DestType:
        add(SymbolKind::DestType, d->dtype->name.name, "", f, d->dtype->name.span, true);
        break;
      case ast::DeclKind::Measure: {
        const ast::MeasureDecl* m = d->measure;
        if (m->audience) audience(*m->audience, f);
        if (m->event) {
          add(SymbolKind::Event, m->event->name, "", f, m->event->span, false);
          if (m->where) expr(m->where, f, m->event->name);
          if (m->value_event) add(SymbolKind::Event, m->value_event->name, "", f, m->value_event->span, false);
          if (m->value_prop) add(SymbolKind::Property, m->value_prop->name, m->event->name, f, m->value_prop->span, false);
        }
        break;
      }
      case ast::DeclKind::Test:
        for (const ast::TestStep& st : d->test->steps) {
          switch (st.kind) {
            case ast::StepKind::Profile:
              for (const ast::ObjEntry& en : st.entries) {
                add(SymbolKind::Attribute, en.name.name, "", f, en.name.span, false);
                expr(en.value, f, "");
              }
              break;
            case ast::StepKind::Event:
              add(SymbolKind::Event, st.name.name, "", f, st.name.span, false);
              for (const ast::ObjEntry& en : st.entries) {
                add(SymbolKind::Property, en.name.name, st.name.name, f, en.name.span, false);
                expr(en.value, f, "");
              }
              break;
            case ast::StepKind::ExpectIn: audience(st.audience, f); break;
            case ast::StepKind::ExpectOps: add(SymbolKind::Destination, st.name.name, "", f, st.name.span, false); break;
            case ast::StepKind::At: break;
          }
        }
        break;
      case ast::DeclKind::DefaultRegion: break;
    }
  }

 private:
  const sema::Program* p_;
  std::vector<Occurrence>& out_;
};

}  // namespace

SymbolIndex::SymbolIndex(const Compilation& c) {
  Walker w(c.program.get(), occ_);
  for (const auto* list : {&c.files, &c.stdlib})
    for (const ParsedFile& pf : *list)
      if (pf.file)
        for (const ast::Decl* d : pf.file->decls) w.decl(d, pf.file->id);
}

const Occurrence* SymbolIndex::at(FileId file, uint32_t offset) const {
  const Occurrence* best = nullptr;
  for (const Occurrence& o : occ_) {
    if (o.file != file || offset < o.span.begin || offset > o.span.end) continue;
    // Prefer the name that starts at the cursor over one that ends there (`a.b`).
    if (!best || o.span.begin > best->span.begin) best = &o;
  }
  return best;
}

const Occurrence* SymbolIndex::declaration(const Symbol& s) const {
  for (const Occurrence& o : occ_)
    if (o.declaration && o.symbol == s) return &o;
  return nullptr;
}

std::vector<const Occurrence*> SymbolIndex::occurrences(const Symbol& s) const {
  std::vector<const Occurrence*> out;
  for (const Occurrence& o : occ_)
    if (o.symbol == s) out.push_back(&o);
  return out;
}

}  // namespace seg::lsp
