// The Codegen facade: the emitter's LLVM mirrors of seg_jit_ctx and seg_bulk_batch (field
// for field, stdlib/abi.h) and the public entry points; the kernels live in codegen_*.cpp.
#include "runtime/jit/codegen_private.h"

namespace seg::jit {

Codegen::Impl::Impl(const ir::Bundle& bundle, llvm::Module& module)
    : b(bundle), m(module), c(module.getContext()), ir(c) {
  i1 = llvm::Type::getInt1Ty(c);
  i8 = llvm::Type::getInt8Ty(c);
  i32 = llvm::Type::getInt32Ty(c);
  i64 = llvm::Type::getInt64Ty(c);
  dbl = llvm::Type::getDoubleTy(c);
  ptr = llvm::PointerType::getUnqual(c);
  // seg_jit_ctx (stdlib/abi.h), field for field.
  ctx_ty = llvm::StructType::create(
      c, {ptr, ptr, ptr, i64, i32, i32, ptr, ptr, ptr, ptr, i64, ptr, ptr, ptr, ptr, i64, i64, ptr, ptr, ptr, ptr}, "seg_jit_ctx");
  // seg_bulk_batch, likewise.
  batch_ty = llvm::StructType::create(c, {ptr, ptr, ptr, ptr, ptr, ptr, i64, i32, i32, ptr, ptr}, "seg_bulk_batch");
}

Codegen::Codegen(const ir::Bundle& b, llvm::Module& m) : impl_(std::make_unique<Impl>(b, m)) {}
Codegen::~Codegen() = default;
llvm::Function* Codegen::evaluate(const std::string& name) { return impl_->evaluate(name); }
llvm::Function* Codegen::deadline(const std::string& name) { return impl_->deadline(name); }
llvm::Function* Codegen::diff(const std::string& name) { return impl_->diff(name); }
llvm::Function* Codegen::fold(int32_t event, const std::string& name) { return impl_->fold(event, name); }
llvm::Function* Codegen::bulk(const std::string& name) {
  return impl_->bulk_supported() ? impl_->bulk(name) : nullptr;
}
int Codegen::inline_nodes() const { return impl_->inline_nodes; }
int Codegen::fallback_nodes() const { return impl_->fallback_nodes; }

}  // namespace seg::jit
