#!/usr/bin/env python3
"""Compare the ops a `seg run` wrote with a case's hand-derived expectations.

    compare_ops.py EXPECTED_DIR OUT_DIR

For every EXPECTED_DIR/*.ndjson, OUT_DIR/<same name> must hold the same number of
lines, and line N of each must be the same op:

  - every key of the expected object is present in the actual one with an equal
    value: numbers compare numerically (3 == 3.0), objects ignore key order,
    arrays compare element by element, booleans are never equal to numbers;
  - `op_id` is compared only when the expected object has one; `bundle` never is;
  - the actual object has no keys beyond the expected ones, except `op_id` and
    `bundle`.

OUT_DIR/rejected.ndjson must have as many lines as EXPECTED_DIR/rejected-count.txt
says (a missing file counts as 0 lines). Destination files present in OUT_DIR but
not in EXPECTED_DIR are not looked at.

Prints the first mismatching line of each file (line number, expected, actual) and
exits 1 on any mismatch, 0 otherwise. Python 3 standard library only.
"""
import json
import math
import os
import sys

ALWAYS_ALLOWED_EXTRA = {"op_id", "bundle"}
NEVER_COMPARED = {"bundle"}


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def values_equal(exp, act):
    """Deep equality with numeric tolerance for int vs float (3 == 3.0)."""
    if _is_number(exp) and _is_number(act):
        if isinstance(exp, float) and math.isnan(exp):
            return False
        return exp == act
    if isinstance(exp, bool) or isinstance(act, bool):
        return isinstance(exp, bool) and isinstance(act, bool) and exp == act
    if isinstance(exp, dict) and isinstance(act, dict):
        if set(exp) != set(act):
            return False
        return all(values_equal(exp[k], act[k]) for k in exp)
    if isinstance(exp, list) and isinstance(act, list):
        return len(exp) == len(act) and all(values_equal(e, a) for e, a in zip(exp, act))
    if exp is None or act is None:
        return exp is None and act is None
    if type(exp) is not type(act):
        return False
    return exp == act


def op_problems(exp, act):
    """The reasons an actual op differs from the expected one (empty: equal)."""
    if not isinstance(act, dict):
        return ["actual line is not a JSON object"]
    problems = []
    for key, ev in exp.items():
        if key in NEVER_COMPARED:
            continue
        if key not in act:
            problems.append("missing key %r" % key)
        elif not values_equal(ev, act[key]):
            problems.append("%r: expected %s, got %s" % (key, _dump(ev), _dump(act[key])))
    for key in act:
        if key not in exp and key not in ALWAYS_ALLOWED_EXTRA:
            problems.append("unexpected key %r (value %s)" % (key, _dump(act[key])))
    return problems


def _dump(v):
    return json.dumps(v, sort_keys=True, ensure_ascii=False)


def _read_lines(path):
    """Non-empty lines of a file, with their 1-based line numbers."""
    with open(path, "r", encoding="utf-8") as f:
        out = []
        for n, line in enumerate(f, 1):
            if line.strip():
                out.append((n, line.rstrip("\n")))
        return out


def compare_file(exp_path, act_path):
    """Returns a list of message lines; empty when the files match."""
    name = os.path.basename(exp_path)
    try:
        exp_lines = _read_lines(exp_path)
    except (OSError, UnicodeDecodeError) as e:
        return ["%s: cannot read expected file: %s" % (name, e)]
    if not os.path.exists(act_path):
        return ["%s: missing in output directory (expected %d op(s))" % (name, len(exp_lines))]
    try:
        act_lines = _read_lines(act_path)
    except (OSError, UnicodeDecodeError) as e:
        return ["%s: cannot read output file: %s" % (name, e)]

    msgs = []
    for i in range(max(len(exp_lines), len(act_lines))):
        e = exp_lines[i] if i < len(exp_lines) else None
        a = act_lines[i] if i < len(act_lines) else None
        if e is None:
            msgs.append("%s: op %d: unexpected extra op (output line %d)" % (name, i + 1, a[0]))
            msgs.append("  actual:   %s" % a[1])
            break
        try:
            exp = json.loads(e[1])
        except json.JSONDecodeError as err:
            msgs.append("%s: expected line %d is not valid JSON: %s" % (name, e[0], err))
            break
        if a is None:
            msgs.append("%s: op %d: missing (expected line %d)" % (name, i + 1, e[0]))
            msgs.append("  expected: %s" % e[1])
            break
        try:
            act = json.loads(a[1])
        except json.JSONDecodeError as err:
            msgs.append("%s: op %d: output line %d is not valid JSON: %s" % (name, i + 1, a[0], err))
            msgs.append("  expected: %s" % e[1])
            msgs.append("  actual:   %s" % a[1])
            break
        problems = op_problems(exp, act)
        if problems:
            msgs.append("%s: op %d (expected line %d, output line %d) differs:" % (name, i + 1, e[0], a[0]))
            for p in problems:
                msgs.append("  - " + p)
            msgs.append("  expected: %s" % e[1])
            msgs.append("  actual:   %s" % a[1])
            break
    if msgs and len(exp_lines) != len(act_lines):
        msgs.append("  (%s: %d op(s) expected, %d written)" % (name, len(exp_lines), len(act_lines)))
    return msgs


def check_rejected(exp_dir, out_dir):
    count_path = os.path.join(exp_dir, "rejected-count.txt")
    if not os.path.exists(count_path):
        return []
    with open(count_path, "r", encoding="utf-8") as f:
        text = f.read().strip()
    try:
        want = int(text)
    except ValueError:
        return ["rejected-count.txt: not a number: %r" % text]
    rej = os.path.join(out_dir, "rejected.ndjson")
    got = len(_read_lines(rej)) if os.path.exists(rej) else 0
    if got != want:
        return ["rejected.ndjson: expected %d rejected line(s), got %d" % (want, got)]
    return []


def main(argv):
    if len(argv) != 3:
        print("usage: compare_ops.py EXPECTED_DIR OUT_DIR", file=sys.stderr)
        return 2
    exp_dir, out_dir = argv[1], argv[2]
    if not os.path.isdir(exp_dir):
        print("not a directory: %s" % exp_dir, file=sys.stderr)
        return 2
    names = sorted(n for n in os.listdir(exp_dir) if n.endswith(".ndjson"))
    failed = False
    for n in names:
        msgs = compare_file(os.path.join(exp_dir, n), os.path.join(out_dir, n))
        if msgs:
            failed = True
            print("\n".join(msgs))
    msgs = check_rejected(exp_dir, out_dir)
    if msgs:
        failed = True
        print("\n".join(msgs))
    if not failed:
        print("ok: %d destination file(s) match" % len(names))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
