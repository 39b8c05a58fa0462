// Every diagnostic code of compiler/diagnostics/codes.def is documented in
// docs/diagnostics.md (a `## SEGxxx — title` section, in table order, that shows the
// diagnostic's output) and fires in at least one golden case (an `.expected` file of
// tests/diagnostics/ that mentions `[SEGxxx]`).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/diagnostics/codes.h"

#include "test_files.h"

namespace fs = std::filesystem;
using namespace seg;

namespace {

using test::slurp;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// The `## SEG…` sections of docs/diagnostics.md: code -> (heading line, body up to the
// next `## ` heading), in document order.
struct Section {
  std::string id;
  std::string heading;
  std::string body;
};

std::vector<Section> doc_sections() {
  fs::path doc = fs::path(SEG_SOURCE_DIR) / "docs" / "diagnostics.md";
  REQUIRE_MESSAGE(fs::exists(doc), doc.string() << " is missing");
  std::vector<Section> out;
  bool in_code_block = false;
  Section* current = nullptr;
  for (const std::string& line : lines_of(slurp(doc))) {
    if (line.rfind("```", 0) == 0) in_code_block = !in_code_block;
    if (!in_code_block && line.rfind("## ", 0) == 0) {
      current = nullptr;
      if (line.rfind("## SEG", 0) == 0) {
        out.push_back({line.substr(3, 6), line, {}});
        current = &out.back();
      }
      continue;
    }
    if (current) current->body += line + "\n";
  }
  return out;
}

// Every `.expected` file under the given test folders: path -> text.
std::map<std::string, std::string> expectations(std::initializer_list<const char*> dirs) {
  std::map<std::string, std::string> out;
  for (const char* d : dirs) {
    fs::path root = fs::path(SEG_SOURCE_DIR) / "tests" / d;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root))
      if (e.is_regular_file() && e.path().extension() == ".expected")
        out[e.path().string()] = slurp(e.path());
  }
  return out;
}

bool mentioned(const std::map<std::string, std::string>& files, std::string_view id) {
  std::string needle = "[" + std::string(id) + "]";
  return std::any_of(files.begin(), files.end(),
                     [&](const auto& f) { return f.second.find(needle) != std::string::npos; });
}

}  // namespace

TEST_CASE("every diagnostic code has a section in docs/diagnostics.md, in table order") {
  std::vector<Section> sections = doc_sections();
  std::map<std::string, const Section*> by_id;
  for (const Section& s : sections) {
    INFO("heading: " << s.heading);
    CHECK_MESSAGE(by_id.emplace(s.id, &s).second, "documented twice");
    CHECK_MESSAGE(code_from_id(s.id).has_value(), "a section for a code that codes.def does not have");
  }

  std::vector<std::string> table_order;
  for (const CodeInfo& c : all_codes()) {
    std::string id(c.id);
    INFO("code " << id);
    auto it = by_id.find(id);
    if (it == by_id.end()) {
      FAIL_CHECK("no `## " << id << " — " << c.title << "` heading in docs/diagnostics.md");
      continue;
    }
    table_order.push_back(id);
    const Section& s = *it->second;
    // The heading carries the code table's title, so a renamed code shows up here.
    CHECK(s.heading == "## " + id + " — " + std::string(c.title));
    // Each section shows an example and the diagnostic as the user sees it.
    CHECK_MESSAGE(s.body.find("```text\n") != std::string::npos, "no ```text output block");
    CHECK_MESSAGE(s.body.find("[" + id + "]") != std::string::npos,
                  "the section's output does not show `[" << id << "]`");
    CHECK_MESSAGE(s.body.find("How to fix it") != std::string::npos, "no `How to fix it` paragraph");
  }

  std::vector<std::string> doc_order;
  for (const Section& s : sections)
    if (code_from_id(s.id)) doc_order.push_back(s.id);
  CHECK_MESSAGE(doc_order == table_order, "sections are not in the order of codes.def");
}

TEST_CASE("every diagnostic code fires in a golden case") {
  auto diagnostics = expectations({"diagnostics"});
  REQUIRE_MESSAGE(!diagnostics.empty(), "no .expected files in tests/diagnostics");

  // Codes that `seg check` (the mode of tests/diagnostics) cannot report:
  // - SEG006, "file cannot be read": needs a file that exists but cannot be read (no read
  //   permission, or a socket). Neither can be committed to the repository, and permissions
  //   do not stop root (CI containers), so there is no golden case for it.
  // - SEG007, "file is not formatted": reported only by `seg fmt --check`, so its golden
  //   case belongs to the CLI suite (tests/cli/*.cmd). Until that suite has one, this is
  //   a warning, not a failure.
  const std::set<std::string> kNoGolden = {"SEG006"};
  const std::map<std::string, std::string> kOtherSuite = {{"SEG007", "cli"}};

  // Lints (SEG1xx) fire in the lint cases instead: tests/lint/cases/*.seg announce
  // `# expect: SEGxxx at L:C`, and the `lint.cases` ctest checks `seg lint` finds exactly that.
  std::string lint_cases;
  for (const auto& e : fs::directory_iterator(fs::path(SEG_SOURCE_DIR) / "tests" / "lint" / "cases"))
    if (e.path().extension() == ".seg") lint_cases += slurp(e.path());

  for (const CodeInfo& c : all_codes()) {
    std::string id(c.id);
    if (kNoGolden.count(id)) continue;
    INFO("code " << id << " (" << c.title << ")");
    if (id.rfind("SEG1", 0) == 0) {
      CHECK_MESSAGE(lint_cases.find("# expect: " + id + " at") != std::string::npos,
                    "no tests/lint/cases/*.seg expects " << id);
      continue;
    }
    if (auto other = kOtherSuite.find(id); other != kOtherSuite.end()) {
      auto files = expectations({"diagnostics", other->second.c_str()});
      WARN_MESSAGE(mentioned(files, id), "no golden case in tests/" << other->second
                                             << " mentions [" << id << "]");
      continue;
    }
    CHECK_MESSAGE(mentioned(diagnostics, id),
                  "no tests/diagnostics/*.expected mentions [" << id << "]: add a case");
  }
}

TEST_CASE("golden diagnostics name only codes that exist") {
  static const std::regex kCode(R"(\[(SEG[0-9]{3})\])");
  for (const auto& [path, text] : expectations({"diagnostics"})) {
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kCode); it != std::sregex_iterator(); ++it) {
      INFO(path);
      CHECK_MESSAGE(code_from_id((*it)[1].str()).has_value(), "unknown code " << (*it)[1].str());
    }
  }
}
