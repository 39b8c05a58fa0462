// Diagnostic renderers: human (rustc shape), JSON (RUNTIME.md §1), SARIF 2.1.0 and
// GitHub workflow commands. Columns are code points: the sources put a multi-byte
// character before the error so a byte count would be off.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "compiler/diagnostics/render.h"

using namespace seg;

namespace {

// "señor" is 5 code points in 6 bytes; `cart_valu` starts at code-point column 37.
constexpr std::string_view kAbandon =
    "# drinks at the café\n"
    "segment señor = last(added_to_cart).cart_valu >= 75\n"
    "  or visits >= 0\n";

Span span_of(std::string_view text, std::string_view needle, size_t len = std::string::npos) {
  auto at = static_cast<uint32_t>(text.find(needle));
  REQUIRE(at != std::string_view::npos);
  auto n = static_cast<uint32_t>(len == std::string::npos ? needle.size() : len);
  return {at, at + n};
}

Diagnostic make(Code code, Severity sev, FileId file, Span span, std::string message) {
  Diagnostic d;
  d.code = code;
  d.severity = sev;
  d.file = file;
  d.span = span;
  d.message = std::move(message);
  return d;
}

// An error with a label and help, then a warning with a secondary note on an earlier line.
// (The code table has no warnings yet; the renderers use Diagnostic::severity.)
struct TwoDiags {
  SourceManager sm;
  std::vector<Diagnostic> diags;
  TwoDiags() {
    FileId f = sm.add("rules/abandon.seg", std::string(kAbandon));
    Diagnostic e = make(Code::UnknownProperty, Severity::Error, f, span_of(kAbandon, "cart_valu"),
                        "unknown property `cart_valu` on event `added_to_cart`");
    e.label = "did you mean `cart_value`?";
    e.help = "`added_to_cart` declares `cart_value` and `sku`";
    Diagnostic w = make(Code::TypeMismatch, Severity::Warning, f, span_of(kAbandon, "visits >= 0"),
                        "`visits >= 0` is always true");
    w.label = "a count is never negative";
    w.notes.push_back({f, span_of(kAbandon, "señor"), "in this segment"});
    diags = {e, w};
  }
};

std::string human(const SourceManager& sm, const std::vector<Diagnostic>& diags,
                  bool color = false) {
  RenderOptions opt;
  opt.color = color;
  return render_human(sm, diags, opt);
}

}  // namespace

TEST_CASE("human: rustc shape, code-point columns, notes, help and summary") {
  TwoDiags t;
  CHECK(human(t.sm, t.diags) ==
        "error[SEG012]: unknown property `cart_valu` on event `added_to_cart`\n"
        " --> rules/abandon.seg:2:37\n"
        "  |\n"
        "2 | segment señor = last(added_to_cart).cart_valu >= 75\n"
        "  |                                     ^^^^^^^^^ did you mean `cart_value`?\n"
        "  |\n"
        "  = help: `added_to_cart` declares `cart_value` and `sku`\n"
        "\n"
        "warning[SEG020]: `visits >= 0` is always true\n"
        " --> rules/abandon.seg:3:6\n"
        "  |\n"
        "2 | segment señor = last(added_to_cart).cart_valu >= 75\n"
        "  |         ----- in this segment\n"
        "3 |   or visits >= 0\n"
        "  |      ^^^^^^^^^^^ a count is never negative\n"
        "\n"
        "error: 1 error, 1 warning emitted\n");
}

TEST_CASE("human: gutter width follows the largest line number shown") {
  std::string text;
  for (int i = 1; i <= 11; ++i) text += "segment s" + std::to_string(i) + " = true\n";
  text += "segment bad = nope\n";
  SourceManager sm;
  FileId f = sm.add("a.seg", text);
  Diagnostic d =
      make(Code::UnknownName, Severity::Error, f, span_of(text, "nope"), "unknown name `nope`");
  d.notes.push_back({f, span_of(text, "s1 ", 2), "similar name"});
  CHECK(human(sm, {d}) ==
        "error[SEG010]: unknown name `nope`\n"
        " --> a.seg:12:15\n"
        "   |\n"
        "1  | segment s1 = true\n"
        "   |         -- similar name\n"
        "...\n"
        "12 | segment bad = nope\n"
        "   |               ^^^^\n"
        "\n"
        "error: 1 error emitted\n");
}

