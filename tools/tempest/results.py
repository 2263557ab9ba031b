"""Judge one Tempest run: its subunit stream against the expected failures.

    python results.py RUN.subunit EXPECTED_FAILURES [--label NAME] [--json OUT]

Run with Tempest's interpreter (it has python-subunit and testtools). Prints
the counts, every failure with the line that says why, and which failures
are not in EXPECTED_FAILURES (a test id regular expression a line, ``#``
comments); exits 1 when there is any such unexpected failure, 0 otherwise.
An expected failure that passed is reported, so that its line is removed.
"""

import argparse
import json
import re
import sys

import subunit
import testtools


def load_expected(path: str) -> list[re.Pattern]:
    patterns = []
    with open(path) as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if line:
                patterns.append(re.compile(line))
    return patterns


def plain_id(test_id: str) -> str:
    """A test id without Tempest's ``[id-...,tags]`` suffix."""
    return re.sub(r"\[.*\]$", "", test_id)


def reason(details: dict) -> str:
    """The last line of the traceback: the exception and its message."""
    for name in ("traceback", "reason"):
        content = details.get(name)
        if content is None:
            continue
        text = b"".join(bytes(chunk) for chunk in content.iter_bytes()).decode(
            "utf-8", "replace")
        lines = [line for line in text.strip().splitlines() if line.strip()]
        if lines:
            # The exception, what Tempest said of the response (its
            # "Details:" line) and the client call that got it.
            said = [line.strip() for line in lines[-8:-1] if line.startswith("Details:")]
            calls = [m.group(1) for m in map(re.compile(
                r'File ".*/tempest/lib/services/[^"]+", line \d+, in (\w+)').search, lines)
                     if m and m.group(1) != "request"]
            exc = lines[-1].strip().replace("<br /><br />\\n\\n\\n", "")
            parts = [exc] + said[-1:] + [f"(in {call})" for call in calls[-1:]]
            return " | ".join(parts)[:400]
    return "(no traceback)"


def collect(path: str) -> dict:
    tests: dict[str, dict] = {}

    def on_test(test: dict) -> None:
        # A test a crashed worker left half-run ("inprogress"), or an
        # unexpected success, counts as a failure too.
        status = test["status"] if test["status"] in ("success", "skip", "xfail") else "fail"
        tests[test["id"]] = {"status": status, "reason": reason(test["details"])
                             if status == "fail" else ""}

    result = testtools.StreamToDict(on_test)
    with open(path, "rb") as stream:
        case = subunit.ByteStreamToStreamResult(stream, non_subunit_name="stdout")
        result.startTestRun()
        try:
            case.run(result)
        finally:
            result.stopTestRun()
    return tests


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("subunit")
    parser.add_argument("expected")
    parser.add_argument("--label", default="tempest")
    parser.add_argument("--json")
    args = parser.parse_args()

    tests = collect(args.subunit)
    expected = load_expected(args.expected)
    counts = {"success": 0, "fail": 0, "skip": 0, "xfail": 0}
    for test in tests.values():
        counts[test["status"]] = counts.get(test["status"], 0) + 1
    failures = sorted(i for i, t in tests.items() if t["status"] == "fail")
    unexpected = [i for i in failures if not any(p.search(plain_id(i)) for p in expected)]
    passed = [plain_id(i) for i, t in tests.items() if t["status"] == "success"]
    fixed = sorted({p.pattern for p in expected for i in passed if p.search(i)})

    print(f"\n== {args.label}: failures ({len(failures)})")
    for test_id in failures:
        mark = "UNEXPECTED" if test_id in unexpected else "expected  "
        print(f"{mark} {plain_id(test_id)}\n           {tests[test_id]['reason']}")
    if fixed:
        print(f"\n== {args.label}: expected failures that passed (remove their lines):")
        for pattern in fixed:
            print(f"  {pattern}")
    print(f"\n{args.label}: {counts['success']} passed, {counts['fail']} failed "
          f"({len(failures) - len(unexpected)} of them expected), {counts['skip']} skipped")
    # The closing line, in the plain form CI reads: failures that count.
    print(f"{args.label}: {counts['success']} passed, {len(unexpected)} failed, "
          f"{counts['skip']} skipped")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"counts": counts, "tests": tests, "unexpected": unexpected,
                       "fixed": fixed}, handle, indent=1)
    return 1 if unexpected or not tests else 0


if __name__ == "__main__":
    sys.exit(main())
