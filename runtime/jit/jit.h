#pragma once
// JIT compilation of a bundle's kernels with LLVM ORC (the only header of this layer
// the rest of the project sees: no LLVM types here). One LLJIT per process; every
// compiled bundle owns a resource tracker and releases its code when destroyed.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "stdlib/abi.h"

namespace seg::jit {

struct Options {
  int opt_level = 2;     // IR passes: 0 (none) or 2 (the kernel pipeline)
  // The machine-code generator: the fast one at -O0; at -O2 the optimising one, unless
  // fast_codegen (optimised IR through the fast backend: the quick first tier of `auto`,
  // about 4x faster to compile than full -O2 on large bundles).
  bool fast_codegen = false;
  bool full_codegen() const { return opt_level > 0 && !fast_codegen; }
  bool verify = true;    // verifyModule before optimising
  bool bulk = false;     // also compile the columnar bulk evaluate kernel
};

class CompiledBundle {
 public:
  virtual ~CompiledBundle() = default;
  seg_kernels kernels{};          // evaluate and fold, as the interpreter installs them
  std::vector<seg_fold_fn> fold;  // per event type (null: no slots); kernels.fold points here
  seg_bulk_fn bulk = nullptr;     // when Options::bulk and the bundle allows it
  int inline_nodes = 0;    // IR nodes compiled to machine code
  int fallback_nodes = 0;  // IR nodes evaluated by a call back into the interpreter
  double compile_seconds = 0;
};

// Null with `error` set when anything fails (the caller falls back to the interpreter).
std::unique_ptr<CompiledBundle> compile(const ir::Bundle& b, const Options& opt, std::string& error);

// The machine object code is compiled for (bundles record it; issue 5).
struct Target {
  std::string llvm, triple, cpu, features;
};
Target host_target();
// The bundle's kernels as a relocatable object for this host (for `seg build`).
bool compile_object(const ir::Bundle& b, const Options& opt, std::string& object, std::string& error);
// Links object code from compile_object() for the same bundle: no optimiser, no codegen.
std::unique_ptr<CompiledBundle> load_object(const ir::Bundle& b, std::string_view object, std::string& error);

}  // namespace seg::jit
