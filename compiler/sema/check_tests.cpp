// Test blocks (LANGUAGE.md §8): steps name real profiles' attributes, events, audiences
// and destinations; values are literals of the declared types; time never goes back.
#include <fmt/format.h>

#include "compiler/sema/checker.h"
#include "compiler/diagnostics/suggest.h"

namespace seg::sema {
namespace {

using K = TypeKind;

// The type of a literal test value, or Error when it is not a literal.
K literal_kind(const ast::Expr* e) {
  switch (e->kind) {
    case ast::ExprKind::StringLit: return K::String;
    case ast::ExprKind::BoolLit: return K::Bool;
    case ast::ExprKind::TimeLit: return K::Time;
    case ast::ExprKind::DurationLit: return K::Duration;
    case ast::ExprKind::NumberLit:
      return e->text.find_first_of(".eE") == std::string::npos ? K::Int : K::Number;
    case ast::ExprKind::Unary:
      if (e->op == ast::Op::Neg && e->args[0]->kind == ast::ExprKind::NumberLit)
        return literal_kind(e->args[0]);
      return K::Error;
    case ast::ExprKind::ListLit:
      for (const ast::Expr* item : e->args)
        if (item->kind != ast::ExprKind::StringLit) return K::Error;
      return K::StringSet;
    default: return K::Error;
  }
}

bool fits(K want, K got) {
  if (want == got) return true;
  if (want == K::Number && got == K::Int) return true;
  return false;
}

}  // namespace

void Checker::check_tests() {
  for (const auto& entry : test_list_) {
    const auto* t = entry.first;
    const FileId file = entry.second;
    bool has_at = false;
    int64_t last_at = 0;
    Span last_at_span{};
    auto check_entries = [&](const ast::TestStep& st, const std::map<std::string, K>& schema,
                             const std::string& what) {
      std::vector<std::string> names;
      for (const auto& [n, _] : schema) names.push_back(n);
      for (const ast::ObjEntry& en : st.entries) {
        auto it = schema.find(en.name.name);
        if (it == schema.end()) {
          auto& d = error(what == "profile" ? Code::UnknownName : Code::UnknownProperty, file, en.name.span,
                          fmt::format("{} has no {} `{}`", what,
                                      what == "profile" ? "attribute" : "property", en.name.name));
          d.help = did_you_mean(en.name.name, names);
          continue;
        }
        K got = literal_kind(en.value);
        if (got == K::Error) {
          error(Code::BadTestStep, file, en.value->span, "test values must be literals")
              .help = "write a string, number, bool, timestamp, duration or list of strings";
          continue;
        }
        if (!fits(it->second, got)) {
          auto& d = error(Code::TypeMismatch, file, en.value->span,
                          fmt::format("`{}` is {}, but this value is {}", en.name.name,
                                      type_kind_name(it->second), type_kind_name(got)));
          d.label = fmt::format("expected {}, found {}", type_kind_name(it->second), type_kind_name(got));
        }
      }
    };

    for (const ast::TestStep& st : t->steps) {
      switch (st.kind) {
        case ast::StepKind::At:
          if (has_at && st.time->millis < last_at) {
            auto& d = error(Code::BadTestStep, file, st.time->span, "time goes backwards in this test");
            d.notes.push_back({file, last_at_span, "the previous `at` is later"});
            d.help = "`at` steps must not decrease; start a new test for an earlier scenario";
          }
          has_at = true;
          last_at = st.time->millis;
          last_at_span = st.time->span;
          break;
        case ast::StepKind::Profile: {
          std::map<std::string, K> schema;
          for (const auto& [n, a] : p_.attributes) schema[n] = a.type;
          check_entries(st, schema, "profile");
          break;
        }
        case ast::StepKind::Event: {
          if (!has_at && !t->partial)  // a partial test's `at` line may be the one that failed
            error(Code::BadTestStep, file, st.span, "an event needs a time: put an `at` step before it")
                .help = "for example `at 2026-03-01T10:00:00Z`";
          auto it = p_.events.find(st.name.name);
          if (it == p_.events.end()) {
            std::vector<std::string> names;
            for (const auto& [n, _] : p_.events) names.push_back(n);
            if (!poisoned(st.name.name))
              error(Code::UnknownName, file, st.name.span, fmt::format("unknown event `{}`", st.name.name))
                  .help = did_you_mean(st.name.name, names);
            break;
          }
          check_entries(st, it->second.props, "event `" + st.name.name + "`");
          break;
        }
        case ast::StepKind::ExpectIn:
          audience_ref(st.audience, file, true);
          if (!st.audience.arm && p_.tiers.count(st.audience.name.name))
            error(Code::BadAudience, file, st.audience.span,
                  "name one arm of the tiers block (`tiers.arm`)")
                .help = "membership is tested per audience";
          break;
        case ast::StepKind::ExpectOps:
          if (!p_.destinations.count(st.name.name)) {
            std::vector<std::string> names;
            for (const auto& [n, _] : p_.destinations) names.push_back(n);
            if (!poisoned(st.name.name))
              error(Code::UnknownName, file, st.name.span, fmt::format("unknown destination `{}`", st.name.name))
                  .help = did_you_mean(st.name.name, names);
          }
          break;
      }
    }
  }
}

}  // namespace seg::sema
