#!/usr/bin/env python3
"""Runs a driver test under Wine, in a fresh wineserver session.

usage: run_driver_test.py [--wineprefix-default DIR] [--patched-wine ARCH] [--expect-failure]
                          COMMAND [ARGUMENTS...]

COMMAND is a program run with the Python interpreter (tools/suite/run_winetest.py,
which runs the loader through its --wrapper and requires a harness summary
line) or, when it ends in .sh, a wrapper run as it is (tools/wine/run.sh
LOADER --start DRIVER SERVICE, for a driver that only has to start).

Under Wine, it first ends the wineserver session of the prefix, if one is
running: once the driver host (winedevice) has crashed, no kernel-driver
service starts again until the session ends, so one crashed driver test
would otherwise fail every later one.  The prefix is the one
tools/wine/run.sh uses: $NTRUNDOWN_WINEPREFIX, else
$MESON_BUILD_ROOT/wineprefix, else DIR (the build directory's wineprefix).

With --patched-wine ARCH (x86_64 or i386) the test runs in the Wine install
tree whose ntoskrnl.exe has the Wine series (tools/wine/build.sh builds it,
tools/wine/tree.sh makes the tree): $NTRUNDOWN_PATCHED_WINE_TREES/tree-ARCH,
by default build/wine/8.0/patched/tree-ARCH in the source tree, in a prefix
of its own (the build directory's wineprefix-patched, win32 for i386).  When
there is no such tree it says "SKIP: ..." and exits 77: for i386 on a machine
that cannot run 32-bit programs (tools/wine/can_run_32bit.sh), "SKIP: this machine
cannot run 32-bit programs".

Exits with COMMAND's status; with --expect-failure (a driver that must not
start, as the client driver in stock Wine) 0 when COMMAND failed, 1 when it
succeeded, 77 when it was skipped.
"""
import os
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def wineserver_program():
    for candidate in ("/usr/lib/wine/wineserver", shutil.which("wineserver")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def end_wine_session(prefix):
    server = wineserver_program()
    if not prefix or not server or not os.path.isdir(prefix):
        return
    env = dict(os.environ, WINEPREFIX=os.path.abspath(prefix))
    subprocess.run([server, "-k"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([server, "-w"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cannot_run_32bit():
    probe = os.path.join(TOP, "tools", "wine", "can_run_32bit.sh")
    return subprocess.run([probe, "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 1


def patched_wine(arch, env):
    if arch == "i386" and cannot_run_32bit():
        print("SKIP: this machine cannot run 32-bit programs")
        return False
    trees = env.get("NTRUNDOWN_PATCHED_WINE_TREES") or os.path.join(TOP, "build", "wine", "8.0", "patched")
    loader = os.path.join(trees, f"tree-{arch}", "bin", "wine64" if arch == "x86_64" else "wine")
    if not os.access(loader, os.X_OK):
        print(f"SKIP: no Wine with the series for {arch} ({loader}; tools/test.sh and tools/conformance.sh "
              "build it with tools/wine/build.sh)")
        return False
    env["NTRUNDOWN_WINE"] = loader
    build = env.get("MESON_BUILD_ROOT") or os.getcwd()
    env["NTRUNDOWN_WINEPREFIX"] = os.path.join(build, "wineprefix-patched")
    if arch == "i386":
        env["WINEARCH"] = "win32"
    return True


def main(argv):
    default_prefix = None
    expect_failure = False
    env = dict(os.environ)
    while argv[:1] in (["--wineprefix-default"], ["--patched-wine"], ["--expect-failure"]):
        if argv[0] == "--expect-failure":
            expect_failure = True
            argv = argv[1:]
            continue
        if len(argv) < 2:
            break
        if argv[0] == "--wineprefix-default":
            default_prefix = argv[1]
        elif not patched_wine(argv[1], env):
            return 77
        argv = argv[2:]
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    prefix = env.get("NTRUNDOWN_WINEPREFIX")
    if not prefix and env.get("MESON_BUILD_ROOT"):
        prefix = os.path.join(env["MESON_BUILD_ROOT"], "wineprefix")
    if argv[0].endswith(".sh") or "--wrapper" in argv:
        end_wine_session(prefix or default_prefix)
    command = argv if argv[0].endswith(".sh") else [sys.executable] + argv
    status = subprocess.run(command, env=env).returncode
    if not expect_failure or status == 77:
        return status
    print("run_driver_test: " + ("it failed, as expected" if status else "it succeeded where it must fail"))
    return 1 if status == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
