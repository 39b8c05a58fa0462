#!/usr/bin/env python3
"""Validate SARIF logs written by `seg ... --format sarif`.

Usage:
  validate_sarif.py [--schema PATH] [--quiet] [FILE|-]...

Each FILE (or standard input, `-`, the default) must hold one SARIF log. It is
checked in two passes:

1. against the SARIF 2.1.0 JSON schema vendored next to this script
   (schema/sarif-schema-2.1.0.json, see schema/README.md), with the python3
   `jsonschema` package (Debian: python3-jsonschema);
2. against what seg promises on top of the schema (docs/diagnostics.md):
   - one or more runs, each with tool.driver.name "seg" and columnKind
     "unicodeCodePoints";
   - tool.driver.rules: unique ids of the form SEGnnn, each with a non-empty
     shortDescription.text;
   - every result has ruleId (described in tool.driver.rules; ruleIndex, when
     present, points at that rule), level (error|warning|note; SEG0xx codes are
     always errors), a non-empty message.text, and a first location whose
     physicalLocation has artifactLocation.uri (an RFC 3986 URI reference) and
     a region with startLine/startColumn/endLine/endColumn (integers >= 1, the
     end not before the start);
   - relatedLocations, when present, carry the same kind of URI and, when they
     have a region, a well-formed one; properties.help, when present, is a
     non-empty string.

Exit status: 0 every document is valid; 1 at least one is invalid (each
problem is printed on standard output with its JSON path); 2 usage error
(unreadable file, missing schema, jsonschema not installed).
"""

import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA = os.path.join(HERE, "schema", "sarif-schema-2.1.0.json")

SEG_CODE = re.compile(r"^SEG[0-9]{3}$")
SEG_LEVELS = ("error", "warning", "note")
REGION_KEYS = ("startLine", "startColumn", "endLine", "endColumn")

# RFC 3986 URI-reference, checked character by character: unreserved,
# reserved (gen-delims and sub-delims) and percent-encoded octets only.
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+\-.]*:")

MAX_SCHEMA_ERRORS = 50


def usage_error(message):
    print(f"validate_sarif: error: {message}", file=sys.stderr)
    sys.exit(2)


