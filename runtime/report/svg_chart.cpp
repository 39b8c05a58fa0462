// The SVG charts of svg_chart.h: fixed-size plots (720 wide) with "nice" ticks (1, 2, 5
// times a power of ten; hours or days on a time axis), drawn as plain SVG elements.
#include "runtime/report/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "runtime/report/report.h"

namespace seg::rt::report {

namespace {

// kRight leaves room for a centred tick label at the right end of a time axis.
constexpr double kWidth = 720, kLeft = 64, kRight = 40, kTop = 34, kPlotHeight = 190;
constexpr int64_t kHour = 3600 * 1000, kDay = 24 * kHour;

std::string num(double v) { return fmt::format("{:.1f}", v); }

// Up to about `want` round ticks covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int want) {
  if (hi <= lo) hi = lo + 1;
  double raw = (hi - lo) / want, mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  std::vector<double> out;
  for (double t = std::floor(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push_back(std::abs(t) < step * 1e-9 ? 0 : t);
  if (out.back() < hi) out.push_back(out.back() + step);
  return out;
}

std::string tick_text(double v, bool percent) {
  if (percent) return fmt::format("{:g}%", std::round(v * 1000) / 10);
  if (std::abs(v) >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (std::abs(v) >= 1e4) return fmt::format("{:g}k", v / 1e3);
  return fmt::format("{:g}", std::round(v * 1e6) / 1e6);
}

std::string open_svg(const std::string& id, const std::string& title, double height) {
  return fmt::format(
      "<svg id=\"{0}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {1} "
      "{2}\" width=\"{1}\" "
      "height=\"{2}\" role=\"img\" aria-labelledby=\"{0}-title\">\n<title "
      "id=\"{0}-title\">{3}</title>\n"
      "<rect width=\"{1}\" height=\"{2}\" fill=\"#fff\"/>\n"
      "<text class=\"chart-title\" x=\"{4}\" y=\"20\" font-size=\"14\" "
      "font-weight=\"bold\">{3}</text>\n",
      id, kWidth, height, xml_escape(title), kLeft);
}

// The legend, in rows below the plot; returns its height.
double legend(std::string& s, const std::vector<LegendEntry>& entries, double y) {
  if (entries.empty()) return 0;
  s += "<g class=\"legend\">\n";
  double x = kLeft, row = 0;
  for (const LegendEntry& e : entries) {
    double w = 28 + 6.5 * static_cast<double>(e.name.size()) + 14;
    if (x + w > kWidth - kRight && x > kLeft) x = kLeft, row += 18;
    double yy = y + row;
    if (e.band || e.solid)
      s += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"10\" fill=\"{}\" fill-opacity=\"{}\"/>",
          num(x), num(yy - 8), e.color, e.solid ? "1" : "0.3");
    else
      s += fmt::format(
          "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"3\"/>",
          num(x), num(yy - 3), num(x + 22), num(yy - 3), e.color);
    s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>\n", num(x + 28), num(yy),
                     xml_escape(e.name));
    x += w;
  }
  s += "</g>\n";
  return row + 18;
}

// A y axis with gridlines over [ticks.front(), ticks.back()] mapped to the plot.
void y_axis(std::string& s, const std::vector<double>& ticks, bool percent,
            const std::string& label) {
  double lo = ticks.front(), hi = ticks.back();
  s += "<g class=\"axis y-axis\" font-size=\"11\">\n";
  for (double t : ticks) {
    double y = kTop + kPlotHeight - (t - lo) / (hi - lo) * kPlotHeight;
    s += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ddd\"/>"
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
        kLeft, num(y), kWidth - kRight, num(y), kLeft - 6, num(y + 4), tick_text(t, percent));
  }
  s += fmt::format(
      "<text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">{}</text>\n",
      num(kTop + kPlotHeight / 2), num(kTop + kPlotHeight / 2), xml_escape(label));
  s += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333\"/></g>\n",
                   kLeft, kTop, kTop + kPlotHeight);
}

