// IR kernels -> LLVM IR: the evaluate kernel (every audience into the membership bits),
// one fold kernel per event type (slot filters) and the bulk evaluate kernel (64
// profiles of a columnar batch per call). Values travel as (present, value) pairs: value
// is i1 for bool, double for number, i64 for everything else (ints, times, durations,
// interned string and set ids). The kinds whose semantics are simple and hot
// (attributes, event properties, constants, `now`, logic, arithmetic, comparisons, `??`,
// `has`, membership bits, counts and window "any") are compiled inline, exactly as
// runtime/interp/interp.cpp defines them; every other node (sums, window counts, event
// fields, string built-ins, regexes, lists) is one call back into the interpreter for
// that subtree, so there is a single implementation of each built-in.
#include "runtime/jit/codegen.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>

#include <algorithm>
#include <vector>

#include "stdlib/abi.h"

namespace seg::jit {

using llvm::BasicBlock;
using llvm::Value;

namespace {
// Field numbers of seg_jit_ctx and seg_bulk_batch (stdlib/abi.h), in order.
enum CtxField : unsigned {
  kAttrs, kMember, kConsts, kNow, kProfileId, kPad, kEval, kInterp, kProfile, kSlots, kSlotStride, kTtl, kTtlExit, kProps, kApply, kTs, kArrival, kHoldout, kSent, kDiff, kEngine
};
enum BatchField : unsigned {
  kAttrValues, kAttrValid, kSlotCount, kSlotNewest, kMemberWords, kBatchConsts, kBatchNow, kBatchN, kBatchPad, kBatchEval, kRunner
};
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

  Impl(const ir::Bundle& bundle, llvm::Module& module)
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
    Value* node = llvm::ConstantInt::get(i32, static_cast<uint64_t>(e->id));
    if (batch) {
      ir.CreateCall(llvm::FunctionType::get(llvm::Type::getVoidTy(c), {ptr, i32, i32, ptr}, false), bfield(kBatchEval, ptr),
                    {batch, ir.CreateTrunc(lane, i32), node, scratch});
    } else {
      ir.CreateCall(llvm::FunctionType::get(llvm::Type::getVoidTy(c), {ptr, i32, ptr}, false), field(kEval, ptr),
                    {ctx, node, scratch});
    }
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
    ir::Type ta = e->args[0]->type;
    bool ordered = e->op != ir::Op::Eq && e->op != ir::Op::Ne;
    if ((ta == ir::Type::String || ta == ir::Type::StringSet) && ordered) return fallback(e);
    Val a = gen(e->args[0]), bv = gen(e->args[1]);
    return compare(e, a, bv);
  }

