#!/usr/bin/env python3
"""Checks the test harness against the behaviour of Wine 8.0's include/wine/test.h.

Usage: check_selftest.py [--wrapper WRAPPER] SELFTEST_PROGRAM

Runs the self-test program (selftest.c, beside this script) under several
WINETEST_* configurations and command lines and compares its output line by
line, its summary lines and its exit status with what Wine's harness gives
for the same calls (../compare/ proves the same against Wine's test.h
itself, byte for byte).  Exits 0 when everything matches, 1 otherwise,
printing every difference.

A Windows build of the program (winetest_win32.c) runs through WRAPPER,
tools/wine/run.sh on a Linux host.  As Wine's harness, it ends its lines
with "\r\n" (msvcrt's text mode) and defaults to platform "wine" under Wine
("windows" on Windows); its process id is Windows', read from its summary
lines; a crash ends it with the exception code as its exit status (of which
Wine passes on the low 8 bits), and under platform "wine" is left to Wine's
debugger.  A run that printed nothing at all with status 1 is Wine's rare
failure to start a program (tools/wine/wine_start.py): it is run once more, and
the second run counts.  If WRAPPER cannot run it and says "SKIP: ..." with
status 77, as tools/wine/run.sh does without a 32-bit Wine, this exits 77 too,
meson's code for a skipped test.
"""

import os
import re
import signal
import sys

TOOLS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'tools')
sys.path[:0] = [os.path.join(TOOLS, 'exports'), os.path.join(TOOLS, 'wine')]
from pecheck import is_pe_image as is_windows_program  # noqa: E402
from wine_start import run_captured  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = ['ok', 'todo', 'broken_skip', 'context', 'flaky', 'trace', 'subtest', 'success',
         'mute', 'threads', 'many', 'crash']

FAIL = 'Test failed: '
TODO = 'Test marked todo: '
TODO_OK = 'Test succeeded inside todo block: '
FLAKY = 'Test marked flaky: '
FLAKY_TODO_OK = 'Test succeeded inside flaky todo block: '
SKIP = 'Tests skipped: '
TRACE = ''

# Wine's colours (WINETEST_COLOR): a line in colour is followed by the reset
RESET = '\x1b[0m'
COLORS = {FAIL: '\x1b[1;91m', TODO: '\x1b[33m', TODO_OK: '\x1b[31m', FLAKY: '\x1b[1;95m',
          FLAKY_TODO_OK: '\x1b[35m', SKIP: '\x1b[34m', 'Test succeeded': '\x1b[32m'}

LINES = {}
with open(os.path.join(HERE, 'selftest.c')) as src:
    for number, text in enumerate(src, 1):
        for tag in re.findall(r'/\* L:(\w+) \*/', text):
            assert tag not in LINES, 'duplicate tag ' + tag
            LINES[tag] = number


def loc(tag):
    return 'selftest.c:%d: ' % LINES[tag]


def msg(tag, kind, text, ctx=()):
    """One message line as Wine prints it, without its final newline."""
    return loc(tag) + kind + ''.join(c + ': ' for c in ctx) + text


def summary(name, total, todo, flaky, failed, skipped):
    return ('{pid}:%s: %d tests executed (%d marked as todo, %d as flaky, %d %s), %d skipped.'
            % (name, total, todo, flaky, failed, 'failure' if failed == 1 else 'failures', skipped))


def silenced(name, todos, skips, traces):
    return '{pid}:%s: Silenced %d todos, %d skips and %d traces.' % (name, todos, skips, traces)


CRASH_STATUS = -signal.SIGSEGV   # set by main() for the program under test
WINDOWS_PROGRAM = [False]        # likewise


class Unordered(list):
    """Lines that may come in any order (from concurrent threads)."""


class NoReport:
    """Whatever comes (Wine's debugger's report), but no harness crash report."""
    FORBIDDEN = re.compile(r'this is the last test seen|unhandled exception')


def env_int(env, name, default):
    """A WINETEST_* number as Wine's harness reads it: unset or empty is the
    default, else C's atoi()."""
    value = env.get(name, '')
    if not value:
        return default
    found = re.match(r'[ \t\n\v\f\r]*([-+]?\d+)', value)
    return int(found.group(1)) if found else 0