TEST_CASE("human: zero-width span gets one caret") {
  std::string text = "segment x = (true\n";
  SourceManager sm;
  FileId f = sm.add("z.seg", text);
  auto at = static_cast<uint32_t>(text.find('\n'));
  Diagnostic d = make(Code::SyntaxError, Severity::Error, f, {at, at}, "expected `)`");
  d.label = "unclosed `(`";
  CHECK(human(sm, {d}) ==
        "error[SEG001]: expected `)`\n"
        " --> z.seg:1:18\n"
        "  |\n"
        "1 | segment x = (true\n"
        "  |                  ^ unclosed `(`\n"
        "\n"
        "error: 1 error emitted\n");
}

TEST_CASE("human: spans at and past the end of the file are clamped") {
  SourceManager sm;
  FileId nl = sm.add("nl.seg", "segment x =\n");
  FileId bare = sm.add("bare.seg", "segment é =");
  Diagnostic at_eof = make(Code::SyntaxError, Severity::Error, nl, {12, 12}, "expected expression");
  Diagnostic past =
      make(Code::SyntaxError, Severity::Error, bare, {500, 900}, "expected expression");
  Diagnostic reversed = make(Code::SyntaxError, Severity::Error, bare, {11, 3}, "reversed");
  CHECK(human(sm, {at_eof, past, reversed}) ==
        "error[SEG001]: expected expression\n"
        " --> nl.seg:2:1\n"
        "  |\n"
        "2 |\n"
        "  | ^\n"
        "\n"
        "error[SEG001]: expected expression\n"
        " --> bare.seg:1:12\n"
        "  |\n"
        "1 | segment é =\n"
        "  |            ^\n"
        "\n"
        "error[SEG001]: reversed\n"
        " --> bare.seg:1:11\n"
        "  |\n"
        "1 | segment é =\n"
        "  |           ^\n"
        "\n"
        "error: 3 errors emitted\n");
}

TEST_CASE("human: a multi-line span underlines the rest of its first line") {
  std::string text = "segment x = (a and\n  b)\n";
  SourceManager sm;
  FileId f = sm.add("m.seg", text);
  Diagnostic d = make(Code::NotACondition, Severity::Error, f, span_of(text, "(a and\n  b)"),
                      "condition is not a bool");
  CHECK(human(sm, {d}) ==
        "error[SEG026]: condition is not a bool\n"
        " --> m.seg:1:13\n"
        "  |\n"
        "1 | segment x = (a and\n"
        "  |             ^^^^^^\n"
        "\n"
        "error: 1 error emitted\n");
}

TEST_CASE("human: a tab is one column and the padding keeps it") {
  std::string text = "\tor nope\n";
  SourceManager sm;
  FileId f = sm.add("t.seg", text);
  Diagnostic d = make(Code::UnknownName, Severity::Error, f, span_of(text, "nope"), "unknown");
  CHECK(human(sm, {d}) ==
        "error[SEG010]: unknown\n"
        " --> t.seg:1:5\n"
        "  |\n"
        "1 | \tor nope\n"
        "  | \t   ^^^^\n"
        "\n"
        "error: 1 error emitted\n");
}