  // A comparison of two generated operands.
  Val compare(ir::Expr e, Val a, Val bv) {
    ir::Type ta = e->args[0]->type, tb = e->args[1]->type;
    bool number = ta == ir::Type::Number || tb == ir::Type::Number;
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

  // Static cost of evaluating e, to order the operands of and/or chains: inline nodes
  // are cheap, a call back into the interpreter is not, regexes and strings least so.
  int cost(ir::Expr e) {
    if (e->kind == ir::Kind::EventField && inline_event_time(e)) return 3;
    int own;
    switch (e->kind) {
      case ir::Kind::Matches: own = 200; break;
      case ir::Kind::InList: own = inline_list(e) ? 1 : 40; break;
      case ir::Kind::Call: case ir::Kind::InSet: case ir::Kind::EventField: own = 40; break;
      case ir::Kind::Agg: own = inline_agg(e) ? 2 : 30; break;
      default: own = 1; break;
    }
    for (ir::Expr a : e->args) own += cost(a);
    return own;
  }

  bool inline_agg(ir::Expr e) {
    const ir::Slot& s = b.slots[e->index];
    bool all_time = s.kind == ir::SlotKind::AllTime;
    bool window_any = s.kind == ir::SlotKind::Window && e->agg == ir::AggFn::Exists;
    return e->args.empty() && ((all_time && (e->agg == ir::AggFn::Exists || e->agg == ir::AggFn::Count)) || window_any);
  }

  // The operands of a chain of one kind (a and b and c), flattened.
  static void flatten(ir::Expr e, ir::Kind k, std::vector<ir::Expr>& out) {
    if (e->kind == k) {
      for (ir::Expr a : e->args) flatten(a, k, out);
      return;
    }
    out.push_back(e);
  }

  Value* member_bit(int32_t audience) {
    if (batch) {
      Value* word = ir.CreateLoad(i64, ir.CreateGEP(i64, member_words(), ci64(audience)));
      return ir.CreateICmpNE(ir.CreateAnd(ir.CreateLShr(word, lane), ci64(1)), ci64(0));
    }
    Value* word = ir.CreateLoad(i64, ir.CreateGEP(i64, member_words(), ci64(audience >> 6)));
    return ir.CreateICmpNE(ir.CreateAnd(ir.CreateLShr(word, ci64(audience & 63)), ci64(1)), ci64(0));
  }

  void set_member_bit(Value* words, int32_t i, Value* on) {
    Value* p = ir.CreateGEP(i64, words, ci64(i >> 6));
    Value* word = ir.CreateLoad(i64, p);
    Value* mask = ci64(int64_t(uint64_t{1} << (i & 63)));
    Value* cleared = ir.CreateAnd(word, ir.CreateNot(mask));
    ir.CreateStore(ir.CreateOr(cleared, ir.CreateSelect(on, mask, ci64(0))), p);
  }

  Val attr(ir::Expr e) {
    if (!batch) return load_value(field(kAttrs, ptr), ci64(e->index), e->type);
    // Columns hold int64 bits (doubles for numbers, 0/1 for bools) and a validity word.
    Value* column = ir.CreateLoad(ptr, ir.CreateGEP(ptr, bfield(kAttrValues, ptr), ci64(e->index)));
    Value* bits = ir.CreateLoad(i64, ir.CreateGEP(i64, column, lane));
    Value* valid = ir.CreateLoad(i64, ir.CreateGEP(i64, bfield(kAttrValid, ptr), ci64(e->index)));
    Value* present = ir.CreateICmpNE(ir.CreateAnd(ir.CreateLShr(valid, lane), ci64(1)), ci64(0));
    if (e->type == ir::Type::Bool) return {present, ir.CreateICmpNE(bits, ci64(0))};
    if (e->type == ir::Type::Number) return {present, ir.CreateBitCast(bits, dbl)};
    return {present, bits};
  }

  // An rt::SlotState word: count, newest or first timestamp (the bulk columns hold the
  // first two).
  Value* slot_word(int32_t slot, int offset) {
    if (batch) {
      Value* column = ir.CreateLoad(ptr, ir.CreateGEP(ptr, bfield(offset == SEG_SLOT_NEWEST ? kSlotNewest : kSlotCount, ptr), ci64(slot)));
      return ir.CreateLoad(i64, ir.CreateGEP(i64, column, lane));
    }
    Value* base = ir.CreateGEP(i8, field(kSlots, ptr), ir.CreateMul(ci64(slot), field(kSlotStride, i64)));
    return ir.CreateLoad(i64, ir.CreateGEP(i8, base, ci64(offset)));
  }

  // A list of scalars compared by identity (interned strings, ints, times, bools) or as
  // numbers; sets and events call back.
  bool inline_list(ir::Expr e) {
    for (ir::Expr a : e->args)
      if (a->type == ir::Type::StringSet || a->type == ir::Type::Event) return false;
    return true;
  }

  // `first(E).time` / `last(E).time` read from the slot's timestamps: last of any slot
  // (the newest recorded event, when it is still inside a window), first of an all-time
  // slot (its oldest). The rest, and any other event field, call back.
  bool inline_event_time(ir::Expr e) {
    if (e->prop != -1) return false;
    ir::Expr a = e->args[0];
    if (a->kind != ir::Kind::Agg || !a->args.empty()) return false;
    const ir::Slot& s = b.slots[a->index];
    if (a->agg == ir::AggFn::Last) return true;
    return a->agg == ir::AggFn::First && s.kind == ir::SlotKind::AllTime && !batch;
  }

  Val event_time(ir::Expr e) {
    ir::Expr a = e->args[0];
    const ir::Slot& s = b.slots[a->index];
    if (a->agg == ir::AggFn::First) return {ir.CreateICmpSGT(slot_word(a->index, SEG_SLOT_COUNT), ci64(0)),
                                            slot_word(a->index, SEG_SLOT_FIRST)};
    Value* newest = slot_word(a->index, SEG_SLOT_NEWEST);
    Value* present = s.kind == ir::SlotKind::Window ? ir.CreateICmpSGT(newest, ir.CreateSub(now(), ci64(s.window_ms)))
                                                    : ir.CreateICmpNE(newest, ci64(INT64_MIN));
    return {present, newest};
  }

  Val gen(ir::Expr e) {
    switch (e->kind) {
      case ir::Kind::Const:
        if (e->type == ir::Type::Event) return fallback(e);
        ++inline_nodes;
        return load_value(consts(), ci64(e->id), e->type);  // interned like the interpreter
      case ir::Kind::Now: ++inline_nodes; return {cbool(true), now()};
      case ir::Kind::Attr: ++inline_nodes; return attr(e);
      case ir::Kind::Prop:
        if (batch) return fallback(e);
        ++inline_nodes;
        return load_value(field(kProps, ptr), ci64(e->index), e->type);
      case ir::Kind::ProfileId:
        if (batch) return fallback(e);
        ++inline_nodes;
        return {cbool(true), ir.CreateZExt(field(kProfileId, i32), i64)};
      case ir::Kind::Member: ++inline_nodes; return {cbool(true), member_bit(e->index)};
      case ir::Kind::Not: {
        ++inline_nodes;
        Val a = gen(e->args[0]);
        return {cbool(true), ir.CreateNot(truthy(a))};
      }
      case ir::Kind::And:
      case ir::Kind::Or: {
        // Cheapest operand first: the result does not depend on the order (missing is
        // false, evaluation has no visible effects), the cost does.
        std::vector<ir::Expr> ops;
        flatten(e, e->kind, ops);
        inline_nodes += static_cast<int>(ops.size()) - 1;
        std::vector<std::pair<int, ir::Expr>> ranked;
        for (ir::Expr o : ops) ranked.emplace_back(cost(o), o);
        std::stable_sort(ranked.begin(), ranked.end(),
                         [](const auto& x, const auto& y) { return x.first < y.first; });
        bool is_and = e->kind == ir::Kind::And;
        Val acc{cbool(true), truthy(gen(ranked[0].second))};
        for (size_t k = 1; k < ranked.size(); ++k) {
          ir::Expr next = ranked[k].second;
          if ((batch || cost(next) <= 8) && all_inline(next)) {
            // No call to skip (and, in bulk lanes, any cost): straight-line code, no branch.
            Value* r = truthy(gen(next));
            acc.v = is_and ? ir.CreateAnd(acc.v, r) : ir.CreateOr(acc.v, r);
            continue;
          }
          Value* take = is_and ? acc.v : ir.CreateNot(acc.v);
          acc = branch(take, acc, [&] { return Val{cbool(true), truthy(gen(next))}; });
        }
        return acc;
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
        // Inline: "any" and count of an all-time slot, "any" in a window (its newest
        // entry inside it, half-open (now - D, now]). The rest call back.
        if (!inline_agg(e)) return fallback(e);
        ++inline_nodes;
        const ir::Slot& s = b.slots[e->index];
        if (s.kind == ir::SlotKind::Window)
          return {cbool(true),
                  ir.CreateICmpSGT(slot_word(e->index, SEG_SLOT_NEWEST), ir.CreateSub(now(), ci64(s.window_ms)))};
        Value* count = slot_word(e->index, SEG_SLOT_COUNT);
        if (e->agg == ir::AggFn::Count) return {cbool(true), count};
        return {cbool(true), ir.CreateICmpSGT(count, ci64(0))};
      }
      case ir::Kind::InList: {
        // x in [a, b, …]: equal to a present item (missing x: false; `not in` negates).
        if (!inline_list(e)) return fallback(e);
        ++inline_nodes;
        Val x = gen(e->args[0]);
        ir::Type tx = e->args[0]->type;
        Value* found = cbool(false);
        for (size_t i = 1; i < e->args.size(); ++i) {
          Val item = gen(e->args[i]);
          ir::Type ti = e->args[i]->type;
          Value* eq;
          if (tx == ir::Type::Number || ti == ir::Type::Number) eq = ir.CreateFCmpOEQ(as_double(x, tx), as_double(item, ti));
          else eq = ir.CreateICmpEQ(x.v, item.v);  // ids, ints, times, bools
          found = ir.CreateOr(found, ir.CreateAnd(item.present, eq));
        }
        Value* r = e->op == ir::Op::Ne ? ir.CreateNot(found) : found;
        return {cbool(true), ir.CreateAnd(x.present, r)};
      }
      case ir::Kind::EventField:
        if (!inline_event_time(e)) return fallback(e);
        inline_nodes += 2;
        return event_time(e);
      case ir::Kind::Arith: ++inline_nodes; return arith(e);
      case ir::Kind::Cmp: ++inline_nodes; return cmp(e);
      default: return fallback(e);
    }
  }

  void begin(const std::string& name, llvm::Type* ret) {
    fn = llvm::Function::Create(llvm::FunctionType::get(ret, {ptr}, false), llvm::Function::ExternalLinkage, name, m);
    ir.SetInsertPoint(BasicBlock::Create(c, "entry", fn));
    scratch = ir.CreateAlloca(llvm::ArrayType::get(i64, 2));
  }

  // ---- evaluate: the interpreter's Interpreter::evaluate, audience by audience ----
  llvm::Function* evaluate(const std::string& name) {
    begin(name, llvm::Type::getVoidTy(c));
    ctx = fn->getArg(0);
    batch = nullptr;
    Value* words = field(kMember, ptr);
    for (const ir::EvalStep& step : b.evaluate) {
      if (step.tiers) {
        const ir::Tiers& t = b.tiers[step.index];
        Value* universe = t.from < 0 ? cbool(true) : member_bit(t.from);
        Value* matched = cbool(false);
        for (int32_t arm : t.arms) {
          const ir::Audience& a = b.audiences[arm];
          Value* take = ir.CreateAnd(universe, ir.CreateNot(matched));
          Value* in = take;
          if (a.cond) in = branch(take, Val{cbool(true), cbool(false)}, [&] { return Val{cbool(true), truthy(gen(a.cond))}; }).v;
          matched = ir.CreateOr(matched, in);
          set_member_bit(words, arm, in);
        }
        continue;
      }
      int32_t ai = step.index;
      const ir::Audience& a = b.audiences[ai];
      Value* when = truthy(gen(a.when));
      Value* q = when;
      for (int32_t x : a.excludes) q = ir.CreateAnd(q, ir.CreateNot(member_bit(x)));
      Value* in = q;
      if (a.ttl_ms) {
        // Branch-free form of the interpreter's TTL steps (runtime/interp/interp.cpp).
        Value* t = ir.CreateGEP(i8, field(kTtl, ptr), ci64(int64_t{a.ttl_slot} * SEG_TTL_SIZE));
        Value* blocked_p = ir.CreateGEP(i8, t, ci64(SEG_TTL_BLOCKED));
        Value* was = member_bit(ai);
        Value* blocked = ir.CreateAnd(ir.CreateICmpNE(ir.CreateLoad(i8, blocked_p), llvm::ConstantInt::get(i8, 0)), when);
        Value* entered = ir.CreateLoad(i64, t);
        Value* expired = ir.CreateICmpSGE(now(), ir.CreateAdd(entered, ci64(*a.ttl_ms)));
        Value* exits = ir.CreateAnd(was, expired);
        in = ir.CreateSelect(was, ir.CreateAnd(q, ir.CreateNot(expired)), ir.CreateAnd(q, ir.CreateNot(blocked)));
        ir.CreateStore(ir.CreateZExt(ir.CreateSelect(exits, when, blocked), i8), blocked_p);
        ir.CreateStore(ir.CreateSelect(ir.CreateAnd(ir.CreateNot(was), in), now(), entered), t);
        Value* exit_p = ir.CreateGEP(i64, field(kTtlExit, ptr), ci64(ai >> 6));
        Value* bit = ir.CreateShl(ir.CreateZExt(exits, i64), ci64(ai & 63));
        ir.CreateStore(ir.CreateOr(ir.CreateLoad(i64, exit_p), bit), exit_p);
      }
      set_member_bit(words, ai, in);
    }
    ir.CreateRetVoid();
    return fn;
  }

  // ---- deadline: each time atom's operands, for the runtime's flip-instant search ----
  // Per atom i: diff[i] = lhs - rhs as doubles (as the interpreter computes it) and
  // flags[i] bit 0: both operands present, bit 1: the comparison holds now. The search
  // itself (slopes, the linear guess, the check and the gallop for staircases) stays in
  // Interpreter::deadline; this kernel replaces its two tree-walks per atom.
  llvm::Function* deadline(const std::string& name) {
    // In chunks of 16 atoms, each its own (never inlined) function: a few hundred atoms
    // in one basic block make the instruction scheduler superlinear.
    constexpr size_t kChunk = 16;
    auto* fty = llvm::FunctionType::get(llvm::Type::getVoidTy(c), {ptr, ptr, ptr}, false);
    std::vector<llvm::Function*> chunks;
    for (size_t first = 0; first < b.time_atoms.size(); first += kChunk) {
      fn = llvm::Function::Create(fty, llvm::Function::InternalLinkage, name + "_" + std::to_string(chunks.size()), m);
      fn->addFnAttr(llvm::Attribute::NoInline);
      ir.SetInsertPoint(BasicBlock::Create(c, "entry", fn));
      scratch = ir.CreateAlloca(llvm::ArrayType::get(i64, 2));
      ctx = fn->getArg(0);
      batch = nullptr;
      Value* diffs = fn->getArg(1);
      Value* flags = fn->getArg(2);
      for (size_t i = first; i < std::min(first + kChunk, b.time_atoms.size()); ++i) {
        ir::Expr atom = b.time_atoms[i];
        ir::Type ta = atom->args[0]->type, tb = atom->args[1]->type;
        Val l = gen(atom->args[0]), r = gen(atom->args[1]);
        Value* present = ir.CreateAnd(l.present, r.present);
        Value* holds = truthy(compare(atom, l, r));
        Value* diff = ir.CreateFSub(as_double(l, ta), as_double(r, tb));
        ir.CreateStore(diff, ir.CreateGEP(dbl, diffs, ci64(static_cast<int64_t>(i))));
        Value* f = ir.CreateOr(ir.CreateZExt(present, i8), ir.CreateShl(ir.CreateZExt(holds, i8), 1));
        ir.CreateStore(f, ir.CreateGEP(i8, flags, ci64(static_cast<int64_t>(i))));
      }
      ir.CreateRetVoid();
      chunks.push_back(fn);
    }
    fn = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name, m);
    ir.SetInsertPoint(BasicBlock::Create(c, "entry", fn));
    for (llvm::Function* chunk : chunks) ir.CreateCall(fty, chunk, {fn->getArg(0), fn->getArg(1), fn->getArg(2)});
    ir.CreateRetVoid();
    return fn;
  }

