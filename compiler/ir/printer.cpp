// `seg ir`: a stable, readable dump of the bundle for golden tests and debugging.
#include <fmt/format.h>

#include "compiler/ir/ir.h"
#include "stdlib/builtins/builtins.h"

namespace seg::ir {
namespace {

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string value_text(const Value& v) {
  switch (v.type) {
    case Type::Bool: return v.b ? "true" : "false";
    case Type::Int: return std::to_string(v.i);
    case Type::Number: return fmt::format("{}", v.d);
    case Type::String: return quote(v.s);
    case Type::Time: return builtins::format_time(v.i);
    case Type::Duration: return builtins::format_duration(v.i);
    case Type::StringSet: {
      std::string out = "[";
      for (size_t i = 0; i < v.set.size(); ++i) out += (i ? ", " : "") + quote(v.set[i]);
      return out + "]";
    }
    case Type::Event: return "<event>";
  }
  return "?";
}

struct Printer {
  const Bundle& b;
  int event = -1;  // for Prop names inside a slot filter

  std::string expr(Expr e) {
    auto arg = [&](size_t i) { return expr(e->args[i]); };
    switch (e->kind) {
      case Kind::Const: return value_text(e->value);
      case Kind::Now: return "now";
      case Kind::Attr: return "@" + b.attributes[e->index].name;
      case Kind::ProfileId: return "id";
      case Kind::Prop:
        return event >= 0 ? "." + b.events[event].props[e->index].name
                          : fmt::format(".p{}", e->index);
      case Kind::Not: return "(not " + arg(0) + ")";
      case Kind::And: return "(" + arg(0) + " and " + arg(1) + ")";
      case Kind::Or: return "(" + arg(0) + " or " + arg(1) + ")";
      case Kind::Neg: return "(-" + arg(0) + ")";
      case Kind::Arith:
      case Kind::Cmp: return "(" + arg(0) + " " + op_name(e->op) + " " + arg(1) + ")";
      case Kind::Coalesce: return "(" + arg(0) + " ?? " + arg(1) + ")";
      case Kind::InList: {
        std::string out = "(" + arg(0) + (e->op == Op::Ne ? " not in [" : " in [");
        for (size_t i = 1; i < e->args.size(); ++i) out += (i > 1 ? ", " : "") + arg(i);
        return out + "])";
      }
      case Kind::InSet: return "(" + arg(0) + (e->op == Op::Ne ? " not in " : " in ") + arg(1) + ")";
      case Kind::Has: return "has(" + arg(0) + ")";
      case Kind::Call: {
        std::string out = std::string(fn_name(e->fn)) + "(";
        for (size_t i = 0; i < e->args.size(); ++i) out += (i ? ", " : "") + arg(i);
        return out + ")";
      }
      case Kind::Matches: return "(" + arg(0) + " matches " + quote(b.regexes[e->index]) + ")";
      case Kind::Agg: {
        // As the rule would say it: `count(viewed_product within 259200000ms)`.
        const Slot& s = b.slots[e->index];
        std::string out = b.events[s.event].name;
        if (e->prop >= 0) out += "." + b.events[s.event].props[e->prop].name;
        if (s.filter) {
          int saved = event;
          event = s.event;
          out += " where " + expr(s.filter);
          event = saved;
        }
        if (s.kind == SlotKind::Window) out += " within " + builtins::format_duration(s.window_ms);
        if (!e->args.empty()) out += " since " + arg(0);
        if (e->agg == AggFn::Exists) return "(" + out + ")";
        return fmt::format("{}({})", agg_name(e->agg), out);
      }
      case Kind::EventField:
        return arg(0) + "." + (e->prop >= 0 ? b.events[e->index].props[e->prop].name : "time");
      case Kind::Member: return "member(" + b.audiences[e->index].name + ")";
    }
    return "?";
  }
};

}  // namespace

std::string print(const Bundle& b, Expr e) { return Printer{b}.expr(e); }

std::string print_slot(const Bundle& b, int32_t slot, bool with_window) {
  const Slot& s = b.slots[slot];
  Printer p{b, s.event};
  std::string out = b.events[s.event].name;
  if (s.filter) out += " where " + p.expr(s.filter);
  if (with_window && s.kind == SlotKind::Window) out += " within " + builtins::format_duration(s.window_ms);
  if (s.kind == SlotKind::History) out += " (history)";
  return out;
}

std::string print_measure(const Bundle& b, int32_t measure) {
  const Measure& m = b.measures[measure];
  const Event& ev = b.events[m.event];
  Printer p{b, m.event};
  std::string out = fmt::format("{}: audience {}, converts {}{} within {}", m.name, b.audiences[m.audience].name,
                                ev.name, m.filter ? " where " + p.expr(m.filter) : std::string(),
                                builtins::format_duration(m.window_ms));
  if (m.value_prop >= 0) out += ", value " + ev.props[m.value_prop].name;
  return out + fmt::format(", holdout share {}", m.holdout_share);
}

std::string print(const Bundle& b) {
  Printer p{b};
  std::string out;
  out += "attributes\n";
  for (const auto& a : b.attributes)
    out += fmt::format("  {}: {}{}\n", a.name, type_name(a.type), a.used ? "" : "  (not kept)");
  out += "events\n";
  for (size_t i = 0; i < b.events.size(); ++i) {
    out += "  " + b.events[i].name + " {";
    for (size_t k = 0; k < b.events[i].props.size(); ++k)
      out += fmt::format("{}{}: {}", k ? ", " : " ", b.events[i].props[k].name,
                         type_name(b.events[i].props[k].type));
    out += " }  fold: ";
    for (size_t k = 0; k < b.fold[i].size(); ++k) out += fmt::format("{}slot{}", k ? " " : "", b.fold[i][k]);
    out += "\n";
  }
  out += "slots\n";
  for (size_t i = 0; i < b.slots.size(); ++i) {
    const Slot& s = b.slots[i];
    p.event = s.event;
    static const char* kKinds[] = {"all-time", "window", "history"};
    out += fmt::format("  slot{}: {} {}", i, b.events[s.event].name, kKinds[static_cast<int>(s.kind)]);
    if (s.kind == SlotKind::Window) out += " " + builtins::format_duration(s.window_ms);
    if (s.latest_only) out += " latest-only";
    if (s.cap) out += fmt::format(" keeps-last {}", s.cap);
    if (s.filter) out += " where " + p.expr(s.filter);
    if (!s.props.empty()) {
      out += " keeps";
      for (int32_t k : s.props) out += " " + b.events[s.event].props[k].name;
    }
    out += "\n";
  }
  p.event = -1;
  out += "evaluate\n";
  for (const auto& step : b.evaluate) {
    if (!step.tiers) {
      const Audience& a = b.audiences[step.index];
      out += "  segment " + a.name + " = " + p.expr(a.when) + "\n";
      for (int32_t x : a.excludes) out += "    exclude " + b.audiences[x].name + "\n";
      if (a.ttl_ms) out += fmt::format("    ttl {} (state {})\n", builtins::format_duration(*a.ttl_ms), a.ttl_slot);
      if (a.holdout) out += fmt::format("    holdout {}% salt {}\n", a.holdout->percent, quote(a.holdout->salt));
      continue;
    }
    const Tiers& t = b.tiers[step.index];
    out += "  tiers " + t.name;
    if (t.from >= 0) out += " from " + b.audiences[t.from].name;
    out += "\n";
    if (t.holdout) out += fmt::format("    holdout {}% salt {}\n", t.holdout->percent, quote(t.holdout->salt));
    for (int32_t arm : t.arms) {
      const Audience& a = b.audiences[arm];
      out += "    " + a.name + ": " + (a.cond ? p.expr(a.cond) : std::string("else")) + "\n";
    }
  }
  out += "deadline\n";
  for (Expr e : b.time_atoms) out += "  " + p.expr(e) + "\n";
  for (size_t i = 0; i < b.slots.size(); ++i)
    if (b.slots[i].kind == SlotKind::Window) out += fmt::format("  window end of slot{}\n", i);
  for (const auto& a : b.audiences)
    if (a.ttl_ms) out += "  ttl of " + a.name + "\n";
  out += "diff\n";
  for (const auto& d : b.destinations) {
    out += fmt::format("  {} ({}{}{}{}) as {}\n", d.name, d.type, d.updates ? ", updates" : "",
                       d.on_exit_keep ? ", on exit keep" : "",
                       d.include_holdout ? ", include holdout" : "", quote(d.downstream));
    for (int32_t a : d.audiences) out += "    audience " + b.audiences[a].name + "\n";
    for (const auto& k : d.keys)
      out += fmt::format("    key {} <- {} normalize {}{}\n", k.name,
                         k.attr < 0 ? std::string("id") : b.attributes[k.attr].name,
                         normalize_name(k.normalize), k.hash ? " sha256" : "");
    for (const auto& f : d.fields) out += "    field " + f.name + (f.expr ? " = " + p.expr(f.expr) : "") + "\n";
    for (const auto& [k, v] : d.labels) out += "    label " + k + " = " + quote(v) + "\n";
    if (d.drift) out += fmt::format("    drift warn {}% fail {}%\n", d.drift->warn, d.drift->fail);
  }
  if (!b.measures.empty()) out += "measure\n";
  for (size_t i = 0; i < b.measures.size(); ++i) out += "  " + print_measure(b, static_cast<int32_t>(i)) + "\n";
  return out;
}

}  // namespace seg::ir
