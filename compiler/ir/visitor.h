#pragma once
// Walking the IR: a Visitor sees every node (children first unless it stops), a Mutator
// rebuilds the tree bottom-up through the checked factories, sharing unchanged nodes.
#include <functional>
#include <unordered_map>

#include "compiler/ir/builder.h"

namespace seg::ir {

class Visitor {
 public:
  virtual ~Visitor() = default;
  // Return false to skip the node's children.
  virtual bool enter(Expr) { return true; }
  virtual void leave(Expr) {}
  void walk(Expr e) {
    if (!e || !enter(e)) return;
    for (Expr a : e->args) walk(a);
    leave(e);
  }
};

class Mutator {
 public:
  explicit Mutator(Bundle& b) : build(b) {}
  virtual ~Mutator() = default;
  // Override to replace a node; `e` already has mutated children.
  virtual Expr visit(Expr e) { return e; }
  Expr mutate(Expr e) {
    if (!e) return e;
    if (auto it = memo_.find(e); it != memo_.end()) return it->second;
    std::vector<Expr> args;
    bool changed = false;
    for (Expr a : e->args) {
      args.push_back(mutate(a));
      changed |= args.back() != a;
    }
    Expr out = visit(changed ? build.rebuild(e, std::move(args)) : e);
    memo_[e] = out;
    return out;
  }
  // Applies the mutator to every expression root of the bundle.
  void run(Bundle& b);

 protected:
  Builder build;

 private:
  std::unordered_map<Expr, Expr> memo_;
};

// Calls f on every expression root of the bundle (audiences, tiers arms, slot filters).
void for_each_root(Bundle& b, const std::function<void(Expr&)>& f);

}  // namespace seg::ir
