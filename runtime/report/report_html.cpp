// `seg report --format html`: one self-contained page — inline CSS and inline SVG charts
// (svg_chart.h), no script, no fonts, nothing fetched — with a table beside each chart
// holding the same numbers. Chart ids (for tests and links): chart-sizes-<destination>,
// chart-ops-<destination>, chart-unmatched, chart-lift, chart-drift-<destination>.
#include <fmt/format.h>

#include <utility>

#include "runtime/report/report.h"
#include "runtime/report/svg_chart.h"
#include "stdlib/builtins/builtins.h"

namespace seg::rt::report {

namespace {

const char* kStyle =
    R"(body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:24px;margin-bottom:4px}h2{font-size:19px;margin-top:32px;border-bottom:1px solid #ccc;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}p.meta{color:#555;margin-top:0}p.note{color:#555;font-size:13px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;white-space:nowrap}
th{background:#f4f4f4}div.scroll{overflow-x:auto}svg.chart{display:block;max-width:100%;height:auto;margin:6px 0}
.status{font-weight:bold;padding:1px 6px;border-radius:3px;color:#fff}
.ok,.significant{background:#2ca02c}.warn{background:#c98a00}.fail{background:#d62728}.error{background:#7f7f7f}
.not_significant{background:#7f7f7f}.insufficient{background:#9e9e9e}.flag{color:#d62728;font-weight:bold}
nav a{margin-right:14px}.cards{display:flex;flex-wrap:wrap;gap:8px 24px}.card{flex:1 1 500px;min-width:0;overflow-x:auto}
.card svg.chart{width:100%})";

std::string esc(const std::string& s) { return xml_escape(s); }
std::string pct(std::optional<double> v) { return v ? fmt::format("{:.1f}%", *v * 100) : "–"; }
std::string pval(std::optional<double> v) {
  if (!v) return "–";
  return *v < 0.0001 ? "&lt;0.0001" : fmt::format("{:.2g}", *v);
}
std::string badge(const std::string& status) {
  return "<span class=\"status " + status + "\">" + esc(status) + "</span>";
}
const char* status_color(const std::string& s) {
  if (s == "ok" || s == "significant") return "#2ca02c";
  if (s == "warn") return "#c98a00";
  if (s == "fail") return "#d62728";
  if (s == "insufficient") return "#9e9e9e";
  return "#7f7f7f";
}

std::string sizes_section(const Report& r) {
  std::string s = "<section id=\"sizes\"><h2>Audience sizes over time</h2>\n";
  s += fmt::format(
      "<p class=\"note\">Members each destination holds, from its op file: an add puts a profile "
      "in, a "
      "remove takes it out. Sampled on every {} boundary.</p>\n",
      step_name(r.step));
  s += "<div class=\"cards\">\n";
  for (const Destination& d : r.destinations) {
    s += "<div class=\"card\"><h3>" + esc(d.name) + " <small>(" + esc(d.audience) +
         ")</small></h3>\n";
    if (d.ops_file.empty() || d.sizes.empty()) {
      s += "<p class=\"note\">" +
           (d.ops_file.empty() ? "Ops went to " + esc(d.sink) + ": no op file to read."
                               : "No ops.") +
           "</p></div>\n";
      continue;
    }
    TimeChart c;
    c.id = "chart-sizes-" + d.name;
    c.title = "Members of " + d.name;
    c.y_label = "members";
    c.from = r.sample_from, c.to = r.sample_to;
    // Lines named by segment, and by audience too once a version bump made several.
    bool audiences = false;
    for (const SizeSeries& z : d.sizes) audiences |= z.audience != d.sizes[0].audience;
    std::string rows;
    for (size_t i = 0; i < d.sizes.size(); ++i) {
      const SizeSeries& z = d.sizes[i];
      TimeLine l;
      l.name = audiences ? z.audience + " / " + z.segment : z.segment;
      l.color = palette(i);
      for (const SizePoint& p : z.points) l.points.emplace_back(p.t, double(p.members));
      c.lines.push_back(std::move(l));
      rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                          esc(z.audience), esc(z.segment), z.members, z.peak);
    }
    s += svg_time_chart(c);
    s += "<div class=\"scroll\"><table><tr><th>audience</th><th>segment</th><th>members "
         "now</th><th>peak</th></tr>\n" +
         rows + "</table></div></div>\n";
  }
  return s + "</div></section>\n";
}

std::string ops_section(const Report& r) {
  std::string s =
      "<section id=\"ops\"><h2>Ops per day</h2>\n<p class=\"note\">Ops written per UTC day, by "
      "kind.</p>\n"
      "<div class=\"cards\">\n";
  for (const Destination& d : r.destinations) {
    if (d.ops_file.empty() || d.per_day.empty()) continue;
    StackedBars c;
    c.id = "chart-ops-" + d.name;
    c.title = "Ops per day: " + d.name;
    c.y_label = "ops";
    c.kinds = {"add", "remove", "update"};
    c.colors = {"#2ca02c", "#d62728", "#1f77b4"};
    for (const DayOps& o : d.per_day) {
      c.days.push_back(o.day);
      c.values.push_back({double(o.add), double(o.remove), double(o.update)});
    }
    s += "<div class=\"card\">" + svg_stacked_bars(c) + "</div>\n";
  }
  s += "</div>\n";
  s += "<div "
       "class=\"scroll\"><table><tr><th>destination</th><th>add</th><th>remove</th><th>update</"
       "th><th>op file</th></tr>\n";
  for (const Destination& d : r.destinations)
    s += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                     esc(d.name), d.add, d.remove, d.update,
                     esc(d.ops_file.empty() ? d.sink : d.ops_file));
  return s + "</table></div></section>\n";
}

std::string unmatched_section(const Report& r) {
  std::string s =
      "<section id=\"unmatched\"><h2>Unmatched share</h2>\n<p class=\"note\">Members without a "
      "usable match key "
      "(no op sent), as a share of all members: unmatched / (held + unmatched), held = adds − "
      "removes.</p>\n";
  RowChart c;
  c.id = "chart-unmatched";
  c.title = "Unmatched share per destination";
  c.x_label = "share of members without a usable key";
  c.percent = true;
  std::string rows;
  for (size_t i = 0; i < r.destinations.size(); ++i) {
    const Destination& d = r.destinations[i];
    int64_t held = std::max<int64_t>(0, d.add - d.remove);
    c.rows.push_back(
        {d.name, palette(i),
         fmt::format("{}: {} unmatched of {}", d.name, d.unmatched, held + d.unmatched),
         d.unmatched_share.value_or(0), std::nullopt, std::nullopt, std::nullopt});
    rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", esc(d.name),
                        held, d.unmatched, pct(d.unmatched_share));
  }
  s += svg_row_chart(c);
  s += "<div "
       "class=\"scroll\"><table><tr><th>destination</th><th>held</th><th>unmatched</th><th>share</"
       "th></tr>\n" +
       rows + "</table></div>\n";
  return s + "</section>\n";
}

std::string lift_section(const Report& r) {
  std::string s = "<section id=\"lift\"><h2>Lift per measure</h2>\n";
  if (r.measures.empty())
    return s + "<p class=\"note\">No <code>measures</code> in summary.json.</p></section>\n";
  s += "<p class=\"note\">Absolute lift: treatment conversion rate minus holdout rate, with its "
       "95% interval. "
       "<em>insufficient</em>: an arm has fewer than 30 conversions. A sample-ratio flag means the "
       "arm sizes do not fit "
       "the holdout share (p &lt; 0.001): check the assignment before trusting the lift.</p>\n";
  RowChart c;
  c.id = "chart-lift";
  c.title = "Absolute lift with 95% interval";
  c.x_label = "treatment rate − holdout rate (percentage points)";
  c.percent = true;
  c.zero_line = true;
  for (const char* st : {"significant", "not_significant", "insufficient"})
    c.legend.push_back({st, status_color(st), false, true});
  std::string rows;
  for (const Measure& m : r.measures) {
    Row row{m.name,       status_color(m.status), m.name + ": " + m.status,
            std::nullopt, std::nullopt,           std::nullopt,
            std::nullopt};
    if (m.absolute_lift) {
      row.low = m.absolute_lift->low, row.estimate = m.absolute_lift->estimate,
      row.high = m.absolute_lift->high;
      row.title += fmt::format(", {:+.2f} pp [{:+.2f}, {:+.2f}]", row.estimate.value() * 100,
                               row.low.value() * 100, row.high.value() * 100);
    }
    c.rows.push_back(std::move(row));
    auto lift = [](const std::optional<Interval>& i) {
      return i ? fmt::format("{:+.1f}% [{:+.1f}, {:+.1f}]", i->estimate * 100, i->low * 100,
                             i->high * 100)
               : std::string("–");
    };
    rows += fmt::format(
        "<tr><td>{} {}<br><small>{} → {} within {}</small></td><td>{}/{} ({})</td><td>{}/{} "
        "({})</td><td>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td></tr>\n",
        esc(m.name), badge(m.status), esc(m.audience), esc(m.converts),
        builtins::format_duration(m.window_seconds * 1000), m.treatment.converted,
        m.treatment.exposed, pct(m.treatment.rate), m.holdout.converted, m.holdout.exposed,
        pct(m.holdout.rate), lift(m.absolute_lift), lift(m.relative_lift), pval(m.p_value),
        (m.sample_ratio_flag ? "<span class=\"flag\">flagged</span>, p " : "ok, p ") +
            pval(m.sample_ratio_p));
  }
  s += svg_row_chart(c);
  s += "<div "
       "class=\"scroll\"><table><tr><th>measure</th><th>treatment</th><th>holdout</th><th>absolute "
       "lift</th>"
       "<th>relative lift</th><th>p</th><th>sample ratio</th></tr>\n" +
       rows + "</table></div>\n";
  return s + "</section>\n";
}

std::string drift_section(const Report& r) {
  std::string s = "<section id=\"drift\"><h2>Drift per destination</h2>\n";
  if (!r.drift_file)
    return s +
           "<p class=\"note\">No drift.ndjson in the out folder: no drift check "
           "recorded.</p></section>\n";
  if (r.drift.empty())
    return s + "<p class=\"note\">drift.ndjson holds no check yet.</p></section>\n";
  s += "<p class=\"note\">The size the engine expects at each destination (members sent and "
       "acknowledged) against the "
       "size the platform reports (a range for ad platforms).</p>\n";
  s += "<div class=\"scroll\"><table><tr><th>destination</th><th>latest "
       "check</th><th>status</th><th>expected</th><th>reported</th>"
       "<th>mismatch</th><th>checks</th></tr>\n";
  for (const Drift& d : r.drift) {
    const DriftCheck& c = d.checks.back();
    std::string counts;
    for (const auto& [st, n] : d.by_status)
      counts += (counts.empty() ? "" : ", ") + fmt::format("{} {}", n, st);
    s += fmt::format(
        "<tr><td>{}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</"
        "td><td>{}</td></tr>\n",
        esc(d.destination), esc(c.audience), time_text(c.ts),
        badge(c.status) + (c.error.empty() ? "" : " " + esc(c.error)), c.expected,
        c.lower ? fmt::format("{}–{}", *c.lower, *c.upper) : "–", pct(c.mismatch), counts);
  }
  s += "</table></div>\n<div class=\"cards\">\n";
  for (const Drift& d : r.drift) {
    TimeChart c;
    c.id = "chart-drift-" + d.destination;
    c.title = "Drift: " + d.destination;
    c.y_label = "audience size";
    c.from = d.checks.front().ts, c.to = d.checks.back().ts;
    if (c.to == c.from) c.from -= 3600 * 1000, c.to += 3600 * 1000;
    TimeBand band{"reported range", "#1f77b4", {}};
    TimeLine expected{"expected", "#ff7f0e", {}, false};
    for (const DriftCheck& k : d.checks) {
      // A check with nothing reported breaks the band rather than being bridged.
      if (k.lower)
        band.points.push_back({k.ts, {double(*k.lower), double(*k.upper)}});
      else if (!band.points.empty())
        c.bands.push_back(std::exchange(band, {band.name, band.color, {}}));
      expected.points.emplace_back(k.ts, double(k.expected));
      std::string title =
          fmt::format("{} {}: expected {}, reported {}{}", time_text(k.ts), k.status, k.expected,
                      k.lower ? fmt::format("{}–{}", *k.lower, *k.upper) : "nothing",
                      k.error.empty() ? "" : " (" + k.error + ")");
      c.markers.push_back({k.ts, double(k.expected), status_color(k.status), title});
    }
    if (!band.points.empty()) c.bands.push_back(std::move(band));
    c.lines.push_back(std::move(expected));
    for (const char* st : {"ok", "warn", "fail", "error"})
      c.legend.push_back({std::string("check: ") + st, status_color(st), false, true});
    s += "<div class=\"card\">" + svg_time_chart(c) + "</div>\n";
  }
  return s + "</div></section>\n";
}

}  // namespace

std::string report_html(const Report& r) {
  std::string s = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  s += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  s += "<title>seg report: " + esc(r.out_dir) + "</title>\n<style>" + std::string(kStyle) +
       "</style>\n</head>\n<body>\n";
  s += "<h1>seg report</h1>\n<p class=\"meta\">out <code>" + esc(r.out_dir) + "</code>";
  if (!r.state_dir.empty()) s += " (from state <code>" + esc(r.state_dir) + "</code>)";
  s += " · bundle <code>" + esc(r.bundle) + "</code> · watermark " +
       esc(r.watermark.empty() ? "–" : r.watermark);
  if (r.has_span) s += " · ops from " + time_text(r.first) + " to " + time_text(r.last_op);
  // Health first (lift, drift, unmatched: one screen), then the per-destination history.
  s += "</p>\n<nav><a href=\"#lift\">Lift</a><a href=\"#drift\">Drift</a><a "
       "href=\"#unmatched\">Unmatched share</a>"
       "<a href=\"#sizes\">Audience sizes</a><a href=\"#ops\">Ops per day</a></nav>\n";
  s +=
      lift_section(r) + drift_section(r) + unmatched_section(r) + sizes_section(r) + ops_section(r);
  return s + "</body>\n</html>\n";
}

}  // namespace seg::rt::report
