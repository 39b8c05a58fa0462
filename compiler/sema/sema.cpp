// The sema pipeline, top to bottom.
#include "compiler/sema/sema.h"

#include "compiler/sema/checker.h"

namespace seg::sema {

std::unique_ptr<Program> check(const SourceManager& sm, const std::vector<ParsedFile>& files,
                               const std::vector<ParsedFile>& stdlib, DiagnosticBag& diags) {
  auto p = std::make_unique<Program>();
  for (const auto& f : files) p->poisoned.insert(f.poisoned.begin(), f.poisoned.end());
  Checker c(sm, *p, diags);
  for (const auto& f : stdlib) c.collect(*f.file, /*builtin=*/true);
  for (const auto& f : files) c.collect(*f.file, /*builtin=*/false);
  c.check_dest_types();
  c.check_segments();
  c.check_tiers();
  c.check_cycles();
  c.check_destinations();
  c.check_measures();
  c.check_tests();
  c.check_default_region();
  return p;
}

}  // namespace seg::sema
