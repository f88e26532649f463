#!/usr/bin/env python3
"""Compares the project's test harness with Wine 8.0's, byte for byte.

Usage: check_compare.py [--wrapper WRAPPER] [--run-dir DIR] [--wine-test-h PATH]
                        WINE OURS WINE_SINGLE OURS_SINGLE
       check_compare.py --skip REASON

WINE and OURS are the comparison program (compare.c, beside this script)
built against Wine's include/wine/test.h and against the project's harness;
WINE_SINGLE and OURS_SINGLE the same with a list of one test.  Each case runs
both builds with the same arguments and WINETEST_* settings (everything else
of the environment as it is, WINETEST_* and COMPARE_* removed) and compares
their stdout and stderr bytes and their exit status.  Exits 0 when every case
matches, 1 otherwise, printing each difference.

Both builds run from the same path (DIR/compare.exe, copied there in turn),
so that the usage line, which shows argv[0], needs no normalisation.  The
only normalisations, applied to both outputs alike:

  pid      the process id at the start of the summary and exception lines
           ("0104:ok: ..."), which differs from run to run, becomes "<pid>"
           (after checking that a run shows one value only);
  time     with WINETEST_TIME, the elapsed seconds after a location or a
           summary's test name ("x.c:12:0.016 ", "<pid>:ok:0.020 ") become
           "<time>";
  order    in the "threads" cases, lines written by concurrent threads are
           compared in sorted order;
  debugger a crash under platform "wine" is left to Wine's debugger by both
           harnesses; its report (on stdout from its line "Unhandled
           exception: ", on stderr Wine's "wine: Unhandled ..." line) holds
           addresses of each program and is cut, and the exit status is not
           compared: it is the debugger's, 5 or 0 from one run to the next
           of the same program;
  address  (POSIX host builds only) the crash address, a code address of
           each program, becomes "<address>".

On a POSIX host, Wine's harness is built over compare/posix/ (stand-ins for
the Win32 functions it calls), and the cases of a difference that the host
forces (POSIX_CRASH below) are shown as "forced" and not counted as failed.

A Windows build runs through WRAPPER (tools/wine/run.sh); a run that
printed nothing at all with status 1 (which no case does: Wine's rare
failure to start a program, tools/wine/wine_start.py) is run once more.  If
the wrapper cannot run it and says "SKIP: ..." with status 77, or when called with
--skip (Wine's test.h not available), this exits 77, meson's code for a
skipped test.
"""

import os
import re
import shutil
import sys

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'tools')
sys.path[:0] = [os.path.join(TOOLS, 'exports'), os.path.join(TOOLS, 'wine')]
from pecheck import is_pe_image as is_windows_program  # noqa: E402
from wine_start import run_captured  # noqa: E402

SKIP_STATUS = 77

MULTI_TESTS = ['ok', 'todo', 'broken_skip', 'flaky', 'trace', 'context', 'success', 'mute', 'long',
               'subtest', 'many', 'crash', 'threads', 'args']
SINGLE_TESTS = ['ok']
# tests whose output does not depend on anything but the configuration
PLAIN_TESTS = ['ok', 'todo', 'broken_skip', 'flaky', 'trace', 'context', 'success', 'mute', 'subtest']


# the differences that a POSIX host forces (winetest_host.c)
POSIX_CRASH = ('under platform "wine" Wine\'s harness leaves a crash to Wine\'s debugger, which a POSIX '
               'host does not have: ours reports it there too')


class Case:
    def __init__(self, title, args, env=None, single=False, unordered=False, crash=False, posix_forced=None):
        self.title = title
        self.posix_forced = posix_forced
        self.args = args
        self.env = env or {}
        self.single = single
        self.unordered = unordered
        self.crash = crash


