// The bundle IR's binary form (compiler/ir/serialize.h): every rule set in the
// repository that checks round-trips to the same IR (printed form and bytes), and no
// truncation or corruption of a serialised bundle crashes the reader.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "compiler/driver/driver.h"
#include "compiler/ir/serialize.h"

#include "test_files.h"

namespace fs = std::filesystem;
using namespace seg;

namespace {

std::unique_ptr<ir::Bundle> lowered(const std::vector<std::string>& files) {
  auto c = compile(files);
  if (c->diags.has_errors()) return nullptr;
  return build_bundle(*c);
}

std::vector<std::string> seg_files(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".seg") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("bundles round-trip through their binary form") {
  std::vector<std::vector<std::string>> sets = {seg_files(fs::path(SEG_SOURCE_DIR) / "examples/retention"),
                                                {std::string(SEG_SOURCE_DIR) + "/bench/bulk/rules.seg"}};
  for (const auto& entry : fs::directory_iterator(fs::path(SEG_SOURCE_DIR) / "tests/e2e/cases"))
    if (fs::exists(entry.path() / "rules.seg")) sets.push_back({(entry.path() / "rules.seg").string()});
  size_t checked = 0;
  for (const auto& files : sets) {
    auto b = lowered(files);
    if (!b) continue;
    std::string bytes = ir::serialize(*b);
    std::string error;
    auto back = ir::deserialize(bytes, error);
    INFO(files.front(), ": ", error);
    REQUIRE(back);
    CHECK(ir::print(*back) == ir::print(*b));
    CHECK(ir::serialize(*back) == bytes);
    CHECK(back->tests.size() == b->tests.size());
    ++checked;
  }
  CHECK(checked >= 10);
}

TEST_CASE("truncated or corrupted bundle IR is refused, never a crash") {
  auto b = lowered(seg_files(fs::path(SEG_SOURCE_DIR) / "examples/retention"));
  REQUIRE(b);
  std::string bytes = ir::serialize(*b);
  std::string error;
  for (size_t n = 0; n < bytes.size(); n += 7) CHECK_FALSE(ir::deserialize(bytes.substr(0, n), error));
  std::mt19937 rng(7);
  size_t refused = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string bad = bytes;
    for (int k = 0; k < 1 + i % 4; ++k) bad[rng() % bad.size()] = static_cast<char>(rng());
    auto r = ir::deserialize(bad, error);  // a flip in a name or a salt can still be valid
    if (!r) ++refused;
  }
  CHECK(refused > 0);
  std::string future = bytes;
  future[8] = 99;
  CHECK_FALSE(ir::deserialize(future, error));
  CHECK(error.find("version 99") != std::string::npos);
}
