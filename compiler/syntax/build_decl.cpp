// Parse tree -> AST for declarations.
#include <algorithm>

#include "compiler/syntax/formatter.h"
#include "compiler/syntax/literals.h"
#include "compiler/syntax/tree_builder.h"

namespace seg::syntax {

ast::Decl* TreeBuilder::decl(ast::DeclKind kind, const Node& n) {
  ast::Decl* d = ast_.make<ast::Decl>();
  d->kind = kind;
  d->file = file_;
  d->span = span(n);
  return d;
}

std::vector<ast::Ident> TreeBuilder::ident_list(const Node& n) {
  std::vector<ast::Ident> out;
  for (const auto& c : n.children) out.push_back(ident(*c));
  return out;
}

int64_t TreeBuilder::integer(const Node& n) {
  std::string err;
  auto v = parse_number(n.string_view(), err);
  if (!v || *v != static_cast<double>(static_cast<int64_t>(*v)) || *v < 0) {
    error(Code::InvalidLiteral, span(n), "expected a whole number that is not negative");
    return 0;
  }
  return static_cast<int64_t>(*v);
}

ast::Field TreeBuilder::field(const Node& n) {
  ast::Field f;
  f.span = span(n);
  f.name = ident(*n.children[0]);
  const Node& t = *n.children[1];
  f.type = t.string();
  f.type.erase(std::remove_if(f.type.begin(), f.type.end(),
                              [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }),
               f.type.end());
  f.type_span = span(t);
  for (size_t i = 2; i < n.children.size(); ++i) {
    const Node& a = *n.children[i];
    f.annotations.push_back({a.string().substr(1), span(a)});
  }
  return f;
}

ast::Holdout TreeBuilder::holdout(const Node& n) {
  ast::Holdout h;
  h.span = span(n);
  const Node& p = *n.children[0];
  h.percent_text = p.string();
  std::string err;
  auto v = parse_number(h.percent_text.substr(0, h.percent_text.size() - 1), err);
  h.percent = v ? *v : -1;
  if (n.children.size() > 1) {
    const Node& s = *n.children[1]->children[0];
    h.salt = string_value(s);
    h.salt_raw = s.string();
  }
  return h;
}

ast::AudienceRef TreeBuilder::audience_ref(const Node& n) {
  ast::AudienceRef r;
  r.span = span(n);
  r.name = ident(*n.children[0]);
  if (n.children.size() > 1) r.arm = ident(*n.children[1]);
  return r;
}

ast::ProfileIdRef TreeBuilder::profile_id(const Node& n) {
  const Node& c = *n.children[0];
  ast::ProfileIdRef p;
  p.span = span(c);
  p.raw = c.string();
  p.id = c.is_type<g::string_lit>() ? string_value(c) : p.raw;
  return p;
}

ast::Decl* TreeBuilder::profile(const Node& n) {
  ast::Decl* d = decl(ast::DeclKind::Profile, n);
  d->profile = ast_.make<ast::ProfileDecl>();
  for (const auto& c : n.children) d->profile->fields.push_back(field(*c));
  return d;
}

ast::Decl* TreeBuilder::event(const Node& n) {
  ast::Decl* d = decl(ast::DeclKind::Event, n);
  d->event = ast_.make<ast::EventDecl>();
  d->event->name = ident(*n.children[0]);
  if (n.children.size() > 1) {
    d->event->braces = true;
    for (const auto& c : n.children[1]->children) d->event->props.push_back(field(*c));
  }
  return d;
}

ast::Decl* TreeBuilder::segment(const Node& n) {
  ast::Decl* d = decl(ast::DeclKind::Segment, n);
  auto* s = d->segment = ast_.make<ast::SegmentDecl>();
  s->name = ident(*n.children[0]);
  const Node& body = *n.children[1];
  if (body.is_type<g::segment_short>()) {
    s->short_form = true;
    s->when = expr(*body.children[0]);
    s->when_span = span(body);
    return d;
  }
  for (const auto& cp : body.children) {
    const Node& c = *cp;
    ast::SegmentDecl::Clause cl;
    cl.span = span(c);
    if (c.is_type<g::description_clause>()) {
      cl.kind = 0;
      s->description = string_value(*c.children[0]);
      cl.raw = s->description_raw = c.children[0]->string();
      s->description_span = cl.span;
    } else if (c.is_type<g::when_clause>()) {
      cl.kind = 1;
      cl.expr = s->when = expr(*c.children[0]);
      s->when_span = cl.span;
    } else if (c.is_type<g::exclude_clause>()) {
      cl.kind = 2;
      cl.idents = ident_list(*c.children[0]);
      s->excludes.insert(s->excludes.end(), cl.idents.begin(), cl.idents.end());
      s->exclude_span = cl.span;
    } else if (c.is_type<g::ttl_clause>()) {
      cl.kind = 3;
      cl.expr = duration_lit(*c.children[0]);
      s->ttl = cl.expr;
      s->ttl_span = cl.span;
    } else {
      cl.kind = 4;
      cl.holdout = s->holdout = holdout(c);
    }
    s->clauses.push_back(std::move(cl));
  }
  return d;
}

ast::Decl* TreeBuilder::tiers(const Node& n) {
  ast::Decl* d = decl(ast::DeclKind::Tiers, n);
  auto* t = d->tiers = ast_.make<ast::TiersDecl>();
  t->name = ident(*n.children[0]);
  for (size_t i = 1; i < n.children.size(); ++i) {
    const Node& c = *n.children[i];
    if (c.is_type<g::tiers_from>()) {
      t->from = ident(*c.children[0]);
      continue;
    }
    ast::TiersDecl::Line ln;
    ln.span = span(c);
    if (c.is_type<g::tier_arm>()) {
      ast::TierArm arm;
      arm.span = span(c);
      arm.name = ident(*c.children[0]);
      const Node& body = *c.children[1];
      if (body.is_type<g::arm_else>())
        arm.else_span = span(body);
      else
        arm.cond = expr(body);
      ln.kind = 0;
      ln.arm = t->arms.size();
      t->arms.push_back(std::move(arm));
    } else if (c.is_type<g::holdout_clause>()) {
      ln.kind = 1;
      ln.holdout = t->holdout = holdout(c);
    } else {
      ln.kind = 2;
      t->ttl_spans.push_back(span(c));
      ln.ttl = duration_lit(*c.children[0]);
      t->ttls.push_back(ln.ttl);
    }
    t->items.push_back(std::move(ln));
  }
  return d;
}

ast::Decl* TreeBuilder::destination(const Node& n) {
  ast::Decl* d = decl(ast::DeclKind::Destination, n);
  auto* dd = d->destination = ast_.make<ast::DestinationDecl>();
  dd->name = ident(*n.children[0]);
  for (size_t i = 1; i < n.children.size(); ++i) {
    const Node& c = *n.children[i];
    ast::DestItem item;
    item.span = span(c);
    if (c.is_type<g::dest_type>()) {
      item.kind = ast::DestItemKind::Type;
      item.type = dd->type = ident(*c.children[0]);
    } else if (c.is_type<g::dest_audience>()) {
      item.kind = ast::DestItemKind::Audience;
      for (const auto& a : c.children[0]->children) item.audiences.push_back(audience_ref(*a));
      dd->audiences.insert(dd->audiences.end(), item.audiences.begin(), item.audiences.end());
    } else if (c.is_type<g::dest_name>()) {
      item.kind = ast::DestItemKind::Name;
      dd->downstream_name = string_value(*c.children[0]);
      item.name_raw = dd->downstream_name_raw = c.children[0]->string();
      dd->downstream_name_span = span(*c.children[0]);
    } else if (c.is_type<g::dest_match>()) {
      item.kind = ast::DestItemKind::Match;
      dd->match_span = item.span;
      for (const auto& k : c.children[0]->children) {
        ast::MatchKey mk;
        mk.span = span(*k);
        mk.key = ident(*k->children[0]);
        if (k->children.size() > 1) mk.hash = ident(*k->children[1]->children[0]);
        item.match.push_back(std::move(mk));
      }
      dd->match.insert(dd->match.end(), item.match.begin(), item.match.end());
    } else if (c.is_type<g::dest_fields>()) {
      item.kind = ast::DestItemKind::Fields;
      dd->fields_span = item.span;
      for (const auto& f : c.children[0]->children) {
        ast::Expr* e = expr(*f->children[0]);
        if (f->children.size() > 1) {
          ast::FieldExpr fe{e, ident(*f->children[1]->children[0]), span(*f)};
          item.field_exprs.push_back(fe);
          item.field_texts.push_back(format_expr(e) + " as " + fe.alias.name);
        } else if (e->kind == ast::ExprKind::Name) {
          item.fields.push_back({e->text, e->span});
          item.field_texts.push_back(e->text);
        } else {
          error(Code::SyntaxError, span(*f), "a field that is not an attribute needs a name: `… as NAME`");
          item.field_texts.push_back(format_expr(e));
        }
      }
      dd->fields.insert(dd->fields.end(), item.fields.begin(), item.fields.end());
      dd->field_exprs.insert(dd->field_exprs.end(), item.field_exprs.begin(), item.field_exprs.end());
    } else if (c.is_type<g::dest_on_exit>()) {
      item.kind = ast::DestItemKind::OnExit;
      item.keep = dd->on_exit_keep = c.children[0]->string_view() == "keep";
    } else if (c.is_type<g::dest_drift>()) {
      item.kind = ast::DestItemKind::Drift;
      dd->drift_span = item.span;
      for (const auto& part : c.children) {
        bool warn = part->is_type<g::drift_warn>();
        const Node& pct = *part->children[0];
        std::string err;
        std::string text = pct.string();
        auto v = parse_number(text.substr(0, text.size() - 1), err);
        (warn ? item.drift.warn : item.drift.fail) = v ? *v : 0;
        (warn ? item.drift.warn_text : item.drift.fail_text) = text;
        (warn ? item.drift.warn_span : item.drift.fail_span) = span(pct);
      }
      dd->drift = item.drift;
    } else if (c.is_type<g::dest_labels>()) {
      item.kind = ast::DestItemKind::Labels;
      dd->labels_span = item.span;
      for (const auto& e : c.children) {
        ast::Label l;
        l.key = ident(*e->children[0]);
        l.raw = e->children[1]->string();
        l.value = string_value(*e->children[1]);
        l.value_span = span(*e->children[1]);
        item.labels.push_back(l);
      }
      dd->labels.insert(dd->labels.end(), item.labels.begin(), item.labels.end());
    } else {
      item.kind = ast::DestItemKind::Include;
      dd->include_holdout = true;
    }
    ++dd->count[static_cast<int>(item.kind)];
    dd->items.push_back(item);
  }
  return d;
}

ast::Decl* TreeBuilder::measure(const Node& n) {
  ast::Decl* d = decl(ast::DeclKind::Measure, n);
  auto* m = d->measure = ast_.make<ast::MeasureDecl>();
  m->name = ident(*n.children[0]);
  for (size_t i = 1; i < n.children.size(); ++i) {
    const Node& c = *n.children[i];
    ast::MeasureDecl::Clause cl;
    cl.span = span(c);
    if (c.is_type<g::measure_audience>()) {
      cl.kind = 0;
      m->audience = audience_ref(*c.children[0]);
      cl.text = m->audience->text();
    } else if (c.is_type<g::measure_converts>()) {
      cl.kind = 1;
      m->converts_span = cl.span;
      m->event = ident(*c.children[0]);
      m->where = nullptr;
      m->within = nullptr;
      for (size_t k = 1; k < c.children.size(); ++k) {
        const Node& part = *c.children[k];
        if (part.is_type<g::where_clause>()) m->where = expr(*part.children[0]);
        else m->within = duration_lit(*part.children[0]);
      }
      cl.event = m->event;
      cl.where = m->where;
      cl.within = m->within;
    } else if (c.is_type<g::measure_value>()) {
      cl.kind = 2;
      m->value_span = span(*c.children[0]);
      const Node& ref = *c.children[0];
      if (ref.children.size() > 1) {
        m->value_event = ident(*ref.children[0]);
        m->value_prop = ident(*ref.children[1]);
      } else {
        m->value_event.reset();
        m->value_prop = ident(*ref.children[0]);
      }
      cl.text = (m->value_event ? m->value_event->name + "." : "") + m->value_prop->name;
    } else {
      cl.kind = 3;
      m->description = string_value(*c.children[0]);
      m->description_raw = cl.text = c.children[0]->string();
    }
    ++m->count[cl.kind];
    m->clauses.push_back(cl);
  }
  return d;
}

ast::Decl* TreeBuilder::dest_type(const Node& n) {
  ast::Decl* d = decl(ast::DeclKind::DestType, n);
  auto* t = d->dtype = ast_.make<ast::DestTypeDecl>();
  t->name = ident(*n.children[0]->children[0]);
  for (size_t i = 1; i < n.children.size(); ++i) {
    const Node& c = *n.children[i];
    ast::DTypeItem item;
    item.span = span(c);
    if (c.is_type<g::dtype_category>()) {
      item.kind = ast::DTypeItemKind::Category;
      item.category = t->category = ident(*c.children[0]);
    } else if (c.is_type<g::dtype_key>()) {
      item.kind = ast::DTypeItemKind::Key;
      ast::DTypeKey k;
      k.span = item.span;
      k.key = ident(*c.children[0]);
      for (size_t j = 1; j < c.children.size(); ++j) {
        const Node& o = *c.children[j];
        (o.is_type<g::dtype_normalize>() ? k.normalize : k.hash) = ident(*o.children[0]);
      }
      item.index = t->keys.size();
      t->keys.push_back(std::move(k));
    } else if (c.is_type<g::dtype_fields>()) {
      item.kind = ast::DTypeItemKind::Fields;
      t->max_fields = integer(*c.children[0]);
      item.raw = t->max_fields_text = c.children[0]->string();
    } else if (c.is_type<g::dtype_batch>()) {
      item.kind = ast::DTypeItemKind::Batch;
      t->batch = integer(*c.children[0]);
      item.raw = t->batch_text = c.children[0]->string();
    } else if (c.is_type<g::dtype_updates>()) {
      item.kind = ast::DTypeItemKind::Updates;
      item.flag = *(t->updates = c.children[0]->string_view() == "true");
    } else if (c.is_type<g::dtype_latency>()) {
      item.kind = ast::DTypeItemKind::Latency;
      item.latency = duration_lit(*c.children[0]);
      t->latency = item.latency;
    } else {
      item.kind = ast::DTypeItemKind::Description;
      t->description = string_value(*c.children[0]);
      item.raw = t->description_raw = c.children[0]->string();
    }
    t->items.push_back(item);
  }
  return d;
}

ast::TestStep TreeBuilder::test_step(const Node& n) {
  ast::TestStep st;
  st.span = span(n);
  auto entries = [&](const Node& obj) {
    st.has_obj = true;
    for (const auto& e : obj.children)
      st.entries.push_back({ident(*e->children[0]), expr(*e->children[1])});
  };
  if (n.is_type<g::step_profile>()) {
    st.kind = ast::StepKind::Profile;
    st.profile = profile_id(*n.children[0]);
    entries(*n.children[1]);
  } else if (n.is_type<g::step_at>()) {
    st.kind = ast::StepKind::At;
    st.time = time_lit(*n.children[0]);
  } else if (n.is_type<g::step_event>()) {
    st.kind = ast::StepKind::Event;
    st.profile = profile_id(*n.children[0]);
    st.name = ident(*n.children[1]);
    if (n.children.size() > 2) entries(*n.children[2]);
  } else {
    const Node& body = *n.children[0];
    if (body.is_type<g::expect_ops>()) {
      st.kind = ast::StepKind::ExpectOps;
      st.name = ident(*body.children[0]->children[0]);
      for (size_t i = 1; i < body.children.size(); ++i) {
        const Node& o = *body.children[i];
        ast::ExpectedOp op;
        op.span = span(o);
        op.op = o.children[0]->string();
        op.profile = profile_id(*o.children[1]);
        if (o.children.size() > 2) op.at = time_lit(*o.children[2]->children[0]);
        st.ops.push_back(std::move(op));
      }
    } else {
      st.kind = ast::StepKind::ExpectIn;
      st.profile = profile_id(*body.children[0]);
      size_t i = 1;
      if (body.children[i]->is_type<g::expect_not>()) {
        st.negated = true;
        ++i;
      }
      st.audience = audience_ref(*body.children[i]);
    }
  }
  return st;
}

ast::Decl* TreeBuilder::test(const Node& n) {
  ast::Decl* d = decl(ast::DeclKind::Test, n);
  auto* t = d->test = ast_.make<ast::TestDecl>();
  t->name = string_value(*n.children[0]);
  t->name_raw = n.children[0]->string();
  t->name_span = span(*n.children[0]);
  for (size_t i = 1; i < n.children.size(); ++i) t->steps.push_back(test_step(*n.children[i]));
  return d;
}

ast::Decl* TreeBuilder::default_region(const Node& n) {
  ast::Decl* d = decl(ast::DeclKind::DefaultRegion, n);
  d->region = ast_.make<ast::DefaultRegionDecl>();
  d->region->region = string_value(*n.children[0]);
  d->region->raw = n.children[0]->string();
  d->region->value_span = span(*n.children[0]);
  return d;
}

ast::Decl* TreeBuilder::declaration(const Node& n) {
  if (n.is_type<g::profile_decl>()) return profile(n);
  if (n.is_type<g::event_decl>()) return event(n);
  if (n.is_type<g::segment_decl>()) return segment(n);
  if (n.is_type<g::tiers_decl>()) return tiers(n);
  if (n.is_type<g::destination_decl>()) return destination(n);
  if (n.is_type<g::dtype_decl>()) return dest_type(n);
  if (n.is_type<g::measure_decl>()) return measure(n);
  if (n.is_type<g::test_decl>()) return test(n);
  return default_region(n);
}

}  // namespace seg::syntax
