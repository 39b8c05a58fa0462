// A span-free, comment-free dump of the AST: two files that dump the same have the same
// meaning. Used by parse goldens and the formatter's round-trip check.
#include <fmt/format.h>

#include "compiler/syntax/formatter.h"

namespace seg {
namespace {

void expr(std::string& out, const ast::Expr* e) {
  if (!e) {
    out += "_";
    return;
  }
  out += "(";
  out += ast::kind_name(e->kind);
  if (e->op != ast::Op::None) out += fmt::format(" {}", ast::op_text(e->op));
  switch (e->kind) {
    case ast::ExprKind::StringLit: out += " " + e->raw; break;
    case ast::ExprKind::NumberLit: out += fmt::format(" {}", e->number); break;
    case ast::ExprKind::DurationLit:
    case ast::ExprKind::TimeLit: out += fmt::format(" {}ms", e->millis); break;
    case ast::ExprKind::BoolLit: out += e->flag ? " true" : " false"; break;
    case ast::ExprKind::Name:
    case ast::ExprKind::ProfileAttr:
    case ast::ExprKind::Member:
    case ast::ExprKind::Call: out += " " + e->text; break;
    default: break;
  }
  for (const ast::Expr* a : e->args) {
    out += " ";
    expr(out, a);
  }
  if (e->kind == ast::ExprKind::Query) {
    out += " where=";
    expr(out, e->where);
    out += " within=";
    expr(out, e->within);
    out += " since=";
    expr(out, e->since);
  }
  out += ")";
}

std::string names(const std::vector<ast::Ident>& v) {
  std::string out;
  for (const auto& i : v) out += " " + i.name;
  return out;
}

void field(std::string& out, const ast::Field& f) {
  out += fmt::format("  (field {} {}{})\n", f.name.name, f.type, names(f.annotations));
}

void holdout(std::string& out, const std::optional<ast::Holdout>& h) {
  if (h) out += fmt::format("  (holdout {} salt={})\n", h->percent, h->salt ? *h->salt : "_");
}

}  // namespace

std::string dump_ast(const ast::File& file) {
  std::string out;
  for (const ast::Decl* d : file.decls) {
    switch (d->kind) {
      case ast::DeclKind::Profile:
        out += "(profile\n";
        for (const auto& f : d->profile->fields) field(out, f);
        break;
      case ast::DeclKind::Event:
        out += fmt::format("(event {}\n", d->event->name.name);
        for (const auto& f : d->event->props) field(out, f);
        break;
      case ast::DeclKind::Segment: {
        const auto& s = *d->segment;
        out += fmt::format("(segment {}\n", s.name.name);
        if (s.description) out += fmt::format("  (description {:?})\n", *s.description);
        out += "  (when ";
        expr(out, s.when);
        out += ")\n";
        if (!s.excludes.empty()) out += "  (exclude" + names(s.excludes) + ")\n";
        if (s.ttl) out += fmt::format("  (ttl {}ms)\n", (*s.ttl)->millis);
        holdout(out, s.holdout);
        break;
      }
      case ast::DeclKind::Tiers: {
        const auto& t = *d->tiers;
        out += fmt::format("(tiers {} from={}\n", t.name.name, t.from ? t.from->name : "_");
        holdout(out, t.holdout);
        for (const auto* ttl : t.ttls) out += fmt::format("  (ttl {}ms)\n", ttl->millis);
        for (const auto& a : t.arms) {
          out += fmt::format("  (arm {} ", a.name.name);
          if (a.cond) expr(out, a.cond);
          else out += "else";
          out += ")\n";
        }
        break;
      }
      case ast::DeclKind::Destination: {
        const auto& x = *d->destination;
        out += fmt::format("(destination {}\n  (type {})\n  (audience", x.name.name,
                           x.type ? x.type->name : "_");
        for (const auto& a : x.audiences) out += " " + a.text();
        out += fmt::format(")\n  (name {:?})\n  (match", x.downstream_name.value_or(""));
        for (const auto& m : x.match) out += " " + m.key.name + (m.hash ? "/" + m.hash->name : "");
        out += fmt::format(")\n  (fields{})\n  (keep {})\n  (include_holdout {})\n", names(x.fields),
                           x.on_exit_keep, x.include_holdout);
        if (x.drift) out += fmt::format("  (drift {} {})\n", x.drift->warn, x.drift->fail);
        for (const auto& l : x.labels) out += fmt::format("  (label {} {:?})\n", l.key.name, l.value);
        break;
      }
      case ast::DeclKind::DestType: {
        const auto& t = *d->dtype;
        out += fmt::format("(destination_type {} category={} fields={} batch={} updates={}\n",
                           t.name.name, t.category ? t.category->name : "_",
                           t.max_fields.value_or(-1), t.batch.value_or(-1), t.updates.value_or(false));
        for (const auto& k : t.keys)
          out += fmt::format("  (key {} {} {})\n", k.key.name, k.normalize ? k.normalize->name : "_",
                             k.hash ? k.hash->name : "_");
        break;
      }
      case ast::DeclKind::Measure: {
        const auto& m = *d->measure;
        out += fmt::format("(measure {}\n  (audience {})\n  (converts {}", m.name.name,
                           m.audience ? m.audience->text() : "_", m.event ? m.event->name : "_");
        if (m.where) {
          out += " where ";
          expr(out, m.where);
        }
        if (m.within) out += fmt::format(" within {}ms", m.within->millis);
        out += ")\n";
        if (m.value_prop)
          out += fmt::format("  (value {}{})\n", m.value_event ? m.value_event->name + "." : "", m.value_prop->name);
        break;
      }
      case ast::DeclKind::Test: {
        const auto& t = *d->test;
        out += fmt::format("(test {:?}\n", t.name);
        for (const auto& st : t.steps) {
          out += fmt::format("  (step {} {} {} {}", static_cast<int>(st.kind), st.profile.id,
                             st.name.name, st.negated);
          if (st.time) out += fmt::format(" {}ms", st.time->millis);
          if (st.kind == ast::StepKind::ExpectIn) out += " " + st.audience.text();
          for (const auto& en : st.entries) {
            out += " " + en.name.name + "=";
            expr(out, en.value);
          }
          for (const auto& op : st.ops)
            out += fmt::format(" ({} {} {})", op.op, op.profile.id, op.at ? (*op.at)->millis : -1);
          out += ")\n";
        }
        break;
      }
      case ast::DeclKind::DefaultRegion:
        out += fmt::format("(default_region {:?}\n", d->region->region);
        break;
    }
    out += ")\n";
  }
  return out;
}

}  // namespace seg
