// IR conditions -> LLVM IR. Values travel as (present, value) pairs: value is i1 for
// bool, double for number, i64 for everything else (ints, times, durations, interned
// string and set ids). The kinds whose semantics are simple and hot (attributes,
// constants, `now`, logic, arithmetic, comparisons, `??`, `has`, membership bits) are
// compiled inline, exactly as runtime/interp/interp.cpp defines them; every other node
// (aggregates, event fields, string built-ins, regexes, lists) is one call back into the
// interpreter for that subtree, so there is a single implementation of each built-in.
#include "runtime/jit/codegen.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>

namespace seg::jit {

using llvm::BasicBlock;
using llvm::Value;

namespace {
// rt::Tag values (runtime/state/value.h).
constexpr int kTagMissing = 0, kTagInt = 2, kTagNumber = 3;
}  // namespace

struct Codegen::Impl {
  const ir::Bundle& b;
  llvm::Module& m;
  llvm::LLVMContext& c;
  llvm::IRBuilder<> ir;
  llvm::Type *i1, *i8, *i32, *i64, *dbl, *ptr;
  llvm::StructType* ctx_ty;
  llvm::Function* fn = nullptr;
  Value* ctx = nullptr;
  Value* scratch = nullptr;  // 16-byte rt::Value the fallback writes into
  int inline_nodes = 0, fallback_nodes = 0;

  struct Val {
    Value* present;
    Value* v;
  };

  Impl(const ir::Bundle& bundle, llvm::Module& module)
      : b(bundle), m(module), c(module.getContext()), ir(c) {
    i1 = llvm::Type::getInt1Ty(c);
    i8 = llvm::Type::getInt8Ty(c);
    i32 = llvm::Type::getInt32Ty(c);
    i64 = llvm::Type::getInt64Ty(c);
    dbl = llvm::Type::getDoubleTy(c);
    ptr = llvm::PointerType::getUnqual(c);
    // seg_jit_ctx (runtime/jit/abi.h), field for field.
    ctx_ty = llvm::StructType::create(c, {ptr, ptr, ptr, i64, i32, i32, ptr, ptr, ptr, ptr, i64}, "seg_jit_ctx");
  }

  Value* field(unsigned i, llvm::Type* t) { return ir.CreateLoad(t, ir.CreateStructGEP(ctx_ty, ctx, i)); }
  Value* ci64(int64_t v) { return llvm::ConstantInt::get(i64, static_cast<uint64_t>(v), true); }
  Value* cbool(bool v) { return llvm::ConstantInt::get(i1, v ? 1 : 0); }
  Val missing(ir::Type t) { return {cbool(false), zero(t)}; }
  Value* zero(ir::Type t) {
    if (t == ir::Type::Bool) return cbool(false);
    if (t == ir::Type::Number) return llvm::ConstantFP::get(dbl, 0.0);
    return ci64(0);
  }
  Value* truthy(const Val& x) { return ir.CreateAnd(x.present, x.v); }

  // An rt::Value in memory -> (present, value) of the IR type.
  Val load_value(Value* base, Value* index, ir::Type t) {
    Value* p = ir.CreateGEP(i8, base, ir.CreateMul(index, ci64(16)));
    Value* tag = ir.CreateLoad(i8, p);
    Value* bits = ir.CreateLoad(i64, ir.CreateGEP(i8, p, ci64(8)));
    Value* present = ir.CreateICmpNE(tag, llvm::ConstantInt::get(i8, kTagMissing));
    switch (t) {
      case ir::Type::Bool: return {present, ir.CreateICmpNE(ir.CreateTrunc(bits, i8), llvm::ConstantInt::get(i8, 0))};
      case ir::Type::Number: {
        Value* is_int = ir.CreateICmpEQ(tag, llvm::ConstantInt::get(i8, kTagInt));
        return {present, ir.CreateSelect(is_int, ir.CreateSIToFP(bits, dbl), ir.CreateBitCast(bits, dbl))};
      }
      default: return {present, bits};
    }
  }