TEST_CASE("human: notes in another file, location-less notes") {
  SourceManager sm;
  FileId a = sm.add("a.seg", "segment dup = true\n");
  FileId b = sm.add("lib/b.seg", "segment dup = false\n");
  Diagnostic d = make(Code::DuplicateName, Severity::Error, a, {8, 11}, "duplicate name `dup`");
  d.label = "defined again here";
  d.notes.push_back({b, {8, 11}, "first defined here"});
  d.notes.push_back({b, {0, 0}, "`lib/b.seg` is loaded first"});
  d.help = "rename one of them";
  CHECK(human(sm, {d}) ==
        "error[SEG030]: duplicate name `dup`\n"
        " --> a.seg:1:9\n"
        "  |\n"
        "1 | segment dup = true\n"
        "  |         ^^^ defined again here\n"
        " ::: lib/b.seg:1:9\n"
        "  |\n"
        "1 | segment dup = false\n"
        "  |         --- first defined here\n"
        "  |\n"
        "  = note: `lib/b.seg` is loaded first\n"
        "  = help: rename one of them\n"
        "\n"
        "error: 1 error emitted\n");
}

TEST_CASE("human: summary line pluralises and is led by the worst severity") {
  SourceManager sm;
  FileId f = sm.add("s.seg", "x\n");
  auto diag = [&](Severity s) { return make(Code::SyntaxError, s, f, {0, 1}, "m"); };
  auto last_line = [&](const std::vector<Diagnostic>& ds) {
    std::string out = human(sm, ds);
    out.pop_back();
    return out.substr(out.rfind('\n') + 1);
  };
  CHECK(human(sm, {}) == "");
  CHECK(last_line({diag(Severity::Warning)}) == "warning: 1 warning emitted");
  CHECK(last_line({diag(Severity::Warning), diag(Severity::Warning)}) ==
        "warning: 2 warnings emitted");
  CHECK(last_line({diag(Severity::Info)}) == "info: 1 info emitted");
  CHECK(last_line({diag(Severity::Error), diag(Severity::Error), diag(Severity::Warning),
                   diag(Severity::Info), diag(Severity::Info)}) ==
        "error: 2 errors, 1 warning, 2 infos emitted");
  // The SEG005 cap note is shown but not counted.
  Diagnostic cap = make(Code::TooManyErrors, Severity::Error, f, {0, 1}, "too many");
  CHECK(last_line({diag(Severity::Error), cap}) == "error: 1 error emitted");
}

TEST_CASE("human: colour on uses ANSI codes; colour off has none, even from the source") {
  TwoDiags t;
  std::string colored = human(t.sm, t.diags, true);
  CHECK(colored.find("\x1b[1;31merror[SEG012]\x1b[0m") != std::string::npos);
  CHECK(colored.find("\x1b[1;33mwarning[SEG020]\x1b[0m") != std::string::npos);
  CHECK(colored.find("\x1b[1;34m") != std::string::npos);  // gutter

  CHECK(human(t.sm, t.diags, false).find('\x1b') == std::string::npos);
  SourceManager sm;
  std::string text = "segment \x1b[31mx = y\n";
  FileId f = sm.add("esc.seg", text);
  Diagnostic d = make(Code::UnknownName, Severity::Error, f, span_of(text, "y"), "unknown `\x1b`");
  std::string plain = human(sm, {d});
  CHECK(plain.find('\x1b') == std::string::npos);
  // The escape became one U+FFFD, so the caret still sits under `y` (column 18).
  CHECK(plain.find("1 | segment \xEF\xBF\xBD[31mx = y\n  |                  ^\n") !=
        std::string::npos);
}