  // ---- diff: which destination audiences can have an op, unrolled for the bundle ----
  llvm::Function* diff(const std::string& name) {
    begin(name, llvm::Type::getVoidTy(c));
    ctx = fn->getArg(0);
    batch = nullptr;
    auto* diff_ty = llvm::FunctionType::get(llvm::Type::getVoidTy(c), {ptr, i32, i32}, false);
    Value* holdout = field(kHoldout, ptr);
    Value* sent = field(kSent, ptr);
    for (size_t di = 0; di < b.destinations.size(); ++di) {
      const ir::Destination& d = b.destinations[di];
      for (size_t j = 0; j < d.audiences.size(); ++j) {
        int32_t ai = d.audiences[j];
        Value* desired = member_bit(ai);
        if (!d.include_holdout) {  // holdout members are never sent here
          Value* word = ir.CreateLoad(i64, ir.CreateGEP(i64, holdout, ci64(ai >> 6)));
          Value* hold = ir.CreateICmpNE(ir.CreateAnd(ir.CreateLShr(word, ci64(ai & 63)), ci64(1)), ci64(0));
          desired = ir.CreateAnd(desired, ir.CreateNot(hold));
        }
        Value* s = ir.CreateGEP(i8, sent, ci64(int64_t{d.sent_base + static_cast<int32_t>(j)} * SEG_SENT_SIZE));
        Value* flags = ir.CreateOr(ir.CreateLoad(i8, ir.CreateGEP(i8, s, ci64(SEG_SENT_SENT))),
                                   ir.CreateLoad(i8, ir.CreateGEP(i8, s, ci64(SEG_SENT_UNMATCHED))));
        Value* need = ir.CreateOr(desired, ir.CreateICmpNE(flags, llvm::ConstantInt::get(i8, 0)));
        BasicBlock* call = BasicBlock::Create(c, "diff", fn);
        BasicBlock* next = BasicBlock::Create(c, "next", fn);
        ir.CreateCondBr(need, call, next);
        ir.SetInsertPoint(call);
        ir.CreateCall(diff_ty, field(kDiff, ptr),
                      {ctx, llvm::ConstantInt::get(i32, di), llvm::ConstantInt::get(i32, j)});
        ir.CreateBr(next);
        ir.SetInsertPoint(next);
      }
    }
    ir.CreateRetVoid();
    return fn;
  }