def paint(lines):
    """The lines of a run with WINETEST_COLOR=1: each (kind, line) item is
    in its kind's colour, if it has one, and the reset after its newline
    starts the next line."""
    res, pending = [], ''
    for kind, line in lines:
        color = COLORS.get(kind, '')
        res.append(pending + color + line)
        pending = RESET if color else ''
    if pending:
        res.append(pending)
    return res


def expect(name, platform, env):
    """(expected lines, exit status) of one test; lines are str, Unordered or re patterns."""
    wine = platform == 'wine'
    windows = platform == 'windows'
    debug = env_int(env, 'WINETEST_DEBUG', 1)
    out = []

    if name == 'ok':
        out = [msg('ok_false', FAIL, 'condition false'),
               msg('ok_fmt', FAIL, 'value 42, string abc'),
               'other.c:1234: ' + FAIL + 'explicit location',
               'win.c:7: ' + FAIL + 'backslash path',
               msg('ok_long', FAIL, 'x' * 1499),       # no limit on a line, as in Wine
               msg('ok_longer', FAIL, 'y' * 99999),
               msg('ok_nonl', FAIL, 'no newline') + msg('ok_after_nonl', FAIL, 'after no newline'),
               summary(name, 11, 0, 0, 8, 0)]
        status = 8
    elif name == 'todo':
        t = TODO if wine else FAIL
        out = [msg('todo_fail', t, 'todo fails')]
        if wine:
            out.append(msg('todo_succ', TODO_OK, 'todo succeeds'))
        out += [msg('after_todo', FAIL, 'after todo'),
                msg('braced1', t, 'braced 1'),
                msg('braced2', t, 'braced 2'),
                msg('todo_if1', TODO, 'todo_if 1'),
                msg('todo_if0', FAIL, 'todo_if 0'),
                msg('twif0', FAIL, 'todo_wine_if 0'),
                msg('twif1', t, 'todo_wine_if 1'),
                msg('nested', t, 'nested'),
                msg('todo_count', TRACE, '%d failures outside todo blocks' % (3 if wine else 8))]
        status = 4 if wine else 8
        out.append(summary(name, 10, 6 if wine else 1, 0, status, 0))
    elif name == 'broken_skip':
        if not windows:
            out.append(msg('broken1', FAIL, 'broken(1)'))
        out.append(msg('skip', SKIP, 'skip 1'))
        if windows:
            out += [msg('win_skip', SKIP, 'win_skip'), msg('win_skip_todo', SKIP, 'win_skip in todo')]
            out.append(summary(name, 2, 0, 0, 0, 3))
            status = 0
        else:
            out += [msg('win_skip', FAIL, 'win_skip'),
                    msg('win_skip_todo', TODO if wine else FAIL, 'win_skip in todo')]
            status = 2 if wine else 3
            out.append(summary(name, 4, 1 if wine else 0, 0, status, 1))
    elif name == 'context':
        both = ('outer 1', 'inner')
        out = [msg('ctx1', FAIL, 'one', ('outer 1',)),
               msg('ctx2', FAIL, 'two', both),
               msg('ctx_trace', TRACE, 'traced text', both),
               msg('ctx_skip', SKIP, 'skipped', both),
               msg('ctx_todo', TODO if wine else FAIL, 'todo', both),
               msg('ctx3', FAIL, 'three', ('outer 1',)),
               msg('ctx4', FAIL, 'four'),
               msg('ctx_deep', FAIL, 'deep', ['c%d' % i for i in range(8)]),
               msg('ctx_none', FAIL, 'none')]
        out += [msg('mute_trace', TRACE, 'trace %d' % i) for i in range(3)]
        status = 6 if wine else 7
        out.append(summary(name, 7, 1 if wine else 0, 0, status, 1))
    elif name == 'flaky':
        out = [msg('flaky_fail', FLAKY, 'flaky fails'),
               msg('flaky_wine', FLAKY if wine else FAIL, 'flaky_wine'),
               msg('flaky_if0', FAIL, 'flaky_if 0'),
               msg('fwi1', FLAKY if wine else FAIL, 'flaky_wine_if 1')]
        if wine:
            out += [msg('flaky_todo', FLAKY_TODO_OK, 'flaky todo succeeds'),
                    msg('flaky_todo_fail', TODO, 'flaky todo fails'),
                    summary(name, 7, 1, 4, 1, 0)]
            status = 1
        else:
            out += [msg('flaky_todo_fail', FLAKY, 'flaky todo fails'),
                    summary(name, 7, 0, 2, 3, 0)]
            status = 3
        if env_int(env, 'WINETEST_REPORT_FLAKY', 0):
            status += 4 if wine else 2
    elif name == 'trace':
        if debug:
            out.append(msg('trace', TRACE, 'hello world'))
            if wine and debug > 0:   # a todo is printed from level 1 on, a trace at any but 0
                out.append(msg('trace_todo', TODO, 'quiet todo'))
        if not wine:
            out.append(msg('trace_todo', FAIL, 'quiet todo'))
        out.append(msg('trace_fail', FAIL, 'loud'))
        status = (1 if wine else 2) + 2  # and winetest_add_failures( 2 )
        if debug:
            out.append(summary(name, 4, 1 if wine else 0, 0, status, 0))
    elif name == 'subtest':
        out = [loc('subtest') + 'Subtest first',
               loc('ignore1') + 'IgnoreExceptions=1',
               loc('ignore0') + 'IgnoreExceptions=0']
        if debug:
            out += [msg('mainargs', TRACE, '%d arguments, the test\'s name %s' % (2, name)),
                    summary(name, 0, 0, 0, 0, 0)]
        status = 0
    elif name == 'success':
        if env_int(env, 'WINETEST_REPORT_SUCCESS', 0):
            out += [loc('succ1') + 'Test succeeded', loc('succ2') + 'Test succeeded']
        out.append(summary(name, 2, 0, 0, 0, 0))
        status = 0
    elif name == 'mute':
        limit = 42 if debug <= 1 else 1000

        def lines(tag, kind, text, count):
            res = [msg(tag, kind, text % i) for i in range(min(count, limit))]
            if count > limit:
                res.append(loc(tag) + 'Line has been silenced after 42 occurrences')
            return res
        out = lines('mute_trace', TRACE, 'trace %d', 50)
        if wine:
            out += lines('mute_todo', TODO, 'todo %d', 45)
        else:
            out += [msg('mute_todo', FAIL, 'todo %d' % i) for i in range(45)]
        out += lines('mute_skip', SKIP, 'skip %d', 43)
        if debug <= 1:
            out.append(silenced(name, 3 if wine else 0, 1, 8))
        todos = (42 if debug <= 1 else 45) if wine else 0
        status = 0 if wine else 45
        out.append(summary(name, todos if wine else 45, todos, 0, status, 42 if debug <= 1 else 43))
    elif name == 'threads':
        group = Unordered()
        for i in range(8):
            group += [msg('thr_fail', FAIL, 'fails', ('thread %d' % i,)),
                      msg('thr_todo', TODO if wine else FAIL, 'todo', ('thread %d' % i,))]
        status = 9 if wine else 17
        out = [group, msg('thr_main', FAIL, 'main thread'),
               summary(name, 8 * 2002 + 1, 8 if wine else 0, 0, status, 0)]
    elif name == 'many':
        if env.get('SELFTEST_MANY'):
            out = [msg('many', FAIL, 'failure %d' % i) for i in range(300)]
            out.append(summary(name, 300, 0, 0, 300, 0))
            status = 300
        else:
            out = [msg('many_skip', SKIP, 'SELFTEST_MANY is unset'), summary(name, 0, 0, 0, 0, 1)]
            status = 0
    elif name == 'crash':
        if env.get('SELFTEST_CRASH') and WINDOWS_PROGRAM[0] and not windows:
            # left to Wine's debugger, whose report follows on stdout
            out = [NoReport()]
            status = None
        elif env.get('SELFTEST_CRASH'):
            out = ['selftest.c:%d: this is the last test seen before the exception' % LINES['crash_ok'],
                   re.compile(r'{pid}:crash: unhandled exception c0000005 at \S+$')]
            status = CRASH_STATUS
        else:
            out = [msg('crash_skip', SKIP, 'SELFTEST_CRASH is unset'), summary(name, 0, 0, 0, 0, 1)]
            status = 0
    return out, status


