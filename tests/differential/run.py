#!/usr/bin/env python3
"""Interpreter vs JIT on generated rule sets and streams (issue 4).

    run.py SEG FIRST_SEED COUNT [--segments N] [--lines N] [--save DIR]
    run.py --replay SEG CASE_DIR...

For each seed, tests/differential/gen_case.py writes a rule set and a stream; `seg run`
runs it under --backend interp, jit -O0 and jit -O2, and every output file must be
byte-identical, and the columnar bulk kernel must agree with the interpreter on the
final state (`seg bench run --bulk`). A mismatch is shrunk (input lines removed while it still reproduces)
and saved under --save (default tests/regressions/) as rules.seg + input.ndjson, which
tests/differential/replay.sh runs on every build. Prints the number of profile
evaluations compared.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ENGINES = [["--backend", "interp"], ["--backend", "jit", "--jit-opt", "0"], ["--backend", "jit", "--jit-opt", "2"]]
UNTIL = "2026-04-01T00:00:00Z"


def outputs(seg, case, engine, work):
    out = os.path.join(work, "_".join(engine).replace("-", ""))
    shutil.rmtree(out, ignore_errors=True)
    try:
        r = subprocess.run([seg, "run", os.path.join(case, "rules.seg"), "--input", os.path.join(case, "input.ndjson"),
                            "--out", out, "-q", "--until", UNTIL] + engine, capture_output=True, text=True,
                            timeout=120)
    except subprocess.TimeoutExpired:
        return None, "timed out after 120 s (a deadline that does not advance?)"
    if r.returncode != 0:
        return None, r.stderr
    files = {}
    for name in sorted(os.listdir(out)):
        if name.endswith(".ndjson") or name == "summary.json":
            with open(os.path.join(out, name), "rb") as f:
                files[name] = f.read()
            if name == "summary.json":
                # The state's byte count is memory, not semantics: the interpreter interns
                # constants the JIT never looks up.
                summary = json.loads(files[name])
                summary.pop("state", None)
                files[name] = json.dumps(summary).encode()
    return files, ""


def mismatch(seg, case, work):
    base, err = outputs(seg, case, ENGINES[0], work)
    if base is None:
        return f"interp failed: {err}"
    for engine in ENGINES[1:]:
        other, err = outputs(seg, case, engine, work)
        if other is None:
            return f"{' '.join(engine)} failed: {err}"
        for name in base:
            if base[name] != other.get(name):
                return f"{name} differs under {' '.join(engine)}"
    return bulk_mismatch(seg, case)


def bulk_mismatch(seg, case):
    """The columnar bulk kernel against the interpreter on the stream's final state."""
    r = subprocess.run([seg, "bench", "run", os.path.join(case, "rules.seg"), "--input",
                        os.path.join(case, "input.ndjson"), "--bulk", "--repeat", "1"],
                       capture_output=True, text=True, timeout=120)
    if r.returncode == 3 and "no bulk kernel" in r.stderr:
        return None  # a call back reads membership: the bundle is row-only
    if r.returncode != 0 or "all words agree" not in r.stdout:
        return f"bulk kernel disagrees: {r.stdout.strip()} {r.stderr.strip()}"
    return None


def evaluations(seg, case, work):
    with open(os.path.join(work, "backend_interp", "summary.json")) as f:
        return json.load(f)["evaluations"]


def shrink(seg, case, work):
    path = os.path.join(case, "input.ndjson")
    lines = open(path, encoding="utf-8").read().splitlines()
    chunk = len(lines) // 2
    while chunk >= 1:
        i, changed = 0, False
        while i < len(lines):
            trial = lines[:i] + lines[i + chunk:]
            open(path, "w", encoding="utf-8").write("\n".join(trial) + "\n")
            if trial and mismatch(seg, case, work):
                lines, changed = trial, True
            else:
                i += chunk
        open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")
        if not changed:
            chunk //= 2
    return len(lines)


def replay(seg, cases):
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            why = mismatch(seg, case, tmp)
            print(f"{os.path.basename(os.path.normpath(case))}: {'FAIL ' + why if why else 'ok'}")
            failures += bool(why)
    print(f"{len(cases)} saved differential cases replayed, {failures} failing")
    return 1 if failures else 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--replay":
        sys.exit(replay(sys.argv[2], sys.argv[3:]))
    ap = argparse.ArgumentParser()
    ap.add_argument("seg")
    ap.add_argument("first", type=int)
    ap.add_argument("count", type=int)
    ap.add_argument("--segments", type=int, default=12)
    ap.add_argument("--lines", type=int, default=600)
    ap.add_argument("--profiles", type=int, default=40)
    ap.add_argument("--save", default=os.path.join(HERE, "..", "regressions"))
    a = ap.parse_args()
    total, failures = 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(a.first, a.first + a.count):
            case = os.path.join(tmp, f"case{seed}")
            subprocess.run([sys.executable, os.path.join(HERE, "gen_case.py"), str(seed), case,
                            "--segments", str(a.segments), "--lines", str(a.lines),
                            "--profiles", str(a.profiles)], check=True)
            check = subprocess.run([a.seg, "check", os.path.join(case, "rules.seg")], capture_output=True, text=True)
            if check.returncode != 0:
                print(f"seed {seed}: generated rules do not check (generator bug):\n{check.stderr[:2000]}")
                failures += 1
                continue
            why = mismatch(a.seg, case, tmp)
            if why:
                n = shrink(a.seg, case, tmp)
                dest = os.path.join(a.save, f"differential_{seed}")
                shutil.rmtree(dest, ignore_errors=True)
                shutil.copytree(case, dest)
                print(f"seed {seed}: MISMATCH ({why}); shrunk to {n} input lines, saved in {dest}")
                failures += 1
                continue
            total += evaluations(a.seg, case, tmp)
    print(f"{a.count} generated cases, {total} profile evaluations compared under interp, jit -O0, jit -O2: "
          f"{failures} failing")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
