#!/usr/bin/env python3
"""Prints the parity table of the conformance runs.

usage: parity.py TARGET=BUILDDIR [...]

Reads BUILDDIR/meson-logs/testlog.json, written by `meson test`, and adds up
the harness summary lines
  "XXXX:name: N tests executed (T marked as todo, F as flaky, X failures), S skipped."
(ending in "\r\n" from Windows programs, as Wine's harness writes it, and
after a line in colour starting with the colour's reset)
of each flavour: the suite as a program (the "conformance" tests) and, on
Windows targets, the two test drivers.  A run whose output has no summary
line failed, whatever its exit status (Wine exits 0 when it cannot start a
program); one that meson skipped (exit 77, e.g. no 32-bit Wine, or a machine
that cannot run 32-bit programs) is shown as SKIP with its reason.  Exit status: 1 if any run failed or had failures.
"""
import json
import os
import re
import sys

SUMMARY = re.compile(r"^(?:\x1b\[[0-9;]*m)*[0-9a-f]{4,}:(\S+): (\d+) tests executed \((\d+) marked as todo, (\d+) as flaky, "
                     r"(\d+) failures?\), (\d+) skipped\.\r?$", re.M)
FLAVOURS = {
    "conformance": "program",
    "conformance-as-windows": "program, as Windows",
    "peer": "program: peer",
    "peer-as-windows": "program: peer, as Windows",
    "driver-reimplementation": "driver: ntrundown.sys",
    "driver-reimplementation-as-windows": "driver: ntrundown.sys, as Windows",
    "driver-system": "driver: system ntoskrnl",
    "driver-system-patched-wine": "driver: system, Wine+series",
}
COLUMNS = ("executed", "failures", "todo", "flaky", "skipped")


def flavour_of(name):
    suite, _, test = name.partition(":")[2].partition(" / ")
    return FLAVOURS.get(suite.strip()) or FLAVOURS.get(test.strip())


def rows_of(target, builddir):
    path = os.path.join(builddir, "meson-logs", "testlog.json")
    rows = {}
    try:
        runs = [json.loads(line) for line in open(path)]
    except OSError as err:
        return [(target, "-", {"note": f"FAIL: no test log ({err.strerror})", "bad": True})]
    for run in runs:
        flavour = flavour_of(run["name"])
        if not flavour:
            continue
        row = rows.setdefault(flavour, {"runs": 0, "bad": False, "note": "", **{c: 0 for c in COLUMNS}})
        summaries = SUMMARY.findall(run.get("stdout") or "")
        if run["result"] == "SKIP":
            reason = next((l for l in (run.get("stdout") or "").splitlines() if l.startswith("SKIP")), "SKIP")
            row["note"] = reason
            continue
        row["runs"] += 1
        for summary in summaries:
            executed, todo, flaky, failures, skipped = map(int, summary[1:])
            for key, value in zip(("executed", "todo", "flaky", "failures", "skipped"),
                                  (executed, todo, flaky, failures, skipped)):
                row[key] += value
        if not summaries or run["result"] != "OK":
            row["bad"] = True
            row["note"] = f"FAIL: {run['name'].split(' / ')[-1]} " + \
                ("printed no summary line" if not summaries else f"ended {run['result']}")
    return [(target, flavour, row) for flavour, row in rows.items()] or \
        [(target, "-", {"note": "FAIL: no conformance run in the log", "bad": True})]


def main(args):
    rows = []
    for arg in args:
        target, _, builddir = arg.partition("=")
        rows += rows_of(target, builddir)
    print(f"{'target':<20} {'flavour':<34} {'executed':>8} {'failures':>8} {'todo':>5} {'flaky':>5} "
          f"{'skipped':>7}  result")
    bad = False
    for target, flavour, row in rows:
        bad |= row["bad"]
        if not row.get("runs"):
            print(f"{target:<20} {flavour:<34} {'-':>8} {'-':>8} {'-':>5} {'-':>5} {'-':>7}  {row['note']}")
            continue
        result = row["note"] if row["bad"] else ("failures" if row["failures"] else "ok")
        bad |= row["failures"] > 0
        print(f"{target:<20} {flavour:<34} {row['executed']:>8} {row['failures']:>8} {row['todo']:>5} "
              f"{row['flaky']:>5} {row['skipped']:>7}  {result}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