  // ---- fold: one event type's slot filters; ctx->apply records the event ----
  llvm::Function* fold(int32_t event, const std::string& name) {
    begin(name, llvm::Type::getVoidTy(c));
    ctx = fn->getArg(0);
    batch = nullptr;
    auto* apply_ty = llvm::FunctionType::get(llvm::Type::getVoidTy(c), {ptr, i32}, false);
    for (int32_t si : b.fold[static_cast<size_t>(event)]) {
      const ir::Slot& s = b.slots[si];
      BasicBlock* apply = BasicBlock::Create(c, "apply", fn);
      BasicBlock* next = BasicBlock::Create(c, "next", fn);
      ir.CreateCondBr(s.filter ? truthy(gen(s.filter)) : cbool(true), apply, next);
      ir.SetInsertPoint(apply);
      ir.CreateCall(apply_ty, field(kApply, ptr), {ctx, llvm::ConstantInt::get(i32, static_cast<uint64_t>(si))});
      ir.CreateBr(next);
      ir.SetInsertPoint(next);
    }
    ir.CreateRetVoid();
    return fn;
  }

  // ---- bulk: every audience for up to 64 profiles, one membership word each ----
  static bool mentions_member(ir::Expr e) {
    if (e->kind == ir::Kind::Member) return true;
    for (ir::Expr a : e->args)
      if (mentions_member(a)) return true;
    return false;
  }

