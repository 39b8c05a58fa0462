#!/usr/bin/env python3
"""`seg test --format junit|json` must be well-formed and agree with the human report.

    check_reports.py SEG DIR    (DIR: tests/seg_test)

For failing.seg and passing.seg: the JUnit report parses as XML (one <testsuite>, one
<testcase> per test block, counts that match, a <failure> naming each failed
expectation's location), and the JSON report parses with the documented shape.
"""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

seg, folder = sys.argv[1], sys.argv[2]


def run(*args):
    p = subprocess.run([seg, "test", *args], cwd=folder, capture_output=True, text=True)
    return p.returncode, p.stdout


def check(case, want_tests, want_failed):
    code, out = run("--format", "junit", case)
    assert code == (1 if want_failed else 0), f"{case}: exit {code}"
    suite = ET.fromstring(out)  # raises on malformed XML
    assert suite.tag == "testsuite" and suite.get("name") == "seg test", suite.attrib
    cases = suite.findall("testcase")
    assert len(cases) == want_tests == int(suite.get("tests")), (len(cases), suite.attrib)
    failures = [c.find("failure") for c in cases if c.find("failure") is not None]
    assert len(failures) == want_failed == int(suite.get("failures")), suite.attrib
    for c in cases:
        assert c.get("classname") == c.get("file") == case and int(c.get("line")) > 0, c.attrib
    for f in failures:
        for line in f.get("message").split("\n"):
            assert line.startswith(case + ":"), line
        assert f.text and f.text.startswith(case + ":"), f.text

    code, out = run("--format", "json", case)
    report = json.loads(out)
    assert list(report) == ["tests", "passed", "failed"], list(report)
    assert len(report["tests"]) == want_tests and report["failed"] == want_failed, report
    for t in report["tests"]:
        assert list(t) == ["name", "file", "line", "passed", "failures"], list(t)
        assert t["passed"] == (not t["failures"])
        for f in t["failures"]:
            assert list(f) in (["file", "line", "column", "message"], ["file", "line", "column", "message", "ops"]), list(f)
            if "ops" in f:  # a failed `expect ops`: the diff as data
                assert list(f["ops"]) == ["destination", "matching", "instants", "hints"], list(f["ops"])
                assert f["ops"]["instants"] and all(g["missing"] or g["unexpected"] for g in f["ops"]["instants"])


check("failing.seg", 2, 1)
check("passing.seg", 2, 0)
print("junit and json reports ok")
