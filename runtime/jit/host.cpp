// The JIT host: one LLJIT per process, a resource tracker per compiled bundle (released
// with it), the new pass manager at -O0 or -O2, verifyModule before optimising, and every
// LLVM error turned into a message for the caller (which then stays on the interpreter).
#include "runtime/jit/llvm_compat.h"

#if LLVM_VERSION_MAJOR >= 18
#include <llvm/ExecutionEngine/Orc/Debugging/DebuggerSupport.h>
#include <llvm/ExecutionEngine/Orc/Debugging/PerfSupportPlugin.h>
#endif
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/DCE.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <type_traits>

#include "runtime/jit/codegen.h"
#include "runtime/jit/jit.h"

namespace seg::jit {
namespace {

// One long-lived LLJIT per process and machine-code generator level (fixed per LLJIT):
// -O0 should mean a fast instruction selector too, not only
// no IR passes (it halves cold compile time).
struct Host {
  std::mutex mu;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::string error;
  uint64_t next_module = 0;

  // full_codegen: the optimising instruction selector, register allocator and scheduler
  // (-O2); otherwise the fast ones (-O0, and the first tier of `auto`).
  static Host& get(bool full_codegen) {
    static std::once_flag init;
    std::call_once(init, [] {
      llvm::InitializeNativeTarget();
      llvm::InitializeNativeTargetAsmPrinter();
    });
    static Host fast(compat::kCodeGenNone), optimised(compat::kCodeGenDefault);
    return full_codegen ? optimised : fast;
  }

  explicit Host(compat::CodeGenLevel codegen) {
    auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!jtmb) {
      error = llvm::toString(jtmb.takeError());
      return;
    }
    jtmb->setCodeGenOptLevel(codegen);
    auto j = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*jtmb)).create();
    if (!j) {
      error = llvm::toString(j.takeError());
      return;
    }
    jit = std::move(*j);
    // SEG_JIT_DEBUG=gdb,perf: register compiled kernels with GDB (JIT interface) and
    // write perf jitdump records (`perf record -k 1`, then `perf inject --jit`), so
    // debuggers and profiles show kernel names. Off by default: both cost time.
    const char* debug = std::getenv("SEG_JIT_DEBUG");
#if LLVM_VERSION_MAJOR < 18
    if (debug && *debug) std::cerr << "warning: SEG_JIT_DEBUG needs seg built with LLVM 18 or newer\n";
#else
    if (debug && std::strstr(debug, "gdb")) {
      if (auto err = llvm::orc::enableDebuggerSupport(*jit))
        std::cerr << "warning: SEG_JIT_DEBUG=gdb: " << llvm::toString(std::move(err)) << "\n";
    }
    if (debug && std::strstr(debug, "perf")) {
      auto* linker = llvm::dyn_cast<llvm::orc::ObjectLinkingLayer>(&jit->getObjLinkingLayer());
      auto plugin = linker ? llvm::orc::PerfSupportPlugin::Create(
                                 jit->getExecutionSession().getExecutorProcessControl(),
                                 *jit->getProcessSymbolsJITDylib(), true, true)
                           : llvm::Expected<std::unique_ptr<llvm::orc::PerfSupportPlugin>>(
                                 llvm::createStringError(llvm::inconvertibleErrorCode(), "not a JITLink layer"));
      if (plugin) linker->addPlugin(std::move(*plugin));
      else std::cerr << "warning: SEG_JIT_DEBUG=perf: " << llvm::toString(plugin.takeError()) << "\n";
    }
#endif
  }
};

class Compiled : public CompiledBundle {
 public:
  llvm::orc::ResourceTrackerSP tracker;
  bool full_codegen = false;
  ~Compiled() override {
    if (!tracker) return;
    std::lock_guard<std::mutex> lock(Host::get(full_codegen).mu);
    llvm::consumeError(tracker->remove());  // frees this bundle's code
  }
};

