// The table of built-in functions (stdlib/builtins/functions.def): every row is
// documented in docs/language.md or docs/stdlib.md, sema knows every name with the
// table's arity, a call with arguments of the row's Param kind checks and lowers, and the
// IR enums (ir::Fn, ir::AggFn) name the same functions as the table.
#include <doctest/doctest.h>

#include <filesystem>
#include <set>
#include <string>

#include "compiler/driver/driver.h"
#include "compiler/ir/ir.h"
#include "stdlib/builtins/functions.h"

#include "test_files.h"

namespace fs = std::filesystem;
using namespace seg;
using builtins::FunctionInfo;
using builtins::Param;

namespace {

const char* kSchema = R"(
profile {
  email:           string @id
  last_order_date: time
  tags:            set<string>
}
event purchased { order_value: number, placed: time }
)";

// An argument of each Param kind, over kSchema.
std::string example(Param p) {
  switch (p) {
    case Param::Events: return "purchased within 30d";
    case Param::NumberProperty: return "purchased.order_value within 30d";
    case Param::OrderedProperty: return "purchased.placed";
    case Param::Time: return "last_order_date";
    case Param::String: return "email";
    case Param::Sized: return "tags";
    case Param::Value: return "email";
  }
  return "?";
}

// `name(arg, arg…)` with the row's arity.
std::string example_call(const FunctionInfo& f) {
  std::string out = std::string(f.name) + "(";
  for (size_t i = 0; i < f.arity; ++i) out += (i ? ", " : "") + example(f.param);
  return out + ")";
}

std::unique_ptr<Compilation> check(const std::string& rules) {
  return compile_sources({{"rules.seg", std::string(kSchema) + rules}});
}

}  // namespace

TEST_CASE("builtin table: rows are well formed and in enum order") {
  std::set<std::string_view> names;
  for (size_t i = 0; i < std::size(builtins::kFunctions); ++i) {
    const FunctionInfo& f = builtins::kFunctions[i];
    INFO("row " << i << ": " << f.name);
    CHECK(static_cast<size_t>(f.id) == i);
    CHECK(names.insert(f.name).second);
    CHECK(f.arity >= 1);
    CHECK(!f.description.empty());
    CHECK(builtins::find_function(f.name) == &f);
  }
  CHECK(builtins::find_function("frobnicate") == nullptr);
}

TEST_CASE("builtin table: ir::Fn and ir::AggFn are its string and aggregate rows") {
  size_t strings = 0, aggregates = 0;
  for (const FunctionInfo& f : builtins::kFunctions) {
    INFO(f.name);
    auto fn = ir::to_fn(f.id);
    auto agg = ir::to_agg(f.id);
    CHECK(fn.has_value() == (f.family == builtins::Family::String));
    CHECK(agg.has_value() == (f.family == builtins::Family::Aggregate));
    if (fn) {
      CHECK(static_cast<size_t>(*fn) == strings++);  // table order is enum order
      CHECK(std::string_view(ir::fn_name(*fn)) == f.name);
      CHECK(ir::builtin(*fn) == f.id);
    }
    if (agg) {
      CHECK(static_cast<size_t>(*agg) == ++aggregates);  // after Exists
      CHECK(std::string_view(ir::agg_name(*agg)) == f.name);
      CHECK(ir::builtin(*agg) == f.id);
    }
  }
  CHECK(std::string_view(ir::agg_name(ir::AggFn::Exists)) == "exists");
  CHECK(!ir::builtin(ir::AggFn::Exists).has_value());
  // The runtime switches over these by name; bundles store their values.
  CHECK(static_cast<int>(ir::Fn::Contains) == 6);
  CHECK(static_cast<int>(ir::AggFn::Last) == 7);
}

TEST_CASE("builtin table: every row is documented in docs/language.md or docs/stdlib.md") {
  std::string docs;
  for (const char* name : {"language.md", "stdlib.md"}) {
    fs::path doc = fs::path(SEG_SOURCE_DIR) / "docs" / name;
    REQUIRE_MESSAGE(fs::exists(doc), doc.string() << " is missing");
    docs += test::slurp(doc);
  }
  for (const FunctionInfo& f : builtins::kFunctions) {
    std::string needle = "`" + std::string(f.name) + "(";
    CHECK_MESSAGE(docs.find(needle) != std::string::npos,
                  "no " << needle << "…)` in docs/language.md or docs/stdlib.md");
  }
}

TEST_CASE("builtin table: sema knows every name, with the table's arity") {
  for (const FunctionInfo& f : builtins::kFunctions) {
    INFO(f.name);
    auto c = check("segment s = has(" + std::string(f.name) + "())\n");
    REQUIRE(c->program);
    auto diags = c->diags.sorted();
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].code == Code::BadArguments);
    std::string n = std::to_string(f.arity) + (f.arity == 1 ? " argument" : " arguments");
    CHECK(diags[0].message == "`" + std::string(f.name) + "` takes " + n + ", not 0");
  }
}

TEST_CASE("builtin table: a call with the row's argument kinds checks and lowers") {
  std::string rules;
  for (const FunctionInfo& f : builtins::kFunctions)
    rules += "segment uses_" + std::string(f.name) + " = has(" + example_call(f) + ")\n";
  auto c = check(rules);
  REQUIRE(c->program);
  for (const Diagnostic& d : c->diags.sorted()) FAIL_CHECK(d.message);
  REQUIRE(!c->diags.has_errors());
  std::unique_ptr<ir::Bundle> b;
  CHECK_NOTHROW(b = build_bundle(*c));
  if (b) CHECK(b->audiences.size() == std::size(builtins::kFunctions));
}

TEST_CASE("builtin table: an unknown function's help lists every row") {
  auto c = check("segment s = frobnicate(email)\n");
  auto diags = c->diags.sorted();
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].code == Code::UnknownFunction);
  for (const FunctionInfo& f : builtins::kFunctions)
    CHECK_MESSAGE(diags[0].help.find(std::string(f.name)) != std::string::npos, f.name);
}