SKIP_STATUS = 77
# the pid in a Windows program's summary line: "XXXX:test: ..."
WINDOWS_PID = re.compile(r'^(?:\x1b\[[0-9;]*m)*([0-9a-f]{4,}):[A-Za-z_]\w*:', re.M)


class Skipped(Exception):
    pass


class Checker:
    def __init__(self, program, wrapper=None):
        self.program = program
        self.wrapper = wrapper or []
        self.windows = is_windows_program(program)
        self.errors = 0
        self.checks = 0

    def default_platform(self):
        """Wine's harness: "wine" under Wine, else "windows"; a POSIX host
        build says "wine" (winetest_host.c)."""
        return 'windows' if self.windows and os.name == 'nt' else 'wine'

    def crash_status(self):
        """Exit status of the crash test: killed by SIGSEGV on a POSIX host;
        on Windows the exception code, which Wine cuts to its low 8 bits."""
        if not self.windows:
            return -signal.SIGSEGV
        return 0xc0000005 if os.name == 'nt' else 0xc0000005 & 0xff

    def run(self, args, env):
        full = {k: v for k, v in os.environ.items()
                if not k.startswith('WINETEST_') and not k.startswith('SELFTEST_')}
        full.update(env)
        proc = run_captured(self.wrapper + [self.program] + args, self.wrapper, ' '.join(args), env=full,
                            timeout=120)
        out, err = proc.stdout.decode('utf-8', 'replace'), proc.stderr.decode('utf-8', 'replace')
        if self.wrapper and proc.returncode == SKIP_STATUS and out.startswith('SKIP:'):
            raise Skipped(out.strip())
        pid = proc.pid
        if self.windows:
            # the Windows process id, not the wrapper's; 0 if there is none,
            # so that the lines that need one do not match
            found = WINDOWS_PID.search(out)
            pid = int(found.group(1), 16) if found else 0
        return pid, proc.returncode, out, err

    def fail(self, what, detail):
        self.errors += 1
        print('FAIL: %s: %s' % (what, detail))

    def lines(self, what, text, debugger=False):
        """The lines of the output; a Windows program's end in "\r\n", as
        Wine's harness writes them through msvcrt's stdout (text mode)."""
        if self.windows:
            if '\n' in text.replace('\r\n', '') and not debugger:   # Wine's debugger's lines end in \n
                self.fail(what, 'a line of a Windows program ends in "\\n", not "\\r\\n"')
            text = text.replace('\r\n', '\n')
        elif '\r' in text:
            self.fail(what, 'a "\\r" in the output of a POSIX program')
        got = text.split('\n')
        if got[-1] and not got[-1] == RESET:
            self.fail(what, 'output does not end with a newline')
        return got if got[-1] else got[:-1]

    def compare(self, what, expected, text, pid):
        """Compares output text with expected items, in order."""
        pidstr = '%04x' % pid
        got = self.lines(what, text, any(isinstance(item, NoReport) for item in expected))
        pos = 0
        for item in expected:
            if isinstance(item, NoReport):
                bad = [line for line in got[pos:] if NoReport.FORBIDDEN.search(line)]
                if bad:
                    self.fail(what, 'the harness reported a crash that it leaves to Wine\'s debugger: %r' % bad[0])
                return
            if isinstance(item, Unordered):
                want = sorted(s.replace('{pid}', pidstr) for s in item)
                have = sorted(got[pos:pos + len(item)])
                if want != have:
                    self.fail(what, 'unordered block at line %d differs:\n  expected %r\n  got      %r'
                              % (pos + 1, want, have))
                    return
                pos += len(item)
                continue
            line = got[pos] if pos < len(got) else None
            if isinstance(item, re.Pattern):
                ok = line is not None and re.match(item.pattern.replace('{pid}', pidstr), line)
                want = item.pattern.replace('{pid}', pidstr)
            else:
                want = item.replace('{pid}', pidstr)
                ok = line == want
            if not ok:
                if want and line and len(want) + len(line) > 400:
                    want, line = shorten(want), shorten(line)
                self.fail(what, 'line %d:\n  expected %r\n  got      %r' % (pos + 1, want, line))
                return
            pos += 1
        if pos != len(got):
            self.fail(what, 'unexpected extra output from line %d: %r' % (pos + 1, got[pos:pos + 3]))

    def check(self, what, args, env, expected, status):
        self.checks += 1
        pid, rc, out, err = self.run(args, env)
        self.compare(what, expected, out, pid)
        if status is not None and rc != status:
            self.fail(what, 'exit status %d, expected %d' % (rc, status))
        if err and not (status is None and re.match(r'wine: Unhandled ', err)):
            self.fail(what, 'unexpected stderr %r' % err[:200])

    def check_test(self, name, platform, env=None, args=None):
        env = dict(env or {})
        if platform is not None:
            env['WINETEST_PLATFORM'] = platform
        expected, status = expect(name, platform or self.default_platform(), env)
        what = '%s %s' % (name, ' '.join('%s=%s' % kv for kv in sorted(env.items())))
        self.check(what, args or [name], env, expected, status if status is None else min(status, 255))


