#!/usr/bin/env python3
"""Runs a test driver through the loader, in a fresh wineserver session.

usage: run_driver_test.py [--wineprefix-default DIR] RUN_WINETEST [ARGUMENTS...]

Under Wine (ARGUMENTS name a --wrapper), it first ends the wineserver session
of the wrapper's prefix, if one is running: once the driver host (winedevice)
has crashed, no kernel-driver service starts again until the session ends,
so one crashed driver test would otherwise fail every later one.  The prefix
is the one tools/wine-run.sh uses: $NTRUNDOWN_WINEPREFIX, else
$MESON_BUILD_ROOT/wineprefix, else DIR (the build directory's wineprefix).

Then it runs RUN_WINETEST (tools/run-winetest.py) with ARGUMENTS and exits
with its status.
"""
import os
import shutil
import subprocess
import sys


def wineserver_program():
    for candidate in ("/usr/lib/wine/wineserver", shutil.which("wineserver")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def end_wine_session(default_prefix):
    prefix = os.environ.get("NTRUNDOWN_WINEPREFIX")
    if not prefix and os.environ.get("MESON_BUILD_ROOT"):
        prefix = os.path.join(os.environ["MESON_BUILD_ROOT"], "wineprefix")
    prefix = prefix or default_prefix
    server = wineserver_program()
    if not prefix or not server or not os.path.isdir(prefix):
        return
    env = dict(os.environ, WINEPREFIX=os.path.abspath(prefix))
    subprocess.run([server, "-k"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([server, "-w"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv):
    default_prefix = None
    if argv[:1] == ["--wineprefix-default"] and len(argv) >= 2:
        default_prefix = argv[1]
        argv = argv[2:]
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if "--wrapper" in argv or any(a.startswith("--wrapper=") for a in argv):
        end_wine_session(default_prefix)
    return subprocess.run([sys.executable] + argv).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
