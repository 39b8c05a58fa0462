#pragma once
// The LLVM API differences between 14 and 19 that runtime/jit touches, in one place.
// CI builds against 19 (llvm-19-dev); a syntax check against 14's headers keeps the
// older branches honest (docs/development.md). Everything else is the same API.
#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/Support/CodeGen.h>
#include <llvm/Transforms/Scalar/LICM.h>
#include <llvm/Transforms/Scalar/SROA.h>

#if LLVM_VERSION_MAJOR < 14
#error "seg's JIT needs LLVM 14 or newer"
#endif

namespace seg::jit::compat {

// Code generator optimisation levels: an enum class from LLVM 18.
#if LLVM_VERSION_MAJOR >= 18
using CodeGenLevel = llvm::CodeGenOptLevel;
inline constexpr CodeGenLevel kCodeGenNone = llvm::CodeGenOptLevel::None;
inline constexpr CodeGenLevel kCodeGenDefault = llvm::CodeGenOptLevel::Default;
#else
using CodeGenLevel = llvm::CodeGenOpt::Level;
inline constexpr CodeGenLevel kCodeGenNone = llvm::CodeGenOpt::None;
inline constexpr CodeGenLevel kCodeGenDefault = llvm::CodeGenOpt::Default;
#endif

// Generated code uses opaque pointers throughout: the default from LLVM 15, opt-in on 14.
inline void use_opaque_pointers(llvm::LLVMContext& c) {
#if LLVM_VERSION_MAJOR < 15
  c.enableOpaquePointers();
#else
  (void)c;
#endif
}

// LLJIT::lookup returns an ExecutorAddr from LLVM 15, a JITEvaluatedSymbol before.
template <typename Fn>
llvm::Expected<Fn> lookup(llvm::orc::LLJIT& jit, llvm::StringRef name) {
  auto sym = jit.lookup(name);
  if (!sym) return sym.takeError();
#if LLVM_VERSION_MAJOR >= 15
  return sym->template toPtr<Fn>();
#else
  return reinterpret_cast<Fn>(static_cast<uintptr_t>(sym->getAddress()));
#endif
}

// Pass constructors that grew options after 14.
inline llvm::SROAPass sroa_pass() {
#if LLVM_VERSION_MAJOR >= 16
  return llvm::SROAPass(llvm::SROAOptions::ModifyCFG);
#else
  return llvm::SROAPass();
#endif
}
inline llvm::LICMPass licm_pass() {
#if LLVM_VERSION_MAJOR >= 15
  return llvm::LICMPass(llvm::LICMOptions());
#else
  return llvm::LICMPass();
#endif
}

// GDB registration and perf jitdump plugins (SEG_JIT_DEBUG) exist as used from LLVM 18.
inline constexpr bool kHasDebugPlugins = LLVM_VERSION_MAJOR >= 18;

}  // namespace seg::jit::compat
