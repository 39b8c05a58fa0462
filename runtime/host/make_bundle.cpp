// Assembling a .segb bundle from compiled rules (seg build). Never prints.
#include "runtime/host/make_bundle.h"

#include "compiler/bundle/manifest.h"
#include "compiler/ir/serialize.h"

namespace seg::host {

MadeBundle make_bundle(const Compilation& compilation, const ir::Bundle& b, const MakeBundleOptions& o) {
  MadeBundle out;
  bundle::BundleFile& f = out.file;
  for (const auto& pf : compilation.files) {
    const SourceFile& src = compilation.sources.file(pf.file->id);
    f.sources.push_back({src.path(), std::string(src.text())});
  }
  f.ir = ir::serialize(b);
  out.target = jit::host_target();
  const jit::Target& t = out.target;
  if (o.object) {
    jit::Options opt;
    opt.opt_level = o.jit_opt;
    opt.bulk = true;
    std::string error;
    if (jit::compile_object(b, opt, f.object, error)) {
      out.object_opt = o.jit_opt;
    } else {
      out.warnings.push_back("warning: no object code in the bundle (" + error + "); it will be compiled when run");
      f.object.clear();
    }
  }
  f.manifest = bundle::make_manifest(b, o.name, f.sources, {t.llvm, t.triple, t.cpu, t.features}, out.object_opt,
                                     f.object.size())
                   .dump(2);
  if (o.sign) {
    out.bytes = bundle::write(f, *o.sign, out.error);
    if (!out.bytes.empty()) out.signer_key_id = bundle::key_id(o.sign->public_key);
  } else {
    out.bytes = bundle::write(f);
    if (out.bytes.empty()) out.error = "too many source files for one bundle";
  }
  return out;
}

}  // namespace seg::host
