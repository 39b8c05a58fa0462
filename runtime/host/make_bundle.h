#pragma once
// `seg build`'s work: a `.segb` bundle assembled from rules compiled from sources: the
// sources, the serialised IR, object code for this host (jit::compile_object) unless
// left out, and the manifest (docs/bundles.md), signed with an Ed25519 key when given one
// (signing.h). Returns the file's bytes and what the user should hear as data; the
// caller writes the file and prints.
#include <string>
#include <vector>

#include "compiler/bundle/bundle_file.h"
#include "compiler/bundle/signature.h"
#include "compiler/driver/driver.h"
#include "compiler/ir/ir.h"
#include "runtime/jit/jit.h"

namespace seg::host {

struct MakeBundleOptions {
  std::string name;     // the bundle's name in its manifest (seg build: the output's stem)
  int jit_opt = 2;      // optimisation level of the object code: 0 or 2
  bool object = true;   // false: no object code (the IR is compiled when the bundle is run)
  const bundle::SigningKey* sign = nullptr;  // seg build --sign: the key (load_signing_key)
};

struct MadeBundle {
  bundle::BundleFile file;
  std::string bytes;     // bundle::write(file): what goes into NAME.segb
  int object_opt = -1;   // the object code's optimisation level; -1 when there is none
  jit::Target target;    // the host the object code was (or would have been) compiled for
  std::vector<std::string> warnings;  // "warning: …" lines for the user
  std::string signer_key_id;  // the signing key's id when signed
  std::string error;          // why no bundle was made (signing failed); `bytes` is empty
};

// `compilation` and `b`: rules loaded from sources (host::load_rules on .seg paths).
MadeBundle make_bundle(const Compilation& compilation, const ir::Bundle& b, const MakeBundleOptions& o);

}  // namespace seg::host
