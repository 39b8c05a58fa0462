// `seg diff OLD NEW [--input F]`: what a rule change would do, without writing anything.
// Every destination whose clauses changed (name, match, fields, include holdout, on exit,
// audiences, type; added or removed) is listed with what the next run does about it. With
// --input, both rule sets (files, directories or .segb bundles) also run over the input;
// at its end (or --until) the members of every audience are compared by profile key (how
// many would enter and leave, and a few example ids), and each changed destination gets
// the ops the rule change would send. --format json for CI. The running and comparing is
// runtime/host/rule_diff.h; here: options, examples, printing.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <optional>
#include <set>

#include "cli/host_options.h"
#include "cli/commands.h"
#include "cli/usage.h"
#include "runtime/host/rule_diff.h"

namespace seg::cli {
namespace {

std::string list_text(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string plural(int64_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

// One change as a reviewer reads it: `match  email, phone -> phone (-email)`.
std::string change_text(const host::DestChange& c) {
  using K = host::DestChangeKind;
  switch (c.kind) {
    case K::Added: return fmt::format("syncs {} as \"{}\"", list_text(c.added), c.after);
    case K::Removed: return fmt::format("synced {} as \"{}\"", list_text(c.removed), c.before);
    case K::Name: return fmt::format("\"{}\" -> \"{}\"", c.before, c.after);
    case K::Holdout: return c.after.empty() ? "include holdout -> (none)" : "(none) -> include holdout";
    default: break;
  }
  std::string out = fmt::format("{} -> {}", c.before.empty() ? "(none)" : c.before, c.after.empty() ? "(none)" : c.after);
  std::vector<std::string> delta;
  for (const std::string& s : c.added) delta.push_back("+" + s);
  for (const std::string& s : c.removed) delta.push_back("-" + s);
  for (const std::string& s : c.changed) delta.push_back("~" + s);
  if (!delta.empty()) out += " (" + list_text(delta) + ")";
  return out;
}

// With --input: what the rule change sends to one destination, in one line.
std::string ops_text(const host::DestinationDiff& d) {
  bool removed = !d.changes.empty() && d.changes[0].kind == host::DestChangeKind::Removed;
  if (removed) return fmt::format("it still holds {} there", plural(d.left_held, "member"));
  std::vector<std::string> parts;
  for (const auto& [downstream, c] : d.ops) {
    std::vector<std::string> ops;
    if (c.remove) ops.push_back(plural(c.remove, "remove"));
    if (c.add) ops.push_back(plural(c.add, "add"));
    if (c.update) ops.push_back(plural(c.update, "update"));
    parts.push_back(fmt::format("{} to {}", list_text(ops), downstream));
  }
  return parts.empty() ? "nothing is sent" : list_text(parts);
}

nlohmann::json destinations_json(const std::vector<host::DestinationDiff>& diffs) {
  nlohmann::json out = nlohmann::json::array();
  for (const host::DestinationDiff& d : diffs) {
    nlohmann::json changes = nlohmann::json::array();
    for (const host::DestChange& c : d.changes)
      changes.push_back({{"clause", host::dest_change_name(c.kind)}, {"before", c.before}, {"after", c.after},
                         {"added", c.added}, {"removed", c.removed}, {"changed", c.changed}, {"effect", c.effect}});
    nlohmann::json row = {{"destination", d.destination}, {"type", d.type}, {"changes", changes}};
    if (d.measured) {
      nlohmann::json ops = nlohmann::json::object();
      for (const auto& [downstream, c] : d.ops)
        ops[downstream] = {{"add", c.add}, {"remove", c.remove}, {"update", c.update}};
      row["ops"] = ops;
      if (!d.changes.empty() && d.changes[0].kind == host::DestChangeKind::Removed) row["left_held"] = d.left_held;
    }
    out.push_back(std::move(row));
  }
  return out;
}

void print_destinations(const std::vector<host::DestinationDiff>& diffs, size_t total,
                        const std::vector<std::string>& notes) {
  for (const host::DestinationDiff& d : diffs) {
    std::cout << fmt::format("destination {} ({})\n", d.destination, d.type);
    for (const host::DestChange& c : d.changes)
      std::cout << fmt::format("  {:<15}  {}\n  {:<15}  next run: {}\n", host::dest_change_name(c.kind),
                               change_text(c), "", c.effect);
    if (d.measured) std::cout << fmt::format("  {:<15}  {}\n", "on the input", ops_text(d));
  }
  // What the deployment could not carry over (an attribute the old rules did not keep
  // explains a field change that sends nothing); the destination notes are said above.
  for (const std::string& n : notes)
    if (n.rfind("destination ", 0) != 0) std::cout << "note: " << n << "\n";
  std::cout << fmt::format("{} of {} destinations change\n", diffs.size(), total);
}

}  // namespace

Runner add_diff(CLI::App& app) {
  struct Opts {
    std::string old_rules, new_rules, input, until, format = "human";
    int examples = 3;
    BackendOptions backend;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand(
      "diff",
      "What changing OLD rules to NEW would do to every destination and, on an input, every audience\n"
      "  example: seg diff retention.segb rules/ --input sample.ndjson --until 2026-03-05T00:00:00Z");
  sub->add_option("old", o->old_rules, "Current rules: a .seg file, a directory or a .segb bundle")->required();
  sub->add_option("new", o->new_rules, "Proposed rules, likewise")->required();
  sub->add_option("--input", o->input,
                  "NDJSON input both rule sets run over: audience members compared, and the rule change's ops "
                  "counted per destination (without it: destination clauses only)");
  sub->add_option("--until", o->until, "Compare at this instant (default: the input's watermark)");
  sub->add_option("--examples", o->examples, "Example profile ids per audience and direction (default 3)");
  sub->add_option("--format", o->format, "human or json")->check(CLI::IsMember({"human", "json"}));
  add_backend_options(sub, o->backend);
  return [o]() {
    std::optional<int64_t> until;
    if (!o->until.empty()) {
      if (o->input.empty()) {
        std::cerr << kErrorPrefix << "--until needs --input: it is the instant at which the input's members are compared\n";
        return kExitUsage;
      }
      int64_t t = 0;
      if (!parse_cli_time(o->until, "--until", t)) return kExitUsage;
      until = t;
    }
    int code = 0;
    LoadedRules old_r = load_rules({o->old_rules}, DiagOptions{}, code);
    if (!old_r.bundle) return code;
    LoadedRules new_r = load_rules({o->new_rules}, DiagOptions{}, code);
    if (!new_r.bundle) return code;
    host::RuleDiffOptions dopt;
    dopt.input = o->input;
    dopt.until = until;
    dopt.backend = o->backend;
    dopt.notify = stderr_notify();
    host::RuleDiff diff = host::diff_rules(old_r, new_r, dopt);
    if (!diff.ok) {
      std::cerr << kErrorPrefix << diff.error << "\n";
      return kExitRuntime;
    }
    std::set<std::string> dest_names;
    for (const auto* b : {old_r.bundle.get(), new_r.bundle.get()})
      for (const ir::Destination& d : b->destinations) dest_names.insert(d.name);
    const std::vector<host::AudienceDiff>& rows = diff.audiences;
    auto sample = [&](const std::vector<std::string>& v) {
      return std::vector<std::string>(v.begin(), v.begin() + std::min<size_t>(v.size(), std::max(0, o->examples)));
    };
    if (o->format == "json") {
      nlohmann::json out = {{"old", o->old_rules}, {"new", o->new_rules}};
      if (diff.measured) {
        nlohmann::json audiences = nlohmann::json::array();
        for (const host::AudienceDiff& r : rows)
          audiences.push_back({{"audience", r.audience}, {"status", host::change_name(r.change)}, {"before", r.before},
                               {"after", r.after}, {"enter", r.enter.size()}, {"leave", r.leave.size()},
                               {"enter_examples", sample(r.enter)}, {"leave_examples", sample(r.leave)}});
        out["audiences"] = audiences;
        out["rule_change_notes"] = diff.notes;  // what the deployment could not carry over
      }
      out["destinations"] = destinations_json(diff.destinations);
      out["destinations_total"] = dest_names.size();
      std::cout << out.dump(2) << "\n";
      return kExitOk;
    }
    if (!diff.measured) {
      std::cout << "audiences: not compared (give --input to run both rule sets over a stream)\n";
      print_destinations(diff.destinations, dest_names.size(), diff.notes);
      return kExitOk;
    }
    size_t width = 8;
    for (const host::AudienceDiff& r : rows) width = std::max(width, r.audience.size());
    std::cout << fmt::format("{:<{}}  {:>9}  {:>8}  {:>8}  {:>8}  {:>8}  examples\n", "audience", width, "status",
                             "before", "after", "enter", "leave");
    size_t changed = 0;
    for (const host::AudienceDiff& r : rows) {
      std::string ex;
      for (const auto& k : sample(r.enter)) ex += (ex.empty() ? "+" : " +") + k;
      for (const auto& k : sample(r.leave)) ex += (ex.empty() ? "-" : " -") + k;
      std::cout << fmt::format("{:<{}}  {:>9}  {:>8}  {:>8}  {:>8}  {:>8}  {}\n", r.audience, width,
                               host::change_name(r.change), r.before, r.after, r.enter.size(), r.leave.size(), ex);
      changed += r.change != host::AudienceChange::Unchanged;
    }
    std::cout << fmt::format("{} of {} audiences change\n", changed, rows.size());
    // Unchanged destinations add nothing: the audience table above is then the whole story.
    if (!diff.destinations.empty()) {
      std::cout << "\n";
      print_destinations(diff.destinations, dest_names.size(), diff.notes);
    }
    return kExitOk;
  };
}

}  // namespace seg::cli