double y_of(double v, double lo, double hi) {
  return kTop + kPlotHeight - (v - lo) / (hi - lo) * kPlotHeight;
}

// Time ticks: the smallest of 1h … 30d giving at most 8 ticks, on UTC boundaries.
void x_time_axis(std::string& s, int64_t from, int64_t to, const std::string& label) {
  int64_t span = std::max<int64_t>(to - from, kHour), step = 30 * kDay;
  for (int64_t c :
       {kHour, 2 * kHour, 3 * kHour, 6 * kHour, 12 * kHour, kDay, 2 * kDay, 7 * kDay, 14 * kDay})
    if (span / c <= 8) {
      step = c;
      break;
    }
  double w = kWidth - kLeft - kRight, bottom = kTop + kPlotHeight;
  s += "<g class=\"axis x-axis\" font-size=\"11\">\n";
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n", kLeft,
                   bottom, kWidth - kRight, bottom);
  int64_t first = (from + step - 1) / step * step;
  for (int64_t t = first; t <= to; t += step) {
    double x = kLeft + double(t - from) / double(std::max<int64_t>(to - from, 1)) * w;
    std::string text = time_text(t);
    std::string shown =
        step < kDay ? text.substr(5, 5) + " " + text.substr(11, 5) : text.substr(0, 10);
    s += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333\"/>"
        "<text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        num(x), bottom, bottom + 4, bottom + 16, shown);
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>\n",
                   num(kLeft + w / 2), bottom + 32, xml_escape(label));
}

}  // namespace

std::string xml_escape(std::string_view in) {
  std::string out;
  for (char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

const char* palette(size_t n) {
  static const char* colors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
                                 "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#d62728"};
  return colors[n % 10];
}

std::string svg_time_chart(const TimeChart& c) {
  double hi = 0;
  for (const TimeLine& l : c.lines)
    for (const auto& p : l.points) hi = std::max(hi, p.second);
  for (const TimeBand& b : c.bands)
    for (const auto& p : b.points) hi = std::max(hi, p.second.second);
  for (const TimeMarker& m : c.markers) hi = std::max(hi, m.y);
  std::vector<double> ticks = nice_ticks(0, std::max(hi, 1.0), 5);
  std::vector<LegendEntry> entries;
  for (const TimeBand& b : c.bands)
    if (!b.name.empty() && (entries.empty() || entries.back().name != b.name))
      entries.push_back({b.name, b.color, true});
  for (const TimeLine& l : c.lines) entries.push_back({l.name, l.color, false});
  entries.insert(entries.end(), c.legend.begin(), c.legend.end());
  std::string body;
  double legend_h = legend(body, entries, kTop + kPlotHeight + 54);
  std::string s = open_svg(c.id, c.title, kTop + kPlotHeight + 54 + legend_h);
  y_axis(s, ticks, false, c.y_label);
  x_time_axis(s, c.from, c.to, "time (UTC)");
  double lo = ticks.front(), top = ticks.back(), w = kWidth - kLeft - kRight;
  auto x_of = [&](int64_t t) {
    return kLeft + double(t - c.from) / double(std::max<int64_t>(c.to - c.from, 1)) * w;
  };
  for (const TimeBand& b : c.bands) {
    if (b.points.empty()) continue;
    if (b.points.size() == 1) {  // one range alone: a short bar
      const auto& [t, r] = b.points[0];
      double y1 = y_of(r.second, lo, top), y0 = y_of(r.first, lo, top);
      s += fmt::format(
          "<rect class=\"band\" x=\"{}\" y=\"{}\" width=\"6\" height=\"{}\" fill=\"{}\" "
          "fill-opacity=\"0.4\"><title>{}</title></rect>\n",
          num(x_of(t) - 3), num(y1), num(std::max(1.0, y0 - y1)), b.color, xml_escape(b.name));
      continue;
    }
    std::string d;
    for (const auto& [t, r] : b.points)
      d += fmt::format("{}{} {} ", d.empty() ? "M" : "L", num(x_of(t)),
                       num(y_of(r.second, lo, top)));
    for (auto it = b.points.rbegin(); it != b.points.rend(); ++it)
      d += fmt::format("L{} {} ", num(x_of(it->first)), num(y_of(it->second.first, lo, top)));
    s += fmt::format(
        "<path class=\"band\" d=\"{}Z\" fill=\"{}\" fill-opacity=\"0.25\" stroke=\"{}\" "
        "stroke-opacity=\"0.5\">"
        "<title>{}</title></path>\n",
        d, b.color, b.color, xml_escape(b.name));
  }
  for (const TimeLine& l : c.lines) {
    if (l.points.empty()) continue;
    std::string d;
    double prev_y = 0;
    for (const auto& [t, v] : l.points) {
      double x = x_of(t), y = y_of(v, lo, top);
      if (!d.empty() && l.steps) d += fmt::format("L{} {} ", num(x), num(prev_y));
      d += fmt::format("{}{} {} ", d.empty() ? "M" : "L", num(x), num(y));
      prev_y = y;
    }
    s += fmt::format(
        "<path class=\"line\" d=\"{}\" fill=\"none\" stroke=\"{}\" "
        "stroke-width=\"2\"><title>{}</title></path>\n",
        d, l.color, xml_escape(l.name));
    if (l.points.size() == 1)  // a lone point would be an invisible path
      s += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"/>\n",
                       num(x_of(l.points[0].first)), num(y_of(l.points[0].second, lo, top)),
                       l.color);
  }
  for (const TimeMarker& m : c.markers)
    s += fmt::format(
        "<circle class=\"marker\" cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\" "
        "stroke=\"#fff\"><title>{}</title></circle>\n",
        num(x_of(m.t)), num(y_of(m.y, lo, top)), m.color, xml_escape(m.title));
  return s + body + "</svg>\n";
}