// A deliberate pipeline rather than the default -O2 one: the kernels are straight-line
// code over loads, compares and short-circuit branches with no loops to speak of (the
// bulk kernel's lane loops aside), so what pays is promoting the scratch slot, folding
// and combining instructions, removing redundant loads of the same column or attribute,
// and turning small branches into selects. Whole-program inlining, loop and IPO passes
// cost compile time and find nothing here.
void optimise(llvm::Module& m, int level) {
  if (level <= 0) return;
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb;
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::FunctionPassManager fpm;
  fpm.addPass(compat::sroa_pass());
  fpm.addPass(llvm::EarlyCSEPass(true));
  fpm.addPass(llvm::InstCombinePass());
  fpm.addPass(llvm::SimplifyCFGPass(llvm::SimplifyCFGOptions().convertSwitchToLookupTable(false)));
  fpm.addPass(llvm::InstCombinePass());
  // The bulk kernel's lane loops: hoist the column and constant loads out of them.
  fpm.addPass(llvm::createFunctionToLoopPassAdaptor(compat::licm_pass(), /*UseMemorySSA=*/true));
  fpm.addPass(llvm::DCEPass());
  llvm::ModulePassManager mpm;
  mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
  mpm.run(m, mam);
}

}  // namespace

namespace {

// One bundle's kernels as an optimised LLVM module, named with `prefix`.
struct ModuleBuild {
  std::unique_ptr<llvm::LLVMContext> ctx;
  std::unique_ptr<llvm::Module> mod;
  bool bulk = false;
  int inline_nodes = 0, fallback_nodes = 0;
};

bool build_module(Host& host, const ir::Bundle& b, const Options& opt, const std::string& prefix, ModuleBuild& out,
                  std::string& error) {
  out.ctx = std::make_unique<llvm::LLVMContext>();
  compat::use_opaque_pointers(*out.ctx);
  out.mod = std::make_unique<llvm::Module>(prefix + "bundle", *out.ctx);
  out.mod->setDataLayout(host.jit->getDataLayout());
  out.mod->setTargetTriple(host.jit->getTargetTriple().str());
  {
    Codegen gen(b, *out.mod);
    gen.evaluate(prefix + "evaluate");
    gen.deadline(prefix + "deadline");
    gen.diff(prefix + "diff");
    for (size_t e = 0; e < b.events.size(); ++e)
      if (!b.fold[e].empty()) gen.fold(static_cast<int32_t>(e), prefix + "fold_" + b.events[e].name);
    out.inline_nodes = gen.inline_nodes();
    out.fallback_nodes = gen.fallback_nodes();
    if (opt.bulk) out.bulk = gen.bulk(prefix + "bulk") != nullptr;
  }
  if (opt.verify) {
    std::string msg;
    llvm::raw_string_ostream os(msg);
    if (llvm::verifyModule(*out.mod, &os)) {
      error = "generated code does not verify: " + os.str();
      return false;
    }
  }
  optimise(*out.mod, opt.opt_level);
  return true;
}

// Looks the kernels up once their code is added to the host under `prefix`.
bool bind_kernels(Host& host, const ir::Bundle& b, const std::string& prefix, Compiled& out, std::string& error) {
  auto lookup = [&](const std::string& name, auto& fn) {
    auto sym = compat::lookup<std::remove_reference_t<decltype(fn)>>(*host.jit, name);
    if (!sym) {
      error = llvm::toString(sym.takeError());
      return false;
    }
    fn = *sym;
    return true;
  };
  out.fold.assign(b.events.size(), nullptr);
  if (!lookup(prefix + "evaluate", out.kernels.evaluate)) return false;
  if (!lookup(prefix + "deadline", out.kernels.deadline)) return false;
  if (!lookup(prefix + "diff", out.kernels.diff)) return false;
  for (size_t e = 0; e < b.events.size(); ++e)
    if (!b.fold[e].empty() && !lookup(prefix + "fold_" + b.events[e].name, out.fold[e])) return false;
  out.kernels.fold = out.fold.data();
  out.kernels.fold_count = static_cast<int32_t>(out.fold.size());
  // The bulk kernel is optional (a bundle may have none).
  if (auto sym = compat::lookup<seg_bulk_fn>(*host.jit, prefix + "bulk")) out.bulk = *sym;
  else llvm::consumeError(sym.takeError());
  return true;
}

// Object code embeds its kernels' names: the bundle's revision keeps them apart.
std::string object_prefix(const ir::Bundle& b) { return "seg_r" + b.revision + "_"; }

}  // namespace

