#include "compiler/diagnostics/text_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace seg {
namespace {

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) nl = s.size();
    out.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

enum class Edit { Keep, Del, Ins };

// Myers' greedy algorithm with a saved trace; returns the edit script.
std::vector<Edit> diff(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size()), max = n + m;
  std::vector<int> v(2 * max + 2, 0);
  std::vector<std::vector<int>> trace;
  int found_d = 0;
  constexpr int kMaxD = 2000;  // beyond this, the trace would cost too much memory
  for (int d = 0; d <= max; ++d) {
    if (d > kMaxD) {
      std::vector<Edit> all(static_cast<size_t>(n), Edit::Del);
      all.insert(all.end(), static_cast<size_t>(m), Edit::Ins);
      return all;
    }
    // Only diagonals -d..d can have been touched: keep that slice (O(D^2) memory in all).
    trace.emplace_back(v.begin() + (max - d), v.begin() + (max + d + 1));
    bool done = false;
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max])) ? v[k + 1 + max] : v[k - 1 + max] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[k + max] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    if (done) {
      found_d = d;
      break;
    }
  }
  std::vector<Edit> script;
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    // trace[d] is v before step d, i.e. after step d-1: diagonals -(d-1)..(d-1) are valid.
    const std::vector<int>& pv = trace[d];
    auto at = [&](int k) { return pv[static_cast<size_t>(k + d)]; };
    int k = x - y;
    int prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
    int prev_x = at(prev_k), prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) script.push_back(Edit::Keep), --x, --y;
    script.push_back(x == prev_x ? Edit::Ins : Edit::Del);
    x = prev_x, y = prev_y;
  }
  while (x > 0 && y > 0) script.push_back(Edit::Keep), --x, --y;
  std::reverse(script.begin(), script.end());
  return script;
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after, const std::string& before_name,
                         const std::string& after_name, int context) {
  if (before == after) return {};
  auto a = split_lines(before), b = split_lines(after);
  std::vector<Edit> script = diff(a, b);
  std::string out = fmt::format("--- {}\n+++ {}\n", before_name, after_name);
  // Walk the script, cutting it into hunks of changes with surrounding context.
  struct Line { Edit e; int ai, bi; };
  std::vector<Line> lines;
  int ai = 0, bi = 0;
  for (Edit e : script) {
    lines.push_back({e, ai, bi});
    if (e != Edit::Ins) ++ai;
    if (e != Edit::Del) ++bi;
  }
  size_t i = 0;
  while (i < lines.size()) {
    while (i < lines.size() && lines[i].e == Edit::Keep) ++i;
    if (i >= lines.size()) break;
    size_t start = i >= static_cast<size_t>(context) ? i - context : 0;
    size_t end = i;
    // Extend while changes are within 2*context of each other.
    while (end < lines.size()) {
      if (lines[end].e != Edit::Keep) { ++end; continue; }
      size_t run = end;
      while (run < lines.size() && lines[run].e == Edit::Keep) ++run;
      if (run < lines.size() && run - end <= static_cast<size_t>(2 * context)) { end = run; continue; }
      end = std::min(lines.size(), end + context);
      break;
    }
    int a_count = 0, b_count = 0;
    for (size_t j = start; j < end; ++j) {
      if (lines[j].e != Edit::Ins) ++a_count;
      if (lines[j].e != Edit::Del) ++b_count;
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", lines[start].ai + (a_count ? 1 : 0), a_count,
                       lines[start].bi + (b_count ? 1 : 0), b_count);
    for (size_t j = start; j < end; ++j) {
      const Line& l = lines[j];
      char tag = l.e == Edit::Keep ? ' ' : l.e == Edit::Del ? '-' : '+';
      std::string_view text = l.e == Edit::Ins ? b[l.bi] : a[l.ai];
      out += tag;
      out += text;
      out += '\n';
    }
    i = end;
  }
  return out;
}

}  // namespace seg
