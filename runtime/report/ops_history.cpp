// `seg report` over the op files (RUNTIME.md §4): per destination, the members of each
// downstream audience after every instant (a set of profiles per audience and segment:
// an `add` puts the profile in, a `remove` takes it out, an `update` changes nothing),
// sampled on the hour or day boundaries around the span, and the ops per day by kind.
// One pass per file; a line that is not an op is an error naming the file and line.
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "runtime/io/line_reader.h"
#include "runtime/report/report_read.h"
#include "stdlib/builtins/builtins.h"

namespace seg::rt::report {

namespace {

constexpr int64_t kHour = 3600 * 1000;
constexpr int64_t kDay = 24 * kHour;
// Up to three days of span are sampled per hour (at most 73 points), longer per day.
constexpr int64_t kHourlySpan = 3 * kDay;

int64_t floor_to(int64_t t, int64_t step) {
  return t >= 0 ? t / step * step : -((-t + step - 1) / step) * step;
}

// One series while reading: the current members and (instant, members after it).
struct Building {
  std::string audience, segment;
  std::unordered_set<std::string> members;
  std::vector<std::pair<int64_t, int64_t>> after;  // one entry per instant with an op
  int64_t peak = 0;
};

struct FileHistory {
  std::vector<std::unique_ptr<Building>> series;
  std::map<int64_t, DayOps> days;
  int64_t first = 0, last = 0;
  bool any = false;
};

bool read_file(const std::string& path, FileHistory& h, int64_t& lines, std::string& error) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error = path + ": cannot read it (the destination's op file)";
    return false;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, std::fclose);
  LineReader reader(f, false);
  simdjson::dom::parser parser;
  std::string buf;
  std::map<std::pair<std::string, std::string>, Building*> index;
  std::string_view line;
  int64_t n = 0;
  auto fail = [&](const std::string& why) {
    error = path + ":" + std::to_string(n) + ": " + why;
    return false;
  };
  while (reader.next(line) == LineReader::Next::Line) {
    ++n;
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    buf.assign(line);
    buf.resize(line.size() + simdjson::SIMDJSON_PADDING, '\0');
    simdjson::dom::element doc;
    if (parser.parse(buf.data(), line.size(), false).get(doc))
      return fail("not an op: not valid JSON");
    if (!doc.is_object()) return fail("not an op: not a JSON object");
    std::string_view op, ts, audience, segment, profile;
    auto text = [&](const char* key, std::string_view& out) {
      return !doc[key].get_string().get(out);
    };
    if (!text("op", op)) return fail("not an op: no `op` string");
    if (!text("ts", ts)) return fail("not an op: no `ts` string");
    if (!text("audience", audience) || !text("segment", segment) || !text("profile", profile))
      return fail("not an op: `audience`, `segment` and `profile` must be strings");
    int kind = op == "add" ? 0 : op == "remove" ? 1 : op == "update" ? 2 : -1;
    if (kind < 0) return fail("`op` is `" + std::string(op) + "`, not add, remove or update");
    const char* why = nullptr;
    auto ms = builtins::parse_time(ts, true, &why);
    if (!ms) return fail("`ts` is not an RFC 3339 date-time: " + std::string(ts));
    if (h.any && *ms < h.last)
      return fail("`ts` " + std::string(ts) + " goes back in time (op files are in ts order)");
    if (!h.any) h.first = *ms;
    h.any = true;
    h.last = *ms;
    DayOps& d = h.days[floor_to(*ms, kDay)];
    (kind == 0 ? d.add : kind == 1 ? d.remove : d.update)++;
    auto key = std::make_pair(std::string(audience), std::string(segment));
    auto it = index.find(key);
    if (it == index.end()) {
      h.series.push_back(std::make_unique<Building>());
      h.series.back()->audience = key.first, h.series.back()->segment = key.second;
      it = index.emplace(key, h.series.back().get()).first;
    }
    Building& s = *it->second;
    if (kind == 0)
      s.members.emplace(profile);
    else if (kind == 1)
      s.members.erase(std::string(profile));
    int64_t size = static_cast<int64_t>(s.members.size());
    s.peak = std::max(s.peak, size);
    if (!s.after.empty() && s.after.back().first == *ms)
      s.after.back().second = size;
    else
      s.after.emplace_back(*ms, size);
  }
  lines = n;
  return true;
}

// Members at each sample instant t (from, from + step, … to): after every op before t.
std::vector<SizePoint> sample(const std::vector<std::pair<int64_t, int64_t>>& after, int64_t from,
                              int64_t to, int64_t step) {
  std::vector<SizePoint> out;
  size_t i = 0;
  int64_t members = 0;
  for (int64_t t = from; t <= to; t += step) {
    while (i < after.size() && after[i].first < t) members = after[i++].second;
    out.push_back({t, members});
  }
  return out;
}

}  // namespace

Status read_ops(Report& r, std::string& error) {
  std::vector<FileHistory> files(r.destinations.size());
  for (size_t i = 0; i < r.destinations.size(); ++i) {
    Destination& d = r.destinations[i];
    // summary.json's `sink`: a configured file's path, or `CONNECTOR URL` for HTTP.
    if (d.sink.empty())
      d.ops_file = r.out_dir + "/" + d.name + ".ndjson";
    else if (d.sink.find("://") == std::string::npos)
      d.ops_file = d.sink;
    if (d.ops_file.empty()) continue;  // sent over HTTP: no op file to read
    if (!read_file(d.ops_file, files[i], d.ops_read, error)) return Status::Input;
  }
  // The span: the first op to the last op or the watermark, whichever is later.
  for (const FileHistory& h : files) {
    if (!h.any) continue;
    r.first = r.has_span ? std::min(r.first, h.first) : h.first;
    r.last = r.has_span ? std::max(r.last, h.last) : h.last;
    r.has_span = true;
  }
  if (!r.has_span) return Status::Ok;
  r.last_op = r.last;
  const char* why = nullptr;
  if (auto wm = builtins::parse_time(r.watermark, true, &why); wm && *wm > r.last) r.last = *wm;
  r.step = r.last - r.first <= kHourlySpan ? Step::Hour : Step::Day;
  int64_t step = r.step == Step::Hour ? kHour : kDay;
  // Samples on hour (day) boundaries: the first at or before the first op, the last
  // after the span's end, so every op is counted by the last sample.
  int64_t from = floor_to(r.first, step), to = floor_to(r.last, step) + step;
  r.sample_from = from, r.sample_to = to;
  for (size_t i = 0; i < r.destinations.size(); ++i) {
    Destination& d = r.destinations[i];
    if (d.ops_file.empty()) continue;
    for (int64_t day = floor_to(r.first, kDay); day <= floor_to(r.last, kDay); day += kDay) {
      auto it = files[i].days.find(day);
      DayOps ops = it == files[i].days.end() ? DayOps{} : it->second;
      ops.day = day;
      d.per_day.push_back(ops);
    }
    for (const auto& b : files[i].series) {
      SizeSeries s;
      s.audience = b->audience, s.segment = b->segment;
      s.members = static_cast<int64_t>(b->members.size());
      s.peak = b->peak;
      s.points = sample(b->after, from, to, step);
      d.sizes.push_back(std::move(s));
    }
  }
  return Status::Ok;
}

}  // namespace seg::rt::report
