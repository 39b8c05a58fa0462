// libFuzzer target: one input = one .seg file. Parses and checks it (sema), and when it
// parses without errors, formats it and asserts the formatter's contract
// (compiler/syntax/formatter.h):
//   1. the formatted text parses without errors,
//   2. it is a fixed point: format(parse(format(x))) == format(x),
//   3. it parses to the same AST: dump_ast(parse(format(x))) == dump_ast(parse(x)).
// A violation prints the input, both texts and a diff, then abort()s, so libFuzzer
// records it as a crash. Sanitizer reports (ASan, UBSan) and stack overflows end the
// run the usual way.
//
// Also built without libFuzzer, with replay_main.cpp, as the `fuzz.replay` ctest.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "compiler/driver/driver.h"
#include "compiler/diagnostics/text_diff.h"
#include "compiler/syntax/formatter.h"

namespace {

constexpr const char* kPath = "fuzz.seg";

void print_block(const char* title, std::string_view text) {
  std::fprintf(stderr, "----- %s (%zu bytes) -----\n", title, text.size());
  std::fwrite(text.data(), 1, text.size(), stderr);
  if (text.empty() || text.back() != '\n') std::fputc('\n', stderr);
}

[[noreturn]] void fail(const char* what, std::string_view input, std::string_view first,
                       std::string_view second, const std::string& diff) {
  std::fprintf(stderr, "\n===== seg fuzz: %s =====\n", what);
  print_block("input", input);
  print_block("format(input)", first);
  if (!second.empty()) print_block("second", second);
  if (!diff.empty()) print_block("diff", diff);
  std::fflush(stderr);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  // Parse and check, as `seg check` does.
  auto c = seg::compile_sources({{kPath, input}}, /*check=*/true);
  (void)c->diags.sorted();  // sorting and capping are part of the path to the user
  if (c->files.size() != 1 || c->files[0].file == nullptr) fail("no parsed file", input, "", "", "");
  const seg::ParsedFile& pf = c->files[0];
  if (pf.file->has_errors) return 0;

  // Format, as `seg fmt` does (it formats every file that parsed).
  const seg::SourceFile& sf = c->sources.file(pf.file->id);
  const std::string first = seg::format_file(sf, *pf.file);
  const std::string ast_before = seg::dump_ast(*pf.file);

  // Re-parse the formatted text: it must parse, format to itself and mean the same.
  auto c2 = seg::compile_sources({{kPath, first}}, /*check=*/false);
  const seg::ParsedFile& pf2 = c2->files[0];
  if (pf2.file->has_errors) {
    std::string msgs;
    for (const auto& d : c2->diags.sorted())
      if (d.severity == seg::Severity::Error) msgs += d.message + "\n";
    fail("formatted text does not parse", input, first, "", msgs);
  }
  const std::string second = seg::format_file(c2->sources.file(pf2.file->id), *pf2.file);
  if (second != first)
    fail("format is not idempotent: format(parse(format(x))) != format(x)", input, first, second,
         seg::unified_diff(first, second, "format(x)", "format(format(x))"));
  const std::string ast_after = seg::dump_ast(*pf2.file);
  if (ast_after != ast_before)
    fail("formatting changed the AST: dump_ast(parse(format(x))) != dump_ast(parse(x))", input,
         first, "", seg::unified_diff(ast_before, ast_after, "ast(x)", "ast(format(x))"));
  return 0;
}
