#pragma once
// Rule changes over an existing state (RUNTIME.md §6–7, issue 5). A checkpoint records
// the layout of the state it holds by names (StateLayout); a run with other rules plans
// how to carry that state into the new layout (Migration): attributes by name and type,
// aggregates by event, filter and shape when the old state kept everything the new one
// needs, memberships and TTL clocks by audience name, what each destination holds by
// destination and segment name. What cannot be carried starts empty and is reported,
// because history that was never kept cannot be recomputed.
#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"

namespace seg::rt {

struct SlotShape {
  std::string what;  // event and filter as a rule says them (ir::print_slot without window)
  uint8_t kind = 0;  // ir::SlotKind
  int64_t window_ms = 0;
  bool latest_only = false;
  int32_t cap = 0;
  std::vector<std::string> props;  // kept properties, `name:type`
};

struct DestShape {
  std::string name, downstream;
  std::string keys;  // keys, fields and region: equal => equal keys and fields for equal attributes
  std::vector<std::string> audiences;  // segment names, in the order of their sent states
};

struct StateLayout {
  std::vector<std::string> attributes;  // `name:type`, by attribute index
  std::vector<SlotShape> slots;
  std::vector<std::string> audiences;  // by audience index (membership bits)
  std::vector<int32_t> ttl_slot;       // per audience: its TTL state, or -1
  std::vector<DestShape> destinations;
  // Measure blocks by their whole definition (name, audience, conversion, value): a
  // measure carries its per-profile facts only while its definition is unchanged.
  std::vector<std::string> measures;
  size_t sent_count() const;
};

StateLayout describe_layout(const ir::Bundle& b);

// What the destination holds for an audience the new rules no longer sync there.
struct Orphan {
  int32_t old_sent = 0;     // index into the old sent states
  int32_t destination = 0;  // new destination (same name) the remove is written to
  std::string segment, downstream;
  bool keep = false;  // `on exit keep`: no remove
};

struct SlotPlan {
  int32_t from = -1;          // old slot, or -1: starts empty
  std::vector<int32_t> props;  // per new kept property: the old one
  int32_t keep_last = 0;       // keep only the newest N entries (0: all)
  int64_t prune_window_ms = 0; // a shorter window: drop entries outside it
  std::string why;             // for the report, when from < 0
};

struct Migration {
  bool identity = false;  // the same layout: state is taken as written
  std::vector<int32_t> attr_from;      // new attribute -> old, or -1
  std::vector<SlotPlan> slots;
  std::vector<int32_t> audience_from;  // new audience -> old, or -1
  std::vector<int32_t> ttl_from;       // new TTL state -> old, or -1
  std::vector<int32_t> sent_from;      // new sent state -> old, or -1
  std::vector<int32_t> seq_from;       // new destination -> old, or -1
  std::vector<bool> same_keys;         // new destination: keys and fields unchanged
  std::vector<int32_t> measure_from;   // new measure -> old, or -1
  std::vector<Orphan> orphans;
  struct SentRange {
    int32_t first = 0, count = 0;
  };
  std::vector<SentRange> dropped;  // old sent states of destinations the new rules do not have
  // Human-readable findings, one per line (also in summary.json).
  std::vector<std::string> notes;
};

Migration plan_migration(const StateLayout& old, const ir::Bundle& now);

}  // namespace seg::rt