  Val fallback(ir::Expr e) {
    ++fallback_nodes;
    Value* eval = field(6, ptr);
    ir.CreateCall(llvm::FunctionType::get(llvm::Type::getVoidTy(c), {ptr, i32, ptr}, false), eval,
                  {ctx, llvm::ConstantInt::get(i32, static_cast<uint64_t>(e->id)), scratch});
    return load_value(scratch, ci64(0), e->type);
  }

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

  Val arith(ir::Expr e) {
    ir::Type ta = e->args[0]->type, tb = e->args[1]->type;
    if (e->type == ir::Type::String) return fallback(e);
    Val a = gen(e->args[0]), bv = gen(e->args[1]);
    Value* both = ir.CreateAnd(a.present, bv.present);
    ir::Op op = e->op;
    auto checked = [&](llvm::Intrinsic::ID id) -> Val {
      Value* r = ir.CreateBinaryIntrinsic(id, a.v, bv.v);
      Value* overflow = ir.CreateExtractValue(r, 1);
      return {ir.CreateAnd(both, ir.CreateNot(overflow)), ir.CreateExtractValue(r, 0)};
    };
    if (e->type == ir::Type::Int) {
      switch (op) {
        case ir::Op::Add: return checked(llvm::Intrinsic::sadd_with_overflow);
        case ir::Op::Sub: return checked(llvm::Intrinsic::ssub_with_overflow);
        case ir::Op::Mul: return checked(llvm::Intrinsic::smul_with_overflow);
        case ir::Op::Mod: {
          // y == 0: missing; y == -1: 0 (INT64_MIN % -1 would trap); else srem.
          Value* zero_div = ir.CreateICmpEQ(bv.v, ci64(0));
          Value* minus_one = ir.CreateICmpEQ(bv.v, ci64(-1));
          Value* safe_y = ir.CreateSelect(ir.CreateOr(zero_div, minus_one), ci64(1), bv.v);
          Value* r = ir.CreateSelect(minus_one, ci64(0), ir.CreateSRem(a.v, safe_y));
          return {ir.CreateAnd(both, ir.CreateNot(zero_div)), r};
        }
        default: return fallback(e);
      }
    }
    if (e->type == ir::Type::Number) {
      if (ta == ir::Type::Duration && tb == ir::Type::Duration) {
        Value* zero_div = ir.CreateICmpEQ(bv.v, ci64(0));
        return {ir.CreateAnd(both, ir.CreateNot(zero_div)),
                ir.CreateFDiv(ir.CreateSIToFP(a.v, dbl), ir.CreateSIToFP(bv.v, dbl))};
      }
      Value* x = as_double(a, ta);
      Value* y = as_double(bv, tb);
      switch (op) {
        case ir::Op::Add: return {both, ir.CreateFAdd(x, y)};
        case ir::Op::Sub: return {both, ir.CreateFSub(x, y)};
        case ir::Op::Mul: return {both, ir.CreateFMul(x, y)};
        case ir::Op::Div:
        case ir::Op::Mod: {
          Value* zero_div = ir.CreateFCmpOEQ(y, llvm::ConstantFP::get(dbl, 0.0));
          Value* r = op == ir::Op::Div ? ir.CreateFDiv(x, y) : ir.CreateFRem(x, y);
          return {ir.CreateAnd(both, ir.CreateNot(zero_div)), r};
        }
        default: return fallback(e);
      }
    }
    // Time and duration results.
    bool a_num = ta == ir::Type::Int || ta == ir::Type::Number;
    bool b_num = tb == ir::Type::Int || tb == ir::Type::Number;
    if (a_num || b_num) {  // duration * number, number * duration, duration / number: truncated
      Value* dur = a_num ? bv.v : a.v;
      Value* k = a_num ? as_double(a, ta) : as_double(bv, tb);
      Value* d = ir.CreateSIToFP(dur, dbl);
      Value* present = both;
      Value* x;
      if (op == ir::Op::Div) {
        present = ir.CreateAnd(present, ir.CreateFCmpUNE(k, llvm::ConstantFP::get(dbl, 0.0)));
        x = ir.CreateFDiv(d, k);
      } else {
        x = ir.CreateFMul(d, k);
      }
      Value* in_range = ir.CreateAnd(ir.CreateFCmpOGT(x, llvm::ConstantFP::get(dbl, -9.2e18)),
                                     ir.CreateFCmpOLT(x, llvm::ConstantFP::get(dbl, 9.2e18)));
      Value* safe = ir.CreateSelect(in_range, x, llvm::ConstantFP::get(dbl, 0.0));
      return {ir.CreateAnd(present, in_range), ir.CreateFPToSI(safe, i64)};
    }
    if (op == ir::Op::Add) return checked(llvm::Intrinsic::sadd_with_overflow);
    return checked(llvm::Intrinsic::ssub_with_overflow);
  }