std::unique_ptr<CompiledBundle> compile(const ir::Bundle& b, const Options& opt, std::string& error) {
  auto started = std::chrono::steady_clock::now();
  Host& host = Host::get(opt.full_codegen());
  std::lock_guard<std::mutex> lock(host.mu);
  if (!host.jit) {
    error = "LLVM JIT unavailable: " + host.error;
    return nullptr;
  }
  // Kernel names carry the bundle number, so debuggers and profiles say what they are.
  std::string prefix = "seg_b" + std::to_string(host.next_module++) + "_";
  ModuleBuild m;
  if (!build_module(host, b, opt, prefix, m, error)) return nullptr;
  auto out = std::make_unique<Compiled>();
  out->full_codegen = opt.full_codegen();
  out->inline_nodes = m.inline_nodes;
  out->fallback_nodes = m.fallback_nodes;
  out->tracker = host.jit->getMainJITDylib().createResourceTracker();
  if (auto err = host.jit->addIRModule(out->tracker, llvm::orc::ThreadSafeModule(std::move(m.mod), std::move(m.ctx)))) {
    error = llvm::toString(std::move(err));
    return nullptr;
  }
  if (!bind_kernels(host, b, prefix, *out, error)) return nullptr;
  out->compile_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

Target host_target() {
  Target t;
  t.llvm = LLVM_VERSION_STRING;
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) {
    llvm::consumeError(jtmb.takeError());
    return t;
  }
  t.triple = jtmb->getTargetTriple().str();
  t.cpu = jtmb->getCPU();
  t.features = jtmb->getFeatures().getString();
  return t;
}

bool compile_object(const ir::Bundle& b, const Options& opt, std::string& object, std::string& error) {
  Host& host = Host::get(opt.full_codegen());
  std::lock_guard<std::mutex> lock(host.mu);
  if (!host.jit) {
    error = "LLVM JIT unavailable: " + host.error;
    return false;
  }
  ModuleBuild m;
  if (!build_module(host, b, opt, object_prefix(b), m, error)) return false;
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) {
    error = llvm::toString(jtmb.takeError());
    return false;
  }
  jtmb->setCodeGenOptLevel(opt.full_codegen() ? compat::kCodeGenDefault : compat::kCodeGenNone);
  auto tm = jtmb->createTargetMachine();
  if (!tm) {
    error = llvm::toString(tm.takeError());
    return false;
  }
  llvm::orc::SimpleCompiler compiler(**tm);
  auto buffer = compiler(*m.mod);
  if (!buffer) {
    error = llvm::toString(buffer.takeError());
    return false;
  }
  object.assign((*buffer)->getBufferStart(), (*buffer)->getBufferSize());
  return true;
}

std::unique_ptr<CompiledBundle> load_object(const ir::Bundle& b, std::string_view object, std::string& error) {
  auto started = std::chrono::steady_clock::now();
  Host& host = Host::get(true);
  std::lock_guard<std::mutex> lock(host.mu);
  if (!host.jit) {
    error = "LLVM JIT unavailable: " + host.error;
    return nullptr;
  }
  auto out = std::make_unique<Compiled>();
  out->full_codegen = true;
  out->tracker = host.jit->getMainJITDylib().createResourceTracker();
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(object.data(), object.size()), "bundle.o");
  if (auto err = host.jit->addObjectFile(out->tracker, std::move(buffer))) {
    error = llvm::toString(std::move(err));
    return nullptr;
  }
  if (!bind_kernels(host, b, object_prefix(b), *out, error)) return nullptr;
  out->compile_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace seg::jit
