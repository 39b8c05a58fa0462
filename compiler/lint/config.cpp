// `.seg-lint.json`: which rules run at which severity, the naming convention and the
// thresholds (docs/lint/README.md). Anything it does not know is an error, so a typo
// does not silently leave a rule at its default.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "compiler/lint/lint.h"

namespace seg::lint {
namespace {

// "30s", "15m", "6h", "2d", "1w" (one unit: thresholds are simple).
bool parse_duration(const std::string& text, int64_t& ms) {
  static const std::regex re("^([0-9]+)(s|m|h|d|w)$");
  std::smatch m;
  if (!std::regex_match(text, m, re)) return false;
  static const std::map<std::string, int64_t> unit = {
      {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}, {"w", 604800000}};
  ms = std::stoll(m[1].str()) * unit.at(m[2].str());
  return true;
}

// Applies every key it knows and adds one message per problem to `errors`: a file with
// two mistakes reports both, so one edit fixes them.
void apply(const nlohmann::json& j, Config& cfg, std::vector<std::string>& errors) {
  if (!j.is_object()) return errors.push_back("the file must hold a JSON object");
  for (const auto& [key, value] : j.items()) {
    if (key == "rules") {
      if (!value.is_object()) {
        errors.push_back("`rules` must be an object of code: severity");
        continue;
      }
      for (const auto& [id, sev] : value.items()) {
        auto code = code_from_id(id);
        if (!code || id.rfind("SEG1", 0) != 0) {
          errors.push_back("`rules`: `" + id + "` is not a lint code (SEG100–SEG112; errors cannot be configured)");
          continue;
        }
        std::string s = sev.is_string() ? sev.get<std::string>() : "";
        if (s == "off") cfg.severity[*code] = std::nullopt;
        else if (s == "info") cfg.severity[*code] = Severity::Info;
        else if (s == "warning") cfg.severity[*code] = Severity::Warning;
        else if (s == "error") cfg.severity[*code] = Severity::Error;
        else errors.push_back("`rules." + id + "` must be \"off\", \"info\", \"warning\" or \"error\"");
      }
    } else if (key == "naming") {
      if (!value.is_object() || !value.contains("pattern") || !value["pattern"].is_string() || value.size() != 1) {
        errors.push_back("`naming` must be {\"pattern\": \"<regex>\"}");
        continue;
      }
      cfg.naming = value["pattern"].get<std::string>();
      try {
        std::regex check(cfg.naming, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        errors.push_back("`naming.pattern` is not a valid regular expression: " + std::string(e.what()));
      }
    } else if (key == "thresholds") {
      if (!value.is_object()) {
        errors.push_back("`thresholds` must be an object");
        continue;
      }
      for (const auto& [name, v] : value.items()) {
        if (name == "max_fields" && v.is_number_integer() && v.get<int64_t>() >= 0) {
          cfg.max_fields = v.get<int>();
        } else if (name == "coverage_unmatched_max" && v.is_number() && v.get<double>() >= 0 && v.get<double>() <= 1) {
          cfg.coverage_unmatched_max = v.get<double>();
        } else if (name == "sync_latency" && v.is_string() && parse_duration(v.get<std::string>(), cfg.sync_latency_ms)) {
        } else {
          errors.push_back("`thresholds." + name +
                           "`: unknown, or a bad value (max_fields: an integer >= 0; coverage_unmatched_max: 0 to 1; "
                           "sync_latency: a duration such as \"6h\")");
        }
      }
    } else {
      errors.push_back("unknown key `" + key + "` (expected rules, naming, thresholds)");
    }
  }
}

}  // namespace

bool load_config(const std::string& explicit_path, const std::string& start, Config& out,
                 std::vector<std::string>& errors) {
  namespace fs = std::filesystem;
  std::string path = explicit_path;
  if (path.empty()) {
    std::error_code ec;
    for (fs::path dir = fs::absolute(start, ec); !dir.empty(); dir = dir.parent_path()) {
      if (fs::exists(dir / ".seg-lint.json", ec)) {
        path = (dir / ".seg-lint.json").string();
        break;
      }
      if (dir == dir.parent_path()) break;
    }
    if (path.empty()) return true;  // defaults
  }
  std::ifstream in(path);
  if (!in) return errors.push_back(path + ": cannot be read"), false;
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded()) return errors.push_back(path + ": not valid JSON"), false;
  out.path = path;
  std::vector<std::string> found;
  apply(j, out, found);
  for (const std::string& e : found) errors.push_back(path + ": " + e);
  return found.empty();
}

}  // namespace seg::lint
