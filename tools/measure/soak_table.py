#!/usr/bin/env python3
"""Runs every test of one or more meson build directories many times.

usage: soak_table.py [--runs N] [--jobs J] [--fresh K] [--suite S]... [--match RE]
                     [--side-by-side] [--long-stress CYCLES] [--logs DIR] BUILDDIR...

Each test (as `meson introspect --tests` describes it: command, environment,
timeout, whether it may run beside others) runs N times in two ways: half the
runs serially, one test at a time, and half in parallel as meson does (in
rounds of one run of every test, J at once, the tests that may not run
beside others alone; a test never runs beside itself).  For the builds that
run under Wine, K of the runs of each test (default 2) use a fresh Wine prefix
of their own; the others reuse the build's prefix.  The builds take turns
(every round runs every test of every build), or with --side-by-side run at
the same time, each build's rounds on their own: one test at a time per
build in the serial runs, the tests that may not run beside others alone in
their build (the builds' Wine prefixes are separate).  A progress line
follows every round.

Every run is classified: ok, skip (exit 77), failure (the test failed: a
failure counted by the harness, exit status != 0), crash (killed by a signal,
no harness summary line from a harness program, an unhandled exception, an
assertion, a bug check of the emulated kernel, a sanitizer report) or hang
(the test's own timeout passed and it was killed).  The log of every run that
is not ok or skip is kept under --logs (default build/soak-logs).  At the
end: one line per test with runs, failures, crashes, hangs, skips, and the
runs of a harness program that Wine failed to start and that were run again
(tools/wine/wine_start.py).

--long-stress CYCLES also runs the suite's rundown_long_stress once per build
and flavour with NTRUNDOWN_STRESS_CYCLES=CYCLES and prints its cycle counts,
times and longest waits.  Exit status 1 if any run failed, crashed or hung.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "wine"))
from wine_start import AGAIN_MARK  # noqa: E402

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUMMARY = re.compile(r"^(?:\x1b\[0m)?[0-9a-f]{4,}:\S+: \d+ tests executed \(\d+ marked as todo, \d+ as flaky, "
                     r"(\d+) failures?\), \d+ skipped\.\r?$", re.M)
CRASH = re.compile(r"was killed by signal|printed no summary line|unhandled exception|Assertion failed|"
                   r"hostkrnl: |KeBugCheckEx|AddressSanitizer|ThreadSanitizer|UndefinedBehaviorSanitizer|"
                   r"runtime error:|driver host may have crashed")
LONG = re.compile(r"(classic|cache-aware): (\d+) cycles in (\d+) ms, longest wait (\d+) us")


def introspect(build):
    out = subprocess.run(["meson", "introspect", "--tests", build], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def under_wine(test):
    return any(os.path.join("tools", "wine", "run.sh") in part for part in test["cmd"])


def run_once(test, build, fresh_prefix, extra_env, logs, number):
    env = dict(os.environ)
    env.update(test.get("env") or {})
    env.update(extra_env)
    env["MESON_BUILD_ROOT"] = os.path.abspath(build)
    env.setdefault("MALLOC_PERTURB_", str(1 + number % 254))
    prefix = None
    if fresh_prefix:
        prefix = tempfile.mkdtemp(prefix="soak-prefix-", dir=os.path.abspath(build))
        shutil.rmtree(prefix)
        env["NTRUNDOWN_WINEPREFIX"] = prefix
    timeout = test.get("timeout") or 300
    start = time.monotonic()
    proc = subprocess.Popen(test["cmd"], cwd=test.get("workdir") or build, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=timeout)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        hung = True
    elapsed = time.monotonic() - start
    text = output.decode("utf-8", "replace")
    status = proc.returncode
    if hung:
        kind = "hang"
    elif status == 77 and not SUMMARY.search(text):
        kind = "skip"
    elif status < 0 or CRASH.search(text):
        kind = "crash"
    elif status != 0 or any(int(n) for n in SUMMARY.findall(text)):
        kind = "failure"
    else:
        kind = "ok"
    if kind not in ("ok", "skip"):
        path = os.path.join(logs, re.sub(r"[^\w.-]+", "_", f"{os.path.basename(build)}-{test['name']}"),
                            f"run-{number:04d}-{kind}.log")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(f"command: {' '.join(test['cmd'])}\nstatus: {status}, {elapsed:.1f} s, kind {kind}\n"
                    f"prefix: {prefix or 'the build prefix'}\n\n{text}")
    if prefix and kind in ("ok", "skip"):
        shutil.rmtree(prefix, ignore_errors=True)
    return kind, text, elapsed


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--fresh", type=int, default=2, help="runs of each Wine test in a fresh prefix")
    parser.add_argument("--suite", action="append", default=[], help="only tests of these suites")
    parser.add_argument("--match", help="only tests whose name matches this regular expression")
    parser.add_argument("--side-by-side", action="store_true",
                        help="run the builds at the same time (each has its own Wine prefix)")
    parser.add_argument("--long-stress", type=int, default=0, metavar="CYCLES")
    parser.add_argument("--logs", default=os.path.join(TOP, "build", "soak-logs"))
    parser.add_argument("builds", nargs="+")
    args = parser.parse_args(argv)

    tests = []
    for build in args.builds:
        for test in introspect(build):
            if args.suite and not set(test["suite"]) & ({f"ntrundown:{s}" for s in args.suite} | set(args.suite)):
                continue
            if args.match and not re.search(args.match, test["name"]):
                continue
            tests.append((build, test))
    if not tests:
        print("soak: no tests", file=sys.stderr)
        return 1

    counts = collections.defaultdict(collections.Counter)
    restarts = collections.Counter()
    lock = threading.Lock()
    started = time.monotonic()

    def job(build, test, number, fresh):
        kind, text, _ = run_once(test, build, fresh, {}, args.logs, number)
        with lock:
            counts[(os.path.basename(build), test["name"])][kind] += 1
            restarts[(os.path.basename(build), test["name"])] += text.count(AGAIN_MARK)

    serial = args.runs // 2

    def soak(group):
        # serial runs: one test at a time
        for number in range(serial):
            for build, test in group:
                job(build, test, number, under_wine(test) and number < args.fresh)
            progress(group, number)
        # parallel runs, as meson runs them: each round runs every test
        # once, the tests that may run beside others J at a time, then the
        # others alone, with nothing of their group beside them (a driver
        # test ends the prefix's Wine session, and with it every program
        # running there)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for number in range(serial, args.runs):
                futures, alone = [], []
                for build, test in group:
                    fresh = under_wine(test) and number - serial < args.fresh and serial < args.fresh
                    if test.get("is_parallel", True):
                        futures.append(pool.submit(job, build, test, number, fresh))
                    else:
                        alone.append((build, test, fresh))
                for future in futures:
                    future.result()
                for build, test, fresh in alone:
                    job(build, test, number, fresh)
                progress(group, number)

    def tally(builds=None):
        total = collections.Counter()
        for (build, _), c in counts.items():
            if builds is None or build in builds:
                total.update(c)
        return total

    def progress(group, number):
        builds = sorted({os.path.basename(build) for build, _ in group})
        with lock:
            total = tally(builds)
            print(f"soak: {' '.join(builds)}: round {number + 1}/{args.runs} after {time.monotonic() - started:.0f} s: "
                  f"{total['ok']} ok, {total['failure']} failures, {total['crash']} crashes, {total['hang']} hangs",
                  flush=True)

    # each build has a Wine prefix of its own: with --side-by-side the
    # builds run at the same time, one group each, serially within a build
    groups = [[(b, t) for b, t in tests if b == build] for build in args.builds] if args.side_by_side else [tests]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(groups)) as runners:
        for future in [runners.submit(soak, group) for group in groups if group]:
            future.result()

    bad = 0
    print(f"{'build':<22} {'test':<58} {'runs':>5} {'fail':>5} {'crash':>5} {'hang':>5} {'skip':>5} {'again':>5}")
    for (build, name), c in sorted(counts.items()):
        runs = sum(c.values())
        bad += c["failure"] + c["crash"] + c["hang"]
        print(f"{build:<22} {name:<58} {runs:>5} {c['failure']:>5} {c['crash']:>5} {c['hang']:>5} {c['skip']:>5} "
              f"{restarts[(build, name)]:>5}")
    total = tally()
    print(f"soak: {sum(total.values())} runs of {len(tests)} tests in {time.monotonic() - started:.0f} s: "
          f"{total['ok']} ok, {total['failure']} failures, {total['crash']} crashes, {total['hang']} hangs, "
          f"{total['skip']} skipped, {sum(restarts.values())} Wine start failures run again "
          f"(logs of bad runs: {args.logs})")

    if args.long_stress:
        print(f"\nlong stress, {args.long_stress} cycles per family:")
        for build, test in tests:
            # the programs' long-stress tests, and the drivers, which run every test
            if not (test["name"].endswith("-rundown_long_stress") or test["name"] in ("driver-reimplementation",
                                                                                        "driver-system")):
                continue
            kind, text, elapsed = run_once(dict(test, timeout=4 * 3600), build, False,
                                           {"NTRUNDOWN_STRESS_CYCLES": str(args.long_stress)}, args.logs, 9999)
            figures = "; ".join(f"{f}: {n} cycles, {ms} ms, longest wait {us} us" for f, n, ms, us in LONG.findall(text))
            print(f"  {os.path.basename(build)} {test['name']}: {kind}, {elapsed:.0f} s; {figures or 'no figures'}")
            bad += kind not in ("ok", "skip")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
