#pragma once
// `seg report` (RUNTIME.md §9): what a `seg run --out DIR` left behind, read and
// aggregated into one `Report` — audience sizes over time and ops per day (from the op
// files), ops and unmatched share per destination (summary.json), lift per `measure`
// (summary.json `measures`) and drift checks over time (drift.ndjson). A library: it
// returns status as data; the CLI prints. The writers: report_json.cpp, report_html.cpp.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace seg::rt::report {

// Members of one downstream audience at an instant t: after every op before t.
struct SizePoint {
  int64_t t = 0;  // ms, UTC, on an hour or day boundary
  int64_t members = 0;
};
struct SizeSeries {
  std::string audience, segment;  // the op's `audience` (downstream name) and `segment`
  int64_t members = 0;            // now (after the last op)
  int64_t peak = 0;               // the most at any instant
  std::vector<SizePoint> points;
};
struct DayOps {
  int64_t day = 0;  // midnight UTC (ms)
  int64_t add = 0, remove = 0, update = 0;
};
struct Destination {
  std::string name, audience;  // the destination and its downstream name (summary.json)
  std::string sink;            // summary.json `sink`: where ops went when not OUT/<name>.ndjson
  std::string ops_file;        // the op file read; empty when the ops went over HTTP
  int64_t add = 0, remove = 0, update = 0, unmatched = 0;  // summary.json
  int64_t ops_read = 0;                                    // lines of ops_file
  std::optional<double> unmatched_share;  // unmatched / (held + unmatched); held = add - remove
  std::vector<DayOps> per_day;            // every day of the span, zeros included
  std::vector<SizeSeries> sizes;          // one per (audience, segment), in first-op order
};

// summary.json `measures` (RUNTIME.md §9, lift).
struct Interval {
  double estimate = 0, low = 0, high = 0;
};
struct Arm {
  int64_t exposed = 0, converted = 0;
  std::optional<double> rate, value;
};
struct Measure {
  std::string name, audience, converts,
      status;  // status: insufficient | significant | not_significant
  int64_t window_seconds = 0;
  std::optional<std::string> value_property;
  double holdout_share = 0;
  Arm treatment, holdout;
  std::optional<Interval> absolute_lift, relative_lift;
  std::optional<double> p_value;
  double expected_holdout_share = 0;
  std::optional<double> chi_square, sample_ratio_p;
  bool sample_ratio_flag = false;
};

// One line of drift.ndjson.
struct DriftCheck {
  int64_t ts = 0;
  std::string audience, status, error;  // status: ok | warn | fail | error
  int64_t expected = 0;
  std::optional<int64_t> lower, upper;  // what the platform reported, when it answered
  std::optional<double> mismatch;
};
struct Drift {
  std::string destination;
  std::vector<DriftCheck> checks;  // in ts order (stable: the file's order within one ts)
  std::map<std::string, int64_t> by_status;
};

enum class Step { Hour, Day };

struct Report {
  std::string out_dir, state_dir;  // state_dir: set when read through --state
  std::string bundle, watermark;
  int64_t first = 0, last = 0;  // the span: first op .. max(last op, watermark); 0 when no op
  int64_t last_op = 0;
  bool has_span = false;
  Step step = Step::Hour;
  int64_t sample_from = 0, sample_to = 0;  // the first and last size sample (hour/day boundaries)
  std::vector<Destination> destinations;   // summary.json order
  std::vector<Measure> measures;           // summary.json order
  bool drift_file = false;                 // drift.ndjson exists
  std::vector<Drift> drift;                // by destination name
};

// Why a report could not be made: `Usage` (exit 2: a missing --out or --state folder, not
// a seg state) or `Input` (exit 3: a file missing, unreadable or garbled). The message
// names the path (and line).
enum class Status { Ok, Usage, Input };

// Reads OUT (or, with `state_dir`, the --out that state recorded; `out_dir` then empty).
Status load_report(const std::string& out_dir, const std::string& state_dir, Report& r,
                   std::string& error);

// The writers: one JSON object (the same facts as the human tables) and one
// self-contained HTML page with inline SVG charts.
std::string report_json(const Report& r);
std::string report_html(const Report& r);

// Time helpers shared by the writers.
std::string time_text(int64_t ms);  // RFC 3339
std::string day_text(int64_t ms);   // YYYY-MM-DD
const char* step_name(Step s);      // "hour" | "day"

}  // namespace seg::rt::report
