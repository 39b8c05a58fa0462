// Parser and sema behaviour seen through the front end: recovery, no cascades, spans.
#include <doctest/doctest.h>

#include "compiler/driver/driver.h"

using namespace seg;

namespace {
std::vector<std::string> codes(const std::string& text) {
  auto c = compile_sources({{"t.seg", text}});
  std::vector<std::string> out;
  for (const auto& d : c->diags.sorted()) out.emplace_back(code_info(d.code).id);
  return out;
}
const char* kSchema = "profile { ltv: number, email: string @id }\nevent e { v: number }\n";
}  // namespace

TEST_CASE("a clean file has no diagnostics") {
  CHECK(codes(std::string(kSchema) + "segment a = ltv > 1\n").empty());
  CHECK(codes("").empty());
  CHECK(codes("# only a comment\n").empty());
}

TEST_CASE("the parser recovers and reports each broken declaration once") {
  auto got = codes(std::string(kSchema) +
                   "segment a = ltv >\n"
                   "segment b = ltv > 1 and\n"
                   "segment c = ltv > 1\n"
                   "segment d = a or c\n");  // `a` failed to parse: no follow-on error
  CHECK(got == std::vector<std::string>{"SEG001", "SEG001"});
}

TEST_CASE("sema reports after syntax errors elsewhere") {
  auto got = codes(std::string(kSchema) + "segment a = ltv >\nsegment b = ltvv > 1\n");
  CHECK(got == std::vector<std::string>{"SEG001", "SEG010"});
}

TEST_CASE("spans are byte offsets of the offending text") {
  auto c = compile_sources({{"t.seg", std::string(kSchema) + "segment a = ltvv > 1\n"}});
  auto d = c->diags.sorted();
  REQUIRE(d.size() == 1);
  auto text = c->sources.file(d[0].file).text();
  CHECK(text.substr(d[0].span.begin, d[0].span.end - d[0].span.begin) == "ltvv");
  CHECK(d[0].help == "did you mean `ltv`?");
}

TEST_CASE("nesting is limited, never a stack overflow") {
  std::string deep(5000, '(');
  auto got = codes(std::string(kSchema) + "segment a = " + deep + "ltv > 1\n");
  REQUIRE(!got.empty());
  CHECK(got[0] == "SEG003");
}

TEST_CASE("names are resolved across files, whatever the order") {
  auto c = compile_sources({{"b.seg", "segment b = a and ltv > 1\n"},
                            {"a.seg", std::string(kSchema) + "segment a = e within 1d\n"}});
  CHECK(!c->diags.has_errors());
}
