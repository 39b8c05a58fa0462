// The per-profile state layout (RUNTIME.md §7): which attributes are kept (read by a
// rule, a slot filter, a key or a field), one TTL state per segment with a TTL, one
// "last sent" state per destination audience.
#include "compiler/ir/visitor.h"
#include "compiler/passes/passes.h"

namespace seg::passes {
namespace {

class Uses : public ir::Visitor {
 public:
  explicit Uses(ir::Bundle& b) : needs_all(b.slots.size(), false), b_(b) {}
  std::vector<bool> needs_all;  // per slot: some query reads more than the latest entry
  bool enter(ir::Expr e) override {
    if (e->kind == ir::Kind::Attr) b_.attributes[e->index].used = true;
    if (e->kind == ir::Kind::Agg &&
        ((e->agg != ir::AggFn::Exists && e->agg != ir::AggFn::Last) || !e->args.empty()))
      needs_all[e->index] = true;
    return true;
  }

 private:
  ir::Bundle& b_;
};

}  // namespace

void derive_layout(ir::Bundle& b) {
  Uses uses(b);
  ir::for_each_root(b, [&](ir::Expr& e) { uses.walk(e); });
  for (const ir::Destination& d : b.destinations) {
    for (const ir::Key& k : d.keys)
      if (k.attr >= 0) b.attributes[k.attr].used = true;
    for (const ir::Field& f : d.fields) b.attributes[f.attr].used = true;
  }
  for (size_t i = 0; i < b.slots.size(); ++i)
    b.slots[i].latest_only = b.slots[i].kind == ir::SlotKind::Window && !uses.needs_all[i];
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
