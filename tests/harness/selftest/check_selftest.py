#!/usr/bin/env python3
"""Checks the test harness against the behaviour of Wine 8's include/wine/test.h.

Usage: check_selftest.py [--wrapper WRAPPER] SELFTEST_PROGRAM

Runs the self-test program (selftest.c, beside this script) under several
WINETEST_* configurations and compares its output line by line, its summary
lines and its exit status with what Wine's harness gives for the same calls.
Exits 0 when everything matches, 1 otherwise, printing every difference.

A Windows build of the program (winetest_win32.c) runs through WRAPPER,
tools/wine-run.sh on a Linux host.  Its process id is Windows', read from
its summary lines, and its crash ends it with the exception code as its exit
status (of which Wine passes on the low 8 bits).  If WRAPPER cannot run it
and says "SKIP: ..." with status 77, as wine-run.sh does without a 32-bit
Wine, this exits 77 too, meson's code for a skipped test.
"""

import os
import re
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = ['ok', 'todo', 'broken_skip', 'context', 'flaky', 'trace', 'success',
         'mute', 'threads', 'many', 'crash']

FAIL = 'Test failed: '
TODO = 'Test marked todo: '
TODO_OK = 'Test succeeded inside todo block: '
FLAKY = 'Test marked flaky: '
FLAKY_TODO_OK = 'Test succeeded inside flaky todo block: '
SKIP = 'Tests skipped: '
TRACE = ''

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


class Unordered(list):
    """Lines that may come in any order (from concurrent threads)."""


def expect(name, platform, env):
    """(expected lines, exit status) of one test; lines are str, Unordered or re patterns."""
    wine = platform == 'wine'
    windows = platform == 'windows'
    debug = int(env.get('WINETEST_DEBUG', '1'))
    out = []

    if name == 'ok':
        longline = (msg('ok_long', FAIL, 'x' * 1499))[:1019] + '...'
        out = [msg('ok_false', FAIL, 'condition false'),
               msg('ok_fmt', FAIL, 'value 42, string abc'),
               'other.c:1234: ' + FAIL + 'explicit location',
               'win.c:7: ' + FAIL + 'backslash path',
               longline,
               msg('ok_nonl', FAIL, 'no newline') + msg('ok_after_nonl', FAIL, 'after no newline'),
               summary(name, 10, 0, 0, 7, 0)]
        status = 7
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
        if int(env.get('WINETEST_REPORT_FLAKY', '0')):
            status += 4 if wine else 2
    elif name == 'trace':
        if debug:
            out.append(msg('trace', TRACE, 'hello world'))
            if wine:
                out.append(msg('trace_todo', TODO, 'quiet todo'))
        if not wine:
            out.append(msg('trace_todo', FAIL, 'quiet todo'))
        out.append(msg('trace_fail', FAIL, 'loud'))
        status = (1 if wine else 2) + 2  # and winetest_add_failures( 2 )
        if debug:
            out.append(summary(name, 4, 1 if wine else 0, 0, status, 0))
    elif name == 'success':
        if int(env.get('WINETEST_REPORT_SUCCESS', '0')):
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
        if env.get('SELFTEST_CRASH'):
            out = ['selftest.c:%d: this is the last test seen before the exception' % LINES['crash_ok'],
                   re.compile(r'{pid}:crash: unhandled exception c0000005 at \S+$')]
            status = CRASH_STATUS
        else:
            out = [msg('crash_skip', SKIP, 'SELFTEST_CRASH is unset'), summary(name, 0, 0, 0, 0, 1)]
            status = 0
    return out, status


SKIP_STATUS = 77
# the pid in a Windows program's summary line: "XXXX:test: ..."
WINDOWS_PID = re.compile(r'^([0-9a-f]{4,}):[A-Za-z_]\w*:', re.M)


def is_windows_program(path):
    """Whether path is a PE image (MZ header pointing at a PE signature)."""
    try:
        with open(path, 'rb') as f:
            head = f.read(64)
            if len(head) < 64 or head[:2] != b'MZ':
                return False
            f.seek(int.from_bytes(head[60:64], 'little'))
            return f.read(4) == b'PE\0\0'
    except OSError:
        return False


class Skipped(Exception):
    pass


