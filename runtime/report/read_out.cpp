// `seg report`'s reading of an out folder: where it is (--out, or the --out a durable
// state recorded), summary.json (destinations, their ops and unmatched members, the
// `measures`), and drift.ndjson. The op files are read by ops_history.cpp. A missing or
// garbled file is an error that names the path (and line, and field); nothing is skipped.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "runtime/report/report_read.h"
#include "runtime/store/durable_state.h"
#include "stdlib/builtins/builtins.h"

namespace seg::rt::report {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // summary.json's order is the report's

namespace {

// A field of a JSON object, checked; a mismatch throws a message naming the field.
struct Fields {
  const json& j;
  std::string where;  // "PATH: measures.reach"
  [[noreturn]] void bad(const char* key, const char* what) const {
    throw std::runtime_error(where + ": `" + key + "` " + what);
  }
  const json& need(const char* key) const {
    auto it = j.find(key);
    if (it == j.end()) bad(key, "is missing");
    return *it;
  }
  std::string str(const char* key) const {
    const json& v = need(key);
    if (!v.is_string()) bad(key, "is not a string");
    return v.get<std::string>();
  }
  int64_t count(const char* key) const {
    const json& v = need(key);
    if (!v.is_number_integer() || v.get<int64_t>() < 0) bad(key, "is not a count");
    return v.get<int64_t>();
  }
  double num(const char* key) const {
    const json& v = need(key);
    if (!v.is_number()) bad(key, "is not a number");
    return v.get<double>();
  }
  std::optional<double> num_or_null(const char* key) const {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_number()) bad(key, "is not a number or null");
    return it->get<double>();
  }
  const json& object(const char* key) const {
    const json& v = need(key);
    if (!v.is_object()) bad(key, "is not an object");
    return v;
  }
  Fields sub(const char* key) const { return {object(key), where + "." + key}; }
};

std::string read_file(const std::string& path, bool& found) {
  std::ifstream in(path, std::ios::binary);
  found = static_cast<bool>(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Arm read_arm(const Fields& f) {
  Arm a;
  a.exposed = f.count("exposed");
  a.converted = f.count("converted");
  a.rate = f.num_or_null("rate");
  a.value = f.num_or_null("value");
  return a;
}

std::optional<Interval> read_interval(const Fields& f, const char* key) {
  auto it = f.j.find(key);
  if (it == f.j.end() || it->is_null()) return std::nullopt;
  Fields i = f.sub(key);
  return Interval{i.num("estimate"), i.num("low"), i.num("high")};
}

Measure read_measure(const std::string& name, const Fields& f) {
  Measure m;
  m.name = name;
  m.audience = f.str("audience");
  m.converts = f.str("converts");
  m.window_seconds = f.count("window_seconds");
  auto vp = f.j.find("value_property");
  if (vp != f.j.end() && !vp->is_null()) m.value_property = f.str("value_property");
  m.holdout_share = f.num("holdout_share");
  m.treatment = read_arm(f.sub("treatment"));
  m.holdout = read_arm(f.sub("holdout"));
  m.absolute_lift = read_interval(f, "absolute_lift");
  m.relative_lift = read_interval(f, "relative_lift");
  m.p_value = f.num_or_null("p_value");
  Fields sr = f.sub("sample_ratio");
  m.expected_holdout_share = sr.num("expected_holdout_share");
  m.chi_square = sr.num_or_null("chi_square");
  m.sample_ratio_p = sr.num_or_null("p_value");
  const json& flag = sr.need("flag");
  if (!flag.is_boolean()) sr.bad("flag", "is not true or false");
  m.sample_ratio_flag = flag.get<bool>();
  m.status = f.str("status");
  if (m.status != "insufficient" && m.status != "significant" && m.status != "not_significant")
    f.bad("status", "is not insufficient, significant or not_significant");
  return m;
}

void read_summary(const std::string& path, Report& r) {
  bool found = false;
  std::string text = read_file(path, found);
  if (!found)
    throw std::runtime_error(path +
                             ": cannot read it (seg run --out writes it when the run stops)");
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {  // its message has the line and column
    throw std::runtime_error(path + ": not valid JSON: " + e.what());
  }
  if (!j.is_object()) throw std::runtime_error(path + ": not a JSON object");
  Fields top{j, path};
  r.bundle = top.str("bundle");
  r.watermark = top.str("watermark");
  for (const auto& [name, d] : top.object("destinations").items()) {
    Fields f{d, path + ": destinations." + name};
    if (!d.is_object()) throw std::runtime_error(f.where + " is not an object");
    Destination dest;
    dest.name = name;
    dest.audience = f.str("audience");
    Fields ops = f.sub("ops");
    dest.add = ops.count("add"), dest.remove = ops.count("remove"),
    dest.update = ops.count("update");
    dest.unmatched = f.count("unmatched");
    if (d.contains("sink")) dest.sink = f.str("sink");
    int64_t held = std::max<int64_t>(0, dest.add - dest.remove);
    if (held + dest.unmatched > 0)
      dest.unmatched_share = double(dest.unmatched) / double(held + dest.unmatched);
    r.destinations.push_back(std::move(dest));
  }
  if (auto it = j.find("measures"); it != j.end() && !it->is_null()) {
    Fields ms = top.sub("measures");
    for (const auto& [name, m] : ms.j.items()) {
      if (!m.is_object())
        throw std::runtime_error(path + ": measures." + name + " is not an object");
      r.measures.push_back(read_measure(name, {m, path + ": measures." + name}));
    }
  }
}

DriftCheck read_drift_line(const json& j, const std::string& where, std::string& destination) {
  if (!j.is_object()) throw std::runtime_error(where + ": not a JSON object");
  Fields f{j, where};
  DriftCheck c;
  const char* err = nullptr;
  std::string ts = f.str("ts");
  auto ms = builtins::parse_time(ts, true, &err);
  if (!ms) f.bad("ts", "is not an RFC 3339 date-time");
  c.ts = *ms;
  destination = f.str("destination");
  c.audience = f.str("audience");
  c.expected = f.count("expected");
  static const json null_json;
  auto it = j.find("reported");  // absent: as null, nothing reported
  const json& rep = it == j.end() ? null_json : *it;
  if (!rep.is_null()) {
    if (!rep.is_object()) f.bad("reported", "is not an object or null");
    Fields rf{rep, where + ".reported"};
    c.lower = rf.count("lower");
    c.upper = rf.count("upper");
  }
  c.mismatch = f.num_or_null("mismatch");
  c.status = f.str("status");
  if (c.status != "ok" && c.status != "warn" && c.status != "fail" && c.status != "error")
    f.bad("status", "is not ok, warn, fail or error");
  if (j.contains("error")) c.error = f.str("error");
  return c;
}

void read_drift(const std::string& path, Report& r) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return;  // no drift line in the rules, or no check yet
  r.drift_file = true;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read it");
  std::map<std::string, Drift> by;
  std::string line;
  for (int64_t n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::string where = path + ":" + std::to_string(n);
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) throw std::runtime_error(where + ": not valid JSON");
    std::string destination;
    DriftCheck c = read_drift_line(j, where, destination);
    Drift& d = by[destination];
    d.destination = destination;
    d.by_status[c.status]++;
    d.checks.push_back(std::move(c));
  }
  for (auto& [name, d] : by) {
    // Appended over time; sorted anyway (stable) so the latest check is the last one.
    std::stable_sort(d.checks.begin(), d.checks.end(),
                     [](const DriftCheck& a, const DriftCheck& b) { return a.ts < b.ts; });
    r.drift.push_back(std::move(d));
  }
}

}  // namespace

