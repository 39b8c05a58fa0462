// The bulk evaluate kernel -> LLVM IR: every audience for up to 64 profiles of a columnar
// batch, one membership word each (null when a call back would need membership bits).
#include "runtime/jit/codegen_private.h"

namespace seg::jit {

namespace {
bool mentions_member(ir::Expr e) {
  if (e->kind == ir::Kind::Member) return true;
  for (ir::Expr a : e->args)
    if (mentions_member(a)) return true;
  return false;
}
}  // namespace

// A call back evaluates one profile's subtree, which must not read membership bits
// (the bulk kernel keeps them in its words, not in the profile).
bool Codegen::Impl::bulk_ok(ir::Expr e) {
  if (!inline_kind(e)) return !mentions_member(e);
  if (e->kind == ir::Kind::EventField) return true;
  for (ir::Expr a : e->args)
    if (!bulk_ok(a)) return false;
  return true;
}

bool Codegen::Impl::bulk_supported() {
  for (const ir::Audience& a : b.audiences) {
    ir::Expr e = a.kind == ir::AudienceKind::Segment ? a.when : a.cond;
    if (e && !bulk_ok(e)) return false;
  }
  return true;
}

// One word: bit i set when `e` holds for profile i of the batch.
Value* Codegen::Impl::lanes(ir::Expr e, Value* n) {
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

llvm::Function* Codegen::Impl::bulk(const std::string& name) {
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

}  // namespace seg::jit
