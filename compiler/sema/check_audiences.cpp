// Segments and tiers (LANGUAGE.md §5–6): clauses, exclusions, arms, the reference DAG.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/sema/checker.h"
#include "compiler/diagnostics/suggest.h"

namespace seg::sema {
namespace {

const char* kClauseNames[] = {"description", "when", "exclude", "ttl", "holdout"};

}  // namespace

void Checker::check_segments() {
  std::vector<std::string> segment_names;
  for (const auto& [n, _] : p_.segments) segment_names.push_back(n);

  for (const auto& entry : segment_list_) {
    const auto* seg = entry.first;
    const FileId file = entry.second;
    Scope s{Ctx::Profile, nullptr, file, seg->name.name};
    // Clauses: each at most once (exclude may repeat: its lists add up); `when` required.
    Span first[5] = {};
    bool seen[5] = {};
    for (const auto& clause : seg->clauses) {
      int kind = clause.kind;
      Span span = clause.span;
      if (seen[kind] && kind != 2) {
        auto& d = error(Code::DuplicateClause, file, span,
                        fmt::format("segment `{}` has more than one `{}`", seg->name.name, kClauseNames[kind]));
        d.notes.push_back({file, first[kind], "first given here"});
      }
      if (!seen[kind]) first[kind] = span;
      seen[kind] = true;
    }
    if (!seg->when) {
      if (!seg->partial) {  // the `when` line may be the one that failed to parse
        auto& d = error(Code::MissingClause, file, seg->name.span,
                        fmt::format("segment `{}` has no `when` condition", seg->name.name));
        d.help = "add `when <condition>`, or use the short form `segment NAME = <condition>`";
      }
    } else {
      condition(seg->when, s, "a segment's condition");
    }
    std::set<std::string> seen_excludes;
    for (const ast::Ident& ex : seg->excludes) {
      if (!seen_excludes.insert(ex.name).second) {
        error(Code::DuplicateName, file, ex.span, fmt::format("`{}` is excluded twice", ex.name));
        continue;
      }
      if (p_.segments.count(ex.name)) {
        p_.depends[seg->name.name].insert(ex.name);
      } else if (p_.tiers.count(ex.name) || p_.attributes.count(ex.name) || p_.events.count(ex.name)) {
        auto& d = error(Code::BadAudience, file, ex.span,
                        fmt::format("`exclude` takes segments; `{}` is not one", ex.name));
        if (p_.tiers.count(ex.name))
          d.help = "to exclude a tier arm, write a segment for it: `segment s = tiers.arm`";
        else
          d.help = fmt::format("write the condition in `when` instead, e.g. `when … and not …`");
      } else if (!poisoned(ex.name)) {
        error(Code::UnknownName, file, ex.span, fmt::format("unknown segment `{}`", ex.name))
            .help = did_you_mean(ex.name, segment_names);
      }
    }
    if (seg->ttl) expr(*seg->ttl, s);
    if (seg->holdout && (seg->holdout->percent <= 0 || seg->holdout->percent >= 100)) {
      error(Code::BadPercent, file, seg->holdout->span,
            fmt::format("holdout must be between 0% and 100% (exclusive), not {}", seg->holdout->percent_text));
    }
  }
}

void Checker::check_tiers() {
  std::vector<std::string> segment_names;
  for (const auto& [n, _] : p_.segments) segment_names.push_back(n);

  for (const auto& entry : tiers_list_) {
    const auto* t = entry.first;
    const FileId file = entry.second;
    Scope s{Ctx::Profile, nullptr, file, t->name.name};
    if (t->from) {
      const std::string& from = t->from->name;
      if (p_.segments.count(from)) {
        p_.depends[t->name.name].insert(from);
      } else if (p_.tiers.count(from) || p_.attributes.count(from) || p_.events.count(from)) {
        error(Code::BadAudience, file, t->from->span,
              fmt::format("`from` takes a segment; `{}` is not one", from));
      } else if (!poisoned(from)) {
        error(Code::UnknownName, file, t->from->span, fmt::format("unknown segment `{}`", from))
            .help = did_you_mean(from, segment_names);
      }
    }
    for (size_t i = 0; i < t->ttl_spans.size(); ++i) {
      auto& d = error(Code::TtlOnTiers, file, t->ttl_spans[i], "`ttl` belongs on segments, not on tiers blocks");
      d.help = t->from ? fmt::format("put the `ttl` on segment `{}`", t->from->name)
                       : std::string("put the `ttl` on the segments the arms name");
    }
    if (t->holdout && (t->holdout->percent <= 0 || t->holdout->percent >= 100))
      error(Code::BadPercent, file, t->holdout->span,
            fmt::format("holdout must be between 0% and 100% (exclusive), not {}", t->holdout->percent_text));
    if (t->arms.empty() && !t->partial) {
      error(Code::MissingClause, file, t->name.span, fmt::format("tiers `{}` has no arms", t->name.name))
          .help = "add arms `name: condition`, one per line";
    }
    const ast::TierArm* else_arm = nullptr;
    for (const ast::TierArm& arm : t->arms) {
      if (else_arm) {
        auto& d = error(Code::ElseNotLast, file, arm.span,
                        fmt::format("arm `{}` comes after `else`, so it can never match", arm.name.name));
        d.notes.push_back({file, else_arm->span, "`else` is here"});
        d.help = "`else` matches every remaining profile: move it to the end";
        break;
      }
      if (!arm.cond) else_arm = &arm;
    }
    for (const ast::TierArm& arm : t->arms)
      if (arm.cond) condition(arm.cond, s, "a tier arm's condition");
  }
}

void Checker::check_cycles() {
  // Depth-first search over the dependency graph, iterative (a chain of 100 000 segment
  // references must not exhaust the stack); each cycle reported once, at the member
  // declared first in source order, with the path starting there.
  enum { White, Grey, Black };
  std::map<std::string, int> colour;
  std::vector<std::string> path;  // the grey nodes, in visiting order
  std::set<std::string> reported;
  static const std::set<std::string> kNone;
  struct Frame {
    const std::string* node;
    std::set<std::string>::const_iterator next, end;
  };
  auto deps = [&](const std::string& n) -> const std::set<std::string>& {
    auto it = p_.depends.find(n);
    return it == p_.depends.end() ? kNone : it->second;
  };
  auto where = [&](const std::string& name) {
    if (auto s = p_.segments.find(name); s != p_.segments.end())
      return std::pair(file_of(s->second), s->second->name.span.begin);
    const Tiers& t = p_.tiers.at(name);
    return std::pair(t.file, t.decl->name.span.begin);
  };
  auto report = [&](const std::string& back_to) {
    std::vector<std::string> cycle(std::find(path.begin(), path.end(), back_to), path.end());
    bool fresh = false;
    for (const auto& c : cycle) fresh |= reported.insert(c).second;
    if (!fresh) return;
    auto first = std::min_element(cycle.begin(), cycle.end(),
                                  [&](const auto& a, const auto& b) { return where(a) < where(b); });
    std::rotate(cycle.begin(), first, cycle.end());
    std::string text;
    for (const auto& c : cycle) text += c + " -> ";
    text += cycle.front();
    const std::string& n = cycle.front();
    Span sp = p_.segments.count(n) ? p_.segments.at(n)->name.span : p_.tiers.at(n).decl->name.span;
    error(Code::SegmentCycle, where(n).first, sp, "segments refer to each other in a cycle: " + text)
        .help = "a segment cannot depend on itself, directly or through others";
  };

  for (const auto& [root, _] : p_.depends) {
    if (colour[root] != White) continue;
    std::vector<Frame> stack;
    auto enter = [&](const std::string& n) {
      colour[n] = Grey;
      path.push_back(n);
      const auto& d = deps(n);
      stack.push_back({&n, d.begin(), d.end()});
    };
    enter(root);
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next == top.end) {
        colour[*top.node] = Black;
        path.pop_back();
        stack.pop_back();
        continue;
      }
      const std::string& m = *top.next++;
      if (colour[m] == Grey)
        report(m);
      else if (colour[m] == White)
        enter(m);
    }
  }
}

}  // namespace seg::sema