def cases():
    res = []

    def add(title, args, env=None, **kw):
        res.append(Case(title, args, env, **kw))

    # every test under each platform: unset (the default: "wine" under Wine),
    # set, another value, empty (taken as unset by Wine's harness)
    for platform in (None, 'wine', 'windows', 'linux', ''):
        env = {} if platform is None else {'WINETEST_PLATFORM': platform}
        label = 'default platform' if platform is None else 'WINETEST_PLATFORM=%s' % platform
        for name in PLAIN_TESTS:
            add('%s, %s' % (name, label), [name], env)
    for platform in ('wine', 'windows'):
        add('long messages, WINETEST_PLATFORM=%s' % platform, ['long'], {'WINETEST_PLATFORM': platform})
    add('status capped at 255', ['many'])
    add('threads', ['threads'], unordered=True)
    add('threads, WINETEST_PLATFORM=windows', ['threads'], {'WINETEST_PLATFORM': 'windows'}, unordered=True)
    add('arguments for the test', ['args', 'one', 'two words', 'three'])

    # the debug level
    for value in ('0', '2', '-1', '', ' 3', '1x'):
        for name in ('trace', 'mute', 'todo', 'success'):
            add('%s, WINETEST_DEBUG=%r' % (name, value), [name], {'WINETEST_DEBUG': value})
    for name in ('success', 'context', 'ok', 'mute', 'todo'):
        add('%s, WINETEST_REPORT_SUCCESS=1' % name, [name], {'WINETEST_REPORT_SUCCESS': '1'})
    add('success, WINETEST_REPORT_SUCCESS=0', ['success'], {'WINETEST_REPORT_SUCCESS': '0'})
    add('success, WINETEST_REPORT_SUCCESS=1, WINETEST_DEBUG=0', ['success'],
        {'WINETEST_REPORT_SUCCESS': '1', 'WINETEST_DEBUG': '0'})
    for value in ('3', '0', '100'):
        for name in ('mute', 'trace'):
            add('%s, WINETEST_MUTE_THRESHOLD=%s' % (name, value), [name], {'WINETEST_MUTE_THRESHOLD': value})
    for name in ('flaky', 'success', 'context'):
        add('%s, WINETEST_REPORT_FLAKY=1' % name, [name], {'WINETEST_REPORT_FLAKY': '1'})
    add('flaky, WINETEST_REPORT_FLAKY=1, WINETEST_PLATFORM=windows', ['flaky'],
        {'WINETEST_REPORT_FLAKY': '1', 'WINETEST_PLATFORM': 'windows'})

    # colour
    for name in PLAIN_TESTS:
        add('%s, WINETEST_COLOR=1' % name, [name], {'WINETEST_COLOR': '1'})
    for name in ('todo', 'broken_skip', 'flaky'):
        add('%s, WINETEST_COLOR=1, WINETEST_PLATFORM=windows' % name, [name],
            {'WINETEST_COLOR': '1', 'WINETEST_PLATFORM': 'windows'})
    add('success, WINETEST_COLOR=1, WINETEST_REPORT_SUCCESS=1', ['success'],
        {'WINETEST_COLOR': '1', 'WINETEST_REPORT_SUCCESS': '1'})
    add('long, WINETEST_COLOR=1', ['long'], {'WINETEST_COLOR': '1'})
    for value in ('auto', '0', 'yes', '2'):
        add('ok, WINETEST_COLOR=%s' % value, ['ok'], {'WINETEST_COLOR': value})

    # elapsed time
    add('success, WINETEST_TIME=1, WINETEST_REPORT_SUCCESS=1', ['success'],
        {'WINETEST_TIME': '1', 'WINETEST_REPORT_SUCCESS': '1'})
    for name in ('mute', 'ok', 'subtest'):
        add('%s, WINETEST_TIME=1' % name, [name], {'WINETEST_TIME': '1'})
    add('ok, WINETEST_INTERACTIVE=1', ['ok'], {'WINETEST_INTERACTIVE': '1'})

    # crashes
    add('crash without COMPARE_CRASH', ['crash'])
    for platform in ('windows', None, 'wine'):
        env = {'COMPARE_CRASH': '1'}
        if platform is not None:
            env['WINETEST_PLATFORM'] = platform
        add('crash, %s' % ('default platform' if platform is None else 'WINETEST_PLATFORM=' + platform),
            ['crash'], env, crash=True,
            posix_forced=None if platform == 'windows' else POSIX_CRASH)
    add('crash, WINETEST_PLATFORM=windows, WINETEST_COLOR=1', ['crash'],
        {'COMPARE_CRASH': '1', 'WINETEST_PLATFORM': 'windows', 'WINETEST_COLOR': '1'}, crash=True)
    add('crash, WINETEST_PLATFORM=windows, WINETEST_TIME=1', ['crash'],
        {'COMPARE_CRASH': '1', 'WINETEST_PLATFORM': 'windows', 'WINETEST_TIME': '1'}, crash=True)

    # the command line
    add('no argument', [])
    add('no argument, WINETEST_COLOR=1', [], {'WINETEST_COLOR': '1'})
    add('--list', ['--list'])
    add('unknown test', ['nope'])
    add('unknown test, WINETEST_COLOR=1', ['nope'], {'WINETEST_COLOR': '1'})
    add('test names are case-sensitive', ['TODO'])
    add('empty test name', [''])
    add('a test name with a .c suffix', ['todo.c'])
    add('a test name with a directory', ['some/dir/todo.c'])
    add('a test name with a Windows directory', ['C:\\dir\\todo'])
    add('a test name with a suffix other than .c', ['todo.h'])
    add('a prefix of a test name', ['tod'])
    add('extra arguments', ['todo', 'extra', 'arguments'])
    add('--list with extra arguments', ['--list', 'extra'])
    add('one test, no argument', [], single=True)
    add('one test, no argument, WINETEST_PLATFORM=windows', [], {'WINETEST_PLATFORM': 'windows'}, single=True)
    add('one test, by name', ['ok'], single=True)
    add('one test, --list', ['--list'], single=True)
    add('one test, unknown test', ['nope'], single=True)
    return res