Status resolve_out(const std::string& out_dir, const std::string& state_dir, Report& r,
                   std::string& error) {
  std::error_code ec;
  if (!state_dir.empty()) {
    if (!fs::is_directory(state_dir, ec)) {
      error = "--state " + state_dir + ": no such folder";
      return Status::Usage;
    }
    auto store = DurableState::open(state_dir, true, error);
    if (!store) {
      error = "--state " + state_dir + ": " + error;
      return Status::Input;
    }
    json run = json::parse(store->run_meta(), nullptr, false);
    if (!store->committed() || !run.is_object() || !run.contains("out") ||
        !run["out"].is_string()) {
      error = "--state " + state_dir +
              ": no run has committed to this state yet, so it names no --out folder";
      return Status::Input;
    }
    // The state keeps --out as the run was given it: relative to where that run started.
    r.state_dir = state_dir;
    r.out_dir = run["out"].get<std::string>();
    if (!fs::is_directory(r.out_dir, ec)) {
      error = "--state " + state_dir + " names --out " + r.out_dir +
              ", which is not a folder here" +
              (fs::path(r.out_dir).is_relative()
                   ? " (a relative path: run seg report from where seg run ran, or pass --out)"
                   : "");
      return Status::Input;
    }
    return Status::Ok;
  }
  if (!fs::is_directory(out_dir, ec)) {
    error = "--out " + out_dir + ": no such folder";
    return Status::Usage;
  }
  r.out_dir = out_dir;
  return Status::Ok;
}

Status read_out_files(Report& r, std::string& error) {
  try {
    read_summary(r.out_dir + "/summary.json", r);
    read_drift(r.out_dir + "/drift.ndjson", r);
  } catch (const std::exception& e) {
    error = e.what();
    return Status::Input;
  }
  return Status::Ok;
}

Status load_report(const std::string& out_dir, const std::string& state_dir, Report& r,
                   std::string& error) {
  Status s = resolve_out(out_dir, state_dir, r, error);
  if (s != Status::Ok) return s;
  s = read_out_files(r, error);
  if (s != Status::Ok) return s;
  return read_ops(r, error);
}

std::string time_text(int64_t ms) { return builtins::format_time(ms); }
std::string day_text(int64_t ms) { return builtins::format_time(ms).substr(0, 10); }
const char* step_name(Step s) { return s == Step::Hour ? "hour" : "day"; }

}  // namespace seg::rt::report