def json_path(parts):
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def uri_problem(uri):
    """Why `uri` is not an RFC 3986 URI reference, or None."""
    if not isinstance(uri, str) or uri == "":
        return "is not a non-empty string"
    if not URI_CHARS.match(uri):
        bad = sorted({c for c in re.sub(r"%[0-9A-Fa-f]{2}", "", uri)
                      if not re.match(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]", c)})
        return ("is not a valid URI reference: characters " +
                " ".join(repr(c) for c in bad) + " must be percent-encoded")
    first = re.split(r"[/?#]", uri, maxsplit=1)[0]
    if URI_SCHEME.match(uri):
        # seg names files: a path relative to where it ran, or a file: URI. Any
        # other scheme is a relative path whose first segment holds ':' (which
        # RFC 3986 section 4.2 forbids, since it then reads as a scheme).
        if not uri.lower().startswith("file:"):
            return (f"reads as a URI with the scheme {first.split(':')[0]!r}; a path whose first "
                    "segment holds ':' must write it as %3A (or start with './')")
    elif ":" in first:
        return ("is not a valid URI reference: a relative reference whose first "
                "segment holds ':' (write %3A, or start with './')")
    return None


class Checker:
    def __init__(self, name):
        self.name = name
        self.problems = []

    def fail(self, path, message):
        self.problems.append(f"{json_path(path)}: {message}")

    # --- helpers -----------------------------------------------------------

    def obj(self, value, path, what):
        if not isinstance(value, dict):
            self.fail(path, f"{what} is missing or not an object")
            return None
        return value

    def nonempty_string(self, value, path, what):
        if not isinstance(value, str) or value == "":
            self.fail(path, f"{what} is missing or not a non-empty string")
            return False
        return True

    def region(self, region, path):
        if not isinstance(region, dict):
            self.fail(path, "region is missing or not an object")
            return
        ok = True
        for k in REGION_KEYS:
            v = region.get(k)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                self.fail(path + [k], f"{k} is missing or not an integer >= 1")
                ok = False
        if ok:
            start = (region["startLine"], region["startColumn"])
            end = (region["endLine"], region["endColumn"])
            if end < start:
                self.fail(path, f"region ends ({end[0]}:{end[1]}) before it starts "
                                f"({start[0]}:{start[1]})")

    def physical_location(self, loc, path, need_region):
        phys = self.obj(loc.get("physicalLocation") if isinstance(loc, dict) else None,
                        path + ["physicalLocation"], "physicalLocation")
        if phys is None:
            return
        art = self.obj(phys.get("artifactLocation"), path + ["physicalLocation", "artifactLocation"],
                       "artifactLocation")
        if art is not None:
            problem = uri_problem(art.get("uri"))
            if problem:
                self.fail(path + ["physicalLocation", "artifactLocation", "uri"],
                          f"uri {json.dumps(art.get('uri'), ensure_ascii=False)} {problem}")
        if need_region or "region" in phys:
            self.region(phys.get("region"), path + ["physicalLocation", "region"])

    # --- the seg contract --------------------------------------------------

    def log(self, doc):
        runs = doc.get("runs") if isinstance(doc, dict) else None
        if not isinstance(runs, list) or not runs:
            self.fail(["runs"], "seg writes at least one run")
            return
        for i, run in enumerate(runs):
            if isinstance(run, dict):
                self.run(run, ["runs", i])
            else:
                self.fail(["runs", i], "run is not an object")

    def run(self, run, path):
        if run.get("columnKind") != "unicodeCodePoints":
            self.fail(path + ["columnKind"], f"columnKind is {json.dumps(run.get('columnKind'))}, "
                                             "seg counts columns in unicodeCodePoints")
        tool = self.obj(run.get("tool"), path + ["tool"], "tool")
        driver = self.obj(tool.get("driver") if tool else None, path + ["tool", "driver"], "driver")
        rule_ids = []
        if driver is not None:
            if driver.get("name") != "seg":
                self.fail(path + ["tool", "driver", "name"],
                          f"driver name is {json.dumps(driver.get('name'))}, not \"seg\"")
            rules = driver.get("rules", [])
            if not isinstance(rules, list):
                self.fail(path + ["tool", "driver", "rules"], "rules is not an array")
                rules = []
            for j, rule in enumerate(rules):
                rpath = path + ["tool", "driver", "rules", j]
                if not isinstance(rule, dict):
                    self.fail(rpath, "rule is not an object")
                    rule_ids.append(None)
                    continue
                rid = rule.get("id")
                if not isinstance(rid, str) or not SEG_CODE.match(rid):
                    self.fail(rpath + ["id"], f"rule id {json.dumps(rid)} is not a seg code (SEGnnn)")
                elif rid in rule_ids:
                    self.fail(rpath + ["id"], f"rule {rid} is described twice")
                rule_ids.append(rid)
                sd = rule.get("shortDescription")
                self.nonempty_string(sd.get("text") if isinstance(sd, dict) else None,
                                     rpath + ["shortDescription", "text"], "shortDescription.text")
        results = run.get("results")
        if not isinstance(results, list):
            self.fail(path + ["results"], "results is missing or not an array "
                                          "(an empty array when there is nothing to report)")
            return
        for k, result in enumerate(results):
            if isinstance(result, dict):
                self.result(result, path + ["results", k], rule_ids)
            else:
                self.fail(path + ["results", k], "result is not an object")

    def result(self, r, path, rule_ids):
        rid = r.get("ruleId")
        if self.nonempty_string(rid, path + ["ruleId"], "ruleId"):
            if not SEG_CODE.match(rid):
                self.fail(path + ["ruleId"], f"ruleId {json.dumps(rid)} is not a seg code (SEGnnn)")
            if rid not in rule_ids:
                self.fail(path + ["ruleId"], f"ruleId {rid} is not described in tool.driver.rules")
            if "ruleIndex" in r:
                idx = r["ruleIndex"]
                if (isinstance(idx, bool) or not isinstance(idx, int) or not 0 <= idx < len(rule_ids)
                        or rule_ids[idx] != rid):
                    self.fail(path + ["ruleIndex"],
                              f"ruleIndex {json.dumps(idx)} does not point at rule {rid}")
        level = r.get("level")
        if level not in SEG_LEVELS:
            self.fail(path + ["level"], f"level is {json.dumps(level)}, not one of "
                                        + ", ".join(SEG_LEVELS))
        elif isinstance(rid, str) and rid.startswith("SEG0") and level != "error":
            self.fail(path + ["level"], f"{rid} is an error code but its level is {level}")
        msg = r.get("message")
        self.nonempty_string(msg.get("text") if isinstance(msg, dict) else None,
                             path + ["message", "text"], "message.text")
        locs = r.get("locations")
        if not isinstance(locs, list) or not locs:
            self.fail(path + ["locations"], "locations is missing or empty")
        else:
            for m, loc in enumerate(locs):
                self.physical_location(loc, path + ["locations", m], need_region=True)
        related = r.get("relatedLocations", [])
        if not isinstance(related, list):
            self.fail(path + ["relatedLocations"], "relatedLocations is not an array")
        else:
            for m, loc in enumerate(related):
                self.physical_location(loc, path + ["relatedLocations", m], need_region=False)
        props = r.get("properties")
        if isinstance(props, dict) and "help" in props:
            self.nonempty_string(props["help"], path + ["properties", "help"], "properties.help")


def load_validator(schema_path):
    try:
        import jsonschema
    except ImportError:
        usage_error("the python3 `jsonschema` package is not installed "
                    "(Debian: apt-get install python3-jsonschema; scripts/install-deps.sh does it)")
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        usage_error(f"cannot load the schema {schema_path}: {e}")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER if hasattr(cls, "FORMAT_CHECKER")
               else jsonschema.FormatChecker())


def validate(name, text, validator):
    c = Checker(name)
    try:
        doc = json.loads(text)
    except ValueError as e:
        c.problems.append(f"not JSON: {e}")
        return c.problems, None
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for e in errors[:MAX_SCHEMA_ERRORS]:
        c.problems.append(f"{json_path(list(e.absolute_path))}: schema: {e.message}")
    if len(errors) > MAX_SCHEMA_ERRORS:
        c.problems.append(f"... and {len(errors) - MAX_SCHEMA_ERRORS} more schema errors")
    c.log(doc)
    return c.problems, doc


def main():
    ap = argparse.ArgumentParser(description="Validate seg's SARIF 2.1.0 output.")
    ap.add_argument("files", nargs="*", default=["-"], help="SARIF files; - for standard input")
    ap.add_argument("--schema", default=DEFAULT_SCHEMA, help="the SARIF 2.1.0 JSON schema")
    ap.add_argument("--quiet", action="store_true", help="print only problems")
    args = ap.parse_args()
    validator = load_validator(args.schema)

    invalid = 0
    for name in args.files:
        try:
            if name == "-":
                text = sys.stdin.buffer.read().decode("utf-8")
                name = "<stdin>"
            else:
                with open(name, "rb") as f:
                    text = f.read().decode("utf-8")
        except OSError as e:
            usage_error(f"cannot read {name}: {e.strerror}")
        except UnicodeDecodeError as e:
            print(f"{name}: invalid: not UTF-8 text ({e})")
            invalid += 1
            continue
        problems, doc = validate(name, text, validator)
        if problems:
            invalid += 1
            print(f"{name}: invalid: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
            for p in problems:
                print(f"  {p}")
        elif not args.quiet:
            results = sum(len(r.get("results", [])) for r in doc["runs"])
            rules = sum(len(r["tool"]["driver"].get("rules", [])) for r in doc["runs"])
            print(f"{name}: valid SARIF 2.1.0 ({results} result{'s' if results != 1 else ''}, "
                  f"{rules} rule{'s' if rules != 1 else ''})")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
