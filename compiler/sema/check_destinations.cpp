// Destinations (LANGUAGE.md §7) against the destination types declared in stdlib/.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "compiler/sema/checker.h"
#include "compiler/diagnostics/suggest.h"

namespace seg::sema {
namespace {

const std::vector<std::string> kCategories = {"ads", "warehouse", "analytics", "webhook"};
const std::vector<std::string> kNormalizers = {"email", "email_google", "phone_digits", "e164", "none"};
const std::vector<std::string> kHashes = {"sha256", "optional", "none"};
const char* kItemNames[] = {"type",    "audience",        "name",  "match", "fields",
                            "on exit", "include holdout", "drift", "labels"};

bool one_of(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "`" : ", `") + s + "`";
  return out;
}

}  // namespace

void Checker::check_dest_types() {
  for (const auto& entry : dtype_list_) {
    const auto* t = entry.first;
    const FileId file = entry.second;
    auto bad = [&](Span s, std::string msg, const std::vector<std::string>& allowed) {
      error(Code::BadDestTypeDecl, file, s, std::move(msg)).help = "one of " + join(allowed);
    };
    if (!t->category) {
      if (!t->partial)  // the `category` line may be the one that failed to parse
        error(Code::MissingClause, file, t->name.span,
              fmt::format("destination type `{}` has no `category`", t->name.name))
            .help = "one of " + join(kCategories);
    } else if (!one_of(kCategories, t->category->name))
      bad(t->category->span, fmt::format("unknown category `{}`", t->category->name), kCategories);
    std::set<std::string> keys;
    for (const ast::DTypeKey& k : t->keys) {
      if (!keys.insert(k.key.name).second)
        error(Code::DuplicateName, file, k.key.span, fmt::format("key `{}` is declared twice", k.key.name));
      if (k.normalize && !one_of(kNormalizers, k.normalize->name))
        bad(k.normalize->span, fmt::format("unknown normalisation `{}`", k.normalize->name), kNormalizers);
      if (k.hash && !one_of(kHashes, k.hash->name))
        bad(k.hash->span, fmt::format("unknown hashing `{}`", k.hash->name), kHashes);
    }
    if (t->keys.empty() && !t->partial)
      error(Code::MissingClause, file, t->name.span,
            fmt::format("destination type `{}` declares no match keys", t->name.name))
          .help = "add `key id` (or `key email normalize email hash sha256`, …)";
  }
}

void Checker::audience_ref(const ast::AudienceRef& r, FileId f, bool allow_tiers) {
  const std::string& n = r.name.name;
  if (r.arm) {
    auto it = p_.tiers.find(n);
    if (it == p_.tiers.end()) {
      if (poisoned(n)) return;
      auto& d = error(Code::UnknownName, f, r.name.span, fmt::format("unknown tiers block `{}`", n));
      std::vector<std::string> names;
      for (const auto& [t, _] : p_.tiers) names.push_back(t);
      d.help = did_you_mean(n, names);
      return;
    }
    // An arm whose line failed to parse is poisoned as `tiers.arm`.
    if (!it->second.arms.count(r.arm->name) && !poisoned(n + "." + r.arm->name)) {
      std::vector<std::string> arms;
      for (const auto& [a, _] : it->second.arms) arms.push_back(a);
      error(Code::UnknownArm, f, r.arm->span, fmt::format("tiers `{}` has no arm `{}`", n, r.arm->name))
          .help = did_you_mean(r.arm->name, arms);
    }
    return;
  }
  if (p_.segments.count(n)) return;
  if (p_.tiers.count(n)) {
    if (!allow_tiers)
      error(Code::AdsAudienceCount, f, r.span,
            fmt::format("an ads destination syncs one audience, but tiers `{}` has several arms", n))
          .help = fmt::format("name one arm (`{}.ARM`), or write a segment that is the `or` of the arms", n);
    return;
  }
  if (poisoned(n)) return;
  std::vector<std::string> names;
  for (const auto& [s, _] : p_.segments) names.push_back(s);
  for (const auto& [t, _] : p_.tiers) names.push_back(t);
  auto& d = p_.attributes.count(n) || p_.events.count(n)
                ? error(Code::BadAudience, f, r.span, fmt::format("`{}` is not an audience", n))
                : error(Code::UnknownName, f, r.span, fmt::format("unknown audience `{}`", n));
  d.help = did_you_mean(n, names);
  if (d.help.empty()) d.help = "an audience is a segment, a tiers block or `tiers.arm`";
}

