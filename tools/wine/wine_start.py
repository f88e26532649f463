"""Wine's rare failure to start a program, as the harness checkers meet it.

Under Wine 8.0 here, rarely, a start of a Windows program through
tools/wine/run.sh ends with exit status 1 and no output at all, on stdout
or stderr, before the program has run a line of its own: seen twice in
2,300 starts of the harness self-test during a Wine build beside it, and
not again in 7,600 starts later, nor in 1,500 starts in a row (2026-12-02).
Every harness program prints something on every run (a test line, a
summary, the usage), so such a run is told apart from any failure of the
program itself: it is run once more, and the second run counts.  The callers
(tools/suite/run_winetest.py, the harness self-test and comparison) print
AGAIN_MARK when they do, so that a soak counts these restarts
(tools/measure/soak_table.py) and a real failure is never hidden: a program that fails to
print twice in a row fails.

Shared through sys.path, as tools/exports/pecheck.py is.
"""
import subprocess

AGAIN_MARK = "wine-start: printed nothing, exit status 1 (Wine did not start it); running it once more"


def failed_to_start(wrapped, out, err, status):
    """Whether a run through the Wine wrapper looks like Wine's failed start:
    status 1, nothing on stdout, nothing on stderr (None: not captured)."""
    return bool(wrapped) and status == 1 and not out and not err


def run_captured(cmd, wrapped, what, timeout=None, **kwargs):
    """cmd's CompletedProcess (with its pid) as subprocess.run gives it, stdout
    and stderr captured; run once more, printing AGAIN_MARK and what, after a
    failed start under Wine."""
    for again in (False, True):
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs) as proc:
            try:
                out, err = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise
        result = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
        result.pid = proc.pid
        if again or not failed_to_start(wrapped, out, err, proc.returncode):
            return result
        print('%s (%s)' % (AGAIN_MARK, what), flush=True)