class Skipped(Exception):
    pass


PID = re.compile(rb'(?m)^((?:\x1b\[[0-9;]*m)?)([0-9a-f]{4,}):(?=(?:%s):)'
                 % b'|'.join(re.escape(n.encode()) for n in MULTI_TESTS))
TIME = re.compile(rb'(\.c:\d+|<pid>:\w+):\d+\.\d{3} ')
DEBUGGER_OUT = re.compile(rb'(?m)^Unhandled exception: ')
DEBUGGER_ERR = re.compile(rb'(?m)^wine: Unhandled .*\n?')
ADDRESS = re.compile(rb'( unhandled exception [0-9a-f]{8} at )\S+')


class Run:
    def __init__(self, out, err, status):
        self.out, self.err, self.status = out, err, status
        self.notes = []
        self.debugger = False


class Comparer:
    def __init__(self, programs, wrapper, run_dir):
        self.programs = programs
        self.wrapper = wrapper or []
        self.windows = is_windows_program(programs['wine'])
        self.run_dir = run_dir
        self.failed = 0
        self.passed = 0
        self.forced = 0

    def run(self, which, case):
        src = self.programs[which + ('_single' if case.single else '')]
        dst = os.path.join(self.run_dir, 'compare.exe' if self.windows else 'compare')
        # a new file each time, never rewritten in place: Wine's server keeps
        # what it learnt of an image by its file (inode)
        tmp = dst + '.new'
        shutil.copyfile(src, tmp)
        shutil.copymode(src, tmp)
        os.replace(tmp, dst)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('WINETEST_') and not k.startswith('COMPARE_')}
        env.update(case.env)
        proc = run_captured(self.wrapper + [dst] + case.args, self.wrapper, '%s, %s' % (case.title, which),
                            env=env, timeout=300, cwd=self.run_dir)
        if self.wrapper and proc.returncode == SKIP_STATUS and proc.stdout.startswith(b'SKIP:'):
            raise Skipped(proc.stdout.decode('utf-8', 'replace').strip())
        return self.normalise(case, Run(proc.stdout, proc.stderr, proc.returncode))

    def normalise(self, case, run):
        pids = set(m.group(2) for m in PID.finditer(run.out))
        if len(pids) > 1:
            run.notes.append('more than one process id: %r' % sorted(pids))
        run.out = PID.sub(rb'\1<pid>:', run.out)
        if case.env.get('WINETEST_TIME'):
            run.out = TIME.sub(rb'\1:<time> ', run.out)
        if case.unordered:
            run.out = b''.join(sorted(run.out.splitlines(keepends=True)))
        if case.crash:
            found = DEBUGGER_OUT.search(run.out)
            if found:
                run.out = run.out[:found.start()] + b'<debugger report>\n'
                run.debugger = True
            run.err = DEBUGGER_ERR.sub(b'<debugger>\n', run.err)
            if not self.windows:
                run.out = ADDRESS.sub(rb'\1<address>', run.out)
        return run

    def compare(self, case):
        wine = self.run('wine', case)
        ours = self.run('ours', case)
        problems = []
        for label, a, b in (('stdout', wine.out, ours.out), ('stderr', wine.err, ours.err)):
            if a != b:
                problems.append('%s differs: %s' % (label, first_difference(a, b)))
        if wine.debugger != ours.debugger:
            problems.append('Wine\'s debugger reported the crash of %s only' % ('Wine\'s' if wine.debugger else 'ours'))
        elif wine.status != ours.status and not wine.debugger:
            problems.append('exit status: Wine %d, ours %d' % (wine.status, ours.status))
        for label, run in (('Wine', wine), ('ours', ours)):
            problems += ['%s: %s' % (label, note) for note in run.notes]
        what = '%s (%s)' % (case.title, ' '.join(repr(a) for a in case.args) or 'no argument')
        if problems and case.posix_forced and not self.windows:
            self.forced += 1
            print('forced: %s: %s' % (what, case.posix_forced))
            for p in problems:
                print('    ' + p)
        elif problems:
            self.failed += 1
            print('DIFF: %s' % what)
            for p in problems:
                print('    ' + p)
        else:
            self.passed += 1
            print('same: %s: %d bytes, status %d' % (what, len(wine.out), wine.status))


