#!/usr/bin/env python3
"""Runs every case of the misuse program (a checked build) and checks that
each one stops with the module's diagnostic (WARN, which a checked build
turns into an assertion), or the kernel's for a wait above APC_LEVEL: not
silently and not with an unrelated crash.

usage: check_misuse.py MISUSE_PROGRAM
"""
import subprocess
import sys

IRQL = "hostkrnl: IRQL_NOT_LESS_OR_EQUAL: KeWaitForSingleObject"
EXPECTED = {
    "release_unacquired": "release of more protections than are outstanding",
    "release_after_rundown": "release after the rundown",
    "release_unacquired_during_wait": "release of more protections than are outstanding",
    "acquire_overflow": "protection count overflow",
    "reinitialize_active": "reinitialized while not run down",
    "completed_active": "completed while not run down",
    "wait_at_dispatch": IRQL,
    "initialize_too_small": "buffer too small for a cache-aware reference",
    "free_in_buffer": "not from ExAllocateCacheAwareRundownProtection",
    "cache_aware_reinitialize_active": "reinitialized while not run down",
    "cache_aware_completed_active": "completed while not run down",
    "cache_aware_wait_at_dispatch": IRQL,
    "cache_aware_release_after_rundown": "release after the rundown",
    "cache_aware_release_unacquired": "more protections released than acquired",
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
        stopped = "Assertion failed: misuse" in run.stderr or want == IRQL
        good = run.returncode != 0 and stopped and want in run.stderr
        print(("ok: " if good else "FAILED: ") + f"{case}: exit {run.returncode}, stderr {run.stderr.strip()!r}")
        failures += not good
    print(f"{len(cases)} cases, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
