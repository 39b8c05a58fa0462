#include "cli/backend.h"

#include <fmt/format.h>

#include <iostream>

namespace seg::cli {

void add_backend_options(CLI::App* sub, BackendOptions& o) {
  sub->add_option("--backend", o.backend,
                  "interp (reference interpreter), jit (compile first) or auto (start on the "
                  "interpreter, swap in compiled code when ready; the default)")
      ->check(CLI::IsMember({"interp", "jit", "auto"}));
  sub->add_option("--jit-opt", o.jit_opt, "LLVM optimisation level for the JIT: 0 or 2 (default 2)")
      ->check(CLI::IsMember({0, 2}));
}

JitTier::JitTier(const ir::Bundle& b, const BackendOptions& o, bool background_allowed) : b_(b), o_(o) {
  if (o_.backend == "interp") {
    done_ = true;
    return;
  }
  if (o_.backend == "auto" && background_allowed) {
    worker_ = std::thread([this] { compile(); });
  } else {
    compile();
  }
}

JitTier::~JitTier() {
  if (worker_.joinable()) worker_.join();
  // Engines using the code are gone by now (the CLI destroys them first).
}

void JitTier::compile() {
  jit::Options opt;
  opt.opt_level = o_.jit_opt;
  std::string error;
  auto compiled = jit::compile(b_, opt, error);
  std::lock_guard<std::mutex> lock(mu_);
  compiled_ = std::move(compiled);
  error_ = error;
  done_ = true;
  if (!compiled_) {
    std::cerr << "warning: JIT compilation failed, running on the interpreter: " << error_ << "\n";
    return;
  }
  for (rt::Interpreter* in : waiting_) in->set_kernels(&compiled_->kernels);
  waiting_.clear();
}

void JitTier::attach(rt::Interpreter& in) {
  std::lock_guard<std::mutex> lock(mu_);
  if (o_.backend == "interp") return;
  if (!done_) {
    waiting_.push_back(&in);
    return;
  }
  if (compiled_) in.set_kernels(&compiled_->kernels);
}

std::string JitTier::describe() {
  if (worker_.joinable()) worker_.join();
  std::lock_guard<std::mutex> lock(mu_);
  if (o_.backend == "interp") return "interp";
  if (!compiled_) return "interp (JIT failed: " + error_ + ")";
  return fmt::format("{} -O{}: kernels compiled in {:.1f} ms, {} IR nodes inline, {} via the interpreter",
                     o_.backend, o_.jit_opt, compiled_->compile_seconds * 1000, compiled_->inline_nodes,
                     compiled_->fallback_nodes);
}

}  // namespace seg::cli
