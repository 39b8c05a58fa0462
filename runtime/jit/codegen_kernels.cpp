// The row kernels -> LLVM IR: evaluate (every audience into the membership bits), the
// time atoms' deadline operands, the destination diff and one fold kernel per event type.
#include <algorithm>
#include <vector>

#include "runtime/jit/codegen_private.h"
#include "stdlib/abi.h"

namespace seg::jit {

void Codegen::Impl::set_member_bit(Value* words, int32_t i, Value* on) {
  Value* p = ir.CreateGEP(i64, words, ci64(i >> 6));
  Value* word = ir.CreateLoad(i64, p);
  Value* mask = ci64(int64_t(uint64_t{1} << (i & 63)));
  Value* cleared = ir.CreateAnd(word, ir.CreateNot(mask));
  ir.CreateStore(ir.CreateOr(cleared, ir.CreateSelect(on, mask, ci64(0))), p);
}

// ---- evaluate: the interpreter's Interpreter::evaluate, audience by audience ----
llvm::Function* Codegen::Impl::evaluate(const std::string& name) {
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
      // Branch-free form of the interpreter's TTL steps (runtime/interp/interp_evaluate.cpp).
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
llvm::Function* Codegen::Impl::deadline(const std::string& name) {
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
llvm::Function* Codegen::Impl::diff(const std::string& name) {
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
llvm::Function* Codegen::Impl::fold(int32_t event, const std::string& name) {
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

}  // namespace seg::jit
