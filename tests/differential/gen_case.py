#!/usr/bin/env python3
"""Seeded generator of well-typed rule sets and streams for interpreter-vs-JIT
differential testing (issue 4).

    gen_case.py SEED OUT_DIR [--segments N] [--profiles N] [--lines N]

Writes OUT_DIR/rules.seg (a schema with every attribute type, events with properties,
N segments whose conditions mix every expression form the language has: arithmetic on
ints/numbers/durations/times, comparisons, between, in lists and sets, ??, has, not,
and/or, string built-ins, matches, ago(), event windows, counts, sums, averages,
min/max, first/last and their properties, since, segment references, exclusions, TTLs,
a tiers block) and OUT_DIR/input.ndjson (identifies and tracks with missing values,
nulls, extreme and negative numbers, zero, empty strings, Unicode, equal timestamps and
late records). Python stdlib only; the same seed gives the same bytes.
"""
import argparse
import json
import os
import random

ATTRS = [("i1", "int"), ("i2", "int"), ("n1", "number"), ("n2", "number"), ("s1", "string"),
         ("s2", "string"), ("b1", "bool"), ("t1", "time"), ("d1", "duration"), ("tags", "set<string>")]
EVENTS = {"ev_a": [("x", "number"), ("k", "int"), ("c", "string"), ("f", "bool")],
          "ev_b": [("y", "number"), ("w", "string")]}
STRINGS = ["", "a", "b", "Ab", "zz", "é", "日本", "a.b", "x y", "vip", "A"]
WINDOWS = ["1h", "6h", "1d", "2d", "3d"]


class Gen:
    def __init__(self, rnd, segments):
        self.r = rnd
        self.segments = segments

    def pick(self, xs):
        return self.r.choice(xs)

    def attr(self, t):
        return self.pick([a for a, ty in ATTRS if ty == t])

    def num(self, depth):
        r = self.r.random()
        if depth <= 0 or r < 0.3:
            return self.pick([self.attr("int"), self.attr("number"), str(self.r.randint(-5, 100)),
                              f"{self.r.uniform(-10, 300):.2f}", "0", "-1", "1e6"])
        if r < 0.55:
            op = self.pick(["+", "-", "*", "/", "%"])
            return f"({self.num(depth - 1)} {op} {self.num(depth - 1)})"
        if r < 0.65:
            return f"({self.num(depth - 1)} ?? {self.num(depth - 1)})"
        if r < 0.72:
            return f"-{self.num(depth - 1)}"
        if r < 0.8:
            return f"len({self.str_(depth - 1)})"
        ev = self.pick(list(EVENTS))
        nums = [p for p, t in EVENTS[ev] if t in ("number", "int")]
        w = f" within {self.pick(WINDOWS)}" if self.r.random() < 0.6 else ""
        kind = self.r.random()
        if kind < 0.35:
            return f"count({ev}{self.where(ev)}{w})"
        if kind < 0.7:
            return f"{self.pick(['sum', 'avg', 'min', 'max'])}({ev}.{self.pick(nums)}{w})"
        return f"{self.pick(['last', 'first'])}({ev}).{self.pick(nums)}"

    def dur(self, depth):
        r = self.r.random()
        if depth <= 0 or r < 0.4:
            return self.pick(["d1", "1h", "2d", "30m", "1s"])
        if r < 0.7:
            return f"ago({self.time(depth - 1)})"
        if r < 0.85:
            return f"({self.dur(depth - 1)} {self.pick(['+', '-'])} {self.dur(depth - 1)})"
        return f"({self.dur(depth - 1)} * {self.pick(['2', '0.5', 'n1', 'i1'])})"

    def time(self, depth):
        r = self.r.random()
        if depth <= 0 or r < 0.4:
            return self.pick(["t1", "now", "2026-03-02T00:00:00Z"])
        if r < 0.7:
            ev = self.pick(list(EVENTS))
            return f"{self.pick(['last', 'first'])}({ev}).time"
        return f"({self.time(depth - 1)} {self.pick(['+', '-'])} {self.dur(depth - 1)})"

    def str_(self, depth):
        r = self.r.random()
        if depth <= 0 or r < 0.5:
            return self.pick(["s1", "s2", "id", json.dumps(self.pick(STRINGS), ensure_ascii=False)])
        if r < 0.8:
            return f"{self.pick(['lower', 'upper', 'trim'])}({self.str_(depth - 1)})"
        return f"({self.str_(depth - 1)} ?? {self.str_(depth - 1)})"

    def where(self, ev):
        if self.r.random() < 0.6:
            return ""
        props = EVENTS[ev]
        p, t = self.pick(props)
        if t in ("number", "int"):
            return f" where {p} > {self.r.randint(-2, 60)}"
        if t == "bool":
            return f" where {self.pick(['', 'not '])}{p}"
        return f" where {p} == {json.dumps(self.pick(STRINGS), ensure_ascii=False)}"

    def cond(self, depth, own):
        r = self.r.random()
        if depth <= 0 or r < 0.45:
            return self.atom(depth, own)
        if r < 0.75:
            return f"({self.cond(depth - 1, own)} {self.pick(['and', 'or'])} {self.cond(depth - 1, own)})"
        return f"not ({self.cond(depth - 1, own)})"

    def atom(self, depth, own):
        r = self.r.random()
        op = self.pick(["==", "!=", "<", "<=", ">", ">="])
        if r < 0.3:
            return f"{self.num(depth)} {op} {self.num(depth)}"
        if r < 0.4:
            return f"{self.num(depth)} between {self.num(0)} and {self.num(0)}"
        if r < 0.5:
            return f"{self.dur(depth)} {op} {self.dur(0)}"
        if r < 0.55:
            return f"{self.time(depth)} {op} {self.time(0)}"
        if r < 0.62:
            return f"{self.str_(depth)} {self.pick(['==', '!='])} {self.str_(0)}"
        if r < 0.66:
            return f"{self.str_(depth)} {self.pick(['<', '>='])} {self.str_(0)}"
        if r < 0.7:
            return f"{self.str_(depth)} {self.pick(['in', 'not in'])} [\"a\", \"b\", \"vip\"]"
        if r < 0.74:
            return f"\"vip\" in tags"
        if r < 0.77:
            return f"{self.str_(depth)} matches \"^[a-z]+$\""
        if r < 0.8:
            return f"{self.pick(['starts_with', 'ends_with', 'contains'])}({self.str_(depth)}, \"a\")"
        if r < 0.85:
            return f"has({self.pick([a for a, _ in ATTRS])})"
        if r < 0.88:
            return self.pick(["b1", "not b1", "(b1 ?? true)"])
        if r < 0.94:
            ev = self.pick(list(EVENTS))
            w = f" within {self.pick(WINDOWS)}" if self.r.random() < 0.7 else ""
            since = f" since last({self.pick(list(EVENTS))})" if self.r.random() < 0.2 else ""
            return f"{ev}{self.where(ev)}{w}{since}"
        earlier = [s for s in self.segments[:own]]
        if earlier:
            return self.pick(earlier)
        return f"{self.num(depth)} > 0"