  // Whether gen() compiles e's own node inline (its operands aside).
  bool inline_kind(ir::Expr e) {
    switch (e->kind) {
      case ir::Kind::Const: return e->type != ir::Type::Event;
      case ir::Kind::Now: case ir::Kind::Attr: case ir::Kind::Member: case ir::Kind::Not: case ir::Kind::And:
      case ir::Kind::Or: case ir::Kind::Has: case ir::Kind::Coalesce: case ir::Kind::Neg: return true;
      case ir::Kind::Agg: return inline_agg(e);
      case ir::Kind::EventField: return inline_event_time(e);
      case ir::Kind::InList: return inline_list(e);
      case ir::Kind::Arith: return e->type != ir::Type::String;
      case ir::Kind::Cmp: {
        ir::Type t = e->args[0]->type;
        bool ordered = e->op != ir::Op::Eq && e->op != ir::Op::Ne;
        return !((t == ir::Type::String || t == ir::Type::StringSet) && ordered);
      }
      default: return false;
    }
  }

  bool all_inline(ir::Expr e) {
    if (!inline_kind(e)) return false;
    if (e->kind == ir::Kind::EventField) return true;  // reads the slot, not its aggregate
    for (ir::Expr a : e->args)
      if (!all_inline(a)) return false;
    return true;
  }

