#include "runtime/state/migration.h"

#include <fmt/format.h>

#include <algorithm>

#include <unordered_map>

#include "stdlib/builtins/builtins.h"

namespace seg::rt {
namespace {

std::string typed(const std::string& name, ir::Type t) { return name + ":" + ir::type_name(t); }

std::string name_of(const std::string& typed_name) { return typed_name.substr(0, typed_name.rfind(':')); }

std::string type_of(const std::string& typed_name) { return typed_name.substr(typed_name.rfind(':') + 1); }

// Everything that decides a destination's keys and fields from the attributes.
std::string keys_signature(const ir::Bundle& b, const ir::Destination& d) {
  std::string s = "region=" + b.default_region;
  for (const ir::Key& k : d.keys)
    s += fmt::format(";key {} {} {} {}", k.name, k.attr < 0 ? std::string("id") : typed(b.attributes[k.attr].name, b.attributes[k.attr].type),
                     static_cast<int>(k.normalize), k.hash);
  for (const ir::Field& f : d.fields)
    s += f.expr ? fmt::format(";field {} = {}", f.name, ir::print(b, f.expr))
                : fmt::format(";field {} {}", f.name, typed(b.attributes[f.attr].name, b.attributes[f.attr].type));
  return s;
}

template <typename T, typename Key>
std::unordered_map<std::string, int32_t> index_by(const std::vector<T>& v, Key key) {
  std::unordered_map<std::string, int32_t> m;
  for (size_t i = 0; i < v.size(); ++i) m.emplace(key(v[i]), static_cast<int32_t>(i));
  return m;
}

int32_t lookup(const std::unordered_map<std::string, int32_t>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? -1 : it->second;
}

// Can the old slot's state stand for the new one? Fills the plan, or returns why not.
std::string carry_slot(const SlotShape& o, const SlotShape& n, SlotPlan& plan) {
  plan.props.clear();
  for (const std::string& p : n.props) {
    int32_t k = -1;
    for (size_t i = 0; i < o.props.size(); ++i)
      if (o.props[i] == p) k = static_cast<int32_t>(i);
    if (k < 0) return "the old rules did not keep the property " + name_of(p) + " of these events";
    plan.props.push_back(k);
  }
  if (n.kind == static_cast<uint8_t>(ir::SlotKind::Window)) {
    if (n.window_ms > o.window_ms)
      return "the window grew from " + builtins::format_duration(o.window_ms) +
             ": older events were never kept";
    if (o.latest_only && !n.latest_only) return "the old rules kept only the latest of these events";
    int32_t need = n.latest_only ? 1 : n.cap;
    int32_t had = o.latest_only ? 1 : o.cap;
    if (had != 0 && (need == 0 || need > had))
      return fmt::format("the old rules kept only the last {} of these events", had);
    plan.keep_last = need != had ? need : 0;
    plan.prune_window_ms = n.window_ms < o.window_ms ? n.window_ms : 0;
  }
  return {};
}

}  // namespace

size_t StateLayout::sent_count() const {
  size_t n = 0;
  for (const DestShape& d : destinations) n += d.audiences.size();
  return n;
}

StateLayout describe_layout(const ir::Bundle& b) {
  StateLayout l;
  for (const ir::Attribute& a : b.attributes) l.attributes.push_back(a.used ? typed(a.name, a.type) : "");
  for (size_t i = 0; i < b.slots.size(); ++i) {
    const ir::Slot& s = b.slots[i];
    SlotShape shape;
    shape.what = ir::print_slot(b, static_cast<int32_t>(i), false);
    shape.kind = static_cast<uint8_t>(s.kind);
    shape.window_ms = s.window_ms;
    shape.latest_only = s.latest_only;
    shape.cap = s.cap;
    for (int32_t p : s.props) shape.props.push_back(typed(b.events[s.event].props[p].name, b.events[s.event].props[p].type));
    l.slots.push_back(std::move(shape));
  }
  for (const ir::Audience& a : b.audiences) {
    l.audiences.push_back(a.name);
    l.ttl_slot.push_back(a.ttl_ms ? a.ttl_slot : -1);
  }
  for (const ir::Destination& d : b.destinations) {
    DestShape shape{d.name, d.downstream, keys_signature(b, d), {}};
    for (int32_t a : d.audiences) shape.audiences.push_back(b.audiences[a].name);
    l.destinations.push_back(std::move(shape));
  }
  for (size_t i = 0; i < b.measures.size(); ++i) l.measures.push_back(ir::print_measure(b, static_cast<int32_t>(i)));
  return l;
}

Migration plan_migration(const StateLayout& old, const ir::Bundle& now) {
  Migration m;
  StateLayout cur = describe_layout(now);

  // Attributes: by name, when the type is unchanged and the old rules kept them.
  auto old_attr = index_by(old.attributes, [](const std::string& s) { return name_of(s); });
  for (size_t i = 0; i < cur.attributes.size(); ++i) {
    int32_t from = -1;
    if (!cur.attributes[i].empty()) {
      const std::string& name = now.attributes[i].name;
      int32_t o = lookup(old_attr, name);
      if (o >= 0 && old.attributes[o] == cur.attributes[i]) from = o;
      else if (o >= 0 && !old.attributes[o].empty())
        m.notes.push_back(fmt::format("attribute {} changed type from {} to {}: missing until the profile's next identify",
                                      name, type_of(old.attributes[o]), type_of(cur.attributes[i])));
      else
        m.notes.push_back(fmt::format("attribute {} was not kept by the old rules: missing until the profile's next identify", name));
    }
    m.attr_from.push_back(from);
  }

  // Aggregates: the first old slot over the same events and filter, of the same kind,
  // that kept everything the new one needs.
  for (size_t i = 0; i < cur.slots.size(); ++i) {
    const SlotShape& n = cur.slots[i];
    SlotPlan plan;
    std::string why = "new aggregate: events before the change were never kept";
    for (size_t k = 0; k < old.slots.size(); ++k) {
      const SlotShape& o = old.slots[k];
      if (o.what != n.what || o.kind != n.kind) continue;
      SlotPlan candidate;
      std::string reason = carry_slot(o, n, candidate);
      if (reason.empty()) {
        candidate.from = static_cast<int32_t>(k);
        plan = std::move(candidate);
        break;
      }
      why = reason;
    }
    if (plan.from < 0) {
      plan.why = why;
      m.notes.push_back("aggregate `" + ir::print_slot(now, static_cast<int32_t>(i)) + "` starts empty: " + why);
    }
    m.slots.push_back(std::move(plan));
  }

  // Memberships and TTL clocks: by audience name.
  auto old_aud = index_by(old.audiences, [](const std::string& s) { return s; });
  m.ttl_from.assign(static_cast<size_t>(now.ttl_count), -1);
  for (size_t i = 0; i < cur.audiences.size(); ++i) {
    int32_t o = lookup(old_aud, cur.audiences[i]);
    m.audience_from.push_back(o);
    if (cur.ttl_slot[i] < 0 || o < 0) continue;
    if (old.ttl_slot[o] >= 0) m.ttl_from[cur.ttl_slot[i]] = old.ttl_slot[o];
    else
      m.notes.push_back("audience " + cur.audiences[i] + " has a new TTL: its current members' clocks start at the rule change");
  }

  // What each destination holds: by destination name, then by segment (an ads
  // destination syncs one audience: what it holds is compared with the new one's
  // members whatever the segment is called). A new downstream name is a new audience.
  auto old_dest = index_by(old.destinations, [](const DestShape& d) { return d.name; });
  std::vector<int32_t> old_base;
  int32_t base = 0;
  for (const DestShape& d : old.destinations) {
    old_base.push_back(base);
    base += static_cast<int32_t>(d.audiences.size());
  }
  std::vector<bool> old_dest_seen(old.destinations.size(), false);
  for (size_t di = 0; di < now.destinations.size(); ++di) {
    const ir::Destination& d = now.destinations[di];
    const DestShape& n = cur.destinations[di];
    int32_t o = lookup(old_dest, d.name);
    m.seq_from.push_back(o);
    m.same_keys.push_back(o >= 0 && old.destinations[o].keys == n.keys);
    std::vector<int32_t> from(n.audiences.size(), -1);
    if (o < 0) {
      m.notes.push_back("destination " + d.name + " is new: its members are added");
    } else {
      old_dest_seen[o] = true;
      const DestShape& od = old.destinations[o];
      std::vector<bool> carried(od.audiences.size(), false);
      if (od.downstream != n.downstream) {
        m.notes.push_back(fmt::format("destination {} now syncs downstream audience {} (was {}): members are added there{}",
                                      d.name, n.downstream, od.downstream,
                                      d.on_exit_keep ? " and kept in the old one (on exit keep)" : " and removed from the old one"));
      } else if (d.ads && n.audiences.size() == 1 && od.audiences.size() == 1) {
        from[0] = old_base[o];
        carried[0] = true;
      } else {
        for (size_t j = 0; j < n.audiences.size(); ++j)
          for (size_t k = 0; k < od.audiences.size(); ++k)
            if (od.audiences[k] == n.audiences[j]) {
              from[j] = old_base[o] + static_cast<int32_t>(k);
              carried[k] = true;
            }
      }
      for (size_t k = 0; k < od.audiences.size(); ++k) {
        if (carried[k]) continue;
        m.orphans.push_back({old_base[o] + static_cast<int32_t>(k), static_cast<int32_t>(di), od.audiences[k],
                             od.downstream, d.on_exit_keep});
        if (od.downstream == n.downstream)
          m.notes.push_back(fmt::format("destination {} no longer syncs {}: its members are {}", d.name, od.audiences[k],
                                        d.on_exit_keep ? "kept there (on exit keep)" : "removed"));
      }
      if (!m.same_keys.back()) m.notes.push_back("destination " + d.name + " has new keys or fields: members get them as changes");
    }
    m.sent_from.insert(m.sent_from.end(), from.begin(), from.end());
  }
  for (size_t o = 0; o < old.destinations.size(); ++o)
    if (!old_dest_seen[o]) {
      m.dropped.push_back({old_base[o], static_cast<int32_t>(old.destinations[o].audiences.size())});
      m.notes.push_back("destination " + old.destinations[o].name +
                        " is no longer in the rules: what it holds is left as it is (nothing is sent to it)");
    }

  // Measures: by their whole definition; a changed one starts counting again.
  for (size_t i = 0; i < cur.measures.size(); ++i) {
    auto it = std::find(old.measures.begin(), old.measures.end(), cur.measures[i]);
    m.measure_from.push_back(it == old.measures.end() ? -1 : static_cast<int32_t>(it - old.measures.begin()));
    if (it == old.measures.end())
      m.notes.push_back("measure " + now.measures[i].name + " is new or changed: its exposures and conversions start now");
  }

  // The same layout, audience for audience: nothing to map (a plain resume).
  m.identity = old.measures == cur.measures && old.attributes == cur.attributes && old.audiences == cur.audiences && old.ttl_slot == cur.ttl_slot &&
               old.slots.size() == cur.slots.size() && old.destinations.size() == cur.destinations.size();
  for (size_t i = 0; m.identity && i < cur.slots.size(); ++i) {
    const SlotShape &a = old.slots[i], &b = cur.slots[i];
    m.identity = a.what == b.what && a.kind == b.kind && a.window_ms == b.window_ms && a.latest_only == b.latest_only &&
                 a.cap == b.cap && a.props == b.props;
  }
  for (size_t i = 0; m.identity && i < cur.destinations.size(); ++i) {
    const DestShape &a = old.destinations[i], &b = cur.destinations[i];
    m.identity = a.name == b.name && a.downstream == b.downstream && a.keys == b.keys && a.audiences == b.audiences;
  }
  return m;
}

}  // namespace seg::rt