std::string svg_stacked_bars(const StackedBars& c) {
  double hi = 0;
  for (const auto& bar : c.values) {
    double sum = 0;
    for (double v : bar) sum += v;
    hi = std::max(hi, sum);
  }
  std::vector<double> ticks = nice_ticks(0, std::max(hi, 1.0), 5);
  std::vector<LegendEntry> entries;
  for (size_t k = 0; k < c.kinds.size(); ++k)
    entries.push_back({c.kinds[k], c.colors[k], false, true});
  std::string body;
  double legend_h = legend(body, entries, kTop + kPlotHeight + 54);
  std::string s = open_svg(c.id, c.title, kTop + kPlotHeight + 54 + legend_h);
  y_axis(s, ticks, false, c.y_label);
  double lo = ticks.front(), top = ticks.back(), w = kWidth - kLeft - kRight,
         bottom = kTop + kPlotHeight;
  size_t n = std::max<size_t>(c.days.size(), 1);
  double slot = w / double(n), bw = std::max(1.0, slot * 0.7);
  size_t every = (n + 9) / 10;  // at most ten day labels
  s += "<g class=\"axis x-axis\" font-size=\"11\">\n";
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n", kLeft,
                   bottom, kWidth - kRight, bottom);
  for (size_t i = 0; i < c.days.size(); i += every)
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                     num(kLeft + slot * (double(i) + 0.5)), bottom + 16,
                     day_text(c.days[i]).substr(5));
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">day (UTC)</text></g>\n",
                   num(kLeft + w / 2), bottom + 32);
  for (size_t i = 0; i < c.days.size(); ++i) {
    double base = 0, x = kLeft + slot * double(i) + (slot - bw) / 2;
    for (size_t k = 0; k < c.kinds.size(); ++k) {
      double v = c.values[i][k];
      if (v <= 0) continue;
      double y1 = y_of(base + v, lo, top), y0 = y_of(base, lo, top);
      s += fmt::format(
          "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} "
          "{}: {:g}</title></rect>\n",
          num(x), num(y1), num(bw), num(std::max(0.5, y0 - y1)), c.colors[k], day_text(c.days[i]),
          c.kinds[k], v);
      base += v;
    }
  }
  return s + body + "</svg>\n";
}

