// Pass 1: collect declarations into symbol tables; duplicate and reserved names.
#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "compiler/diagnostics/suggest.h"

namespace seg::sema {

Diagnostic& Checker::error(Code c, FileId f, Span s, std::string msg) {
  return diags_.report(c, f, s, std::move(msg));
}

FileId Checker::file_of(const void* decl) const {
  auto it = p_.decl_file.find(decl);
  return it == p_.decl_file.end() ? 0 : it->second;
}

// Attributes, events, segments and tiers share the expression namespace.
bool Checker::define(const std::string& name, const char* kind, FileId f, Span s) {
  auto [it, inserted] = defs_.emplace(name, Def{kind, f, s});
  if (inserted) return true;
  auto& d = error(Code::DuplicateName, f, s,
                  fmt::format("`{}` is already declared as {}", name, it->second.kind));
  d.notes.push_back({it->second.file, it->second.span, "first declared here"});
  d.help = "names of attributes, events, segments and tiers blocks must be unique";
  return false;
}

void Checker::collect(const ast::File& f, bool builtin) {
  auto unique_in = [&](std::map<std::string, Def>& table, const std::string& name,
                       const char* kind, Span s) {
    auto [it, inserted] = table.emplace(name, Def{kind, f.id, s});
    if (!inserted) {
      auto& d = error(Code::DuplicateName, f.id, s, fmt::format("{} `{}` is declared twice", kind, name));
      d.notes.push_back({it->second.file, it->second.span, "first declared here"});
    }
    return inserted;
  };

  for (const ast::Decl* d : f.decls) {
    switch (d->kind) {
      case ast::DeclKind::Profile:
        for (const ast::Field& fld : d->profile->fields) {
          const std::string& n = fld.name.name;
          if (n == "id") {
            error(Code::ReservedName, f.id, fld.name.span,
                  "`id` is the profile key and cannot be declared")
                .help = "the profile key always exists; remove this line";
            continue;
          }
          Attribute a;
          a.field = &fld;
          a.file = f.id;
          a.type = type_from_name(fld.type);
          if (a.type == TypeKind::Error) {
            error(Code::UnknownType, f.id, fld.type_span, fmt::format("unknown type `{}`", fld.type))
                .help = did_you_mean(fld.type, {"bool", "int", "number", "string", "time",
                                                "duration", "set<string>"});
          }
          for (const ast::Ident& an : fld.annotations) {
            if (an.name == "id")
              a.is_id = true;
            else if (an.name == "pii")
              a.is_pii = true;
            else
              error(Code::UnknownAnnotation, f.id, an.span, fmt::format("unknown annotation `@{}`", an.name))
                  .help = "the annotations are `@id` (a match key) and `@pii` (personal data)";
          }
          if (define(n, "an attribute", f.id, fld.name.span)) p_.attributes[n] = a;
        }
        break;
      case ast::DeclKind::Event: {
        const ast::EventDecl* e = d->event;
        EventInfo info;
        info.decl = e;
        info.file = f.id;
        for (const ast::Field& prop : e->props) {
          TypeKind t = type_from_name(prop.type);
          if (t == TypeKind::Error)
            error(Code::UnknownType, f.id, prop.type_span, fmt::format("unknown type `{}`", prop.type))
                .help = did_you_mean(prop.type, {"bool", "int", "number", "string", "time",
                                                 "duration", "set<string>"});
          if (prop.name.name == "time") {
            error(Code::ReservedName, f.id, prop.name.span,
                  "an event property cannot be called `time`")
                .help = "`E.time` is the event's timestamp; rename the property";
            continue;
          }
          if (!prop.annotations.empty())
            error(Code::UnknownAnnotation, f.id, prop.annotations[0].span,
                  "annotations belong on profile attributes, not event properties");
          if (!info.props.emplace(prop.name.name, t).second)
            error(Code::DuplicateName, f.id, prop.name.span,
                  fmt::format("property `{}` is declared twice on event `{}`", prop.name.name,
                              e->name.name));
        }
        if (define(e->name.name, "an event", f.id, e->name.span)) p_.events[e->name.name] = std::move(info);
        break;
      }
      case ast::DeclKind::Segment:
        p_.decl_file[d->segment] = f.id;
        segment_list_.push_back({d->segment, f.id});
        if (define(d->segment->name.name, "a segment", f.id, d->segment->name.span))
          p_.segments[d->segment->name.name] = d->segment;
        break;
      case ast::DeclKind::Tiers: {
        p_.decl_file[d->tiers] = f.id;
        tiers_list_.push_back({d->tiers, f.id});
        Tiers t;
        t.decl = d->tiers;
        t.file = f.id;
        for (const ast::TierArm& arm : d->tiers->arms) {
          auto [it, inserted] = t.arms.emplace(arm.name.name, &arm);
          if (!inserted)
            error(Code::DuplicateName, f.id, arm.name.span,
                  fmt::format("arm `{}` appears twice in tiers `{}`", arm.name.name, d->tiers->name.name))
                .notes.push_back({f.id, it->second->name.span, "first declared here"});
        }
        if (define(d->tiers->name.name, "a tiers block", f.id, d->tiers->name.span))
          p_.tiers[d->tiers->name.name] = std::move(t);
        break;
      }
      case ast::DeclKind::Destination:
        p_.decl_file[d->destination] = f.id;
        dest_list_.push_back({d->destination, f.id});
        if (unique_in(dest_defs_, d->destination->name.name, "destination", d->destination->name.span))
          p_.destinations[d->destination->name.name] = d->destination;
        break;
      case ast::DeclKind::DestType: {
        p_.decl_file[d->dtype] = f.id;
        dtype_list_.push_back({d->dtype, f.id});
        if (unique_in(dtype_defs_, d->dtype->name.name, "destination type", d->dtype->name.span)) {
          DestType t;
          t.decl = d->dtype;
          t.file = f.id;
          t.builtin = builtin;
          t.category = d->dtype->category ? d->dtype->category->name : "";
          p_.dest_types[d->dtype->name.name] = t;
        }
        break;
      }
      case ast::DeclKind::Measure:
        p_.decl_file[d->measure] = f.id;
        measure_list_.push_back({d->measure, f.id});
        if (unique_in(measure_defs_, d->measure->name.name, "measure", d->measure->name.span))
          p_.measures[d->measure->name.name] = d->measure;
        break;
      case ast::DeclKind::Test:
        p_.decl_file[d->test] = f.id;
        test_list_.push_back({d->test, f.id});
        unique_in(test_defs_, d->test->name, "test", d->test->name_span);
        p_.tests.push_back(d->test);
        break;
      case ast::DeclKind::DefaultRegion:
        region_list_.push_back({d->region, f.id});
        break;
    }
  }
}

std::vector<std::string> Checker::expression_names() const {
  std::vector<std::string> out;
  for (const auto& [n, d] : defs_) out.push_back(n);
  out.push_back("id");
  return out;
}

const ast::DTypeKey* DestType::key(const std::string& name) const {
  for (const auto& k : decl->keys)
    if (k.key.name == name) return &k;
  return nullptr;
}

}  // namespace seg::sema
