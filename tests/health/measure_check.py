#!/usr/bin/env python3
"""Checks summary.json's `measures` (RUNTIME.md §9) against an independent recount.

Exposure and arm come from the warehouse ops (the destination includes holdout members,
so each profile's first `add` is its first entry, flagged with its arm); conversions from
the input stream: a purchase not refunded in (entry, entry + 7d], once per profile, its
order_value summed. The statistics are recomputed with scipy (Debian python3-scipy).

usage: measure_check.py INPUT OUT_DIR [--expect-srm-flag]
"""
import json, math, sys
from datetime import datetime, timedelta

from scipy import stats


def ts(s):
    return datetime.strptime(s.replace(".000Z", "Z"), "%Y-%m-%dT%H:%M:%SZ")


def close(a, b, what, tol=1e-9):
    if a is None or b is None:
        if a is not b:
            sys.exit(f"FAIL {what}: {a} != {b}")
        return
    if abs(a - b) > tol * max(1.0, abs(b)):
        sys.exit(f"FAIL {what}: seg says {a}, recount says {b}")


def main():
    inp, out = sys.argv[1], sys.argv[2]
    expect_srm = "--expect-srm-flag" in sys.argv
    exposed = {}  # profile -> (ts, holdout)
    labels_seen = 0
    with open(f"{out}/warehouse_history.ndjson") as f:
        for line in f:
            op = json.loads(line)
            if op.get("labels") == {"campaign": "abandon-2026-03", "owner": "growth"}:
                labels_seen += 1
            if op["op"] == "add" and op["profile"] not in exposed:
                exposed[op["profile"]] = (ts(op["ts"]), op["holdout"])
    if not exposed:
        sys.exit("FAIL: no profile entered: the test stream is wrong")
    with open(f"{out}/warehouse_history.ndjson") as f:
        if labels_seen != sum(1 for _ in f):
            sys.exit("FAIL: every warehouse op must carry the destination's labels")
    arms = {False: [0, 0, 0.0], True: [0, 0, 0.0]}  # exposed, converted, value
    for p, (t, h) in exposed.items():
        arms[h][0] += 1
    converted = set()
    with open(inp) as f:
        for line in f:
            r = json.loads(line)
            if r.get("event") != "purchased" or r["userId"] not in exposed:
                continue
            t, h = exposed[r["userId"]]
            at = ts(r["timestamp"])
            props = r.get("properties", {})
            if not (t < at <= t + timedelta(days=7)) or props.get("refunded") is True:
                continue
            if r["userId"] not in converted:
                converted.add(r["userId"])
                arms[h][1] += 1
            arms[h][2] += props.get("order_value", 0)
    summary = json.load(open(f"{out}/summary.json"))
    m = summary["measures"]["abandon_lift"]
    for h, name in ((False, "treatment"), (True, "holdout")):
        e, c, v = arms[h]
        got = m[name]
        if (got["exposed"], got["converted"]) != (e, c):
            sys.exit(f"FAIL {name}: seg says exposed {got['exposed']} converted {got['converted']}, "
                     f"recount says {e} {c}")
        close(got["value"], v, f"{name} value")
        close(got["rate"], c / e if e else None, f"{name} rate")
    (nT, xT, _), (nH, xH, _) = arms[False], arms[True]
    pT, pH = xT / nT, xH / nH
    z = stats.norm.ppf(0.975)
    d = pT - pH
    se = math.sqrt(pT * (1 - pT) / nT + pH * (1 - pH) / nH)
    close(m["absolute_lift"]["estimate"], d, "absolute lift")
    close(m["absolute_lift"]["low"], d - z * se, "absolute lift low")
    close(m["absolute_lift"]["high"], d + z * se, "absolute lift high")
    se_log = math.sqrt((1 - pT) / (nT * pT) + (1 - pH) / (nH * pH))
    close(m["relative_lift"]["estimate"], pT / pH - 1, "relative lift")
    close(m["relative_lift"]["low"], math.exp(math.log(pT / pH) - z * se_log) - 1, "relative lift low")
    close(m["relative_lift"]["high"], math.exp(math.log(pT / pH) + z * se_log) - 1, "relative lift high")
    # The pooled two-proportion z-test: scipy's chi-square test of the 2x2 table without
    # continuity correction is the same test (chi2 = z^2).
    table = [[xT, nT - xT], [xH, nH - xH]]
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    close(m["p_value"], p, "p-value", 1e-7)
    # Sample ratio: observed arm sizes against the holdout share.
    share = m["sample_ratio"]["expected_holdout_share"]
    close(share, 0.5, "holdout share")
    chi, p_srm = stats.chisquare([nT, nH], [(nT + nH) * (1 - share), (nT + nH) * share])
    close(m["sample_ratio"]["chi_square"], chi, "sample-ratio chi-square", 1e-7)
    close(m["sample_ratio"]["p_value"], p_srm, "sample-ratio p-value", 1e-6)
    if m["sample_ratio"]["flag"] != (p_srm < 0.001) or m["sample_ratio"]["flag"] != expect_srm:
        sys.exit(f"FAIL: sample-ratio flag {m['sample_ratio']['flag']} (p = {p_srm}, expected "
                 f"{'a flag' if expect_srm else 'none'})")
    want = "insufficient" if min(xT, xH) < 30 else ("significant" if p < 0.05 else "not_significant")
    if m["status"] != want:
        sys.exit(f"FAIL: status {m['status']}, expected {want}")
    print(f"ok: treatment {nT}/{xT}, holdout {nH}/{xH}, p = {p:.4g}, srm p = {p_srm:.4g}, {m['status']}")


main()
