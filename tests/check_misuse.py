#!/usr/bin/env python3
"""Runs every case of the misuse program (a checked build) and checks that
each one stops with ASSERT's diagnostic, not silently and not with an
unrelated crash.

usage: check_misuse.py MISUSE_PROGRAM
"""
import subprocess
import sys

EXPECTED = {
    "release_unacquired": "release of more rundown protections than were acquired",
    "release_after_rundown": "release of a protection that the rundown did not count",
    "reinitialize_active": "re-initialized before it was run down",
    "completed_active": "rundown completed before it was run down",
    "initialize_too_small": "cache-aware rundown buffer smaller than one slot",
    "free_in_buffer": "that the pool did not make",
    "wait_at_dispatch": "Assertion failed: KeGetCurrentIrql() <= APC_LEVEL",
}


def main(program):
    cases = subprocess.run([program], capture_output=True, text=True, check=True).stdout.split()
    failures = 0
    if sorted(cases) != sorted(EXPECTED):
        print(f"FAILED: the program has cases {cases}, the checker knows {sorted(EXPECTED)}")
        failures += 1
    for case in cases:
        run = subprocess.run([program, case], capture_output=True, text=True)
        want = EXPECTED.get(case, "?")
        good = run.returncode != 0 and "Assertion failed" in run.stderr and want in run.stderr
        print(("ok: " if good else "FAILED: ") + f"{case}: exit {run.returncode}, stderr {run.stderr.strip()!r}")
        failures += not good
    print(f"{len(cases)} cases, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
