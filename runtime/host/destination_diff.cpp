// `seg diff`: destination clauses compared between two bundles, each change with the one
// sentence that says what the next run does about it (docs/rule-changes.md). Pure: reads
// two IRs, never runs anything.
#include "runtime/host/destination_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace seg::host {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// A match key as written: `email`, `id`, or `email hash sha256` on a type that does not
// hash by itself (ads types always hash; LANGUAGE.md §7).
std::vector<std::string> keys_text(const ir::Bundle& b, const ir::Destination& d) {
  std::vector<std::string> out;
  for (const ir::Key& k : d.keys) {
    std::string s = k.attr < 0 ? "id" : b.attributes[k.attr].name;
    if (k.hash && !d.ads) s += " hash sha256";
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> audience_names(const ir::Bundle& b, const ir::Destination& d) {
  std::vector<std::string> out;
  for (int32_t a : d.audiences) out.push_back(b.audiences[a].name);
  return out;
}

// Entries of `now` not in `old` (order of `now`).
std::vector<std::string> minus(const std::vector<std::string>& now, const std::vector<std::string>& old) {
  std::vector<std::string> out;
  for (const std::string& s : now)
    if (std::find(old.begin(), old.end(), s) == old.end()) out.push_back(s);
  return out;
}

DestChange list_change(DestChangeKind kind, const std::vector<std::string>& old, const std::vector<std::string>& now) {
  DestChange c{kind, join(old), join(now), minus(now, old), minus(old, now), {}, ""};
  return c;
}

void compare(const ir::Bundle& ob, const ir::Destination& o, const ir::Bundle& nb, const ir::Destination& n,
             std::vector<DestChange>& out) {
  const char* leave = n.on_exit_keep ? "kept" : "removed";
  bool renamed = o.downstream != n.downstream;
  if (o.type != n.type) {
    DestChange c{DestChangeKind::Type, o.type, n.type, {}, {}, {}, ""};
    c.effect = fmt::format(
        "members already sent count as held by the {} destination, so only what differs is sent; bind it to a {} "
        "connector in the deployment config",
        n.type, n.type);
    out.push_back(std::move(c));
  }
  if (renamed) {
    DestChange c{DestChangeKind::Name, o.downstream, n.downstream, {}, {}, {}, ""};
    c.effect = n.on_exit_keep
                   ? fmt::format("a new downstream audience: every member is added to {}; {} keeps what it holds (on exit keep)",
                                 n.downstream, o.downstream)
                   : fmt::format("a new downstream audience: every member is added to {} and removed from {}",
                                 n.downstream, o.downstream);
    out.push_back(std::move(c));
  }
  std::vector<std::string> oa = audience_names(ob, o), na = audience_names(nb, n);
  if (oa != na) {
    DestChange c = list_change(DestChangeKind::Audiences, oa, na);
    if (n.ads && o.ads && o.downstream == n.downstream)
      c.effect = "the platform audience keeps what it holds: members of the new audience it lacks are added, the others "
                 "removed";
    else if (!c.added.empty() && !c.removed.empty())
      c.effect = fmt::format("members of the new audiences are added; members of those no longer listed are {}", leave);
    else if (!c.added.empty())
      c.effect = "members of the new audiences are added";
    else if (!c.removed.empty())
      c.effect = fmt::format("members of the audiences no longer listed are {}", leave);
    else
      c.effect = "only the order changed: nothing is sent";
    out.push_back(std::move(c));
  }
  std::vector<std::string> ok = keys_text(ob, o), nk = keys_text(nb, n);
  if (ok != nk) {
    DestChange c = list_change(DestChangeKind::MatchKeys, ok, nk);
    c.effect = renamed ? "the adds to the new audience carry the new keys; the removes from the old one carry the keys "
                         "last sent there"
               : n.updates ? "every member whose sent keys change gets an update with the new keys"
                           : "every member whose sent keys change is removed with the old keys and added with the new ones";
    out.push_back(std::move(c));
  }
  std::vector<std::string> of, nf;
  for (const ir::Field& f : o.fields) of.push_back(f.name);
  for (const ir::Field& f : n.fields) nf.push_back(f.name);
  DestChange fields = list_change(DestChangeKind::Fields, of, nf);
  auto type = [](const ir::Bundle& b, const ir::Field& f) { return f.expr ? f.expr->type : b.attributes[f.attr].type; };
  for (const ir::Field& f : n.fields)
    for (const ir::Field& g : o.fields)
      if (f.name == g.name && type(nb, f) != type(ob, g))
        fields.changed.push_back(fmt::format("{} ({} -> {})", f.name, ir::type_name(type(ob, g)),
                                             ir::type_name(type(nb, f))));
      else if (f.name == g.name && f.expr && g.expr && ir::print(nb, f.expr) != ir::print(ob, g.expr))
        fields.changed.push_back(fmt::format("{} ({} -> {})", f.name, ir::print(ob, g.expr), ir::print(nb, f.expr)));
  if (of != nf || !fields.changed.empty()) {
    fields.effect = renamed ? "the adds to the new audience carry the new fields"
                    : n.updates ? "every member whose sent fields change gets an update"
                                : "every member whose sent fields change is removed and added again";
    if (fields.added.empty() && fields.removed.empty() && fields.changed.empty())
      fields.effect = "only the order changed: nothing is sent";
    out.push_back(std::move(fields));
  }
  if (o.include_holdout != n.include_holdout) {
    DestChange c{DestChangeKind::Holdout, o.include_holdout ? "include holdout" : "",
                 n.include_holdout ? "include holdout" : "", {}, {}, {}, ""};
    c.effect = n.include_holdout ? "the holdout members of its audiences are added, flagged `holdout: true`"
                                 : fmt::format("the holdout members it holds are {}", leave);
    out.push_back(std::move(c));
  }
  if (o.on_exit_keep != n.on_exit_keep) {
    DestChange c{DestChangeKind::OnExit, o.on_exit_keep ? "keep" : "remove", n.on_exit_keep ? "keep" : "remove",
                 {}, {}, {}, ""};
    c.effect = n.on_exit_keep ? "members who leave from now on stay downstream: nothing is sent when they leave"
                              : "members who leave from now on are removed downstream (those kept before the change are "
                                "not: seg no longer holds them)";
    out.push_back(std::move(c));
  }
}

}  // namespace

const char* dest_change_name(DestChangeKind k) {
  switch (k) {
    case DestChangeKind::Added: return "added";
    case DestChangeKind::Removed: return "removed";
    case DestChangeKind::Type: return "type";
    case DestChangeKind::Name: return "name";
    case DestChangeKind::Audiences: return "audience";
    case DestChangeKind::MatchKeys: return "match";
    case DestChangeKind::Fields: return "fields";
    case DestChangeKind::Holdout: return "include holdout";
    case DestChangeKind::OnExit: return "on exit";
  }
  return "?";
}

std::vector<DestinationDiff> diff_destinations(const ir::Bundle& old_rules, const ir::Bundle& new_rules) {
  std::set<std::string> names;
  for (const ir::Destination& d : old_rules.destinations) names.insert(d.name);
  for (const ir::Destination& d : new_rules.destinations) names.insert(d.name);
  std::vector<DestinationDiff> out;
  for (const std::string& name : names) {
    int32_t o = old_rules.destination(name), n = new_rules.destination(name);
    DestinationDiff row;
    row.destination = name;
    if (o < 0) {
      const ir::Destination& d = new_rules.destinations[n];
      row.type = d.type;
      DestChange c{DestChangeKind::Added, "", d.downstream, audience_names(new_rules, d), {}, {}, ""};
      c.effect = fmt::format("a new destination: the {}members of its audiences are added to {}",
                             d.include_holdout ? "" : "non-holdout ", d.downstream);
      row.changes.push_back(std::move(c));
    } else if (n < 0) {
      const ir::Destination& d = old_rules.destinations[o];
      row.type = d.type;
      DestChange c{DestChangeKind::Removed, d.downstream, "", {}, audience_names(old_rules, d), {}, ""};
      c.effect = fmt::format("nothing is sent to it any more: what {} holds is left as it is (clear it downstream)",
                             d.downstream);
      row.changes.push_back(std::move(c));
    } else {
      row.type = new_rules.destinations[n].type;
      compare(old_rules, old_rules.destinations[o], new_rules, new_rules.destinations[n], row.changes);
    }
    if (!row.changes.empty()) out.push_back(std::move(row));
  }
  return out;
}

}  // namespace seg::host
