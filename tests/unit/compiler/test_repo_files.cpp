// Every .seg file in the repository that parses: formatting is idempotent and keeps the
// AST. Every ```seg block in docs/ is a complete file that checks without errors.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/driver/driver.h"
#include "compiler/syntax/formatter.h"

#include "test_files.h"

namespace fs = std::filesystem;
using namespace seg;

namespace {
using test::slurp;
}  // namespace

TEST_CASE("formatting every .seg file in the repository is idempotent and keeps its meaning") {
  size_t checked = 0;
  for (const char* dir : {"examples", "stdlib", "tests", "docs", "bench"}) {
    fs::path root = fs::path(SEG_SOURCE_DIR) / dir;
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".seg") continue;
      std::string text = slurp(entry.path());
      auto c = compile_sources({{entry.path().string(), text}}, false);
      if (c->files[0].file->has_errors) continue;  // diagnostics cases that do not parse
      std::string once = format_file(c->sources.file(c->files[0].file->id), *c->files[0].file);
      auto c2 = compile_sources({{"formatted.seg", once}}, false);
      INFO(entry.path().string());
      REQUIRE(!c2->files[0].file->has_errors);
      CHECK(dump_ast(*c2->files[0].file) == dump_ast(*c->files[0].file));
      CHECK(format_file(c2->sources.file(c2->files[0].file->id), *c2->files[0].file) == once);
      ++checked;
    }
  }
  CHECK(checked > 5);
}

TEST_CASE("every ```seg block in README.md and docs/ is a complete file without errors") {
  size_t blocks = 0;
  std::vector<fs::path> docs = {fs::path(SEG_SOURCE_DIR) / "README.md"};
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(SEG_SOURCE_DIR) / "docs"))
    if (entry.path().extension() == ".md") docs.push_back(entry.path());
  for (const auto& entry : docs) {
    std::istringstream in(slurp(entry));
    std::string line, block;
    bool inside = false;
    int line_no = 0, start = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (!inside && line == "```seg") {
        inside = true;
        block.clear();
        start = line_no;
      } else if (inside && line == "```") {
        inside = false;
        ++blocks;
        auto c = compile_sources({{entry.string() + ":" + std::to_string(start), block}});
        std::string msgs;
        for (const auto& d : c->diags.sorted())
          msgs += std::string(code_info(d.code).id) + " " + d.message + "\n";
        INFO(entry.string() << " block at line " << start << ":\n" << msgs);
        CHECK(!c->diags.has_errors());
      } else if (inside) {
        block += line + "\n";
      }
    }
  }
  CHECK(blocks > 0);
}
