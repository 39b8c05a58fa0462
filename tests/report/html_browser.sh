#!/usr/bin/env bash
# `seg report --format html` in headless Chromium (label browser;heavy): a real run of
# examples/retention over a generated 30-day stream, with the lift and drift inputs from
# tests/report/data/ when the run did not write them itself; the page must
#   - be one file that loads nothing (no script, link, @import, url(), src=, http href),
#   - load with no console message (checked against a planted failing fetch, which must
#     be caught),
#   - hold every chart (ids and marks, from --dump-dom),
#   - render non-blank, coloured charts (a 1200x1600 screenshot read with python3-pil).
#
#   tests/report/html_browser.sh SEG SOURCE_DIR [SCREENSHOT_COPY]
set -euo pipefail
seg=$1 src=$2 keep=${3:-${SEG_REPORT_SCREENSHOT:-}}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "no chromium (scripts/install-deps.sh installs it)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 "$src/examples/retention/generate_stream.py" --seed 7 --profiles 1500 --events 15000 --days 30 \
  >"$tmp/stream.ndjson" 2>/dev/null
"$seg" run "$src/examples/retention" --input "$tmp/stream.ndjson" --out "$tmp/out" >/dev/null
python3 "$src/tests/report/add_fixtures.py" "$tmp/out" "$src/tests/report/data/measures.json"
"$seg" report --out "$tmp/out" --format html -o "$tmp/report.html"

fail=0
# 1. Self-contained: nothing the page could fetch.
if grep -nE '<script|<link|@import|url\(|src=|href="(https?:|//)|<img|<iframe' "$tmp/report.html"; then
  echo "FAIL: the page refers to something it would fetch"; fail=1
fi

flags=(--headless --disable-gpu --disable-background-networking --disable-component-update --disable-sync
  --no-first-run --disable-quic --disable-extensions --hide-scrollbars --disable-dev-shm-usage)
[ "$(id -u)" = 0 ] && flags+=(--no-sandbox)
run_browser() {  # NAME ARGS…: a fresh profile each time; stderr kept in $tmp/NAME.log
  local name=$1
  shift
  timeout 60 "$browser" "${flags[@]}" --user-data-dir="$tmp/profile-$name" --enable-logging=stderr --v=0 "$@" \
    2>"$tmp/$name.log"
}
console_lines() { grep -E 'CONSOLE|Failed to load resource|Uncaught' "$1" || true; }

# 2. No console message on load, and the check itself catches a failing fetch.
run_browser dom --dump-dom "file://$tmp/report.html" >"$tmp/dom.html"
if [ -n "$(console_lines "$tmp/dom.log")" ]; then
  echo "FAIL: console messages while loading the report:"; console_lines "$tmp/dom.log"; fail=1
fi
sed 's|</body>|<script>console.error("planted: report failure")</script></body>|' "$tmp/report.html" >"$tmp/planted.html"
run_browser planted --dump-dom "file://$tmp/planted.html" >/dev/null
if [ -z "$(console_lines "$tmp/planted.log")" ]; then
  echo "FAIL: a planted console error was not seen: the console check cannot fail"; fail=1
fi

# 3. The charts, from the DOM Chromium built.
python3 - "$tmp/dom.html" "$tmp/out/summary.json" <<'PY' || fail=1
import json, sys
from html.parser import HTMLParser
dom, summary = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.svg = None; self.marks = {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and a.get("id", "").startswith("chart-"):
            self.svg = a["id"]; self.marks[self.svg] = {}
        elif self.svg and a.get("class"):
            self.marks[self.svg][a["class"]] = self.marks[self.svg].get(a["class"], 0) + 1
    def handle_endtag(self, tag):
        if tag == "svg": self.svg = None
p = P(); p.feed(dom)
bad = []
def need(chart, mark, at_least):
    n = p.marks.get(chart, {}).get(mark, 0)
    if n < at_least: bad.append(f"{chart}: {n} `{mark}` marks, expected at least {at_least}")
with_ops = [d for d, v in summary["destinations"].items() if v["ops"]["add"] > 0]
if not with_ops: bad.append("the run wrote no ops: nothing to chart")
for d in with_ops:
    need(f"chart-sizes-{d}", "line", 1)
    need(f"chart-ops-{d}", "bar", 2)
need("chart-unmatched", "bar", 1)
need("chart-lift", "estimate", len(summary.get("measures", {})))
need("chart-lift", "interval", 1)
for d in summary["destinations"]:
    need(f"chart-drift-{d}", "marker", 2)
    need(f"chart-drift-{d}", "band", 1)
for chart in p.marks:
    need(chart, "chart-title", 1)
    need(chart, "legend", 1) if chart != "chart-unmatched" else None
    need(chart, "axis x-axis", 1)
for b in bad: print("FAIL:", b)
print(f"dom: {len(p.marks)} charts")
sys.exit(1 if bad else 0)
PY

# 4. The screenshot: charts drawn, not a blank page. PIL is Debian's python3-pil: the
# first python3 on PATH may be another installation without it.
pil=
for p in python3 /usr/bin/python3; do "$p" -c 'import PIL' 2>/dev/null && { pil=$p; break; }; done
[ -n "$pil" ] || { echo "FAIL: no python3 with PIL (python3-pil, scripts/install-deps.sh)"; exit 1; }
run_browser shot --screenshot="$tmp/shot.png" --window-size=1200,1600 "file://$tmp/report.html" >/dev/null
"$pil" - "$tmp/shot.png" <<'PY' || fail=1
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
w, h = im.size
if (w, h) != (1200, 1600): print(f"FAIL: screenshot is {w}x{h}"); sys.exit(1)
small = im.resize((120, 160))
px = small.load()
# Ten horizontal bands: how many hold something drawn (a pixel far from white).
bands = sum(1 for b in range(10) if any(min(px[x, y]) < 200 for x in range(120) for y in range(b * 16, b * 16 + 16)))
# Chart colour: saturated pixels (lines, bars) in the full-size image.
colour = sum(1 for r, g, b in im.getdata() if max(r, g, b) - min(r, g, b) > 80)
print(f"screenshot: {bands}/10 bands drawn, {colour} coloured pixels")
if bands < 8 or colour < 5000: print("FAIL: the screenshot looks blank"); sys.exit(1)
PY
[ -n "$keep" ] && cp "$tmp/shot.png" "$keep"
[ $fail = 0 ] || exit 1
echo "report html: self-contained, no console message, charts present, screenshot drawn"
