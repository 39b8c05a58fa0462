#include "runtime/interp/explain.h"

namespace seg::rt {

ExplainNode explain(Interpreter& in, Profile& p, ir::Expr e, int64_t now) {
  ExplainNode n;
  n.text = ir::print(in.bundle(), e);
  n.value = in.show(in.eval(e, p, now));
  switch (e->kind) {
    case ir::Kind::And:
    case ir::Kind::Or:
    case ir::Kind::Not:
    case ir::Kind::Cmp:
    case ir::Kind::Arith:
    case ir::Kind::Coalesce:
    case ir::Kind::InList:
    case ir::Kind::InSet:
    case ir::Kind::Has:
    case ir::Kind::Call:
    case ir::Kind::Matches:
    case ir::Kind::EventField:
      for (ir::Expr a : e->args)
        if (a->kind != ir::Kind::Const) n.children.push_back(explain(in, p, a, now));
      break;
    default: break;
  }
  return n;
}

}  // namespace seg::rt
