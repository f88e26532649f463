#!/usr/bin/env python3
"""Mutation testing of the rundown module: how well does the suite catch a
deliberately broken implementation?

usage: tools/measure/mutation_test.py [options]

Reads the mutations from tools/measure/mutations.txt (its header describes the
format): each one replaces one exact piece of text, which must occur exactly
once, in one file of the module.  For each mutation it builds the host suite
(gcc, -Dbuildtype=debugoptimized, no -Werror) with the mutated file and runs

    build/tests/ntrundown_tests rundown
    build/tests/ntrundown_tests rundown_cache_aware
    build/tests/ntrundown_tests rundown_stress

(with --checked: a checked build, -Dchecked=true, and also
tests/check_misuse.py on the misuse program), each with a timeout.  The real
tree is never edited: every worker has its own copy of the source tree and
its own meson build directory under --build-dir, reused from one mutant to
the next (and from one run to the next); only the mutated file changes, so
ninja recompiles one or two files per mutant.

A mutant is
  killed        a test failed; how, per test (the "kind"):
     fail       the suite's own failure report: ok() checks failed, and the
                program ended normally with its summary line
     hang       the same, and among the failures is a hang the suite caught
                itself (its 10 s limit on every wait: "did not return
                within ...", "did not stop after the rundown", ...)
     misuse     check_misuse.py failed (--checked only)
     crash      the program died of a signal (SIGSEGV, SIGFPE, ...; the
                harness prints "unhandled exception")
     abort      SIGABRT: a bug check of the kernel emulation (hostkrnl:
                BAD_POOL_CALLER, ...) or a failed ASSERT (checked builds)
     sanitizer  a sanitizer's report (with --meson-args -Db_sanitize=...)
     exit       it exited without the harness summary line
     hang-cut   the external timeout stopped it while the test thread was
                inside one of the suite's bounded waits, after the suite
                had reported failures: caught by the suite, too slowly
                (several 10 s hangs in a row)
     slow       the same, with nothing reported yet: the suite would report
                only after the timeout, if ever
     TIMEOUT    the external timeout stopped it with the test thread outside
                every bounded wait of the suite (inside a routine, say): a
                hang the suite does not catch itself
                On a timeout the tool asks gdb (if installed) for the stacks
                of every thread, to tell these three apart; they go to the log.
  survived      every test passed
  not compiled  the build failed
  skipped       "needs: checked" and no --checked
Mutations marked "equivalent" are run too, but stay out of the score:
killed / (compiled, non-equivalent, not skipped).  One that gets killed is
listed ("KILLED(equiv?)"): its reason needs a second look.

Before the mutants, the unmutated tree is built and run the same way; if it
fails, nothing else runs (unless --keep-going), since a failing baseline
makes the results meaningless.

Options:
  --jobs N             workers, each with its own copy and build (default 2)
  --only ID,...        run only these mutations
  --list               list the mutations (after checking every one) and stop
  --build-dir DIR      scratch directory (default: BUILD/mutation under the
                       source, BUILD being its ignored build/ directory)
  --source DIR         the tree to mutate (default: the repository this
                       script is in); it is copied, never edited
  --mutations FILE     the list (default: mutations.txt beside this script)
  --impl-sources F,... the files a mutation may name, relative to the source
                       (default: the module, dlls/ntoskrnl/rundown.c)
  --checked            checked build (-Dchecked=true), and check_misuse.py
  --timeout S          per-run timeout in seconds (default 60)
  --meson-args ARGS    more -Dkey=value options for the build, e.g.
                       "-Db_sanitize=address -Db_lundef=false" (the
                       environment, ASAN_OPTIONS say, goes to the tests)
  --tests T,...        the suite's tests to run (default: all three)
  --skip-equivalent    do not run mutations marked equivalent
  --serial-tests       run a mutant's tests one after the other (default: at
                       once, each in its own process: a mutant then costs
                       its slowest test, since hangs mostly sleep)
  --keep-going         when the baseline fails, leave out the tests that fail
                       unmutated and run the mutants with the others
  --repeat N           run a survivor again, up to N runs in all (default 1),
                       for kills that depend on timing or on the processor a
                       thread happens to run on; a mutant killed only on a
                       later run is marked "(flaky: killed on run k)"
  --json FILE          also write the results as JSON
  -v, --verbose        print each mutant's result as it comes, with the first
                       failure line of each killing test

The full output of every run is kept in BUILD-DIR/logs/ID/TEST.log.
Exit status: 0 when the run completed (whatever the score), 1 on a bad list
or a failing baseline, 2 on bad usage.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time

SCRIPT_DIR = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCE = os.path.dirname(os.path.dirname(SCRIPT_DIR))
DEFAULT_IMPL = ['dlls/ntoskrnl/rundown.c']
SUITE_TESTS = ['rundown', 'rundown_cache_aware', 'rundown_stress']
MISUSE_TEST = 'checked-misuse'
SUITE_PROGRAM = 'tests/ntrundown_tests'
MISUSE_PROGRAM = 'tests/misuse'

SUMMARY = re.compile(r'^[0-9a-f]{4,}:([^:\s]+):\S* ?(\d+) tests executed \((\d+) marked as todo, (\d+) as flaky, '
                     r'(\d+) failures?\), (\d+) skipped\.', re.M)
FAILED_LINE = re.compile(r'^.*Test failed: .*$', re.M)
# The suite's own hang reports (tests/support.c, tests/rundown*.c).
HANG_LINE = re.compile(r'did not return within|did not stop after the rundown|did not finish|'
                       r'did not mark', re.M)
EXCEPTION_LINE = re.compile(r'unhandled exception [0-9a-f]{8}', re.M)
# The suite's bounded waits (tests/support.c): a test thread inside one of
# these when the external timeout strikes is in the suite's own hang
# detection, which would have reported the hang.
BOUNDED_WAIT = re.compile(r'^(thread_join|waiter_end_|waiter_returned|wait_in_thread_|event_wait|poll_word|sleep_ms)$')
# The module's functions (a test thread stuck in one of them is a hang no
# bounded wait of the suite covers).
ROUTINE_FRAME = re.compile(r'^(Ex[A-Za-z]*Rundown[A-Za-z]*|rundown_[a-z_]+|current_slot|set_all_slots|'
                           r'cache_aware_slot|align_up|cache_line_size|active_processors)$')
FRAME = re.compile(r'^#\d+\s+(?:0x[0-9a-f]+ in )?(\S+)')
KEYS = ('id', 'file', 'desc', 'find', 'replace', 'equivalent', 'needs')
ID_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]*$')

print_lock = threading.Lock()


def say(*args):
    with print_lock:
        print(*args, flush=True)


# ---- the list of mutations ---------------------------------------------------

class ListError(Exception):
    pass


class Mutation:
    def __init__(self, fields, line):
        self.line = line
        self.id = fields.get('id', '')
        self.file = fields.get('file', '')
        self.desc = fields.get('desc', '')
        self.find = fields.get('find')
        self.replace = fields.get('replace')
        self.equivalent = fields.get('equivalent')
        self.needs = fields.get('needs')
        self.at_line = None     # line of the original text in the file


def parse_mutations(path):
    """Parses the list; raises ListError with every problem found."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    records, problems = [], []
    fields, start, key, verbatim = None, 0, None, False

    def finish():
        if fields is not None:
            records.append(Mutation(fields, start))

    for number, text in enumerate(lines, 1):
        if text.startswith('|'):
            if key is None or not verbatim and fields.get(key) != '':
                problems.append(f'{path}:{number}: a "|" line that continues no verbatim value')
                continue
            piece = text[1:]
            fields[key] = piece if fields[key] == '' and not verbatim else fields[key] + '\n' + piece
            verbatim = True
            continue
        key, verbatim = None, False
        if not text.strip() or text.startswith('#'):
            continue
        m = re.match(r'^([a-z]+):(.*)$', text)
        if not m or m.group(1) not in KEYS:
            problems.append(f'{path}:{number}: not "key: value" with a known key ({", ".join(KEYS)}): {text!r}')
            continue
        name, value = m.group(1), m.group(2)
        if name == 'id':
            finish()
            fields, start = {}, number
        elif fields is None:
            problems.append(f'{path}:{number}: "{name}:" before the first "id:"')
            continue
        if name in fields:
            problems.append(f'{path}:{number}: "{name}:" given twice in one mutation')
            continue
        key = name
        if value.lstrip().startswith('|'):
            fields[name] = value.lstrip()[1:]
            verbatim = True
        else:
            fields[name] = value.strip()
    finish()

    seen = {}
    for m in records:
        where = f'{path}:{m.line}'
        if not ID_RE.match(m.id):
            problems.append(f'{where}: bad id {m.id!r}')
        elif m.id in seen:
            problems.append(f'{where}: id {m.id} already used at line {seen[m.id]}')
        seen[m.id] = m.line
        for name in ('file', 'desc'):
            if not getattr(m, name):
                problems.append(f'{where}: {m.id}: no "{name}:"')
        if m.find is None or m.find == '':
            problems.append(f'{where}: {m.id}: no (or an empty) "find:"')
        if m.replace is None:
            problems.append(f'{where}: {m.id}: no "replace:" (write "replace:" with nothing to delete)')
        elif m.find is not None and m.replace == m.find:
            problems.append(f'{where}: {m.id}: "replace:" is the same as "find:"')
        if m.needs not in (None, 'checked'):
            problems.append(f'{where}: {m.id}: "needs:" must be "checked", not {m.needs!r}')
        if m.equivalent is not None and not m.equivalent:
            problems.append(f'{where}: {m.id}: "equivalent:" needs a reason')
    if problems:
        raise ListError('\n'.join(problems))
    return records


