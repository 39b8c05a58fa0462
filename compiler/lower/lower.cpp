// AST + sema tables -> IR bundle: schema, audiences, tiers, destinations, tests.
#include "compiler/lower/lower.h"

#include <algorithm>
#include <stdexcept>

#include "compiler/lower/lower_expr.h"

namespace seg {
namespace {

ir::Normalize normalize_of(const std::string& n) {
  if (n == "email") return ir::Normalize::Email;
  if (n == "email_google") return ir::Normalize::EmailGoogle;
  if (n == "phone_digits") return ir::Normalize::PhoneDigits;
  if (n == "e164") return ir::Normalize::E164;
  return ir::Normalize::None;
}

class Lowering {
 public:
  Lowering(const sema::Program& p, const SourceManager& sources, ir::Bundle& b)
      : sources_(sources), p_(p), b_(b), exprs_(p_, b) {}

  void run() {
    schema();
    audiences();
    destinations();
    measures();
    tests();
  }

 private:
  void schema() {
    for (const auto& [name, a] : p_.attributes) b_.attributes.push_back({name, ir_type(a.type)});
    for (const auto& [name, info] : p_.events) {
      ir::Event ev{name, {}};
      for (const ast::Field& f : info.decl->props)
        ev.props.push_back({f.name.name, ir_type(info.props.at(f.name.name))});
      b_.events.push_back(std::move(ev));
    }
    b_.default_region = p_.default_region;
  }

  static std::optional<ir::Holdout> holdout(const std::optional<ast::Holdout>& h,
                                            const std::string& default_salt) {
    if (!h) return std::nullopt;
    return ir::Holdout{h->percent, h->salt.value_or(default_salt)};
  }

  void audiences() {
    // Every audience gets its index before any expression is lowered (they refer to
    // each other); segments first, then the arms of each tiers block in order.
    for (const auto& [name, decl] : p_.segments) {
      ir::Audience a;
      a.name = name;
      b_.audiences.push_back(std::move(a));
    }
    for (const auto& [name, t] : p_.tiers) {
      ir::Tiers tiers;
      tiers.name = name;
      for (const ast::TierArm& arm : t.decl->arms) {
        ir::Audience a;
        a.name = name + "." + arm.name.name;
        a.kind = ir::AudienceKind::Arm;
        a.tiers = static_cast<int32_t>(b_.tiers.size());
        tiers.arms.push_back(static_cast<int32_t>(b_.audiences.size()));
        b_.audiences.push_back(std::move(a));
      }
      b_.tiers.push_back(std::move(tiers));
    }
    for (const auto& [name, decl] : p_.segments) {
      ir::Audience& a = b_.audiences[b_.audience(name)];
      a.when = exprs_.lower(decl->when);
      for (const ast::Ident& x : decl->excludes) a.excludes.push_back(b_.audience(x.name));
      if (decl->ttl) a.ttl_ms = (*decl->ttl)->millis;
      a.holdout = holdout(decl->holdout, name);
    }
    for (size_t i = 0; i < b_.tiers.size(); ++i) {
      ir::Tiers& tiers = b_.tiers[i];
      const sema::Tiers& t = p_.tiers.at(tiers.name);
      if (t.decl->from) tiers.from = b_.audience(t.decl->from->name);
      tiers.holdout = holdout(t.decl->holdout, tiers.name);
      for (size_t k = 0; k < t.decl->arms.size(); ++k) {
        const ast::TierArm& arm = t.decl->arms[k];
        if (arm.cond) b_.audiences[tiers.arms[k]].cond = exprs_.lower(arm.cond);
      }
    }
  }

  void destinations() {
    for (const auto& [name, decl] : p_.destinations) {
      const sema::DestType& dt = p_.dest_types.at(decl->type->name);
      ir::Destination d;
      d.name = name;
      d.downstream = decl->downstream_name.value_or(name);
      d.type = decl->type->name;
      d.ads = dt.category == "ads";
      d.updates = dt.decl->updates.value_or(!d.ads);
      d.on_exit_keep = decl->on_exit_keep;
      d.include_holdout = decl->include_holdout && !d.ads;
      for (const ast::AudienceRef& r : decl->audiences) {
        if (r.arm || p_.segments.count(r.name.name)) {
          d.audiences.push_back(b_.audience(r.text()));
        } else {  // a whole tiers block: every arm
          for (const ir::Tiers& t : b_.tiers)
            if (t.name == r.name.name) d.audiences.insert(d.audiences.end(), t.arms.begin(), t.arms.end());
        }
      }
      std::vector<ast::MatchKey> match = decl->match;
      if (match.empty()) match.push_back(ast::MatchKey{ast::Ident{"id", {}}, std::nullopt, {}});
      for (const ast::MatchKey& m : match) {
        const std::string& key = m.key.name;
        const ast::DTypeKey* rule = dt.key(key);
        if (!rule) rule = dt.key("any");
        ir::Key k;
        k.attr = key == "id" ? -1 : b_.attribute(key);
        std::string hash = rule && rule->hash ? rule->hash->name : "none";
        k.normalize = rule && rule->normalize ? normalize_of(rule->normalize->name) : ir::Normalize::None;
        k.hash = hash == "sha256" || (hash == "optional" && m.hash && m.hash->name == "sha256");
        k.name = k.hash ? key + "_sha256" : key;
        d.keys.push_back(std::move(k));
      }
      for (const ast::Ident& f : decl->fields) d.fields.push_back({b_.attribute(f.name), f.name, nullptr});
      for (const ast::FieldExpr& f : decl->field_exprs) d.fields.push_back({-1, f.alias.name, exprs_.lower(f.expr)});
      if (decl->drift) d.drift = ir::Drift{decl->drift->warn, decl->drift->fail};
      if (!d.ads)
        for (const ast::Label& l : decl->labels) d.labels.emplace_back(l.key.name, l.value);
      b_.destinations.push_back(std::move(d));
    }
  }

