// libFuzzer target: one input = one checkpoint file, loaded by the rules that wrote the
// seeds (tests/fuzz/checkpoint/a.seg) and by changed rules (b.seg), so that both the
// plain resume and the migration of a rule change read it. Anything the loader cannot
// read must be refused with an error, never crash, hang or leak; a checkpoint that
// loads must survive the rule change and write back a checkpoint that loads again.
//
// Also built without libFuzzer, with replay_main.cpp, as the `fuzz.checkpoint_replay`
// ctest. The rules are read from SEG_FUZZ_RULES_DIR (compiled in; the environment
// variable of that name overrides it).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "compiler/driver/driver.h"
#include "runtime/engine/engine.h"
#include "runtime/io/file_sink.h"

namespace {

std::unique_ptr<seg::ir::Bundle> rules(const char* name) {
  const char* dir = std::getenv("SEG_FUZZ_RULES_DIR");
  std::string path = std::string(dir ? dir : SEG_FUZZ_RULES_DIR) + "/" + name;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto c = seg::compile_sources({{path, text.str()}});
  if (!in || c->diags.has_errors()) std::abort();  // the target's own rules must compile
  return seg::build_bundle(*c);
}

void load(const seg::ir::Bundle& b, std::string_view bytes) {
  seg::rt::MemorySink sink(b.destinations.size());
  seg::rt::Engine e(b, sink);
  std::string error;
  if (!e.load(bytes, error)) return;
  e.apply_rule_change();
  e.finish();
  std::string again;
  e.save(again);
  seg::rt::Engine e2(b, sink);
  if (!e2.load(again, error)) std::abort();  // what was written must read back
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto a = rules("a.seg");
  static const auto b = rules("b.seg");
  std::string_view in(reinterpret_cast<const char*>(data), size);
  load(*a, in);
  load(*b, in);
  return 0;
}
