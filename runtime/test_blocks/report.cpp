#include "runtime/test_blocks/report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string_view>

#include "stdlib/builtins/builtins.h"

namespace seg::rt {
namespace {

using ir::Kind;

bool logical(ir::Expr e) {
  return e->kind == Kind::Not || e->kind == Kind::And || e->kind == Kind::Or;
}

// The operands of one and/or chain (`a and b and c` is three, however it nests) or of a not.
void chain(ir::Expr e, Kind k, std::vector<ir::Expr>& ops) {
  for (ir::Expr a : e->args) {
    if (a->kind == k && k != Kind::Not)
      chain(a, k, ops);
    else
      ops.push_back(a);
  }
}

// Each operand of the logic at `e`, followed by its own operands. A constant operand
// (`x and true`, kept by simplify_booleans where x may be missing) is not a condition a
// test could flip, so it is not tracked.
void add_operands(ir::Expr e, int depth, std::vector<CoveredCondition>& out) {
  if (!logical(e)) return;
  std::vector<ir::Expr> ops;
  chain(e, e->kind, ops);
  for (ir::Expr o : ops) {
    if (o->kind == Kind::Const) continue;
    out.push_back({o, depth});
    add_operands(o, depth + 1, out);
  }
}

// XML 1.0 text; in attributes line breaks and tabs become references so they survive
// attribute normalisation. Other control characters are not allowed at all in XML 1.0.
std::string xml(std::string_view s, bool attribute) {
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '\n': out += attribute ? "&#10;" : "\n"; break;
      case '\t': out += attribute ? "&#9;" : "\t"; break;
      case '\r': out += "&#13;"; break;
      default: out += c < 0x20 ? '?' : ch;
    }
  }
  return out;
}

std::string failure_text(const TestFailure& f) {
  return fmt::format("{}:{}:{}: {}", f.loc.file, f.loc.line, f.loc.column, f.message);
}

int count_failed(const std::vector<TestResult>& results) {
  int failed = 0;
  for (const TestResult& t : results) failed += t.passed() ? 0 : 1;
  return failed;
}

std::string audience_label(const ir::Bundle& b, int32_t ai) {
  const ir::Audience& a = b.audiences[ai];
  return (a.kind == ir::AudienceKind::Segment ? "segment " : "tier ") + a.name;
}

void add_outcomes(nlohmann::ordered_json& j, const ir::Bundle& b, const CoveredCondition& k) {
  j["condition"] = ir::print(b, k.expr);
  j["true"] = k.seen_true;
  j["false"] = k.seen_false;
}

nlohmann::ordered_json coverage_json(const ir::Bundle& b, const Coverage& c) {
  nlohmann::ordered_json audiences = nlohmann::ordered_json::array();
  for (const AudienceCoverage& ac : c.audiences) {
    const ir::Audience& a = b.audiences[ac.audience];
    nlohmann::ordered_json j;
    j["audience"] = a.name;
    j["kind"] = a.kind == ir::AudienceKind::Segment ? "segment" : "arm";
    add_outcomes(j, b, ac.conditions[0]);
    j["operands"] = nlohmann::ordered_json::array();
    for (size_t i = 1; i < ac.conditions.size(); ++i) {
      nlohmann::ordered_json o;
      o["depth"] = ac.conditions[i].depth;
      add_outcomes(o, b, ac.conditions[i]);
      j["operands"].push_back(std::move(o));
    }
    audiences.push_back(std::move(j));
  }
  nlohmann::ordered_json j;
  j["audiences"] = std::move(audiences);
  j["observed"] = c.observed;
  j["outcomes"] = c.outcomes;
  j["percent"] = c.outcomes ? 100.0 * c.observed / c.outcomes : 100.0;
  return j;
}

}  // namespace

Coverage compute_coverage(const ir::Bundle& b, const std::vector<uint8_t>& bits) {
  Coverage c;
  for (size_t i = 0; i < b.audiences.size(); ++i) {
    const ir::Audience& a = b.audiences[i];
    ir::Expr cond = a.kind == ir::AudienceKind::Segment ? a.when : a.cond;
    if (!cond) continue;  // an `else` arm has no condition
    AudienceCoverage ac{static_cast<int32_t>(i), {{cond, 0}}};
    add_operands(cond, 1, ac.conditions);
    for (CoveredCondition& k : ac.conditions) {
      auto id = static_cast<size_t>(k.expr->id);
      uint8_t v = id < bits.size() ? bits[id] : 0;
      k.seen_true = (v & 1) != 0;
      k.seen_false = (v & 2) != 0;
      c.observed += int{k.seen_true} + int{k.seen_false};
      c.outcomes += 2;
    }
    c.audiences.push_back(std::move(ac));
  }
  return c;
}

