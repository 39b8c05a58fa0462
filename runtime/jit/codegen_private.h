#pragma once
// Private to runtime/jit/codegen*.cpp: the emitter they share (Codegen::Impl), its small
// helpers and the field numbers of the kernel ABI structs.
//
// IR kernels -> LLVM IR: the evaluate kernel (every audience into the membership bits),
// one fold kernel per event type (slot filters) and the bulk evaluate kernel (64
// profiles of a columnar batch per call). Values travel as (present, value) pairs: value
// is i1 for bool, double for number, i64 for everything else (ints, times, durations,
// interned string and set ids). The kinds whose semantics are simple and hot
// (attributes, event properties, constants, `now`, logic, arithmetic, comparisons, `??`,
// `has`, membership bits, counts and window "any") are compiled inline, exactly as
// runtime/interp/interp_expr.cpp defines them; every other node (sums, window counts, event
// fields, string built-ins, regexes, lists) is one call back into the interpreter for
// that subtree, so there is a single implementation of each built-in.
#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>

#include <string>

#include "runtime/jit/codegen.h"

namespace seg::jit {

using llvm::BasicBlock;
using llvm::Value;

// Field numbers of seg_jit_ctx and seg_bulk_batch (stdlib/abi.h), in order.
enum CtxField : unsigned {
  kAttrs, kMember, kConsts, kNow, kProfileId, kPad, kEval, kInterp, kProfile, kSlots, kSlotStride, kTtl, kTtlExit, kProps, kApply, kTs, kArrival, kHoldout, kSent, kDiff, kEngine
};
enum BatchField : unsigned {
  kAttrValues, kAttrValid, kSlotCount, kSlotNewest, kMemberWords, kBatchConsts, kBatchNow, kBatchN, kBatchPad, kBatchEval, kRunner
};
// rt::Tag values (runtime/state/value.h).
constexpr int kTagMissing = 0, kTagInt = 2, kTagNumber = 3;

struct Codegen::Impl {
  const ir::Bundle& b;
  llvm::Module& m;
  llvm::LLVMContext& c;
  llvm::IRBuilder<> ir;
  llvm::Type *i1, *i8, *i32, *i64, *dbl, *ptr;
  llvm::StructType* ctx_ty;
  llvm::StructType* batch_ty;
  llvm::Function* fn = nullptr;
  Value* ctx = nullptr;    // row kernels: the seg_jit_ctx
  Value* batch = nullptr;  // bulk kernel: the seg_bulk_batch
  Value* lane = nullptr;   // bulk kernel: the profile's index in the batch (i64)
  Value* scratch = nullptr;  // 16-byte rt::Value the fallback writes into
  int inline_nodes = 0, fallback_nodes = 0;

  struct Val {
    Value* present;
    Value* v;
  };

  Impl(const ir::Bundle& bundle, llvm::Module& module);  // codegen.cpp

  Value* field(unsigned i, llvm::Type* t) { return ir.CreateLoad(t, ir.CreateStructGEP(ctx_ty, ctx, i)); }
  Value* bfield(unsigned i, llvm::Type* t) { return ir.CreateLoad(t, ir.CreateStructGEP(batch_ty, batch, i)); }
  Value* now() { return batch ? bfield(kBatchNow, i64) : field(kNow, i64); }
  Value* consts() { return batch ? bfield(kBatchConsts, ptr) : field(kConsts, ptr); }
  Value* member_words() { return batch ? bfield(kMemberWords, ptr) : field(kMember, ptr); }
  Value* ci64(int64_t v) { return llvm::ConstantInt::get(i64, static_cast<uint64_t>(v), true); }
  Value* cbool(bool v) { return llvm::ConstantInt::get(i1, v ? 1 : 0); }
  Val missing(ir::Type t) { return {cbool(false), zero(t)}; }
  Value* zero(ir::Type t) {
    if (t == ir::Type::Bool) return cbool(false);
    if (t == ir::Type::Number) return llvm::ConstantFP::get(dbl, 0.0);
    return ci64(0);
  }
  Value* truthy(const Val& x) { return ir.CreateAnd(x.present, x.v); }

  Value* as_double(const Val& x, ir::Type t) { return t == ir::Type::Number ? x.v : ir.CreateSIToFP(x.v, dbl); }

  // Evaluates `rhs` only on the path where `take_rhs` holds (short-circuit, as the
  // interpreter does), merging with `lhs` otherwise.
  template <typename F>
  Val branch(Value* take_rhs, Val lhs, F rhs_gen) {
    BasicBlock* from = ir.GetInsertBlock();
    BasicBlock* then_bb = BasicBlock::Create(c, "rhs", fn);
    BasicBlock* join = BasicBlock::Create(c, "join", fn);
    ir.CreateCondBr(take_rhs, then_bb, join);
    ir.SetInsertPoint(then_bb);
    Val r = rhs_gen();
    BasicBlock* then_end = ir.GetInsertBlock();
    ir.CreateBr(join);
    ir.SetInsertPoint(join);
    llvm::PHINode* present = ir.CreatePHI(i1, 2);
    present->addIncoming(lhs.present, from);
    present->addIncoming(r.present, then_end);
    llvm::PHINode* v = ir.CreatePHI(lhs.v->getType(), 2);
    v->addIncoming(lhs.v, from);
    v->addIncoming(r.v, then_end);
    return {present, v};
  }

  void begin(const std::string& name, llvm::Type* ret) {
    fn = llvm::Function::Create(llvm::FunctionType::get(ret, {ptr}, false), llvm::Function::ExternalLinkage, name, m);
    ir.SetInsertPoint(BasicBlock::Create(c, "entry", fn));
    scratch = ir.CreateAlloca(llvm::ArrayType::get(i64, 2));
  }

  // ---- expressions (codegen_expr.cpp) ----
  Val load_value(Value* base, Value* index, ir::Type t);
  Val fallback(ir::Expr e);
  Val arith(ir::Expr e);
  Val cmp(ir::Expr e);
  Val compare(ir::Expr e, Val a, Val bv);
  int cost(ir::Expr e);
  bool inline_agg(ir::Expr e);
  Value* member_bit(int32_t audience);
  Val attr(ir::Expr e);
  Value* slot_word(int32_t slot, int offset);
  bool inline_list(ir::Expr e);
  bool inline_event_time(ir::Expr e);
  Val event_time(ir::Expr e);
  Val gen(ir::Expr e);
  bool inline_kind(ir::Expr e);
  bool all_inline(ir::Expr e);

  // ---- kernels (codegen_kernels.cpp) ----
  void set_member_bit(Value* words, int32_t i, Value* on);
  llvm::Function* evaluate(const std::string& name);
  llvm::Function* deadline(const std::string& name);
  llvm::Function* diff(const std::string& name);
  llvm::Function* fold(int32_t event, const std::string& name);

  // ---- bulk (codegen_bulk.cpp) ----
  bool bulk_ok(ir::Expr e);
  bool bulk_supported();
  Value* lanes(ir::Expr e, Value* n);
  llvm::Function* bulk(const std::string& name);
};

}  // namespace seg::jit
