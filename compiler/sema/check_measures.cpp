// Measurement and health (LANGUAGE.md §12): `measure` blocks (an audience with a holdout,
// a converting event with an optional filter and a window, an optional numeric value) and
// the health settings of destinations (`drift` thresholds, `labels`).
#include <fmt/format.h>

#include "compiler/diagnostics/suggest.h"
#include "compiler/sema/checker.h"

namespace seg::sema {
namespace {

const char* kClauseNames[] = {"audience", "converts", "value", "description"};

}  // namespace

void Checker::check_measures() {
  for (const auto& [m, file] : measure_list_) {
    const std::string& mn = m->name.name;
    Span first[4] = {};
    bool seen[4] = {};
    for (const auto& c : m->clauses) {
      if (!seen[c.kind]) {
        seen[c.kind] = true;
        first[c.kind] = c.span;
        continue;
      }
      error(Code::DuplicateClause, file, c.span,
            fmt::format("measure `{}` has more than one `{}`", mn, kClauseNames[c.kind]))
          .notes.push_back({file, first[c.kind], "first given here"});
    }

    // The audience: a segment or a tiers arm, with a holdout group to compare against.
    if (!m->audience) {
      if (!m->partial)  // the `audience` line may be the one that failed to parse
        error(Code::MissingClause, file, m->name.span, fmt::format("measure `{}` has no `audience`", mn))
            .help = "add `audience SEGMENT` (a segment with a `holdout`, or `tiers.arm` of tiers with one)";
    } else {
      const ast::AudienceRef& r = *m->audience;
      size_t before = diags_.error_count();
      audience_ref(r, file, /*allow_tiers=*/false);
      if (diags_.error_count() == before) {
        bool holdout = false;
        if (r.arm) {
          const Tiers& t = p_.tiers.at(r.name.name);
          holdout = t.decl->holdout.has_value();
          if (t.decl->from)
            if (auto s = p_.segments.find(t.decl->from->name); s != p_.segments.end())
              holdout = holdout || s->second->holdout.has_value();
        } else if (auto s = p_.segments.find(r.name.name); s != p_.segments.end()) {
          holdout = s->second->holdout.has_value();
        }
        if (!holdout)
          error(Code::MeasureNoHoldout, file, r.span,
                fmt::format("measure `{}`: audience `{}` has no holdout group to compare with", mn, r.text()))
              .help = r.arm ? fmt::format("add `holdout 10%` to tiers `{}` or to the segment it is `from`",
                                          r.name.name)
                            : fmt::format("add `holdout 10%` to segment `{}`", r.name.name);
      }
    }

    // What counts as a conversion: an event, an optional filter on it, a window.
    const EventInfo* event = nullptr;
    if (!m->event) {
      if (!m->partial)
        error(Code::MissingClause, file, m->name.span, fmt::format("measure `{}` has no `converts`", mn))
            .help = "add `converts EVENT within 7d` (optionally `where` a condition on the event)";
    } else if (auto it = p_.events.find(m->event->name); it != p_.events.end()) {
      event = &it->second;
    } else if (!poisoned(m->event->name)) {
      std::vector<std::string> names;
      for (const auto& [n, _] : p_.events) names.push_back(n);
      error(Code::UnknownName, file, m->event->span, fmt::format("unknown event `{}`", m->event->name))
          .help = did_you_mean(m->event->name, names);
    }
    if (m->event && event && m->where) {
      Scope inner{Ctx::Where, event, file, ""};
      condition(m->where, inner, "a `where` filter");
    }
    if (m->event && !m->within) {
      error(Code::MissingClause, file, m->converts_span,
            fmt::format("measure `{}`: `converts` needs a window", mn))
          .help = fmt::format("add `within 7d`: a conversion counts when `{}` happens within that long after "
                              "the profile first entered the audience",
                              m->event->name);
    } else if (m->within && m->within->millis <= 0) {
      error(Code::BadDuration, file, m->within->span, "a duration must be positive");
    }

    // The optional value: a numeric property of the converting event.
    if (m->value_prop && event) {
      const std::string& ev = m->event->name;
      if (m->value_event && m->value_event->name != ev) {
        error(Code::BadMeasureValue, file, m->value_span,
              fmt::format("measure `{}`: `value` must read the converting event `{}`, not `{}`", mn, ev,
                          m->value_event->name))
            .help = fmt::format("write `value {}.PROPERTY`", ev);
      } else if (auto p = event->props.find(m->value_prop->name); p == event->props.end()) {
        std::vector<std::string> names;
        for (const auto& [n, t] : event->props)
          if (t == TypeKind::Int || t == TypeKind::Number) names.push_back(n);
        auto& d = error(Code::BadMeasureValue, file, m->value_prop->span,
                        fmt::format("event `{}` has no property `{}`", ev, m->value_prop->name));
        d.help = did_you_mean(m->value_prop->name, names);
      } else if (p->second != TypeKind::Int && p->second != TypeKind::Number) {
        error(Code::BadMeasureValue, file, m->value_prop->span,
              fmt::format("measure `{}`: `{}.{}` is {}, not a number", mn, ev, m->value_prop->name,
                          type_name(Type::of(p->second))))
            .help = "`value` sums a numeric property (int or number) over the conversions";
      }
    }
  }
}

void Checker::drift_and_labels(const ast::DestinationDecl& d, FileId file, bool ads) {
  if (d.drift) {
    const ast::Drift& dr = *d.drift;
    auto check = [&](double v, const std::string& text, Span s) {
      if (!text.empty() && (v <= 0 || v > 1000))
        error(Code::BadDrift, file, s, fmt::format("drift threshold {} is out of range", text))
            .help = "thresholds are relative differences above 0%, such as `warn 30% fail 50%`";
    };
    check(dr.warn, dr.warn_text, dr.warn_span);
    check(dr.fail, dr.fail_text, dr.fail_span);
    if (dr.warn > dr.fail)
      error(Code::BadDrift, file, dr.fail_text.empty() ? dr.warn_span : dr.fail_span,
            fmt::format("drift `warn` ({}%) is above `fail` ({}%)", dr.warn, dr.fail))
          .help = "warn at a smaller mismatch than the one that fails";
  }
  if (d.labels.empty()) return;
  if (ads) {
    error(Code::LabelsOnAds, file, d.labels_span,
          fmt::format("ads destination `{}` takes no `labels`", d.name.name))
        .help = "ad platforms receive only match keys; put campaign metadata on a warehouse or webhook "
                "destination";
    return;
  }
  std::map<std::string, Span> seen;
  for (const ast::Label& l : d.labels) {
    auto [it, inserted] = seen.emplace(l.key.name, l.key.span);
    if (!inserted)
      error(Code::DuplicateName, file, l.key.span, fmt::format("label `{}` is given twice", l.key.name))
          .notes.push_back({file, it->second, "first given here"});
  }
}

}  // namespace seg::sema
