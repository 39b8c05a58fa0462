#!/usr/bin/env python3
"""Turns a Segment-spec NDJSON stream into what `seg serve` tests produce to Kafka.

Writes OUT.ndjson, the lines in time order (a stable sort by timestamp, so that every
partition's time order is the stream's: a record late in the whole stream would be on
time in its partition, and its op's instant would differ from one `seg run`), and
OUT.keyed, `key<TAB>line` for `kcat -K'\\t'`, keyed by the record's profile id
(userId, or anonymousId) as RUNTIME.md §8 asks; lines that are not records get the key
`malformed`.

    keyed_stream.py IN.ndjson OUT
"""
import datetime
import json
import sys


def millis(ts):
    if isinstance(ts, (int, float)):
        return int(ts)
    if not isinstance(ts, str):
        return 0
    try:
        return int(datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError:
        return 0


def main():
    src, out = sys.argv[1], sys.argv[2]
    rows = []
    with open(src, encoding="utf-8", errors="surrogateescape") as f:
        for i, line in enumerate(f):
            line = line.rstrip("\n")
            key, ts = "malformed", 0
            try:
                j = json.loads(line)
                if isinstance(j, dict):
                    key = j.get("userId") or j.get("anonymousId") or "malformed"
                    ts = millis(j.get("timestamp"))
            except ValueError:
                pass
            rows.append((ts, i, str(key), line))
    rows.sort(key=lambda r: (r[0], r[1]))
    with open(out + ".ndjson", "w", encoding="utf-8", errors="surrogateescape") as f, \
            open(out + ".keyed", "w", encoding="utf-8", errors="surrogateescape") as g:
        for _, _, key, line in rows:
            if "\t" in line or not line:
                continue  # kcat's delimiter; blank lines are not messages
            f.write(line + "\n")
            g.write(key + "\t" + line + "\n")


if __name__ == "__main__":
    main()