void Checker::check_destinations() {
  std::vector<std::string> type_names;
  for (const auto& [n, _] : p_.dest_types) type_names.push_back(n);

  for (const auto& entry : dest_list_) {
    const auto* d = entry.first;
    const FileId file = entry.second;
    const std::string& dn = d->name.name;
    for (int k = 0; k < 9; ++k) {
      if (d->count[k] > 1 && k != static_cast<int>(ast::DestItemKind::Audience) &&
          k != static_cast<int>(ast::DestItemKind::Fields)) {
        const ast::DestItem* first = nullptr;
        for (const auto& item : d->items) {
          if (static_cast<int>(item.kind) != k) continue;
          if (!first) {
            first = &item;
            continue;
          }
          error(Code::DuplicateClause, file, item.span,
                fmt::format("destination `{}` has more than one `{}`", dn, kItemNames[k]))
              .notes.push_back({file, first->span, "first given here"});
        }
      }
    }
    const DestType* type = nullptr;
    if (!d->type) {
      if (!d->partial)  // the `type` line may be the one that failed to parse
        error(Code::MissingClause, file, d->name.span, fmt::format("destination `{}` has no `type`", dn))
            .help = "add `type` with one of " + join(type_names);
    } else if (auto it = p_.dest_types.find(d->type->name); it != p_.dest_types.end()) {
      type = &it->second;
    } else {
      auto& diag = error(Code::UnknownDestType, file, d->type->span,
                         fmt::format("unknown destination type `{}`", d->type->name));
      diag.help = did_you_mean(d->type->name, type_names);
      if (diag.help.empty()) diag.help = "the types are " + join(type_names);
    }
    bool ads = type && type->category == "ads";
    if (d->audiences.empty() && !d->partial)
      error(Code::MissingClause, file, d->name.span, fmt::format("destination `{}` has no `audience`", dn))
          .help = "add `audience SEGMENT`";
    if (ads && d->audiences.size() > 1) {
      auto& diag = error(Code::AdsAudienceCount, file, d->audiences[1].span,
                         fmt::format("ads destination `{}` syncs exactly one audience, not {}", dn,
                                     d->audiences.size()));
      diag.help = "write a segment that is the `or` of these audiences, or one destination each";
    }
    std::set<std::string> seen_audiences;
    for (const auto& r : d->audiences) {
      if (!seen_audiences.insert(r.text()).second)
        error(Code::DuplicateName, file, r.span, fmt::format("audience `{}` is listed twice", r.text()));
      audience_ref(r, file, !ads);
    }
    if (ads && d->include_holdout) {
      for (const auto& item : d->items)
        if (item.kind == ast::DestItemKind::Include)
          error(Code::HoldoutOnAds, file, item.span,
                fmt::format("ads destination `{}` cannot include holdout members", dn))
              .help = "holdout members are kept out of ads so incrementality can be measured; "
                      "remove `include holdout`";
    }

    drift_and_labels(*d, file, ads);

    if (ads && d->match.empty())
      error(Code::MissingMatch, file, d->name.span,
            fmt::format("ads destination `{}` needs `match` (the identifiers to send)", dn))
          .help = "for example `match email, phone`";
    if (ads && (!d->fields.empty() || !d->field_exprs.empty()))
      error(Code::FieldsNotAllowed, file, d->fields_span,
            fmt::format("ads destination `{}` takes no `fields`", dn))
          .help = "ads platforms receive only match keys; send attributes to a warehouse or webhook";

    std::set<std::string> seen_keys;
    for (const ast::MatchKey& mk : d->match) {
      const std::string& k = mk.key.name;
      if (!seen_keys.insert(k).second) {
        error(Code::DuplicateName, file, mk.key.span, fmt::format("match key `{}` is listed twice", k));
        continue;
      }
      auto attr = p_.attributes.find(k);
      if (k != "id") {
        if (attr == p_.attributes.end()) {
          if (poisoned(k)) continue;
          std::vector<std::string> ids = {"id"};
          for (const auto& [n, a] : p_.attributes)
            if (a.is_id) ids.push_back(n);
          error(Code::UnknownName, file, mk.key.span, fmt::format("unknown attribute `{}`", k))
              .help = did_you_mean(k, ids);
          continue;
        }
        if (!attr->second.is_id) {
          error(Code::MatchKeyNotAllowed, file, mk.key.span,
                fmt::format("attribute `{}` is not marked `@id`, so it cannot be a match key", k))
              .help = fmt::format("add `@id` to `{}` in the profile schema", k);
          continue;
        }
        if (attr->second.type != TypeKind::String) {
          error(Code::MatchKeyNotAllowed, file, mk.key.span,
                fmt::format("match key `{}` must be a string attribute", k));
          continue;
        }
      }
      if (!type) continue;
      const ast::DTypeKey* rule = type->key(k);
      if (!rule && k != "id" && k != "email" && k != "phone") rule = type->key("any");
      if (!rule) {
        std::vector<std::string> allowed;
        for (const auto& tk : type->decl->keys)
          if (tk.key.name != "any") allowed.push_back(tk.key.name);
        error(Code::MatchKeyNotAllowed, file, mk.key.span,
              fmt::format("destination type `{}` does not accept match key `{}`", d->type->name, k))
            .help = "it accepts " + join(allowed);
        continue;
      }
      if (mk.hash) {
        std::string how = rule->hash ? rule->hash->name : "none";
        if (mk.hash->name != "sha256")
          error(Code::MatchKeyNotAllowed, file, mk.hash->span,
                fmt::format("unknown hash `{}`", mk.hash->name))
              .help = "the supported hash is `sha256`";
        else if (how != "optional")
          error(Code::MatchKeyNotAllowed, file, mk.hash->span,
                how == "sha256" ? fmt::format("`{}` keys of `{}` are always hashed", k, d->type->name)
                                : fmt::format("`{}` keys of `{}` are never hashed", k, d->type->name))
              .help = "remove `hash sha256`";
      }
    }

    std::set<std::string> seen_fields;
    for (const ast::Ident& fld : d->fields) {
      if (!seen_fields.insert(fld.name).second) {
        error(Code::DuplicateName, file, fld.span, fmt::format("field `{}` is listed twice", fld.name));
        continue;
      }
      if (fld.name == "id" || p_.attributes.count(fld.name) || poisoned(fld.name)) continue;
      std::vector<std::string> names;
      for (const auto& [n, a] : p_.attributes) names.push_back(n);
      error(Code::UnknownName, file, fld.span, fmt::format("unknown attribute `{}`", fld.name))
          .help = did_you_mean(fld.name, names);
    }
    // `… as name`: any value of the profile (an event value, an expression), named.
    for (const ast::FieldExpr& fe : d->field_exprs) {
      if (!seen_fields.insert(fe.alias.name).second) {
        error(Code::DuplicateName, file, fe.alias.span, fmt::format("field `{}` is listed twice", fe.alias.name));
        continue;
      }
      if (ads) continue;
      Scope scope{Ctx::Profile, nullptr, file, ""};
      Type t = expr(fe.expr, scope);
      if (!t.error()) value(fe.expr, t, file);
    }
    size_t nfields = d->fields.size() + d->field_exprs.size();
    if (type && !ads && type->decl->max_fields && static_cast<int64_t>(nfields) > *type->decl->max_fields) {
      auto& diag = error(Code::FieldsNotAllowed, file, d->fields_span,
                         fmt::format("destination type `{}` accepts at most {} fields, not {}",
                                     d->type->name, *type->decl->max_fields, nfields));
      diag.help = "send fewer attributes";
    }
    if (d->downstream_name && d->downstream_name->empty())
      error(Code::InvalidLiteral, file, d->downstream_name_span, "the downstream `name` is empty");
  }
}

void Checker::check_default_region() {
  const ast::DefaultRegionDecl* first = nullptr;
  FileId first_file = 0;
  for (const auto& entry : region_list_) {
    const auto* r = entry.first;
    const FileId file = entry.second;
    if (first) {
      auto& d = error(Code::DuplicateClause, file, r->value_span, "`default_region` is given more than once");
      d.notes.push_back({first_file, first->value_span, "first given here"});
      continue;
    }
    first = r;
    first_file = file;
    const std::string& v = r->region;
    bool ok = v.size() == 2 && std::isupper(static_cast<unsigned char>(v[0])) &&
              std::isupper(static_cast<unsigned char>(v[1]));
    if (!ok) {
      error(Code::BadRegion, file, r->value_span,
            fmt::format("`default_region` must be a two-letter region code such as \"US\", not {}", r->raw))
          .help = "use an ISO 3166-1 alpha-2 code in capitals";
      continue;
    }
    p_.default_region = v;
  }
}

}  // namespace seg::sema
