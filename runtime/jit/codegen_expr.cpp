// Expressions -> LLVM IR: the kinds compiled inline (attributes, constants, logic,
// arithmetic, comparisons, lists, slot reads) and the call back for every other node.
#include <llvm/IR/Intrinsics.h>

#include <algorithm>
#include <vector>

#include "runtime/jit/codegen_private.h"
#include "stdlib/abi.h"

namespace seg::jit {

namespace {
// The operands of a chain of one kind (a and b and c), flattened.
void flatten(ir::Expr e, ir::Kind k, std::vector<ir::Expr>& out) {
  if (e->kind == k) {
    for (ir::Expr a : e->args) flatten(a, k, out);
    return;
  }
  out.push_back(e);
}
}  // namespace

// An rt::Value in memory -> (present, value) of the IR type.
auto Codegen::Impl::load_value(Value* base, Value* index, ir::Type t) -> Val {
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

auto Codegen::Impl::fallback(ir::Expr e) -> Val {
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

auto Codegen::Impl::arith(ir::Expr e) -> Val {
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

auto Codegen::Impl::cmp(ir::Expr e) -> Val {
  ir::Type ta = e->args[0]->type;
  bool ordered = e->op != ir::Op::Eq && e->op != ir::Op::Ne;
  if ((ta == ir::Type::String || ta == ir::Type::StringSet) && ordered) return fallback(e);
  Val a = gen(e->args[0]), bv = gen(e->args[1]);
  return compare(e, a, bv);
}

// A comparison of two generated operands.
auto Codegen::Impl::compare(ir::Expr e, Val a, Val bv) -> Val {
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
int Codegen::Impl::cost(ir::Expr e) {
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

bool Codegen::Impl::inline_agg(ir::Expr e) {
  const ir::Slot& s = b.slots[e->index];
  bool all_time = s.kind == ir::SlotKind::AllTime;
  bool window_any = s.kind == ir::SlotKind::Window && e->agg == ir::AggFn::Exists;
  return e->args.empty() && ((all_time && (e->agg == ir::AggFn::Exists || e->agg == ir::AggFn::Count)) || window_any);
}

Value* Codegen::Impl::member_bit(int32_t audience) {
  if (batch) {
    Value* word = ir.CreateLoad(i64, ir.CreateGEP(i64, member_words(), ci64(audience)));
    return ir.CreateICmpNE(ir.CreateAnd(ir.CreateLShr(word, lane), ci64(1)), ci64(0));
  }
  Value* word = ir.CreateLoad(i64, ir.CreateGEP(i64, member_words(), ci64(audience >> 6)));
  return ir.CreateICmpNE(ir.CreateAnd(ir.CreateLShr(word, ci64(audience & 63)), ci64(1)), ci64(0));
}

auto Codegen::Impl::attr(ir::Expr e) -> Val {
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
Value* Codegen::Impl::slot_word(int32_t slot, int offset) {
  if (batch) {
    Value* column = ir.CreateLoad(ptr, ir.CreateGEP(ptr, bfield(offset == SEG_SLOT_NEWEST ? kSlotNewest : kSlotCount, ptr), ci64(slot)));
    return ir.CreateLoad(i64, ir.CreateGEP(i64, column, lane));
  }
  Value* base = ir.CreateGEP(i8, field(kSlots, ptr), ir.CreateMul(ci64(slot), field(kSlotStride, i64)));
  return ir.CreateLoad(i64, ir.CreateGEP(i8, base, ci64(offset)));
}

// A list of scalars compared by identity (interned strings, ints, times, bools) or as
// numbers; sets and events call back.
bool Codegen::Impl::inline_list(ir::Expr e) {
  for (ir::Expr a : e->args)
    if (a->type == ir::Type::StringSet || a->type == ir::Type::Event) return false;
  return true;
}

// `first(E).time` / `last(E).time` read from the slot's timestamps: last of any slot
// (the newest recorded event, when it is still inside a window), first of an all-time
// slot (its oldest). The rest, and any other event field, call back.
bool Codegen::Impl::inline_event_time(ir::Expr e) {
  if (e->prop != -1) return false;
  ir::Expr a = e->args[0];
  if (a->kind != ir::Kind::Agg || !a->args.empty()) return false;
  const ir::Slot& s = b.slots[a->index];
  if (a->agg == ir::AggFn::Last) return true;
  return a->agg == ir::AggFn::First && s.kind == ir::SlotKind::AllTime && !batch;
}

auto Codegen::Impl::event_time(ir::Expr e) -> Val {
  ir::Expr a = e->args[0];
  const ir::Slot& s = b.slots[a->index];
  if (a->agg == ir::AggFn::First) return {ir.CreateICmpSGT(slot_word(a->index, SEG_SLOT_COUNT), ci64(0)),
                                          slot_word(a->index, SEG_SLOT_FIRST)};
  Value* newest = slot_word(a->index, SEG_SLOT_NEWEST);
  Value* present = s.kind == ir::SlotKind::Window ? ir.CreateICmpSGT(newest, ir.CreateSub(now(), ci64(s.window_ms)))
                                                  : ir.CreateICmpNE(newest, ci64(INT64_MIN));
  return {present, newest};
}

auto Codegen::Impl::gen(ir::Expr e) -> Val {
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

// Whether gen() compiles e's own node inline (its operands aside).
bool Codegen::Impl::inline_kind(ir::Expr e) {
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

bool Codegen::Impl::all_inline(ir::Expr e) {
  if (!inline_kind(e)) return false;
  if (e->kind == ir::Kind::EventField) return true;  // reads the slot, not its aggregate
  for (ir::Expr a : e->args)
    if (!all_inline(a)) return false;
  return true;
}

}  // namespace seg::jit