  void measures() {
    for (const auto& [name, decl] : p_.measures) {
      ir::Measure m;
      m.name = name;
      m.audience = b_.audience(decl->audience->text());
      m.event = b_.event(decl->event->name);
      if (decl->where) m.filter = exprs_.lower_filter(decl->where, m.event);
      m.window_ms = decl->within->millis;
      if (decl->value_prop) {
        const auto& props = b_.events[m.event].props;
        for (size_t i = 0; i < props.size(); ++i)
          if (props[i].name == decl->value_prop->name) m.value_prop = static_cast<int32_t>(i);
      }
      // The holdout share: a segment's own, or an arm's (its `from` segment's draw, then
      // the tiers block's own, independent draws with different salts).
      const ir::Audience& a = b_.audiences[m.audience];
      auto share = [](const std::optional<ir::Holdout>& h) { return h ? h->percent / 100.0 : 0.0; };
      if (a.kind == ir::AudienceKind::Segment) {
        m.holdout_share = share(a.holdout);
      } else {
        const ir::Tiers& t = b_.tiers[a.tiers];
        double from = t.from >= 0 ? share(b_.audiences[t.from].holdout) : 0.0;
        m.holdout_share = 1 - (1 - from) * (1 - share(t.holdout));
      }
      b_.measures.push_back(std::move(m));
    }
  }

  ir::Location where(FileId file, Span span) const {
    const SourceFile& f = sources_.file(file);
    LineCol a = f.line_col(span.begin), z = f.line_col(span.end);
    return {f.path(), static_cast<int>(a.line), static_cast<int>(a.column),
            static_cast<int>(z.line), static_cast<int>(z.column)};
  }

  std::string text(FileId file, Span span) const {
    return std::string(sources_.file(file).text().substr(span.begin, span.end - span.begin));
  }

  void tests() {
    for (const ast::TestDecl* t : p_.tests) {
      FileId file = p_.decl_file.at(t);
      ir::TestCase tc;
      tc.name = t->name;
      tc.loc = where(file, t->name_span);
      for (const ast::TestStep& s : t->steps) {
        ir::TestStep step;
        step.loc = where(file, s.span);
        step.text = text(file, s.span);
        step.profile = s.profile.id;
        switch (s.kind) {
          case ast::StepKind::At:
            step.kind = ir::StepKind::At;
            step.time = s.time->millis;
            break;
          case ast::StepKind::Profile:
            step.kind = ir::StepKind::Profile;
            for (const ast::ObjEntry& en : s.entries) {
              int32_t a = b_.attribute(en.name.name);
              step.values.push_back({en.name.name, literal_value(en.value, b_.attributes[a].type)});
            }
            break;
          case ast::StepKind::Event: {
            step.kind = ir::StepKind::Event;
            step.index = b_.event(s.name.name);
            const auto& props = b_.events[step.index].props;
            for (const ast::ObjEntry& en : s.entries) {
              auto it = std::find_if(props.begin(), props.end(),
                                     [&](const ir::Property& p) { return p.name == en.name.name; });
              step.values.push_back({en.name.name, literal_value(en.value, it->type)});
            }
            break;
          }
          case ast::StepKind::ExpectIn:
            step.kind = ir::StepKind::ExpectIn;
            step.index = b_.audience(s.audience.text());
            step.negated = s.negated;
            break;
          case ast::StepKind::ExpectOps:
            step.kind = ir::StepKind::ExpectOps;
            step.index = b_.destination(s.name.name);
            for (const ast::ExpectedOp& op : s.ops) {
              ir::ExpectedOp e{op.op, op.profile.id, std::nullopt};
              if (op.at) e.at = (*op.at)->millis;
              step.ops.push_back(std::move(e));
            }
            break;
        }
        tc.steps.push_back(std::move(step));
      }
      b_.tests.push_back(std::move(tc));
    }
  }

  const SourceManager& sources_;
  const sema::Program& p_;
  ir::Bundle& b_;
  ExprLowering exprs_;
};

}  // namespace

std::unique_ptr<ir::Bundle> lower(const sema::Program& p, const SourceManager& sources) {
  auto b = std::make_unique<ir::Bundle>();
  Lowering(p, sources, *b).run();
  return b;
}

}  // namespace seg