def first_difference(a, b):
    la, lb = a.splitlines(keepends=True), b.splitlines(keepends=True)
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else None
        y = lb[i] if i < len(lb) else None
        if x != y:
            return ('line %d (of %d / %d):\n        Wine %s\n        ours %s'
                    % (i + 1, len(la), len(lb), shorten(x), shorten(y)))
    return 'no line differs?'


def shorten(line):
    if line is None:
        return '(none)'
    if len(line) > 160:
        return '%r ... %r (%d bytes)' % (line[:100], line[-40:], len(line))
    return repr(line)


def main(argv):
    wrapper, run_dir, test_h = None, None, None
    if argv[:1] == ['--skip']:
        print('SKIP: %s' % ' '.join(argv[1:]))
        return SKIP_STATUS
    while argv[:1] and argv[0] in ('--wrapper', '--run-dir', '--wine-test-h') and len(argv) > 1:
        opt, value, argv = argv[0], argv[1], argv[2:]
        if opt == '--wrapper':
            wrapper = [os.path.abspath(value)]
        elif opt == '--run-dir':
            run_dir = value
        else:
            test_h = value
    if len(argv) != 4:
        print(__doc__.strip())
        return 2
    programs = dict(zip(('wine', 'ours', 'wine_single', 'ours_single'), (os.path.abspath(a) for a in argv)))
    if test_h and not os.path.isfile(test_h):
        print('SKIP: Wine\'s test.h is gone from %s' % test_h)
        return SKIP_STATUS
    run_dir = os.path.abspath(run_dir or os.path.join(os.path.dirname(programs['ours']), 'compare-run'))
    os.makedirs(run_dir, exist_ok=True)
    c = Comparer(programs, wrapper, run_dir)
    print('comparing %s (Wine\'s harness%s) with %s (ours)'
          % (programs['wine'], ', ' + test_h if test_h else '', programs['ours']))
    try:
        for case in cases():
            c.compare(case)
    except Skipped as e:
        print(e)
        return SKIP_STATUS
    print('%d cases compared with Wine\'s harness; %d differ as a POSIX host forces them to'
          % (c.passed + c.failed + c.forced, c.forced))
    print('%d passed, %d failed' % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
