#pragma once
// Internal to runtime/jit: the IR -> LLVM IR translation of conditions.
#include <memory>
#include <string>

#include <llvm/IR/Function.h>
#include <llvm/IR/Module.h>

#include "compiler/ir/ir.h"

namespace seg::jit {

class Codegen {
 public:
  Codegen(const ir::Bundle& b, llvm::Module& m);
  ~Codegen();
  // `uint8_t name(seg_jit_ctx*)`: 1 when the condition holds.
  llvm::Function* condition(ir::Expr e, const std::string& name);
  int inline_nodes() const;
  int fallback_nodes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace seg::jit