TEST_CASE("json: RUNTIME.md §1 shape, exclusive end column, help omitted when empty") {
  TwoDiags t;
  t.diags[1].notes.clear();
  std::string out = render_json(t.sm, t.diags);
  CHECK(
      out ==
      "{\"diagnostics\":["
      "{\"code\":\"SEG012\",\"severity\":\"error\","
      "\"message\":\"unknown property `cart_valu` on event `added_to_cart`\","
      "\"file\":\"rules/abandon.seg\",\"line\":2,\"column\":37,\"end_line\":2,\"end_column\":46,"
      "\"help\":\"`added_to_cart` declares `cart_value` and `sku`\"},"
      "{\"code\":\"SEG020\",\"severity\":\"warning\",\"message\":\"`visits >= 0` is always true\","
      "\"file\":\"rules/abandon.seg\",\"line\":3,\"column\":6,\"end_line\":3,\"end_column\":17}"
      "],\"summary\":{\"errors\":1,\"warnings\":1,\"infos\":0}}\n");
  auto j = nlohmann::json::parse(out);
  CHECK(j["summary"]["errors"] == 1);
  CHECK(j["summary"]["warnings"] == 1);
  CHECK(j["summary"]["infos"] == 0);
  CHECK(j["diagnostics"].size() == 2);
}

TEST_CASE("json: zero-width and past-the-end spans, uncounted cap note, empty list") {
  SourceManager sm;
  FileId f = sm.add("e.seg", "segment é =");
  Diagnostic zero = make(Code::SyntaxError, Severity::Info, f, {3, 3}, "zero");
  Diagnostic past = make(Code::SyntaxError, Severity::Error, f, {100, 200}, "past");
  Diagnostic cap = make(Code::TooManyErrors, Severity::Error, f, {0, 0}, "too many");
  auto j = nlohmann::json::parse(render_json(sm, {zero, past, cap}));
  CHECK(j["diagnostics"][0]["column"] == 4);
  CHECK(j["diagnostics"][0]["end_column"] == 4);
  CHECK(j["diagnostics"][0]["severity"] == "info");
  CHECK(j["diagnostics"][1]["line"] == 1);
  CHECK(j["diagnostics"][1]["column"] == 12);
  CHECK(j["diagnostics"][1]["end_column"] == 12);
  CHECK(j["diagnostics"].size() == 3);
  CHECK(j["summary"] == nlohmann::json{{"errors", 1}, {"warnings", 0}, {"infos", 1}});
  CHECK(render_json(sm, {}) ==
        "{\"diagnostics\":[],\"summary\":{\"errors\":0,\"warnings\":0,\"infos\":0}}\n");
}

TEST_CASE("json: invalid UTF-8 in a message does not throw") {
  SourceManager sm;
  FileId f = sm.add("u.seg", "x\n");
  Diagnostic d = make(Code::InvalidEncoding, Severity::Error, f, {0, 1}, "bad byte \xff here");
  auto j = nlohmann::json::parse(render_json(sm, {d}));
  CHECK(j["diagnostics"][0]["message"] == "bad byte \xEF\xBF\xBD here");
}

