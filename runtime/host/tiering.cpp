#include "runtime/host/tiering.h"

#include <fmt/format.h>

namespace seg::host {

JitTier::JitTier(const ir::Bundle& b, const BackendOptions& o, bool background_allowed, std::string_view object,
                 Notify notify)
    : b_(b), o_(o), notify_(std::move(notify)) {
  if (o_.backend == "interp") return;
  if (!object.empty()) {  // a bundle's object code: linking it takes milliseconds
    std::string error;
    if (auto loaded = jit::load_object(b_, object, error)) {
      tiers_.push_back(std::move(loaded));
      compiled_ = tiers_.back().get();
      from_object_ = true;
      return;
    }
    say("note: the bundle's object code did not load (" + error + "); compiling its IR");
  }
  if (o_.backend == "auto" && background_allowed) {
    // Records flow on the interpreter from the first millisecond; at -O2 a quick tier
    // (optimised IR, fast machine-code generator) is swapped in first, then the full one.
    worker_ = std::thread([this] {
      if (o_.jit_opt > 0 && compile(true)) compile(false);
      else if (o_.jit_opt == 0) compile(false);
    });
  } else {
    compile(false);
  }
}

JitTier::~JitTier() {
  if (worker_.joinable()) worker_.join();
  // Engines using the code are gone by now (the CLI destroys them first).
}

bool JitTier::compile(bool quick) {
  jit::Options opt;
  opt.opt_level = o_.jit_opt;
  opt.fast_codegen = quick;
  std::string error;
  auto compiled = jit::compile(b_, opt, error);
  std::lock_guard<std::mutex> lock(mu_);
  if (!compiled) {
    error_ = error;
    if (!compiled_) {
      say("warning: JIT compilation failed, running on the interpreter: " + error_);
    }
    return false;
  }
  // Earlier tiers stay loaded: an evaluation may still be running their code.
  tiers_.push_back(std::move(compiled));
  compiled_ = tiers_.back().get();
  for (rt::Interpreter* in : attached_) in->set_kernels(&compiled_->kernels);
  return true;
}

void JitTier::detach(rt::Interpreter& in) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase(attached_, &in);
}

void JitTier::attach(rt::Interpreter& in) {
  std::lock_guard<std::mutex> lock(mu_);
  if (o_.backend == "interp") return;
  if (worker_.joinable()) attached_.push_back(&in);  // later tiers are installed too
  if (compiled_) in.set_kernels(&compiled_->kernels);
}

std::string JitTier::describe() {
  if (worker_.joinable()) worker_.join();
  std::lock_guard<std::mutex> lock(mu_);
  if (o_.backend == "interp") return "interp";
  if (!compiled_) return "interp (JIT failed: " + error_ + ")";
  std::string tiers;
  if (tiers_.size() > 1)
    tiers = fmt::format(" (quick tier first: {:.1f} ms)", tiers_.front()->compile_seconds * 1000);
  if (from_object_)
    return fmt::format("{}: the bundle's object code, linked in {:.1f} ms", o_.backend, compiled_->compile_seconds * 1000);
  return fmt::format("{} -O{}: kernels compiled in {:.1f} ms{}, {} IR nodes inline, {} via the interpreter",
                     o_.backend, o_.jit_opt, compiled_->compile_seconds * 1000, tiers, compiled_->inline_nodes,
                     compiled_->fallback_nodes);
}

void JitTier::say(const std::string& line) const {
  if (notify_) notify_(line);
}

}  // namespace seg::host
