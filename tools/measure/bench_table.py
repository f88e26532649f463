#!/usr/bin/env python3
"""Runs the benchmark in every flavour this machine can run, prints one table.

usage: bench_table.py [--short] [--repeat N] [--baseline REV] BUILD_HOST [BUILD_WINDOWS ...]

BUILD_HOST is a host build directory, each BUILD_WINDOWS a MinGW-w64 cross
build directory (tests run under Wine).  Flavours: the host program; with a
--baseline, the host program over the module of git revision REV (built as a
peer, see -Dpeer_sources) for a before/after comparison in one run; for each
cross build, the Win32 program and the benchmark drivers, importing the
routines from ntrundown.sys and from the running ntoskrnl.exe: stock Wine's
(skipped: it lacks them) and Wine 8.0's with the Wine series, when
tools/wine/build.sh has built it (tests/driver/run_driver_test.py
--patched-wine).

Every figure is the minimum and the median over the repetitions; pair rows
also give the ratio of each median to the bare compare-exchange pair's.
"""
import argparse
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LINE = re.compile(r"BENCH (\S+) (\S+) (\S+) (\S+)")


def run(label, command, build, env):
    env = dict(env, MESON_BUILD_ROOT=os.path.abspath(build))
    proc = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=1800)
    figures = {m.group(1): (float(m.group(2)), float(m.group(3)), m.group(4)) for m in LINE.finditer(proc.stdout)}
    summary = re.search(r"rundown_bench: \d+ tests executed \(\d+ marked as todo, \d+ as flaky, (\d+) failures?\)",
                        proc.stdout)
    if not summary or int(summary.group(1)) or not figures:
        tail = "\n".join(proc.stdout.splitlines()[-15:])
        status = "skipped" if proc.returncode == 77 or "win_skip" in proc.stdout or "not exported" in proc.stdout \
            or "Wine stub" in proc.stdout else "failed"
        return label, None, f"{status} (exit {proc.returncode})\n{tail}"
    return label, figures, None


def flavours(args):
    loader_runner = [sys.executable, os.path.join(TOP, "tests/driver/run_driver_test.py")]
    run_winetest = os.path.join(TOP, "tools/suite/run_winetest.py")
    wine_run = os.path.join(TOP, "tools/wine/run.sh")
    yield "host", args.host, [sys.executable, run_winetest, os.path.join(args.host, "tests/bench/ntrundown_bench"),
                              "rundown_bench"]
    if args.baseline:
        baseline = [sys.executable, run_winetest, os.path.join(args.baseline_build, "tests/bench/ntrundown_bench_peer"),
                    "rundown_bench"]
        yield f"host, {args.baseline}", args.host, baseline
    for build in args.windows:
        triple = os.path.basename(os.path.normpath(build))
        arch = "i686" if "i686" in triple else "x86_64"
        wine_arch = "i386" if arch == "i686" else arch
        yield f"{arch} program", build, [sys.executable, run_winetest, "--wrapper", wine_run,
                                         os.path.join(build, "tests/bench/ntrundown_bench.exe"), "rundown_bench"]
        for flavour, label, patched in (("reimplementation", "driver, ntrundown.sys", []),
                                        ("system", "driver, system ntoskrnl", []),
                                        ("system", "driver, Wine+series", ["--patched-wine", wine_arch])):
            yield f"{arch} {label}", build, loader_runner + patched + [
                run_winetest, "--wrapper", wine_run,
                os.path.join(build, "tests/driver/ntrundown_loader.exe"),
                os.path.join(build, f"tests/driver/ntrundown_bench_{flavour}.sys"), f"ntrundown_bench_{flavour}",
                "rundown_bench"]


def build_baseline(rev, host_build):
    """The module at REV, as a peer of a scratch host build."""
    out = os.path.join(TOP, "build", "bench-baseline")
    # outside the source tree: meson takes no absolute include directory in it
    src = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "ntrundown",
                       "bench-baseline", rev)
    os.makedirs(src, exist_ok=True)
    sources = []
    listing = subprocess.run(["git", "-C", TOP, "ls-tree", "--name-only", rev, "dlls/ntoskrnl/"], check=True,
                             capture_output=True, text=True).stdout.split()
    module = [p for p in listing if re.match(r"dlls/ntoskrnl/(rundown\w*\.[ch]|ntoskrnl_private\.h)$", p)]
    for path in module + ["include/ntrundown.h"]:
        name = os.path.basename(path)
        text = subprocess.run(["git", "-C", TOP, "show", f"{rev}:{path}"], check=True,
                              capture_output=True, text=True).stdout
        with open(os.path.join(src, name), "w") as f:
            f.write(text)
        if name.endswith(".c"):
            sources.append(os.path.join(src, name))
    build = os.path.join(out, "build")
    options = [f"-Dpeer_sources={','.join(sources)}", "-Dbuildtype=debugoptimized",
               f"-Dpeer_include_directories={src}"]
    setup = ["meson", "setup", "--reconfigure" if os.path.exists(os.path.join(build, "build.ninja")) else "--wipe",
             build, TOP] + options
    if not os.path.exists(os.path.join(build, "build.ninja")):
        setup.remove("--wipe")
    subprocess.run(setup, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["ninja", "-C", build, "tests/bench/ntrundown_bench_peer"], check=True, stdout=subprocess.DEVNULL)
    return build


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="the short form (proves it runs)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--baseline", help="git revision of the module to compare with")
    parser.add_argument("host")
    parser.add_argument("windows", nargs="*")
    args = parser.parse_args(argv)
    env = dict(os.environ, NTRUNDOWN_BENCH_REPEAT=str(args.repeat), NTRUNDOWN_BENCH_SHORT="1" if args.short else "0")
    if args.baseline:
        args.baseline_build = build_baseline(args.baseline, args.host)

    results, problems = [], []
    for label, build, command, *extra in flavours(args):
        print(f"bench: {label} ...", file=sys.stderr, flush=True)
        label, figures, problem = run(label, command, build, dict(env, **(extra[0] if extra else {})))
        if figures:
            results.append((label, figures))
        else:
            problems.append((label, problem))

    names = []
    for _, figures in results:
        names += [n for n in figures if n not in names]
    width = max([len(n) for n in names] + [10])
    head = f"{'figure':<{width}} {'unit':<9}" + "".join(f" {label[:22]:>22}" for label, _ in results)
    print(head)
    print("-" * len(head))
    for name in names:
        unit = next(f[name][2] for _, f in results if name in f)
        cells = []
        for _, figures in results:
            if name not in figures:
                cells.append(f" {'-':>22}")
                continue
            low, median, _ = figures[name]
            text = f"{low:.1f}/{median:.1f}" if args.repeat > 1 else f"{median:.1f}"
            m = re.match(r"pair-(.+)-(1|N)$", name)
            bare = figures.get(f"pair-bare-{m.group(2)}") if m else None
            if bare and bare[1] > 0:
                text += f" ({median / bare[1]:.2f}x)"
            cells.append(f" {text:>22}")
        print(f"{name:<{width}} {unit:<9}" + "".join(cells))
    if args.repeat > 1:
        print(f"(min/median of {args.repeat} runs; pair rows: median / bare pair's median)")
    for label, problem in problems:
        print(f"\n{label}: {problem}")
    return 1 if any(p.startswith("failed") for _, p in problems) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