def shorten(text):
    return '%s ... %s (%d characters)' % (text[:60], text[-60:], len(text))


def main():
    global CRASH_STATUS
    args = sys.argv[1:]
    wrapper = None
    if len(args) == 3 and args[0] == '--wrapper':
        wrapper = [os.path.abspath(args[1])]
        args = args[2:]
    if len(args) != 1:
        print(__doc__.strip())
        return 2
    c = Checker(os.path.abspath(args[0]), wrapper)
    CRASH_STATUS = c.crash_status()
    WINDOWS_PROGRAM[0] = c.windows
    try:
        return run_checks(c)
    except Skipped as e:
        print(e)
        return SKIP_STATUS


def colored(name, platform, env):
    """Expected lines of a test with WINETEST_COLOR=1, from those without:
    each message gets the colour of its kind."""
    out, status = expect(name, platform, env)
    kinds = sorted((k for k in COLORS if k != 'Test succeeded'), key=len, reverse=True)
    items = []
    for line in out:
        kind = None
        if isinstance(line, str):
            body = line.split(': ', 1)[1] if ': ' in line else ''
            kind = next((k for k in kinds if body.startswith(k)), None)
            if kind is None and body.startswith('Test succeeded'):
                kind = 'Test succeeded'
        items.append((kind, line))
    return paint(items), status


