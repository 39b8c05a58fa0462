#pragma once
// Tiering, for `--backend interp|jit|auto` and `--jit-opt 0|2`: which engine runs the fold and evaluate kernels.
// jit compiles before the first record; auto starts on the interpreter at once and swaps
// compiled kernels in, atomically between records, as background compiles finish: at
// -O2 a quick tier (optimised IR, fast machine-code generator) and then the full one.
// Any JIT failure falls back to the interpreter (or the tier before) with one warning.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/interp/interp.h"
#include "runtime/jit/jit.h"

namespace seg::host {

// A line for the user ("note: …", "warning: …"); the host never prints itself.
using Notify = std::function<void(const std::string& line)>;

struct BackendOptions {
  std::string backend = "auto";
  int jit_opt = 2;
  // `seg run --trusted-keys FILE`: RuleGenerations loads only bundles signed by one of
  // the file's keys, at start and on every swap (load_rules.h, signing.h); "" for any.
  std::string trusted_keys;
};

class JitTier {
 public:
  // object: a .segb bundle's object code for this host: linked at once, no compile.
  // notify: where notes and warnings go (a compile that failed, object code refused).
  JitTier(const ir::Bundle& b, const BackendOptions& o, bool background_allowed, std::string_view object = {},
          Notify notify = {});
  ~JitTier();
  // Installs the newest compiled kernels in `in` now, and each later background tier.
  void attach(rt::Interpreter& in);
  // `in` is going away: no later tier is installed into it.
  void detach(rt::Interpreter& in);
  // Blocks until compiling is over (for reports); "" when no JIT was asked for.
  std::string describe();

 private:
  bool compile(bool quick);
  void say(const std::string& line) const;
  const ir::Bundle& b_;
  BackendOptions o_;
  Notify notify_;
  std::mutex mu_;
  std::vector<std::unique_ptr<jit::CompiledBundle>> tiers_;  // in order compiled
  jit::CompiledBundle* compiled_ = nullptr;                   // the newest
  std::string error_;
  bool from_object_ = false;
  std::vector<rt::Interpreter*> attached_;
  std::thread worker_;
};

}  // namespace seg::host
