// libFuzzer target: one input = one bundle file or one serialised IR. The bundle reader
// (compiler/bundle/bundle_file.h) and the IR reader (compiler/ir/serialize.h) must
// refuse anything they cannot read with an error, never crash, hang or leak; an input
// that reads must serialise back to an IR that reads again. Inputs that start with the
// bundle magic go through the bundle reader (and its IR section through the IR reader);
// the rest straight to the IR reader, so fuzzing is not stopped by the digest. A
// signature section that reads is verified (hostile key and signature bytes included).
//
// Also built without libFuzzer, with replay_main.cpp, as the `fuzz.bundle_replay` ctest.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "compiler/bundle/bundle_file.h"
#include "compiler/bundle/signature.h"
#include "compiler/ir/serialize.h"

namespace {

void check_ir(std::string_view bytes) {
  std::string error;
  auto b = seg::ir::deserialize(bytes, error);
  if (!b) return;
  std::string again = seg::ir::serialize(*b);
  if (!seg::ir::deserialize(again, error)) std::abort();  // what was read must write back readable
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (in.substr(0, 7) == "SEGBNDL") {
    seg::bundle::BundleFile f;
    std::string error;
    if (!seg::bundle::read(in, f, error)) return 0;
    if (f.signature) (void)seg::bundle::verify(f.signature->public_key, f.signed_message, f.signature->value);
    check_ir(f.ir);
    return 0;
  }
  check_ir(in);
  return 0;
}
