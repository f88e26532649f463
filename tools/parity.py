#!/usr/bin/env python3
"""Prints the parity table from the conformance logs of each target.

usage: parity.py TARGET:FLAVOUR=LOG [...]

Each log holds the harness output of one run; its summary lines
("XXXX:name: N tests executed (T marked as todo, F as flaky, X failures), S skipped.")
are added up.  A log without a summary line, or with an unknown status, is a
failed run: Wine, for one, exits 0 when it cannot start a program.
A log whose first line starts with "SKIP:" is a target this machine cannot run.
Exit status: 1 if any run failed or had failures.
"""
import re
import sys

SUMMARY = re.compile(r"^[0-9a-f]{4,}:(\S+): (\d+) tests executed \((\d+) marked as todo, (\d+) as flaky, "
                     r"(\d+) failures?\), (\d+) skipped\.$")


def tally(path):
    try:
        lines = open(path, errors="replace").read().splitlines()
    except OSError as err:
        return {"note": f"no log ({err.strerror})", "bad": True}
    if lines and lines[0].startswith("SKIP:"):
        return {"note": lines[0], "bad": False, "skip": True}
    row = {"tests": 0, "executed": 0, "todo": 0, "flaky": 0, "failures": 0, "skipped": 0, "bad": False, "note": ""}
    for line in lines:
        m = SUMMARY.match(line.strip())
        if m:
            row["tests"] += 1
            for key, value in zip(("executed", "todo", "flaky", "failures", "skipped"), m.groups()[1:]):
                row[key] += int(value)
    if not row["tests"]:
        row.update(bad=True, note="no summary line: the suite did not run")
    elif row["failures"]:
        row.update(bad=True, note="failures")
    return row


def main(args):
    rows = []
    for arg in args:
        name, _, path = arg.partition("=")
        target, _, flavour = name.partition(":")
        rows.append((target, flavour, tally(path)))
    print(f"{'target':<14} {'flavour':<18} {'tests':>5} {'executed':>9} {'failures':>9} {'todo':>5} "
          f"{'flaky':>5} {'skipped':>8}  result")
    bad = False
    for target, flavour, row in rows:
        bad |= row["bad"]
        if "executed" not in row:
            print(f"{target:<14} {flavour:<18} {'-':>5} {'-':>9} {'-':>9} {'-':>5} {'-':>5} {'-':>8}  {row['note']}")
            continue
        result = "FAIL: " + row["note"] if row["bad"] else "ok"
        print(f"{target:<14} {flavour:<18} {row['tests']:>5} {row['executed']:>9} {row['failures']:>9} "
              f"{row['todo']:>5} {row['flaky']:>5} {row['skipped']:>8}  {result}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