def rules(rnd, n):
    names = [f"s{i:02d}" for i in range(n)]
    g = Gen(rnd, names)
    out = ["# Generated by tests/differential/gen_case.py: interpreter vs JIT.", "profile {"]
    for a, t in ATTRS:
        out.append(f"  {a}: {t}" + ("  @id" if a == "s1" else ""))
    out.append("}")
    out.append("")
    for ev, props in EVENTS.items():
        out.append(f"event {ev} {{ " + ", ".join(f"{p}: {t}" for p, t in props) + " }")
    out.append("")
    for i, name in enumerate(names):
        c = g.cond(3, i)
        extra = []
        if i > 0 and rnd.random() < 0.15:
            extra.append(f"  exclude {rnd.choice(names[:i])}")
        if rnd.random() < 0.2:
            extra.append(f"  ttl {rnd.choice(['1h', '12h', '2d'])}")
        if rnd.random() < 0.1:
            extra.append("  holdout 30%")
        if extra:
            out.append(f"segment {name} {{")
            out.append(f"  when {c}")
            out.extend(extra)
            out.append("}")
        else:
            out.append(f"segment {name} = {c}")
    out.append("")
    out.append(f"tiers split from {names[0]} {{")
    out.append(f"  first: {g.cond(2, n)}")
    out.append(f"  second: {g.cond(2, n)}")
    out.append("  rest: else")
    out.append("}")
    out.append("")
    out.append("destination wh {")
    out.append("  type     warehouse")
    out.append("  audience " + ", ".join(names) + ", split")
    out.append("  match    id, s1")
    out.append("  fields   i1, n1, t1, d1, tags")
    out.append("  include  holdout")
    out.append("}")
    return "\n".join(out) + "\n"


def value(rnd, t):
    r = rnd.random()
    if r < 0.1:
        return None
    if t == "int":
        return rnd.choice([0, 1, -1, 7, 42, 100, 9007199254740993, -9223372036854775807, rnd.randint(-50, 200)])
    if t == "number":
        return rnd.choice([0, -0.0, 0.5, 1e308, -1e308, 5e-324, 3.0, rnd.uniform(-100, 400)])
    if t == "string":
        return rnd.choice(STRINGS + [" A ", "x@y.z"])
    if t == "bool":
        return rnd.choice([True, False])
    if t == "time":
        return rnd.choice(["2026-03-01T00:00:00Z", "2026-02-01T12:00:00.5Z", "2025-12-01T00:00:00+02:00"])
    if t == "duration":
        return rnd.choice([0, 60, 3600, 86400.5, -10, 1e12])
    if t == "set<string>":
        return rnd.sample(["vip", "a", "b", "é"], rnd.randint(0, 3))
    return None


def stream(rnd, profiles, lines):
    ts = 1772323200000  # 2026-03-01T00:00:00Z
    out = []
    for i in range(lines):
        ts += rnd.choice([0, 0, 1, 1000, 60000, 3600000, 7200000])
        t = ts - rnd.choice([0] * 20 + [3600000, 86400000])  # some late records
        pid = f"p{rnd.randint(0, profiles - 1)}"
        stamp = f"{t // 1000}"
        import datetime
        iso = datetime.datetime.fromtimestamp(t / 1000, tz=datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        if rnd.random() < 0.35:
            traits = {}
            for a, ty in ATTRS:
                if rnd.random() < 0.5:
                    traits[a] = value(rnd, ty)
            rec = {"type": "identify", "userId": pid, "timestamp": iso, "traits": traits}
        else:
            ev = rnd.choice(list(EVENTS))
            props = {p: value(rnd, ty) for p, ty in EVENTS[ev] if rnd.random() < 0.8}
            rec = {"type": "track", "userId": pid, "event": ev, "timestamp": iso, "properties": props}
        del stamp
        out.append(json.dumps(rec, ensure_ascii=False))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("seed", type=int)
    ap.add_argument("out")
    ap.add_argument("--segments", type=int, default=12)
    ap.add_argument("--profiles", type=int, default=40)
    ap.add_argument("--lines", type=int, default=600)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "rules.seg"), "w", encoding="utf-8") as f:
        f.write(rules(rnd, a.segments))
    with open(os.path.join(a.out, "input.ndjson"), "w", encoding="utf-8") as f:
        f.write(stream(rnd, a.profiles, a.lines))


if __name__ == "__main__":
    main()
