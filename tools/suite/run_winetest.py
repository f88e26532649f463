#!/usr/bin/env python3
"""Runs a harness program (a conformance suite or the harness self-test) and
checks that it really ran.

Usage: run_winetest.py [--wrapper WRAPPER] PROGRAM [ARGUMENTS...]

Runs PROGRAM ARGUMENTS, through WRAPPER if given (tools/wine/run.sh for
Windows programs on a Linux host), or else through $MESON_EXE_WRAPPER, which
meson test sets in a cross build whose exe_wrapper it found; it echoes the
program's output as it comes.

Wine exits 0 when it cannot start a program at all, so a status of 0 proves
nothing: unless the output holds at least one harness summary line,
"XXXX:test: N tests executed (...)", this exits 1.  Otherwise it exits with
the program's status, the number of failures as Wine's harness counts them;
a status of 77 or 99, which meson would take for a skip or an error, becomes
1.  Without a summary line, a status of 77 (the wrapper's "SKIP: ...", e.g.
no 32-bit Wine, or a machine that cannot run 32-bit programs) is passed on, so that meson reports the test as skipped.

A run through a wrapper that printed nothing at all with status 1 is Wine's
rare failure to start a program (tools/wine/wine_start.py): it is
run once more, and the second run counts.
"""

import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'wine'))
from wine_start import AGAIN_MARK, failed_to_start  # noqa: E402

# after a line in colour (WINETEST_COLOR), a line starts with the reset
SUMMARY = re.compile(rb'^(?:\x1b\[[0-9;]*m)*[0-9a-f]{4,}:\S+: \d+ tests executed')
SKIP = 77


def main(argv):
    wrapper = None
    if argv[:1] == ['--wrapper'] and len(argv) >= 2:
        wrapper = [argv[1]]
        argv = argv[2:]
    elif argv[:1] and argv[0].startswith('--wrapper='):
        wrapper = [argv[0].split('=', 1)[1]]
        argv = argv[1:]
    if argv[:1] == ['--']:
        argv = argv[1:]
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if wrapper is None and os.environ.get('MESON_EXE_WRAPPER'):
        wrapper = shlex.split(os.environ['MESON_EXE_WRAPPER'])

    cmd = (wrapper or []) + argv
    out = sys.stdout.buffer
    for again in (False, True):
        summaries = printed = 0
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
        for line in proc.stdout:
            out.write(line)
            out.flush()
            printed += len(line)
            if SUMMARY.match(line):
                summaries += 1
        status = proc.wait()
        if again or not failed_to_start(wrapper, printed, None, status):
            break
        print('run-winetest: ' + AGAIN_MARK, flush=True)

    if status < 0:
        print('run-winetest: %s was killed by signal %d' % (argv[0], -status))
        return 1
    if not summaries:
        if status == SKIP:
            return SKIP
        print('run-winetest: %s printed no summary line ("XXXX:test: N tests executed ..."), '
              'exit status %d: it did not run, or it died' % (argv[0], status))
        return 1
    if status in (SKIP, 99):
        print('run-winetest: exit status %d (failures), reported as 1' % status)
        return 1
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