def run_checks(c):
    default = c.default_platform()
    for platform in ('wine', 'windows', 'linux'):
        for name in TESTS:
            c.check_test(name, platform)

    # the default platform: Wine's rule (or "wine" on a POSIX host); an
    # empty WINETEST_PLATFORM is an unset one, as in Wine's harness
    for name in ('todo', 'broken_skip', 'flaky'):
        c.check_test(name, None)
        expected, status = expect(name, default, {})
        c.check('%s WINETEST_PLATFORM= (empty)' % name, [name], {'WINETEST_PLATFORM': ''}, expected, status)

    # configuration variables
    for platform in ('wine', 'windows'):
        c.check_test('trace', platform, {'WINETEST_DEBUG': '0'})
        c.check_test('subtest', platform, {'WINETEST_DEBUG': '0'})
        c.check_test('mute', platform, {'WINETEST_DEBUG': '2'})
        c.check_test('flaky', platform, {'WINETEST_REPORT_FLAKY': '1'})
    for value in ('', ' 0', '-1', '2x'):
        c.check_test('trace', 'wine', {'WINETEST_DEBUG': value})
    c.check_test('success', 'wine', {'WINETEST_REPORT_SUCCESS': '1'})
    c.check_test('many', 'wine', {'SELFTEST_MANY': '1'})
    # Wine 8.0's harness has no setting for the mute threshold (later ones read
    # WINETEST_MUTE_THRESHOLD): it stays 42
    expected, status = expect('mute', 'wine', {})
    c.check('mute WINETEST_MUTE_THRESHOLD=5 (not read)', ['mute'],
            {'WINETEST_PLATFORM': 'wine', 'WINETEST_MUTE_THRESHOLD': '5'}, expected, status)

    # crashes: reported by the harness, except in a Windows program under
    # platform "wine", where Wine's harness leaves them to Wine's debugger
    for platform in ('windows', 'wine'):
        c.check_test('crash', platform, {'SELFTEST_CRASH': '1'})

    # colour
    for name, platform, env in (('todo', 'wine', {}), ('todo', 'windows', {}), ('flaky', 'wine', {}),
                                ('broken_skip', 'wine', {}), ('broken_skip', 'windows', {}),
                                ('trace', 'wine', {}), ('success', 'wine', {'WINETEST_REPORT_SUCCESS': '1'})):
        env = dict(env, WINETEST_COLOR='1', WINETEST_PLATFORM=platform)
        expected, status = colored(name, platform, env)
        c.check('%s %s' % (name, ' '.join('%s=%s' % kv for kv in sorted(env.items()))), [name], env,
                expected, status)
    expected, status = expect('todo', 'wine', {})
    for value in ('0', 'auto'):   # "auto": the output is a pipe here, no colour
        c.check('todo WINETEST_COLOR=' + value, ['todo'], {'WINETEST_PLATFORM': 'wine', 'WINETEST_COLOR': value},
                expected, status)
    if c.windows:
        expected, status = expect('crash', 'windows', {'SELFTEST_CRASH': '1'})
        c.check('crash WINETEST_COLOR=1', ['crash'],
                {'WINETEST_PLATFORM': 'windows', 'SELFTEST_CRASH': '1', 'WINETEST_COLOR': '1'},
                [expected[0], re.compile(re.escape(COLORS[FAIL]) + expected[1].pattern), RESET], CRASH_STATUS)

    # elapsed time after each location with WINETEST_TIME
    c.check('success WINETEST_TIME=1', ['success'],
            {'WINETEST_PLATFORM': 'wine', 'WINETEST_TIME': '1', 'WINETEST_REPORT_SUCCESS': '1'},
            [re.compile(r'selftest\.c:%d:\d+\.\d{3} Test succeeded$' % LINES['succ1']),
             re.compile(r'selftest\.c:%d:\d+\.\d{3} Test succeeded$' % LINES['succ2']),
             re.compile(r'{pid}:success:\d+\.\d{3} 2 tests executed \(0 marked as todo, 0 as flaky, '
                        r'0 failures\), 0 skipped\.$')], 0)

    # the command line: a test's name may come with a directory and a .c
    # suffix; arguments after it are the test's
    expected, status = expect('todo', 'wine', {})
    c.check('todo as a path', ['some/dir/todo.c'], {'WINETEST_PLATFORM': 'wine'}, expected, status)
    c.check('todo with more arguments', ['todo', 'more', 'arguments'], {'WINETEST_PLATFORM': 'wine'},
            expected, status)
    expected, status = expect('subtest', 'wine', {})
    expected[3] = expected[3].replace(' 2 arguments', ' 4 arguments')
    c.check('subtest with more arguments', ['subtest', 'a', 'b'], {'WINETEST_PLATFORM': 'wine'}, expected, status)

    listing = ['Valid test names:'] + ['    ' + name for name in TESTS]
    c.check('--list', ['--list'], {}, listing, 0)
    c.check('unknown test', ['nope'], {}, ["Fatal: test 'nope' does not exist."], 1)
    # no test named: a program of several tests prints the usage and fails
    c.check('no argument', [], {}, [re.compile(r'Usage: .+ test_name$'), ''] + listing, 1)

    print('%d runs checked, %d failed' % (c.checks, c.errors))
    return 1 if c.errors else 0


if __name__ == '__main__':
    sys.exit(main())