std::string svg_row_chart(const RowChart& c) {
  double lo = 0, hi = 0;
  for (const Row& r : c.rows) {
    for (const auto& v : {r.bar, r.low, r.estimate, r.high})
      if (v) lo = std::min(lo, *v), hi = std::max(hi, *v);
  }
  if (c.percent && hi <= 0) hi = 1;
  if (hi - lo <= 0) hi = lo + 1;
  std::vector<double> ticks = nice_ticks(lo, hi, 6);
  double row_h = 26, top_ = kTop + 4, plot_h = row_h * double(std::max<size_t>(c.rows.size(), 1));
  double left = 200, w = kWidth - left - kRight, bottom = top_ + plot_h;
  std::string body;
  double legend_h = legend(body, c.legend, bottom + 54);
  std::string s = open_svg(c.id, c.title, bottom + 54 + legend_h);
  double t0 = ticks.front(), t1 = ticks.back();
  auto x_of = [&](double v) { return left + (v - t0) / (t1 - t0) * w; };
  s += "<g class=\"axis x-axis\" font-size=\"11\">\n";
  for (double t : ticks)
    s += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#ddd\"/><text x=\"{0}\" "
        "y=\"{3}\" "
        "text-anchor=\"middle\">{4}</text>\n",
        num(x_of(t)), top_, bottom, bottom + 16, tick_text(t, c.percent));
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#333\"/>\n", left,
                   bottom, kWidth - kRight, bottom);
  s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>\n",
                   num(left + w / 2), bottom + 32, xml_escape(c.x_label));
  if (c.zero_line)
    s += fmt::format(
        "<line class=\"zero\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333\" "
        "stroke-dasharray=\"4 3\"/>\n",
        num(x_of(0)), top_, bottom);
  for (size_t i = 0; i < c.rows.size(); ++i) {
    const Row& r = c.rows[i];
    double mid = top_ + row_h * (double(i) + 0.5);
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>\n",
                     left - 8, num(mid + 4), xml_escape(r.label));
    std::string tip = "<title>" + xml_escape(r.title) + "</title>";
    if (r.bar) {
      double a = x_of(std::min(0.0, *r.bar)), b = x_of(std::max(0.0, *r.bar));
      s += fmt::format(
          "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
          "fill=\"{}\">{}</rect>\n",
          num(a), num(mid - 8), num(std::max(1.0, b - a)), 16, r.color, tip);
    }
    if (r.low && r.high)
      s += fmt::format(
          "<g class=\"interval\"><line x1=\"{0}\" y1=\"{2}\" x2=\"{1}\" y2=\"{2}\" stroke=\"{3}\" "
          "stroke-width=\"2\"/>"
          "<line x1=\"{0}\" y1=\"{4}\" x2=\"{0}\" y2=\"{5}\" stroke=\"{3}\" stroke-width=\"2\"/>"
          "<line x1=\"{1}\" y1=\"{4}\" x2=\"{1}\" y2=\"{5}\" stroke=\"{3}\" "
          "stroke-width=\"2\"/>{6}</g>\n",
          num(x_of(*r.low)), num(x_of(*r.high)), num(mid), r.color, num(mid - 6), num(mid + 6),
          tip);
    if (r.estimate)
      s += fmt::format(
          "<circle class=\"estimate\" cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"{}\">{}</circle>\n",
          num(x_of(*r.estimate)), num(mid), r.color, tip);
  }
  return s + body + "</svg>\n";
}

}  // namespace seg::rt::report
