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
    "acquire_overflow": "rundown protection count overflow",
    "reinitialize_active": "rundown reference re-initialized before it was run down",
    "completed_active": "rundown completed before it was run down",
    "wait_at_dispatch": "Assertion failed: KeGetCurrentIrql() <= APC_LEVEL",
    "initialize_too_small": "cache-aware rundown buffer smaller than one slot",
    "initialize_odd_size": "cache-aware rundown buffer size neither one slot nor at least two cache lines",
    "free_in_buffer": "freeing a cache-aware rundown object that the pool did not make",
    "cache_aware_reinitialize_active": "cache-aware rundown re-initialized before it was run down",
    "cache_aware_completed_active": "cache-aware rundown completed before it was run down",
    "cache_aware_wait_at_dispatch": "Assertion failed: KeGetCurrentIrql() <= APC_LEVEL",
    "cache_aware_release_after_rundown": "release of a protection that the rundown did not count",
}


def main(program):
    cases = subprocess.run([program], capture_output=True, text=True, check=True).stdout.split()
    failures = 0
    if sorted(cases) != sorted(EXPECTED):
        print(f"FAILED: the program has cases {cases}, the checker knows {sorted(EXPECTED)}")
        failures += 1
    for case in cases:
        try:
            run = subprocess.run([program, case], capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            print(f"FAILED: {case}: no diagnostic within 60 s (it hangs)")
            failures += 1
            continue
        want = EXPECTED.get(case, "?")
        good = run.returncode != 0 and "Assertion failed" in run.stderr and want in run.stderr
        print(("ok: " if good else "FAILED: ") + f"{case}: exit {run.returncode}, stderr {run.stderr.strip()!r}")
        failures += not good
    print(f"{len(cases)} cases, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
