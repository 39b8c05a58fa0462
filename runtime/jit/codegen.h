#pragma once
// Internal to runtime/jit: the IR -> LLVM IR translation of a bundle's kernels.
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
  // seg_evaluate_fn: every audience into the membership bits (stdlib/abi.h).
  llvm::Function* evaluate(const std::string& name);
  // seg_deadline_fn: the time atoms' operands.
  llvm::Function* deadline(const std::string& name);
  // seg_diff_fn: the destination audiences that can have an op.
  llvm::Function* diff(const std::string& name);
  // seg_fold_fn for one event type: its slot filters.
  llvm::Function* fold(int32_t event, const std::string& name);
  // seg_bulk_fn, or null when a call back would need membership bits.
  llvm::Function* bulk(const std::string& name);
  int inline_nodes() const;
  int fallback_nodes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace seg::jit