  // A call back evaluates one profile's subtree, which must not read membership bits
  // (the bulk kernel keeps them in its words, not in the profile).
  bool bulk_ok(ir::Expr e) {
    if (!inline_kind(e)) return !mentions_member(e);
    if (e->kind == ir::Kind::EventField) return true;
    for (ir::Expr a : e->args)
      if (!bulk_ok(a)) return false;
    return true;
  }

  bool bulk_supported() {
    for (const ir::Audience& a : b.audiences) {
      ir::Expr e = a.kind == ir::AudienceKind::Segment ? a.when : a.cond;
      if (e && !bulk_ok(e)) return false;
    }
    return true;
  }

  // One word: bit i set when `e` holds for profile i of the batch.
  Value* lanes(ir::Expr e, Value* n) {
    BasicBlock* pre = ir.GetInsertBlock();
    BasicBlock* loop = BasicBlock::Create(c, "lane", fn);
    BasicBlock* done = BasicBlock::Create(c, "lanes_done", fn);
    ir.CreateBr(loop);
    ir.SetInsertPoint(loop);
    llvm::PHINode* i = ir.CreatePHI(i64, 2);
    llvm::PHINode* acc = ir.CreatePHI(i64, 2);
    i->addIncoming(ci64(0), pre);
    acc->addIncoming(ci64(0), pre);
    lane = i;
    Value* bit = ir.CreateZExt(truthy(gen(e)), i64);
    Value* acc2 = ir.CreateOr(acc, ir.CreateShl(bit, i));
    Value* i2 = ir.CreateAdd(i, ci64(1));
    BasicBlock* latch = ir.GetInsertBlock();
    i->addIncoming(i2, latch);
    acc->addIncoming(acc2, latch);
    ir.CreateCondBr(ir.CreateICmpSLT(i2, n), loop, done);
    ir.SetInsertPoint(done);
    return acc2;
  }