TEST_CASE("sarif: 2.1.0 log with one rule per code used and matching ruleIndex") {
  TwoDiags t;
  Diagnostic info = make(Code::UnknownProperty, Severity::Info, 0, {0, 1}, "again");
  t.diags.push_back(info);
  RenderOptions opt;
  opt.tool_version = "9.8.7";
  auto j = nlohmann::json::parse(render_sarif(t.sm, t.diags, opt));
  CHECK(j["version"] == "2.1.0");
  CHECK(j["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  REQUIRE(j["runs"].size() == 1);
  const auto& run = j["runs"][0];
  CHECK(run["columnKind"] == "unicodeCodePoints");
  const auto& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "seg");
  CHECK(driver["version"] == "9.8.7");
  CHECK_FALSE(driver.contains("informationUri"));
  REQUIRE(driver["rules"].size() == 2);  // SEG012 twice, SEG020 once
  CHECK(driver["rules"][0] ==
        nlohmann::json{{"id", "SEG012"},
                       {"name", "unknown event property"},
                       {"shortDescription", {{"text", "unknown event property"}}}});
  CHECK(driver["rules"][1]["id"] == "SEG020");

  const auto& results = run["results"];
  REQUIRE(results.size() == 3);
  for (const auto& r : results) {
    size_t index = r["ruleIndex"];
    CHECK(driver["rules"][index]["id"] == r["ruleId"]);
  }
  CHECK(results[0]["ruleIndex"] == 0);
  CHECK(results[1]["ruleIndex"] == 1);
  CHECK(results[2]["ruleIndex"] == 0);
  CHECK(results[0]["level"] == "error");
  CHECK(results[1]["level"] == "warning");
  CHECK(results[2]["level"] == "note");
  CHECK(results[0]["message"]["text"] == "unknown property `cart_valu` on event `added_to_cart`");
  CHECK(results[0]["properties"]["help"] == "`added_to_cart` declares `cart_value` and `sku`");
  CHECK_FALSE(results[1].contains("properties"));

  const auto& loc = results[0]["locations"][0]["physicalLocation"];
  CHECK(loc["artifactLocation"]["uri"] == "rules/abandon.seg");
  CHECK(loc["region"] ==
        nlohmann::json{{"startLine", 2}, {"startColumn", 37}, {"endLine", 2}, {"endColumn", 46}});
  const auto& related = results[1]["relatedLocations"];
  REQUIRE(related.size() == 1);
  CHECK(related[0]["message"]["text"] == "in this segment");
  CHECK(related[0]["physicalLocation"]["region"]["startColumn"] == 9);
  CHECK(related[0]["physicalLocation"]["region"]["endColumn"] == 14);
}

TEST_CASE("sarif: empty input is a valid log with no rules and no results") {
  SourceManager sm;
  auto j = nlohmann::json::parse(render_sarif(sm, {}, RenderOptions{}));
  CHECK(j["runs"][0]["results"].empty());
  CHECK(j["runs"][0]["tool"]["driver"]["rules"].empty());
  CHECK(j["runs"][0]["tool"]["driver"]["version"] == "0.1.0");
}

TEST_CASE("github: one workflow command per diagnostic") {
  TwoDiags t;
  Diagnostic info = make(Code::UnknownProperty, Severity::Info, 0, {0, 1}, "fyi");
  t.diags.push_back(info);
  CHECK(render_github(t.sm, t.diags) ==
        "::error file=rules/abandon.seg,line=2,col=37,endLine=2,endColumn=46,title=SEG012::"
        "unknown property `cart_valu` on event `added_to_cart`"
        "%0Ahelp: `added_to_cart` declares `cart_value` and `sku`\n"
        "::warning file=rules/abandon.seg,line=3,col=6,endLine=3,endColumn=17,title=SEG020::"
        "`visits >= 0` is always true\n"
        "::notice file=rules/abandon.seg,line=1,col=1,endLine=1,endColumn=2,title=SEG012::fyi\n");
  CHECK(render_github(t.sm, {}) == "");
}

TEST_CASE("github: escaping of messages and property values; multi-line spans drop columns") {
  SourceManager sm;
  FileId f = sm.add("dir,x/a:b%.seg", "segment x =\n  1\n");
  Diagnostic d =
      make(Code::SyntaxError, Severity::Error, f, {8, 15}, "100% wrong\r\nreally: yes, ok");
  d.help = "a,b:c";
  CHECK(render_github(sm, {d}) ==
        "::error file=dir%2Cx/a%3Ab%25.seg,line=1,endLine=2,title=SEG001::"
        "100%25 wrong%0D%0Areally: yes, ok%0Ahelp: a,b:c\n");
}

TEST_CASE("render dispatches on the format") {
  TwoDiags t;
  RenderOptions opt;
  CHECK(render(DiagFormat::Human, t.sm, t.diags, opt) == render_human(t.sm, t.diags, opt));
  CHECK(render(DiagFormat::Json, t.sm, t.diags, opt) == render_json(t.sm, t.diags));
  CHECK(render(DiagFormat::Sarif, t.sm, t.diags, opt) == render_sarif(t.sm, t.diags, opt));
  CHECK(render(DiagFormat::Github, t.sm, t.diags, opt) == render_github(t.sm, t.diags));
}
