#pragma once
// `seg explain`: an audience's condition as a tree, each node with its value now.
#include <string>
#include <vector>

#include "runtime/interp/interp.h"

namespace seg::rt {

struct ExplainNode {
  std::string text;   // the sub-condition, printed from the IR
  std::string value;  // its value now
  std::vector<ExplainNode> children;
};

ExplainNode explain(Interpreter& in, Profile& p, ir::Expr e, int64_t now);

}  // namespace seg::rt