std::string coverage_percent(const Coverage& c) {
  // Integer tenths: exact, and rounded down.
  int64_t tenths = c.outcomes ? int64_t{c.observed} * 1000 / c.outcomes : 1000;
  return fmt::format("{}.{}%", tenths / 10, tenths % 10);
}

std::string human_report(const std::vector<TestResult>& results) {
  std::string out;
  for (const TestResult& t : results) {
    if (t.passed()) {
      out += fmt::format("ok    {}\n", t.name);
      continue;
    }
    out += fmt::format("FAIL  {}  ({}:{})\n", t.name, t.loc.file, t.loc.line);
    for (const TestFailure& f : t.failures) out += "  " + failure_text(f) + "\n";
  }
  int failed = count_failed(results);
  out +=
      fmt::format("{} passed, {} failed\n", results.size() - static_cast<size_t>(failed), failed);
  return out;
}

std::string junit_report(const std::vector<TestResult>& results) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuite name=\"seg test\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
      results.size(), count_failed(results));
  for (const TestResult& t : results) {
    std::string file = xml(t.loc.file, true);
    out += fmt::format("  <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"",
                       xml(t.name, true), file, file, t.loc.line);
    if (t.passed()) {
      out += "/>\n";
      continue;
    }
    // One <failure> per test (what CI tools read): the message lists each failed
    // expectation's first line, the body has them in full.
    std::string message, body;
    for (const TestFailure& f : t.failures) {
      std::string text = failure_text(f);
      message += (message.empty() ? "" : "\n") + text.substr(0, text.find('\n'));
      body += text + "\n";
    }
    out += fmt::format(">\n    <failure message=\"{}\">{}</failure>\n  </testcase>\n",
                       xml(message, true), xml(body, false));
  }
  return out + "</testsuite>\n";
}

// A failed `expect ops` as data: what the message says, for tools.
static nlohmann::ordered_json ops_diff_json(const OpsDiff& d) {
  auto ops = [](const std::vector<ir::ExpectedOp>& v) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const auto& op : v) a.push_back({{"op", op.op}, {"profile", op.profile}});
    return a;
  };
  nlohmann::ordered_json instants = nlohmann::ordered_json::array();
  for (const OpsInstant& g : d.instants)
    instants.push_back({{"at", g.at ? nlohmann::ordered_json(builtins::format_time(*g.at)) : nlohmann::ordered_json()},
                        {"missing", ops(g.missing)},
                        {"unexpected", ops(g.unexpected)}});
  return {{"destination", d.destination}, {"matching", d.matching}, {"instants", std::move(instants)},
          {"hints", d.hints}};
}

std::string json_report(const ir::Bundle& b, const std::vector<TestResult>& results,
                        const Coverage* coverage) {
  nlohmann::ordered_json tests = nlohmann::ordered_json::array();
  for (const TestResult& t : results) {
    nlohmann::ordered_json failures = nlohmann::ordered_json::array();
    for (const TestFailure& f : t.failures) {
      failures.push_back({{"file", f.loc.file},
                          {"line", f.loc.line},
                          {"column", f.loc.column},
                          {"message", f.message}});
      if (f.ops) failures.back()["ops"] = ops_diff_json(*f.ops);
    }
    tests.push_back({{"name", t.name},
                     {"file", t.loc.file},
                     {"line", t.loc.line},
                     {"passed", t.passed()},
                     {"failures", std::move(failures)}});
  }
  int failed = count_failed(results);
  nlohmann::ordered_json j;
  j["tests"] = std::move(tests);
  j["passed"] = static_cast<int>(results.size()) - failed;
  j["failed"] = failed;
  if (coverage) j["coverage"] = coverage_json(b, *coverage);
  // A stray invalid UTF-8 byte in a name or message must not abort the report.
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string coverage_table(const ir::Bundle& b, const Coverage& c) {
  auto row = [](const CoveredCondition& k, const std::string& text) {
    return fmt::format("  {:<4}  {:<5}  {}{}\n", k.seen_true ? "yes" : "no",
                       k.seen_false ? "yes" : "no",
                       std::string(2 * static_cast<size_t>(k.depth), ' '), text);
  };
  std::string out =
      "coverage: conditions seen true and false by the tests\n  true  false  condition\n";
  for (const AudienceCoverage& ac : c.audiences) {
    out += row(ac.conditions[0], audience_label(b, ac.audience));
    for (size_t i = 1; i < ac.conditions.size(); ++i)
      out += row(ac.conditions[i], ir::print(b, ac.conditions[i].expr));
  }
  return out + fmt::format("coverage: {} of {} outcomes seen ({})\n", c.observed, c.outcomes,
                           coverage_percent(c));
}

}  // namespace seg::rt