  llvm::Function* bulk(const std::string& name) {
    begin(name, llvm::Type::getVoidTy(c));
    batch = fn->getArg(0);
    ctx = nullptr;
    Value* n = ir.CreateSExt(bfield(kBatchN, i32), i64);
    // Lanes present: n == 64 needs all ones (a shift by 64 is poison).
    Value* all = ir.CreateSelect(ir.CreateICmpSGE(n, ci64(64)), ci64(-1),
                                 ir.CreateSub(ir.CreateShl(ci64(1), ir.CreateAnd(n, ci64(63))), ci64(1)));
    Value* words = member_words();
    auto word_of = [&](int32_t audience) { return ir.CreateGEP(i64, words, ci64(audience)); };
    for (const ir::EvalStep& step : b.evaluate) {
      if (step.tiers) {
        const ir::Tiers& t = b.tiers[step.index];
        Value* universe = t.from < 0 ? all : ir.CreateLoad(i64, word_of(t.from));
        Value* matched = ci64(0);
        for (int32_t arm : t.arms) {
          const ir::Audience& a = b.audiences[arm];
          Value* cond = a.cond ? lanes(a.cond, n) : all;
          Value* w = ir.CreateAnd(ir.CreateAnd(universe, ir.CreateNot(matched)), cond);
          matched = ir.CreateOr(matched, w);
          ir.CreateStore(w, word_of(arm));
        }
        continue;
      }
      const ir::Audience& a = b.audiences[step.index];
      Value* w = lanes(a.when, n);
      for (int32_t x : a.excludes) w = ir.CreateAnd(w, ir.CreateNot(ir.CreateLoad(i64, word_of(x))));
      ir.CreateStore(w, word_of(step.index));
    }
    ir.CreateRetVoid();
    return fn;
  }
};

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