def check_against_source(mutations, source, impl_sources):
    """Every mutation names a module file and its text occurs there exactly once."""
    problems, texts = [], {}
    for m in mutations:
        where = f'mutation {m.id} (list line {m.line})'
        if m.file not in impl_sources:
            problems.append(f'{where}: {m.file} is not one of the implementation sources '
                            f'({", ".join(impl_sources)})')
            continue
        if m.file not in texts:
            try:
                with open(os.path.join(source, m.file), encoding='utf-8') as f:
                    texts[m.file] = f.read()
            except OSError as e:
                problems.append(f'{where}: cannot read {m.file}: {e}')
                continue
        text = texts[m.file]
        count = text.count(m.find)
        if count != 1:
            problems.append(f'{where}: the text to find occurs {count} times in {m.file}, not once:\n'
                            + ''.join(f'    | {line}\n' for line in m.find.split('\n')))
            continue
        m.at_line = text[:text.index(m.find)].count('\n') + 1
    if problems:
        raise ListError('\n'.join(problems))
    return texts


# ---- workers ------------------------------------------------------------------

def source_files(source):
    """The files of the tree to copy: git's list when it is a repository
    (tracked and untracked-but-not-ignored, as they are on disk)."""
    try:
        out = subprocess.run(['git', '-C', source, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                             capture_output=True, check=True).stdout
        files = [f for f in out.decode().split('\0') if f]
        return [f for f in files if os.path.isfile(os.path.join(source, f))]
    except (OSError, subprocess.CalledProcessError):
        pass
    files = []
    for root, dirs, names in os.walk(source):
        rel = os.path.relpath(root, source)
        dirs[:] = [d for d in dirs if not (d.startswith('.') or (rel == '.' and d in ('build', 'builddir')))]
        files += [os.path.normpath(os.path.join(rel, n)) for n in names]
    return files


def write_file(path, text):
    """Writes and makes sure the file looks newer than anything built from it."""
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    now = time.time_ns()
    st = os.stat(path)
    stamp = max(now, st.st_mtime_ns) + 1000
    os.utime(path, ns=(stamp, stamp))


class Worker:
    def __init__(self, index, options, pristine, files):
        self.index = index
        self.options = options
        self.pristine = pristine        # file -> original text
        self.dir = os.path.join(options.build_dir, f'worker{index}')
        self.src = os.path.join(self.dir, 'src')
        self.build = os.path.join(self.dir, 'build-checked' if options.checked else 'build')
        self.files = files
        self.current = dict(pristine)   # what the copy holds now

    def setup(self):
        """Copies the tree (files whose content changed only, so that a
        build directory from an earlier run stays valid) and configures."""
        o = self.options
        for rel in self.files:
            src, dst = os.path.join(o.source, rel), os.path.join(self.src, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(src, 'rb') as f:
                data = f.read()
            try:
                with open(dst, 'rb') as f:
                    same = f.read() == data
            except OSError:
                same = False
            if not same:
                with open(dst, 'wb') as f:
                    f.write(data)
                shutil.copymode(src, dst)
                stamp = time.time_ns()
                os.utime(dst, ns=(stamp, stamp))
        options = ['-Dbuildtype=debugoptimized', '-Dwerror=false', f'-Dchecked={"true" if o.checked else "false"}']
        options += shlex.split(o.meson_args)
        env = dict(os.environ, CC='gcc')
        if os.path.exists(os.path.join(self.build, 'build.ninja')):
            cmd = ['meson', 'configure', self.build] + options
        else:
            cmd = ['meson', 'setup', self.build, self.src] + options
        run = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if run.returncode:
            raise RuntimeError(f'worker {self.index}: {" ".join(cmd)} failed:\n{run.stdout}{run.stderr}')

    def apply(self, mutation):
        """Makes the copy hold the pristine module except for the mutation."""
        want = dict(self.pristine)
        if mutation is not None:
            want[mutation.file] = want[mutation.file].replace(mutation.find, mutation.replace, 1)
        for rel, text in want.items():
            if self.current.get(rel) != text:
                write_file(os.path.join(self.src, rel), text)
                self.current[rel] = text

    def compile(self):
        targets = [SUITE_PROGRAM] + ([MISUSE_PROGRAM] if self.options.checked else [])
        run = subprocess.run(['ninja', '-C', self.build] + targets, capture_output=True, text=True)
        return run.returncode == 0, run.stdout + run.stderr

    def run_one(self, name, log_dir):
        o = self.options
        if name == MISUSE_TEST:
            cmd = [sys.executable, os.path.join(self.src, 'tests', 'check_misuse.py'),
                   os.path.join(self.build, MISUSE_PROGRAM)]
        else:
            cmd = [os.path.join(self.build, SUITE_PROGRAM), name]
        env = dict(os.environ, WINETEST_PLATFORM='wine')
        env.pop('WINETEST_DEBUG', None)
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                start_new_session=True)
        timed_out, backtrace = False, None
        try:
            out, err = proc.communicate(timeout=o.timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            if name != MISUSE_TEST:
                backtrace = stack_of(proc.pid)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            out, err = proc.communicate()
        elapsed = time.monotonic() - start
        out = out.decode('utf-8', 'replace')
        err = err.decode('utf-8', 'replace')
        result = classify(name, proc.returncode, out, err, timed_out, backtrace)
        result['seconds'] = round(elapsed, 2)
        if log_dir:
            os.makedirs(log_dir, exist_ok=True)
            with open(os.path.join(log_dir, name + '.log'), 'w', encoding='utf-8') as f:
                f.write(f'$ {" ".join(cmd)}\n# exit {proc.returncode}{" (timed out)" if timed_out else ""}, '
                        f'{elapsed:.2f} s, result {result["kind"]}\n')
                f.write(out)
                if err:
                    f.write('\n--- stderr ---\n' + err)
                if backtrace:
                    f.write('\n--- threads when the timeout struck ---\n' + backtrace)
        return result

    def run_mutant(self, mutation):
        o = self.options
        start = time.monotonic()
        self.apply(mutation)
        built, build_log = self.compile()
        mid = mutation.id if mutation else '(baseline)'
        log_dir = os.path.join(o.build_dir, 'logs', mutation.id if mutation else '_baseline')
        os.makedirs(log_dir, exist_ok=True)
        with open(os.path.join(log_dir, 'build.log'), 'w', encoding='utf-8') as f:
            f.write(build_log)
        record = {'id': mid, 'tests': {}, 'worker': self.index}
        if not built:
            errors = [l for l in build_log.split('\n') if 'error' in l]
            record['result'] = 'not compiled'
            record['detail'] = errors[0].strip() if errors else 'the build failed'
        else:
            if o.serial_tests or len(o.tests) == 1:
                for name in o.tests:
                    record['tests'][name] = self.run_one(name, log_dir)
            else:
                # the tests of one mutant at once: a hang mostly sleeps, so the
                # mutant costs its slowest test, not the sum
                with concurrent.futures.ThreadPoolExecutor(len(o.tests)) as pool:
                    runs = {name: pool.submit(self.run_one, name, log_dir) for name in o.tests}
                record['tests'] = {name: runs[name].result() for name in o.tests}
            killers = {n: r for n, r in record['tests'].items() if r['kind'] != 'pass'}
            record['result'] = 'killed' if killers else 'survived'
        record['seconds'] = round(time.monotonic() - start, 1)
        return record


def stack_of(pid):
    """Every thread's stack of a hung test program, through gdb; None
    without gdb."""
    if not shutil.which('gdb'):
        return None
    try:
        run = subprocess.run(['gdb', '-nx', '-batch', '-p', str(pid), '-ex', 'set pagination off',
                              '-ex', 'thread apply all bt'], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout


def main_thread_frames(backtrace):
    """The frames of thread 1 (the test thread: the harness runs each test
    on the main thread) in gdb's "thread apply all bt" output."""
    frames, inside = [], False
    for line in backtrace.split('\n'):
        if line.startswith('Thread '):
            inside = re.match(r'Thread 1 \(', line) is not None
        elif inside:
            m = FRAME.match(line)
            if m:
                frames.append(m.group(1))
    return frames


def classify(name, status, out, err, timed_out, backtrace=None):
    """One run's outcome: pass, or how it failed."""
    summaries = SUMMARY.findall(out)
    failures = sum(int(s[4]) for s in summaries)
    failed = FAILED_LINE.findall(out)
    first = failed[0].strip() if failed else ''
    if name == MISUSE_TEST:
        bad = [l for l in out.split('\n') if l.startswith('FAILED')]
        if timed_out:
            return {'kind': 'TIMEOUT', 'failures': None, 'first': bad[0] if bad else ''}
        if status == 0:
            return {'kind': 'pass', 'failures': 0, 'first': ''}
        return {'kind': 'misuse', 'failures': len(bad), 'first': bad[0] if bad else out.strip()[-200:]}
    if timed_out:
        # What the suite had said before it was killed, and where its test
        # thread was: in one of the suite's bounded waits (its own hang
        # detection, only slow: several 10 s hangs in a row), or anywhere
        # else (a hang the suite does not catch).
        hangs = len(HANG_LINE.findall('\n'.join(failed)))
        result = {'kind': 'TIMEOUT', 'failures': len(failed), 'first': first, 'suite_hang_reports': hangs}
        if backtrace is None:
            result['detail'] = 'no backtrace (gdb missing or failed)'
            return result
        frames = main_thread_frames(backtrace)
        bounded = [f for f in frames if BOUNDED_WAIT.match(f)]
        routine = [f for f in frames if ROUTINE_FRAME.match(f)]
        tests = [f for f in frames if f.startswith('test_') or f.startswith('stress_')]
        where = (routine or bounded or frames or ['?'])[0]
        result['detail'] = 'test thread in ' + where + (f' (from {tests[0]})' if tests else '')
        if bounded and not routine:
            result['kind'] = 'hang-cut' if failed else 'slow'
        return result
    if status < 0:
        sig = -status
        kind = 'abort' if sig == signal.SIGABRT else 'crash'
        detail = ''
        if kind == 'abort':
            lines = [l for l in err.split('\n') if l.strip()]
            detail = lines[-1].strip() if lines else 'SIGABRT'
        else:
            exc = EXCEPTION_LINE.search(out)
            detail = (f'{signal.Signals(sig).name}' if sig in signal.Signals._value2member_map_ else f'signal {sig}') \
                + (f', {exc.group(0)}' if exc else '')
        return {'kind': kind, 'failures': len(failed), 'first': first, 'detail': detail}
    sanitizer = re.search(r'ERROR: (AddressSanitizer|ThreadSanitizer|LeakSanitizer): (\S+)|runtime error: .*', err)
    if sanitizer:
        return {'kind': 'sanitizer', 'failures': len(failed), 'first': first,
                'detail': sanitizer.group(0)[:120]}
    if not summaries:
        return {'kind': 'exit', 'failures': len(failed), 'first': first,
                'detail': f'exit {status}, no summary line'}
    if failures or status:
        hangs = [l for l in failed if HANG_LINE.search(l)]
        return {'kind': 'hang' if hangs else 'fail', 'failures': failures, 'first': hangs[0].strip() if hangs else first,
                'suite_hang_reports': len(hangs)}
    return {'kind': 'pass', 'failures': 0, 'first': ''}


# ---- reporting ----------------------------------------------------------------

KIND_ORDER = ['TIMEOUT', 'slow', 'crash', 'abort', 'sanitizer', 'exit', 'hang-cut', 'hang', 'misuse', 'fail']


def killing_summary(record):
    parts, kinds = [], set()
    for name, r in record['tests'].items():
        if r['kind'] == 'pass':
            continue
        kinds.add(r['kind'])
        short = {'rundown': 'classic', 'rundown_cache_aware': 'cache_aware', 'rundown_stress': 'stress'}.get(name, name)
        count = f':{r["failures"]}' if r.get('failures') and r['kind'] != 'misuse' else ''
        parts.append(f'{short}({r["kind"]}{count})')
    kind = '+'.join(k for k in KIND_ORDER if k in kinds)
    if record.get('flaky'):
        kind += f' (flaky: killed on run {record["runs"]})'
    return ' '.join(parts), kind


def result_label(record, mutation):
    if record['result'] == 'killed' and mutation is not None and mutation.equivalent:
        return 'KILLED(equiv?)'
    if record['result'] == 'survived' and mutation is not None and mutation.equivalent:
        return 'equivalent'
    return record['result']


def print_table(mutations, records, options):
    rows = []
    for m in mutations:
        rec = records.get(m.id)
        if rec is None:
            continue
        tests, kind = killing_summary(rec) if rec['result'] == 'killed' else ('', '')
        if rec['result'] == 'not compiled':
            tests = rec.get('detail', '')[:60]
        rows.append((m.id, m.desc, result_label(rec, m), tests, kind))
    widths = [max([len(r[i]) for r in rows] + [len(h)]) for i, h in enumerate(('id', 'description', 'result',
                                                                                 'killing tests', 'kind'))]
    widths[1] = min(widths[1], options.desc_width)
    header = ('id', 'description', 'result', 'killing tests', 'kind')
    fmt = '  '.join('{:<%d}' % w for w in widths[:-1]) + '  {}'
    print(fmt.format(*header))
    print('  '.join('-' * w for w in widths))
    for r in rows:
        desc = r[1] if len(r[1]) <= widths[1] else r[1][:widths[1] - 3] + '...'
        print(fmt.format(r[0], desc, r[2], r[3], r[4]))


def score(mutations, records):
    counted = killed = 0
    tallies = {}
    for m in mutations:
        rec = records.get(m.id)
        if rec is None:
            continue
        label = result_label(rec, m)
        tallies[label] = tallies.get(label, 0) + 1
        if m.equivalent or rec['result'] in ('not compiled', 'skipped'):
            continue
        counted += 1
        killed += rec['result'] == 'killed'
    return killed, counted, tallies


# ---- main ----------------------------------------------------------------------

def main(argv):
    parser = argparse.ArgumentParser(usage='%(prog)s [options] (--help: the full description)', add_help=False)
    parser.add_argument('--help', '-h', action='store_true')
    parser.add_argument('--jobs', '-j', type=int, default=2)
    parser.add_argument('--only', default='')
    parser.add_argument('--list', action='store_true')
    parser.add_argument('--build-dir', default=None)
    parser.add_argument('--source', default=DEFAULT_SOURCE)
    parser.add_argument('--mutations', default=os.path.join(SCRIPT_DIR, 'mutations.txt'))
    parser.add_argument('--impl-sources', default=','.join(DEFAULT_IMPL))
    parser.add_argument('--checked', action='store_true')
    parser.add_argument('--timeout', type=float, default=60)
    parser.add_argument('--tests', default=','.join(SUITE_TESTS))
    parser.add_argument('--skip-equivalent', action='store_true')
    parser.add_argument('--serial-tests', action='store_true')
    parser.add_argument('--keep-going', action='store_true')
    parser.add_argument('--repeat', type=int, default=1)
    parser.add_argument('--meson-args', default='')
    parser.add_argument('--json', default=None)
    parser.add_argument('--desc-width', type=int, default=70, help=argparse.SUPPRESS)
    parser.add_argument('--verbose', '-v', action='store_true')
    o = parser.parse_args(argv)
    if o.help:
        print(__doc__.strip())
        return 0
    o.excluded_tests = []
    if o.repeat < 1:
        parser.error('--repeat must be at least 1')

    o.source = os.path.abspath(o.source)
    if o.build_dir is None:
        o.build_dir = os.path.join(o.source, 'build', 'mutation')
    o.build_dir = os.path.abspath(o.build_dir)
    if o.jobs < 1:
        parser.error('--jobs must be at least 1')
    impl = [os.path.normpath(p) for p in o.impl_sources.split(',') if p]
    o.tests = [t for t in o.tests.split(',') if t]
    for t in o.tests:
        if t not in SUITE_TESTS:
            parser.error(f'unknown test {t!r} (known: {", ".join(SUITE_TESTS)})')
    if o.checked:
        o.tests.append(MISUSE_TEST)

    try:
        mutations = parse_mutations(o.mutations)
        for m in mutations:
            m.file = os.path.normpath(m.file)
        pristine = check_against_source(mutations, o.source, impl)
    except ListError as e:
        print(f'mutation-test: bad mutation list {o.mutations}:\n{e}', file=sys.stderr)
        return 1
    for rel in impl:
        if rel not in pristine:
            try:
                with open(os.path.join(o.source, rel), encoding='utf-8') as f:
                    pristine[rel] = f.read()
            except OSError as e:
                print(f'mutation-test: cannot read implementation source {rel}: {e}', file=sys.stderr)
                return 1

    if o.only:
        wanted = [w for w in o.only.split(',') if w]
        known = {m.id for m in mutations}
        unknown = [w for w in wanted if w not in known]
        if unknown:
            print(f'mutation-test: unknown mutation id(s): {", ".join(unknown)}', file=sys.stderr)
            return 2
        mutations = [m for m in mutations if m.id in wanted]

    if o.list:
        for m in mutations:
            flags = (' [equivalent]' if m.equivalent else '') + (' [checked only]' if m.needs else '')
            print(f'{m.id:32} {m.file}:{m.at_line}  {m.desc}{flags}')
        print(f'{len(mutations)} mutations, each found exactly once')
        return 0

    if os.path.commonpath([o.build_dir, o.source]) == o.source:
        rel = os.path.relpath(o.build_dir, o.source).split(os.sep)[0]
        if rel not in ('build', 'builddir'):
            print(f'mutation-test: --build-dir {o.build_dir} is inside the source but not under its ignored '
                  f'build/ directory', file=sys.stderr)
            return 2
    os.makedirs(o.build_dir, exist_ok=True)
    logs = os.path.join(o.build_dir, 'logs')
    shutil.rmtree(logs, ignore_errors=True)

    files = source_files(o.source)
    started = time.monotonic()
    workers = [Worker(i, o, pristine, files) for i in range(o.jobs)]
    say(f'mutation-test: {len(mutations)} mutations, {o.jobs} workers, '
        f'{"checked" if o.checked else "free"} build, tests {", ".join(o.tests)}, in {o.build_dir}')
    try:
        with concurrent.futures.ThreadPoolExecutor(o.jobs) as pool:
            list(pool.map(lambda w: w.setup(), workers))
    except RuntimeError as e:
        print(f'mutation-test: {e}', file=sys.stderr)
        return 1

    baseline = workers[0].run_mutant(None)
    if baseline['result'] != 'survived':
        desc = baseline.get('detail') or killing_summary(baseline)[0]
        print(f'mutation-test: the unmutated tree does not pass: {baseline["result"]} {desc}\n'
              f'  logs in {os.path.join(logs, "_baseline")}', file=sys.stderr)
        for name, r in baseline['tests'].items():
            if r['kind'] != 'pass':
                print(f'  {name}: {r["kind"]}: {r.get("first") or r.get("detail", "")}', file=sys.stderr)
        if not o.keep_going:
            print('  (--keep-going runs the mutants with the tests that pass unmutated)', file=sys.stderr)
            return 1
        dropped = [n for n, r in baseline['tests'].items() if r['kind'] != 'pass']
        o.tests = [n for n in o.tests if n not in dropped]
        o.excluded_tests = dropped
        if not o.tests:
            print('mutation-test: no test passes unmutated', file=sys.stderr)
            return 1
        say(f'baseline: WARNING: {", ".join(dropped)} fail(s) unmutated and is left out; '
            f'the mutants run with {", ".join(o.tests)} only')
    else:
        say(f'baseline: every test passes ({baseline["seconds"]} s with the build)')

    records = {}
    todo = []
    for m in mutations:
        if m.needs == 'checked' and not o.checked:
            records[m.id] = {'id': m.id, 'result': 'skipped', 'tests': {}, 'detail': 'needs --checked'}
        elif m.equivalent and o.skip_equivalent:
            continue
        else:
            todo.append(m)

    queue = list(todo)
    queue_lock = threading.Lock()
    done = [0]

    def work(worker):
        while True:
            with queue_lock:
                if not queue:
                    return
                m = queue.pop(0)
            rec = worker.run_mutant(m)
            runs = 1
            while rec['result'] == 'survived' and runs < o.repeat:
                runs += 1
                rec = worker.run_mutant(m)
            rec['runs'] = runs
            rec['flaky'] = rec['result'] == 'killed' and runs > 1
            with queue_lock:
                records[m.id] = rec
                done[0] += 1
                n = done[0]
            if o.verbose:
                tests, kind = killing_summary(rec) if rec['result'] == 'killed' else ('', '')
                say(f'[{n}/{len(todo)}] {m.id}: {result_label(rec, m)} {tests} {kind} ({rec["seconds"]} s)')
                for name, r in rec['tests'].items():
                    if r['kind'] != 'pass':
                        say(f'      {name}: {r["kind"]}: ' + '; '.join(x for x in (r.get('first'), r.get('detail')) if x))
                if rec['result'] == 'not compiled':
                    say(f'      {rec.get("detail")}')
            else:
                say(f'[{n}/{len(todo)}] {m.id}: {result_label(rec, m)} ({rec["seconds"]} s)')

    try:
        with concurrent.futures.ThreadPoolExecutor(o.jobs) as pool:
            list(pool.map(work, workers))
    finally:
        # leave every copy as pristine as the source
        for w in workers:
            w.apply(None)

    elapsed = time.monotonic() - started
    all_mutations = [m for m in mutations if m.id in records]
    print()
    print_table(all_mutations, records, o)
    killed, counted, tallies = score(all_mutations, records)
    print()
    print('results: ' + ', '.join(f'{v} {k}' for k, v in sorted(tallies.items())))
    timeouts = [m.id for m in all_mutations
                if any(r['kind'] == 'TIMEOUT' for r in records[m.id]['tests'].values())]
    if timeouts:
        print(f'hangs only the external timeout caught (the test thread was not in a bounded wait of the '
              f'suite): {", ".join(timeouts)}')
    cut = [m.id for m in all_mutations
           if any(r['kind'] == 'hang-cut' for r in records[m.id]['tests'].values())]
    if cut:
        print(f'hangs the suite was reporting itself, too slowly for the timeout (several 10 s hangs): '
              f'{", ".join(cut)}')
    slow = [m.id for m in all_mutations
            if any(r['kind'] == 'slow' for r in records[m.id]['tests'].values())]
    if slow:
        print(f'runs still in a bounded wait of the suite at the timeout, nothing reported yet: {", ".join(slow)}')
    contradicted = [m.id for m in all_mutations if m.equivalent and records[m.id]['result'] == 'killed']
    if contradicted:
        print(f'marked equivalent but killed (check the reason): {", ".join(contradicted)}')
    surviving = [m.id for m in all_mutations if records[m.id]['result'] == 'survived' and not m.equivalent]
    if surviving:
        print(f'surviving: {", ".join(surviving)}')
    pct = 100.0 * killed / counted if counted else 0.0
    flaky = [m.id for m in all_mutations if records[m.id].get('flaky')]
    if flaky:
        print(f'killed only on a repeated run (flaky kills): {", ".join(flaky)}')
    if o.excluded_tests:
        print(f'left out (fail unmutated): {", ".join(o.excluded_tests)}')
    print(f'score: {killed} killed / {counted} (compiled, non-equivalent) = {pct:.1f}%')
    print(f'runtime: {elapsed:.0f} s ({elapsed / 60:.1f} min) with {o.jobs} workers; logs in {logs}')

    if o.json:
        out = {'source': o.source, 'checked': o.checked, 'jobs': o.jobs, 'seconds': round(elapsed, 1),
               'tests': o.tests, 'excluded_tests': o.excluded_tests, 'repeat': o.repeat,
               'score': {'killed': killed, 'counted': counted},
               'baseline': baseline,
               'mutations': [dict(records[m.id], file=m.file, line=m.at_line, desc=m.desc,
                                  equivalent=m.equivalent, needs=m.needs) for m in all_mutations]}
        with open(o.json, 'w', encoding='utf-8') as f:
            json.dump(out, f, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
