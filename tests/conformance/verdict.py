#!/usr/bin/env python3
"""Verdict of one conformance suite run: fails unless every failed check is an RFC exclusion.

Usage: verdict.py SUITE RUNNER_OUTPUT RUNNER_EXIT_CODE EXCLUSIONS.tsv

A check is named from the runner's FAIL line:
  Okta runner:   FAIL  <note> [<METHOD> <url> -> <status>]: <assertion>; got <actual>
                 -> "<note> :: <assertion>"
  newman report: FAIL  <request> [<status>]: <assertion> -- <message>
                 -> "<request> [<status>] :: <assertion> -- <message>" (the status pins the
                    way the check may fail; Microsoft's collection reuses
                    request and assertion names, e.g. "Get group by id" / "Body contians user"
                    once with to.include and once with to.not.include; the message tells them
                    apart)
EXCLUSIONS.tsv rows: suite, check name, RFC section, reason (tab-separated, '#' comments). In a
check name '*' stands for any text (only where the suite puts a random value into the assertion).
The runner's closing "N passed, N failed" must account for every FAIL line, so a failure the
parser cannot name (request errors, a crashed runner) is never excused.
"""
import re
import sys

OKTA_FAIL = re.compile(r"^FAIL  (?P<step>.*?) \[\S+ .* -> \S+\]: (?P<check>.*?)(?:; got .*)?$")
NEWMAN_FAIL = re.compile(r"^FAIL  (?P<step>.*? \[\S+\]): (?P<check>.*? -- .*)$")
CLOSING = re.compile(r"^(\d+) passed, (\d+) failed$")


def load_exclusions(path, suite):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 4:
                sys.exit(f"{path}: expected 4 tab-separated columns: {line!r}")
            if cols[0] == suite:
                pattern = ".*".join(re.escape(part) for part in cols[1].split("*"))
                rows[cols[1]] = (re.compile(pattern + r"\Z"), cols[2])
    return rows


def exclusion_of(name, excluded):
    for check, (pattern, rfc) in excluded.items():
        if name is not None and pattern.match(name):
            return check, rfc
    return None


def check_name(line):
    for pattern in (OKTA_FAIL, NEWMAN_FAIL):
        m = pattern.match(line)
        if m:
            return f"{m.group('step')} :: {m.group('check')}"
    return None


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    suite, output, runner_rc, exclusions_path = sys.argv[1:]
    excluded = load_exclusions(exclusions_path, suite)
    fails = []
    closing = None
    with open(output, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("FAIL  "):
                fails.append(line)
            m = CLOSING.match(line)
            if m:
                closing = (int(m.group(1)), int(m.group(2)))
    if closing is None:
        print(f"{suite}: FAILED: the runner printed no closing line (exit code {runner_rc})")
        return 1
    passed, failed = closing
    excused, counted = [], []
    for line in fails:
        name = check_name(line)
        hit = exclusion_of(name, excluded)
        if hit:
            excused.append((name, hit[1]))
        else:
            counted.append((name or line, line))
    if failed != len(fails):
        print(f"{suite}: FAILED: {failed} failed checks but {len(fails)} FAIL lines")
        return 1
    for name, rfc in excused:
        print(f"{suite}: excluded (contradicts {rfc}): {name}")
    for name, _ in counted:
        print(f"{suite}: counts: {name}")
    verdict = "FAILED" if counted else "OK"
    print(f"{suite}: {verdict}: {passed} passed, {failed} failed, of which {len(excused)} "
          f"excluded as contradicting RFC 7643/7644 (docs/conformance.md)")
    if not counted and int(runner_rc) not in (0, 1):
        print(f"{suite}: FAILED: the runner exited with {runner_rc}")
        return 1
    return 1 if counted else 0


if __name__ == "__main__":
    sys.exit(main())