class Checker:
    def __init__(self, program, wrapper=None):
        self.program = program
        self.wrapper = wrapper or []
        self.windows = is_windows_program(program)
        self.errors = 0
        self.checks = 0

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
        proc = subprocess.Popen(self.wrapper + [self.program] + args, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=full)
        out, err = proc.communicate(timeout=120)
        out, err = out.decode('utf-8', 'replace'), err.decode('utf-8', 'replace')
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

    def compare(self, what, expected, text, pid):
        """Compares output text with expected items, in order."""
        pidstr = '%04x' % pid
        if text and not text.endswith('\n'):
            self.fail(what, 'output does not end with a newline')
        got = text.split('\n')[:-1] if text else []
        pos = 0
        for item in expected:
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
                self.fail(what, 'line %d:\n  expected %r\n  got      %r' % (pos + 1, want, line))
                return
            pos += 1
        if pos != len(got):
            self.fail(what, 'unexpected extra output from line %d: %r' % (pos + 1, got[pos:pos + 3]))

    def check(self, what, args, env, expected, status):
        self.checks += 1
        pid, rc, out, err = self.run(args, env)
        self.compare(what, expected, out, pid)
        if rc != status:
            self.fail(what, 'exit status %d, expected %d' % (rc, status))
        if err:
            self.fail(what, 'unexpected stderr %r' % err[:200])

    def check_test(self, name, platform, env=None):
        env = dict(env or {})
        if platform is not None:
            env['WINETEST_PLATFORM'] = platform
        expected, status = expect(name, platform or 'wine', env)
        what = '%s %s' % (name, ' '.join('%s=%s' % kv for kv in sorted(env.items())))
        self.check(what, [name], env, expected, min(status, 255))


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
    try:
        return run_checks(c)
    except Skipped as e:
        print(e)
        return SKIP_STATUS


def run_checks(c):
    for platform in ('wine', 'windows', 'linux'):
        for name in TESTS:
            c.check_test(name, platform)

    # defaults: the host back end's platform is "wine"
    for name in ('todo', 'broken_skip', 'flaky'):
        c.check_test(name, None)

    # configuration variables
    for platform in ('wine', 'windows'):
        c.check_test('trace', platform, {'WINETEST_DEBUG': '0'})
        c.check_test('mute', platform, {'WINETEST_DEBUG': '2'})
        c.check_test('flaky', platform, {'WINETEST_REPORT_FLAKY': '1'})
    c.check_test('success', 'wine', {'WINETEST_REPORT_SUCCESS': '1'})
    c.check_test('many', 'wine', {'SELFTEST_MANY': '1'})
    c.check_test('crash', 'wine', {'SELFTEST_CRASH': '1'})

    # elapsed time after each location with WINETEST_TIME
    c.check('success WINETEST_TIME=1', ['success'],
            {'WINETEST_PLATFORM': 'wine', 'WINETEST_TIME': '1', 'WINETEST_REPORT_SUCCESS': '1'},
            [re.compile(r'selftest\.c:%d:\d+\.\d{3} Test succeeded$' % LINES['succ1']),
             re.compile(r'selftest\.c:%d:\d+\.\d{3} Test succeeded$' % LINES['succ2']),
             re.compile(r'{pid}:success:\d+\.\d{3} 2 tests executed \(0 marked as todo, 0 as flaky, '
                        r'0 failures\), 0 skipped\.$')], 0)

    # the test's name may come with a directory and a .c suffix
    expected, status = expect('todo', 'wine', {})
    c.check('todo as a path', ['some/dir/todo.c'], {'WINETEST_PLATFORM': 'wine'}, expected, status)

    listing = ['Valid test names:'] + ['    ' + name for name in TESTS]
    c.check('--list', ['--list'], {}, listing, 0)
    c.check('unknown test', ['nope'], {}, ["Fatal: test 'nope' does not exist."] + listing, 1)

    # all tests in order, each with its own counters; the status is the sum
    for platform in ('wine', 'windows'):
        expected, total = [], 0
        for name in TESTS:
            out, status = expect(name, platform, {})
            expected += out
            total += status
        c.check('all tests on ' + platform, [], {'WINETEST_PLATFORM': platform}, expected, min(total, 255))
    expected, total = [], 0
    for name in TESTS:
        out, status = expect(name, 'wine', {'SELFTEST_MANY': '1'})
        expected += out
        total += status
    c.check('all tests, status capped', [], {'WINETEST_PLATFORM': 'wine', 'SELFTEST_MANY': '1'},
            expected, 255)

    print('%d runs checked, %d failed' % (c.checks, c.errors))
    return 1 if c.errors else 0


if __name__ == '__main__':
    sys.exit(main())
