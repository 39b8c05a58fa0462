#!/usr/bin/env python3
"""Give a real `seg run --out DIR` folder the two report inputs other parts of issue 18
write, when the run did not write them itself (RUNTIME.md §9, formats in docs/report.md):
summary.json `measures` (copied from MEASURES.json) and DIR/drift.ndjson (ten checks per
destination, three days apart up to the watermark, sizes around the members each
destination holds, one `warn`, one `fail` and one `error` among them). Deterministic.

    add_fixtures.py DIR MEASURES.json
"""
import datetime
import json
import os
import sys

out, measures_path = sys.argv[1], sys.argv[2]
summary_path = os.path.join(out, "summary.json")
summary = json.load(open(summary_path))
if "measures" not in summary:
    summary["measures"] = json.load(open(measures_path))
    with open(summary_path, "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")

drift_path = os.path.join(out, "drift.ndjson")
if not os.path.exists(drift_path):
    end = datetime.datetime.fromisoformat(summary["watermark"].replace("Z", "+00:00"))
    end = end.replace(minute=0, second=0, microsecond=0)
    with open(drift_path, "w") as f:
        for n, (name, d) in enumerate(summary["destinations"].items()):
            held = max(0, d["ops"]["add"] - d["ops"]["remove"])
            for k in range(10):
                ts = end - datetime.timedelta(days=3 * (9 - k))
                expected = max(1, held * (k + 6) // 15)
                line = {"ts": ts.strftime("%Y-%m-%dT%H:%M:%SZ"), "destination": name, "audience": d["audience"],
                        "expected": expected}
                bad = (k + n) % 10
                if bad == 7:
                    line.update(reported=None, mismatch=None, status="error", error="HTTP 503 from the platform")
                else:
                    shift = {3: 1.18, 5: 1.4}.get(bad, 1.0)  # 3: warn, 5: fail
                    lower, upper = int(expected * 0.9 * shift), int(expected * 1.1 * shift) + 1
                    mismatch = 0.0 if lower <= expected <= upper else round((lower - expected) / expected, 4)
                    status = "ok" if mismatch < 0.05 else "warn" if mismatch < 0.2 else "fail"
                    line.update(reported={"lower": lower, "upper": upper}, mismatch=mismatch, status=status)
                f.write(json.dumps(line) + "\n")
