#pragma once
// `--backend interp|jit|auto` and `--jit-opt 0|2`: which engine runs the fold and evaluate kernels.
// jit compiles before the first record; auto starts on the interpreter at once and swaps
// the compiled kernels in, atomically between records, when the background
// compile finishes. Any JIT failure falls back to the interpreter with one warning.
#include <CLI/CLI.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/interp/interp.h"
#include "runtime/jit/jit.h"

namespace seg::cli {

struct BackendOptions {
  std::string backend = "auto";
  int jit_opt = 2;
};

void add_backend_options(CLI::App* sub, BackendOptions& o);

class JitTier {
 public:
  JitTier(const ir::Bundle& b, const BackendOptions& o, bool background_allowed);
  ~JitTier();
  // Installs the compiled kernels in `in` now, or when the background compile ends.
  void attach(rt::Interpreter& in);
  // Blocks until compiling is over (for reports); "" when no JIT was asked for.
  std::string describe();

 private:
  void compile();
  const ir::Bundle& b_;
  BackendOptions o_;
  std::mutex mu_;
  std::unique_ptr<jit::CompiledBundle> compiled_;
  std::string error_;
  bool done_ = false;
  std::vector<rt::Interpreter*> waiting_;
  std::thread worker_;
};

}  // namespace seg::cli
