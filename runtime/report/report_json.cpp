// `seg report --format json`: the report as one JSON object, the same facts as the human
// tables and the HTML charts (docs/report.md describes the shape).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "runtime/report/report.h"

namespace seg::rt::report {

namespace {

using ojson = nlohmann::ordered_json;

ojson opt(const std::optional<double>& v) { return v ? ojson(*v) : ojson(nullptr); }

ojson interval(const std::optional<Interval>& i) {
  if (!i) return nullptr;
  return {{"estimate", i->estimate}, {"low", i->low}, {"high", i->high}};
}

ojson arm(const Arm& a) {
  return {{"exposed", a.exposed},
          {"converted", a.converted},
          {"rate", opt(a.rate)},
          {"value", opt(a.value)}};
}

ojson destination(const Destination& d) {
  ojson j;
  j["audience"] = d.audience;
  j["sink"] = d.sink.empty() ? ojson(nullptr) : ojson(d.sink);
  j["ops_file"] = d.ops_file.empty() ? ojson(nullptr) : ojson(d.ops_file);
  j["ops"] = {{"add", d.add}, {"remove", d.remove}, {"update", d.update}};
  j["held"] = std::max<int64_t>(0, d.add - d.remove);
  j["unmatched"] = d.unmatched;
  j["unmatched_share"] = opt(d.unmatched_share);
  j["ops_per_day"] = ojson::array();
  for (const DayOps& o : d.per_day)
    j["ops_per_day"].push_back(
        {{"day", day_text(o.day)}, {"add", o.add}, {"remove", o.remove}, {"update", o.update}});
  j["sizes"] = ojson::array();
  for (const SizeSeries& s : d.sizes) {
    ojson points = ojson::array();
    for (const SizePoint& p : s.points)
      points.push_back({{"t", time_text(p.t)}, {"members", p.members}});
    j["sizes"].push_back({{"audience", s.audience},
                          {"segment", s.segment},
                          {"members", s.members},
                          {"peak", s.peak},
                          {"points", points}});
  }
  return j;
}

ojson measure(const Measure& m) {
  ojson j;
  j["audience"] = m.audience;
  j["converts"] = m.converts;
  j["window_seconds"] = m.window_seconds;
  j["value_property"] = m.value_property ? ojson(*m.value_property) : ojson(nullptr);
  j["holdout_share"] = m.holdout_share;
  j["treatment"] = arm(m.treatment);
  j["holdout"] = arm(m.holdout);
  j["absolute_lift"] = interval(m.absolute_lift);
  j["relative_lift"] = interval(m.relative_lift);
  j["p_value"] = opt(m.p_value);
  j["sample_ratio"] = {{"expected_holdout_share", m.expected_holdout_share},
                       {"chi_square", opt(m.chi_square)},
                       {"p_value", opt(m.sample_ratio_p)},
                       {"flag", m.sample_ratio_flag}};
  j["status"] = m.status;
  return j;
}

ojson check(const DriftCheck& c) {
  ojson j;
  j["ts"] = time_text(c.ts);
  j["audience"] = c.audience;
  j["expected"] = c.expected;
  j["reported"] = c.lower ? ojson{{"lower", *c.lower}, {"upper", *c.upper}} : ojson(nullptr);
  j["mismatch"] = opt(c.mismatch);
  j["status"] = c.status;
  if (!c.error.empty()) j["error"] = c.error;
  return j;
}

}  // namespace

std::string report_json(const Report& r) {
  ojson j;
  j["out"] = r.out_dir;
  j["state"] = r.state_dir.empty() ? ojson(nullptr) : ojson(r.state_dir);
  j["bundle"] = r.bundle;
  j["watermark"] = r.watermark;
  j["span"] = r.has_span ? ojson{{"first", time_text(r.first)},
                                 {"last_op", time_text(r.last_op)},
                                 {"last", time_text(r.last)},
                                 {"step", step_name(r.step)},
                                 {"samples_from", time_text(r.sample_from)},
                                 {"samples_to", time_text(r.sample_to)}}
                         : ojson(nullptr);
  j["destinations"] = ojson::object();
  for (const Destination& d : r.destinations) j["destinations"][d.name] = destination(d);
  j["measures"] = ojson::object();
  for (const Measure& m : r.measures) j["measures"][m.name] = measure(m);
  j["drift"] = ojson::object();
  for (const Drift& d : r.drift) {
    ojson by = ojson::object();
    for (const auto& [status, n] : d.by_status) by[status] = n;
    ojson series = ojson::array();
    for (const DriftCheck& c : d.checks) series.push_back(check(c));
    j["drift"][d.destination] = {
        {"latest", check(d.checks.back())}, {"checks", by}, {"series", series}};
  }
  return j.dump(2) + "\n";
}

}  // namespace seg::rt::report