  Val cmp(ir::Expr e) {
    ir::Type ta = e->args[0]->type, tb = e->args[1]->type;
    bool number = ta == ir::Type::Number || tb == ir::Type::Number;
    bool ordered = e->op != ir::Op::Eq && e->op != ir::Op::Ne;
    if ((ta == ir::Type::String || ta == ir::Type::StringSet) && ordered) return fallback(e);
    Val a = gen(e->args[0]), bv = gen(e->args[1]);
    Value* both = ir.CreateAnd(a.present, bv.present);
    Value* r;
    if (number) {
      Value* x = as_double(a, ta);
      Value* y = as_double(bv, tb);
      switch (e->op) {
        case ir::Op::Eq: r = ir.CreateFCmpOEQ(x, y); break;
        case ir::Op::Ne: r = ir.CreateFCmpUNE(x, y); break;  // NaN: unordered, so "not equal"
        case ir::Op::Lt: r = ir.CreateFCmpOLT(x, y); break;
        case ir::Op::Le: r = ir.CreateFCmpOLE(x, y); break;
        case ir::Op::Gt: r = ir.CreateFCmpOGT(x, y); break;
        default: r = ir.CreateFCmpOGE(x, y); break;
      }
    } else {
      Value* x = a.v;
      Value* y = bv.v;
      bool is_bool = ta == ir::Type::Bool;
      if (is_bool) {
        x = ir.CreateZExt(x, i64);
        y = ir.CreateZExt(y, i64);
      }
      switch (e->op) {
        case ir::Op::Eq: r = ir.CreateICmpEQ(x, y); break;
        case ir::Op::Ne: r = ir.CreateICmpNE(x, y); break;
        case ir::Op::Lt: r = ir.CreateICmpSLT(x, y); break;
        case ir::Op::Le: r = ir.CreateICmpSLE(x, y); break;
        case ir::Op::Gt: r = ir.CreateICmpSGT(x, y); break;
        default: r = ir.CreateICmpSGE(x, y); break;
      }
    }
    // A comparison with a missing operand is false (and present).
    return {cbool(true), ir.CreateAnd(both, r)};
  }

