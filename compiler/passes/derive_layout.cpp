// The per-profile state layout (RUNTIME.md §7): which attributes are kept (read by a
// rule, a slot filter, a key or a field), one TTL state per segment with a TTL, one
// "last sent" state per destination audience.
#include <algorithm>
#include <unordered_map>

#include "compiler/ir/visitor.h"
#include "compiler/passes/passes.h"

namespace seg::passes {
namespace {

class Uses : public ir::Visitor {
 public:
  explicit Uses(ir::Bundle& b)
      : needs_all(b.slots.size(), false), cap(b.slots.size(), 0), b_(b) {}
  std::vector<bool> needs_all;  // per slot: a query reads more than a bounded tail
  std::vector<int32_t> cap;     // per slot: entries the count thresholds need (0: none)
  bool enter(ir::Expr e) override {
    if (e->kind == ir::Kind::Attr) b_.attributes[e->index].used = true;
    if (e->kind == ir::Kind::Cmp) {
      // `count(E within D) op N` only needs to count up to N + 1.
      for (int side = 0; side < 2; ++side) {
        ir::Expr c = e->args[side], k = e->args[1 - side];
        if (c->kind == ir::Kind::Agg && c->agg == ir::AggFn::Count && c->args.empty() &&
            k->kind == ir::Kind::Const && k->type == ir::Type::Int && k->value.i >= 0 && k->value.i < 1000)
          thresholded_[c] = static_cast<int32_t>(k->value.i + 1);
      }
    }
    if (e->kind == ir::Kind::Agg) {
      bool tail = (e->agg == ir::AggFn::Exists || e->agg == ir::AggFn::Last) && e->args.empty();
      if (auto it = thresholded_.find(e); it != thresholded_.end()) {
        cap[e->index] = std::max(cap[e->index], it->second);
      } else if (!tail) {
        needs_all[e->index] = true;
      }
    }
    return true;
  }

 private:
  ir::Bundle& b_;
  std::unordered_map<ir::Expr, int32_t> thresholded_;
};

}  // namespace

void derive_layout(ir::Bundle& b) {
  Uses uses(b);
  ir::for_each_root(b, [&](ir::Expr& e) { uses.walk(e); });
  for (const ir::Destination& d : b.destinations) {
    for (const ir::Key& k : d.keys)
      if (k.attr >= 0) b.attributes[k.attr].used = true;
    for (const ir::Field& f : d.fields)
      if (f.attr >= 0) b.attributes[f.attr].used = true;
  }
  for (size_t i = 0; i < b.slots.size(); ++i) {
    bool window = b.slots[i].kind == ir::SlotKind::Window;
    b.slots[i].latest_only = window && !uses.needs_all[i] && uses.cap[i] == 0;
    b.slots[i].cap = window && !uses.needs_all[i] ? uses.cap[i] : 0;
  }
  b.ttl_count = 0;
  for (ir::Audience& a : b.audiences)
    if (a.ttl_ms) a.ttl_slot = b.ttl_count++;
  b.sent_count = 0;
  for (ir::Destination& d : b.destinations) {
    d.sent_base = b.sent_count;
    b.sent_count += static_cast<int32_t>(d.audiences.size());
  }
  b.fold.assign(b.events.size(), {});
  for (size_t i = 0; i < b.slots.size(); ++i)
    b.fold[b.slots[i].event].push_back(static_cast<int32_t>(i));
}

}  // namespace seg::passes
