#!/usr/bin/env python3
"""Runs every lint case (tests/lint/cases/*.seg, tests/lint/config/*/rules.seg) through
`seg lint --format json` and checks its header (tests/lint/cases/README.md): exactly the
expected findings (code at line:col) and the expected exit status.

  tests/lint/run_cases.py SEG REPO_ROOT [NAME_FILTER]
"""
import json
import os
import re
import shlex
import subprocess
import sys

seg, root = sys.argv[1], sys.argv[2]
only = sys.argv[3] if len(sys.argv) > 3 else ""
cases = []
cdir = os.path.join(root, "tests/lint/cases")
cases += [(cdir, f) for f in sorted(os.listdir(cdir)) if f.endswith(".seg")]
gdir = os.path.join(root, "tests/lint/config")
if os.path.isdir(gdir):
    cases += [(os.path.join(gdir, d), "rules.seg") for d in sorted(os.listdir(gdir))
              if os.path.exists(os.path.join(gdir, d, "rules.seg"))]

failures = 0
for folder, name in cases:
    label = os.path.relpath(os.path.join(folder, name), root)
    if only and only not in label:
        continue
    expect, args, status = set(), [], 0
    for line in open(os.path.join(folder, name), encoding="utf-8"):
        if not line.startswith("#"):
            break
        m = re.match(r"#\s*expect:\s*(SEG\d+) at (\d+):(\d+)", line)
        if m:
            expect.add((m.group(1), int(m.group(2)), int(m.group(3))))
        m = re.match(r"#\s*sample:\s*(\S+)", line)
        if m:
            args += ["--sample", m.group(1)]
        m = re.match(r"#\s*args:\s*(.*)", line)
        if m:
            args += shlex.split(m.group(1))
        m = re.match(r"#\s*exit:\s*(\d+)", line)
        if m:
            status = int(m.group(1))
    run = subprocess.run([seg, "lint", name, "--format", "json", "--color", "never"] + args, cwd=folder,
                         capture_output=True, text=True)
    got = set()
    try:
        for d in json.loads(run.stdout)["diagnostics"]:
            got.add((d["code"], d["line"], d["column"]))
    except (ValueError, KeyError):
        if status != 2:  # a bad configuration prints no JSON
            print(f"FAIL {label}: no JSON on stdout (exit {run.returncode}): {run.stderr.strip()[:300]}")
            failures += 1
            continue
    problems = []
    if run.returncode != status:
        problems.append(f"exit {run.returncode}, expected {status}")
    if status != 2 and got != expect:
        missing, extra = sorted(expect - got), sorted(got - expect)
        if missing:
            problems.append("missing " + ", ".join(f"{c} at {l}:{k}" for c, l, k in missing))
        if extra:
            problems.append("unexpected " + ", ".join(f"{c} at {l}:{k}" for c, l, k in extra))
    if problems:
        failures += 1
        print(f"FAIL {label}: " + "; ".join(problems))
print(f"lint cases: {len(cases) - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