  Val gen(ir::Expr e) {
    switch (e->kind) {
      case ir::Kind::Const:
        if (e->type == ir::Type::Event) return fallback(e);
        ++inline_nodes;
        return load_value(field(2, ptr), ci64(e->id), e->type);  // interned like the interpreter
      case ir::Kind::Now: ++inline_nodes; return {cbool(true), field(3, i64)};
      case ir::Kind::Attr:
        ++inline_nodes;
        return load_value(field(0, ptr), ci64(e->index), e->type);
      case ir::Kind::ProfileId: ++inline_nodes; return {cbool(true), ir.CreateZExt(field(4, i32), i64)};
      case ir::Kind::Member: {
        ++inline_nodes;
        Value* words = field(1, ptr);
        Value* word = ir.CreateLoad(i64, ir.CreateGEP(i64, words, ci64(e->index >> 6)));
        Value* bit = ir.CreateAnd(ir.CreateLShr(word, ci64(e->index & 63)), ci64(1));
        return {cbool(true), ir.CreateICmpNE(bit, ci64(0))};
      }
      case ir::Kind::Not: {
        ++inline_nodes;
        Val a = gen(e->args[0]);
        return {cbool(true), ir.CreateNot(truthy(a))};
      }
      case ir::Kind::And:
      case ir::Kind::Or: {
        ++inline_nodes;
        Value* l = truthy(gen(e->args[0]));
        Val lhs{cbool(true), l};
        Value* take = e->kind == ir::Kind::And ? l : ir.CreateNot(l);
        return branch(take, lhs, [&] { return Val{cbool(true), truthy(gen(e->args[1]))}; });
      }
      case ir::Kind::Has: {
        ++inline_nodes;
        Val a = gen(e->args[0]);
        return {cbool(true), a.present};
      }
      case ir::Kind::Coalesce: {
        ++inline_nodes;
        Val a = gen(e->args[0]);
        if (e->type == ir::Type::Number && e->args[0]->type == ir::Type::Int) a.v = ir.CreateSIToFP(a.v, dbl);
        return branch(ir.CreateNot(a.present), a, [&] {
          Val r = gen(e->args[1]);
          if (e->type == ir::Type::Number && e->args[1]->type == ir::Type::Int) r.v = ir.CreateSIToFP(r.v, dbl);
          return r;
        });
      }
      case ir::Kind::Neg: {
        ++inline_nodes;
        Val a = gen(e->args[0]);
        if (e->type == ir::Type::Number) return {a.present, ir.CreateFNeg(a.v)};
        Value* min = ir.CreateICmpEQ(a.v, ci64(INT64_MIN));
        return {ir.CreateAnd(a.present, ir.CreateNot(min)), ir.CreateNeg(a.v)};
      }
      case ir::Kind::Agg: {
        // Inline: "any" and count of an all-time slot, "any" in a window (newest entry
        // inside it). The rest (sums, windows counts, since bounds) call back.
        const ir::Slot& s = b.slots[e->index];
        bool all_time = s.kind == ir::SlotKind::AllTime;
        bool window_any = s.kind == ir::SlotKind::Window && e->agg == ir::AggFn::Exists;
        bool inline_ok = e->args.empty() &&
                         ((all_time && (e->agg == ir::AggFn::Exists || e->agg == ir::AggFn::Count)) || window_any);
        if (!inline_ok) return fallback(e);
        ++inline_nodes;
        Value* base = ir.CreateGEP(i8, field(9, ptr), ir.CreateMul(ci64(e->index), field(10, i64)));
        if (window_any) {
          Value* newest = ir.CreateLoad(i64, ir.CreateGEP(i8, base, ci64(8)));
          Value* start = ir.CreateSub(field(3, i64), ci64(s.window_ms));  // half-open (now - D, now]
          return {cbool(true), ir.CreateICmpSGT(newest, start)};
        }
        Value* count = ir.CreateLoad(i64, base);
        if (e->agg == ir::AggFn::Count) return {cbool(true), count};
        return {cbool(true), ir.CreateICmpSGT(count, ci64(0))};
      }
      case ir::Kind::Arith: ++inline_nodes; return arith(e);
      case ir::Kind::Cmp: ++inline_nodes; return cmp(e);
      default: return fallback(e);
    }
  }

  llvm::Function* condition(ir::Expr e, const std::string& name) {
    fn = llvm::Function::Create(llvm::FunctionType::get(i8, {ptr}, false), llvm::Function::ExternalLinkage,
                                name, m);
    ir.SetInsertPoint(BasicBlock::Create(c, "entry", fn));
    ctx = fn->getArg(0);
    scratch = ir.CreateAlloca(llvm::ArrayType::get(i64, 2));
    Val r = gen(e);
    ir.CreateRet(ir.CreateZExt(truthy(r), i8));
    return fn;
  }
};

Codegen::Codegen(const ir::Bundle& b, llvm::Module& m) : impl_(std::make_unique<Impl>(b, m)) {}
Codegen::~Codegen() = default;
llvm::Function* Codegen::condition(ir::Expr e, const std::string& name) { return impl_->condition(e, name); }
int Codegen::inline_nodes() const { return impl_->inline_nodes; }
int Codegen::fallback_nodes() const { return impl_->fallback_nodes; }

}  // namespace seg::jit
