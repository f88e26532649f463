"""Wine's rare failure to start a program, as the harness checkers meet it.

Under Wine 8.0 here, about one start in a thousand of a Windows program
through tools/wine-run.sh ends with exit status 1 and no output at all, on
stdout or stderr, before the program has run a line of its own: seen twice
in 2,300 starts of the harness self-test during a Wine build beside it, and
not again in 7,600 starts later, nor in 1,500 starts in a row (2026-12-02).
Every harness program prints something on every run (a test line, a
summary, the usage), so such a run is told apart from any failure of the
program itself: it is run once more, and the second run counts.  The callers
(tools/run-winetest.py, the harness self-test and comparison) print
AGAIN_MARK when they do, so that a soak counts these restarts
(tools/soak.py) and a real failure is never hidden: a program that fails to
print twice in a row fails.

Shared through sys.path, as tools/pecheck.py is.
"""

AGAIN_MARK = "wine-start: printed nothing, exit status 1 (Wine did not start it); running it once more"


def failed_to_start(wrapped, out, err, status):
    """Whether a run through the Wine wrapper looks like Wine's failed start:
    status 1, nothing on stdout, nothing on stderr (None: not captured)."""
    return bool(wrapped) and status == 1 and not out and not err
