#pragma once
// Inline SVG charts for `seg report --format html`, drawn here rather than by a script:
// the page needs no JavaScript and fetches nothing. Three kinds: lines (and bands and
// markers) over time, stacked bars per day, and one row per category with a bar or an
// interval. Each chart is an <svg> with the given id, a <title>, axes with tick labels,
// a legend, and a <title> tooltip on every mark.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seg::rt::report {

std::string xml_escape(std::string_view s);
// The n-th colour of a fixed palette (cycles).
const char* palette(size_t n);

struct LegendEntry {
  std::string name, color;
  bool band = false;   // a translucent swatch (a band) rather than a line
  bool solid = false;  // an opaque swatch (a status colour)
};

struct TimeLine {
  std::string name, color;
  std::vector<std::pair<int64_t, double>> points;  // (ms, y)
  bool steps = false;                              // hold each value until the next point
};
// Consecutive bands of one name share one legend entry (a band broken by gaps).
struct TimeBand {
  std::string name, color;
  std::vector<std::pair<int64_t, std::pair<double, double>>> points;  // (ms, (low, high))
};
struct TimeMarker {
  int64_t t = 0;
  double y = 0;
  std::string color, title;
};
struct TimeChart {
  std::string id, title, y_label;
  int64_t from = 0, to = 0;  // the x axis (ms)
  std::vector<TimeBand> bands;
  std::vector<TimeLine> lines;
  std::vector<TimeMarker> markers;
  std::vector<LegendEntry> legend;  // shown below the axis; lines and bands add theirs
};
std::string svg_time_chart(const TimeChart& c);

struct StackedBars {
  std::string id, title, y_label;
  std::vector<std::string> kinds, colors;   // one per stacked part
  std::vector<int64_t> days;                // one bar per day (ms at midnight UTC)
  std::vector<std::vector<double>> values;  // [bar][kind]
};
std::string svg_stacked_bars(const StackedBars& c);

struct Row {
  std::string label, color, title;
  std::optional<double> bar;                  // a bar from 0
  std::optional<double> low, estimate, high;  // an interval with its estimate
};
struct RowChart {
  std::string id, title, x_label;
  bool percent = false;    // values are shares, shown as %
  bool zero_line = false;  // a marked 0 (for lifts)
  std::vector<Row> rows;
  std::vector<LegendEntry> legend;
};
std::string svg_row_chart(const RowChart& c);

}  // namespace seg::rt::report
