#!/usr/bin/env python3
"""Makes the Wine patch series from ntrundown's own sources.

usage: make_series.py [--author "NAME <EMAIL>"] WINE_TREE OUTDIR

WINE_TREE is the top of a Wine source tree (Wine 8.0 or 10.0 as Debian ships
them, or Wine's git tree); only the files the series changes need to be
there.  OUTDIR receives 0001-*.patch ..., git-format patches that apply in
order with `git apply` or `patch -p1` at the top of that tree.

The patches' author is --author, else the git identity (user.name,
user.email) of this repository; with neither the series is not made.

Nothing here is a hand-kept copy: the module's code is copied from
dlls/ntoskrnl/rundown.c (without its preamble, which sync.c has already) to
the end of dlls/ntoskrnl.exe/sync.c, in four parts at its section comments;
the declarations come from include/ntrundown.h, the spec entries from
dlls/ntoskrnl/ntrundown.spec, KeGetRecommendedSharedDataAlignment from
tools/wine/series/shared_data_alignment.c and the tests from the sections
of tools/wine/series/driver_tests.c.  Every edit of a Wine file is anchored
on text the file must contain exactly once; when an anchor is missing the
series is not made and the anchor is named.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(TOP, "tools", "exports"))
import spec  # noqa: E402

DLL = "dlls/ntoskrnl.exe"
WDM = "include/ddk/wdm.h"
SPEC = f"{DLL}/ntoskrnl.exe.spec"
NTOSKRNL_C = f"{DLL}/ntoskrnl.c"
SYNC_C = f"{DLL}/sync.c"
DRIVER_C = f"{DLL}/tests/driver.c"
TOUCHED = [WDM, SPEC, NTOSKRNL_C, SYNC_C, DRIVER_C]
MODULE = "dlls/ntoskrnl/rundown.c"

# Where rundown.c's parts begin: its code after the preamble, then the
# section comments.
MODULE_PARTS = ["WINE_DEFAULT_DEBUG_CHANNEL(ntoskrnl);\n\n", "/*\n * The wait: ",
                "/*\n * The cache-aware references spread", "/*\n * The cache-aware wait,"]


class SeriesError(Exception):
    pass


def read(path):
    with open(os.path.join(TOP, path)) as f:
        return f.read()


def once(text, anchor, what):
    count = text.count(anchor)
    if count != 1:
        raise SeriesError(f"{what}: the anchor {anchor.strip()!r} occurs {count} times, not once")
    return text.index(anchor)


def insert_after(text, anchor, addition, what):
    at = once(text, anchor, what) + len(anchor)
    return text[:at] + addition + text[at:]


def insert_before(text, anchor, addition, what):
    at = once(text, anchor, what)
    return text[:at] + addition + text[at:]


def fragment(path):
    """A source file without its leading comment (and license)."""
    text = read(path)
    if text.startswith("/*"):
        text = text[text.index("*/") + 2:].lstrip("\n")
    return text


# ---- what the project's sources say --------------------------------------

def module_parts():
    """rundown.c's code in its four parts."""
    text = read(MODULE)
    at = [once(text, marker, MODULE) for marker in MODULE_PARTS]
    at[0] += len(MODULE_PARTS[0])
    return [text[a:b].rstrip("\n") + "\n" for a, b in zip(at, at[1:] + [len(text)])]


def defined_routines(code):
    return re.findall(r"^ \*\s+(\w+)\s+\(NTOSKRNL\.EXE\.@\)", code, re.M)


DECLARATION = re.compile(r"^(\w+)\s+(FASTCALL|NTAPI)\s+(\w+)\s*\(([^)]*)\)\s*;", re.M)


def declarations():
    """name: (return type, convention, [parameter types]) of ntrundown.h's routines."""
    out = {}
    for rtype, convention, name, params in DECLARATION.findall(read("include/ntrundown.h")):
        types = [" ".join(p.split()).rsplit(" ", 1)[0] for p in params.split(",")
                 if " ".join(p.split()) not in ("VOID", "void", "")]
        out[name] = (rtype, convention, types)
    return out


def wine_prototype(name, rtype, convention, types):
    """A declaration in the layout of Wine's wdm.h."""
    rtype = "void" if rtype == "VOID" else rtype
    convention = "WINAPI" if convention == "NTAPI" else convention
    width = 16 - len(convention) - 1
    head = rtype.ljust(width) if len(rtype) < width else rtype
    return f"{head} {convention} {name}({','.join(types) or 'void'});"


def header_block(first, last_before):
    """ntrundown.h's lines from `first` up to `last_before`, comments out."""
    text = read("include/ntrundown.h")
    block = text[once(text, first, "ntrundown.h"):once(text, last_before, "ntrundown.h")]
    block = re.sub(r"/\*.*?\*/\n", "", block, flags=re.S)
    return block.replace("    };\n} EX_RUNDOWN_REF", "    } DUMMYUNIONNAME;\n} EX_RUNDOWN_REF")


def spec_lines():
    """name: (fastcall, Wine spec line)."""
    out = {}
    for e in spec.read(os.path.join(TOP, "dlls/ntoskrnl/ntrundown.spec")):
        if e.private or e.archs:
            continue
        flags = "-fastcall " if e.convention == "fastcall" else ""
        out[e.name] = (e.convention == "fastcall", f"@ stdcall {flags}{e.name}({' '.join(e.args)})")
    return out


def test_sections():
    """name: text of driver_tests.c's sections."""
    text = fragment("tools/wine/series/driver_tests.c")
    parts = re.split(r"^/\* @@ (.+?) \*/\n", text, flags=re.M)
    return {name: body.strip("\n") + "\n" for name, body in zip(parts[1::2], parts[2::2])}


# ---- edits of Wine's files ------------------------------------------------

PROTOTYPE = re.compile(r"^\S.*?\s(?:WINAPI|FASTCALL|WINAPIV)\s+(\w+)\(", re.M)


def add_prototype(text, line, name):
    """Inserts a declaration among the wdm.h declarations with the same
    two-letter prefix, in name order."""
    block = [(m.start(), m.group(1)) for m in PROTOTYPE.finditer(text) if m.group(1)[:2] == name[:2]]
    if not block:
        raise SeriesError(f"{WDM}: no {name[:2]}* declaration to put {name} beside")
    for start, other in block:
        if other > name:
            return text[:start] + line + "\n" + text[start:]
    end = text.index("\n", block[-1][0]) + 1
    return text[:end] + line + "\n" + text[end:]


def add_spec_line(text, name, fastcall, line):
    """Replaces the stub of `name`, or adds the line in name order: fastcall
    entries in the block at the top of the spec, the others after it."""
    stub = f"@ stub {name}\n"
    if text.count(stub) == 1:
        return text.replace(stub, line + "\n")
    if re.search(rf"^@ .*\b{name}\(", text, re.M):
        raise SeriesError(f"{SPEC}: {name} is already implemented")
    boundary = once(text, "@ stub CcCanIWrite\n", SPEC)
    lo, hi = (0, boundary) if fastcall else (boundary, len(text))
    entries = [(m.start() + lo, m.group(1)) for m in re.finditer(r"^@ \S+(?: -\S+)* (\w+)", text[lo:hi], re.M)
               if m.group(1)[:2] == name[:2]]
    if not entries:
        raise SeriesError(f"{SPEC}: no {name[:2]}* entry to put {name} beside")
    for start, other in entries:
        if other.lower() > name.lower():
            return text[:start] + line + "\n" + text[start:]
    end = text.index("\n", entries[-1][0]) + 1
    return text[:end] + line + "\n" + text[end:]


def add_tests(files, section):
    """A test section before main_test(), and a call of each of its tests at
    the end of main_test's list."""
    code = test_sections()[section]
    text = insert_before(files[DRIVER_C], "static NTSTATUS main_test(", code + "\n", DRIVER_C)
    at = once(text, "static NTSTATUS main_test(", DRIVER_C)
    mark = text.index("\n    IoMarkIrpPending(irp);", at)
    calls = "".join(f"    {name}();\n" for name in re.findall(r"^static void (test_\w+)\(void\)", code, re.M))
    files[DRIVER_C] = text[:mark] + "\n" + calls.rstrip("\n") + text[mark:]


def add_routines(files, part, types=None):
    """A part of rundown.c at the end of sync.c, with its declarations and
    spec entries."""
    code = module_parts()[part]
    files[SYNC_C] = files[SYNC_C].rstrip("\n") + "\n\n" + code
    text = files[WDM]
    if types:
        text = insert_after(text, "} FAST_MUTEX, *PFAST_MUTEX;\n", "\n" + types, WDM)
    decls, lines = declarations(), spec_lines()
    for name in defined_routines(code):
        text = add_prototype(text, wine_prototype(name, *decls[name]), name)
        files[SPEC] = add_spec_line(files[SPEC], name, *lines[name])
    files[WDM] = text


def edit_alignment(files):
    code = fragment("tools/wine/series/shared_data_alignment.c")
    text = files[NTOSKRNL_C]
    # Wine 8.0's ntoskrnl.c names its unions' members (NONAMELESSUNION)
    if re.search(r"^#define NONAMELESSUNION\b", text, re.M):
        code = code.replace(".Cache.", ".u.Cache.")
    m = re.search(r"^ULONG WINAPI KeGetCurrentProcessorNumberEx\(.*?\n}\n", text, re.S | re.M)
    if not m:
        raise SeriesError(f"{NTOSKRNL_C}: no KeGetCurrentProcessorNumberEx to put KeGetRecommendedSharedDataAlignment after")
    files[NTOSKRNL_C] = text[:m.end()] + "\n" + code.rstrip("\n") + "\n" + text[m.end():]
    files[WDM] = add_prototype(files[WDM], "ULONG     WINAPI KeGetRecommendedSharedDataAlignment(void);",
                               "KeGetRecommendedSharedDataAlignment")
    files[SPEC] = add_spec_line(files[SPEC], "KeGetRecommendedSharedDataAlignment", False,
                                "@ stdcall KeGetRecommendedSharedDataAlignment()")
    add_tests(files, "alignment")


def edit_classic(files):
    add_routines(files, 0, header_block("#define EX_RUNDOWN_ACTIVE", "/* Opaque:"))
    add_tests(files, "rundown")


def edit_classic_wait(files):
    add_routines(files, 1)
    add_tests(files, "rundown wait")


def edit_cache_aware(files):
    add_routines(files, 2, "typedef struct _EX_RUNDOWN_REF_CACHE_AWARE *PEX_RUNDOWN_REF_CACHE_AWARE;\n")
    add_tests(files, "cache-aware")


def edit_cache_aware_wait(files):
    add_routines(files, 3)
    add_tests(files, "cache-aware wait")


# ---- the series ----------------------------------------------------------

SERIES = [
    ("ntoskrnl.exe: Implement KeGetRecommendedSharedDataAlignment().",
     "Return the largest line size of the processor caches, which\n"
     "SystemLogicalProcessorInformation reports.\n",
     edit_alignment),
    ("ntoskrnl.exe: Implement rundown protection.",
     "ExInitializeRundownProtection, ExAcquireRundownProtection(Ex) and\n"
     "ExReleaseRundownProtection(Ex).  The reference counts the protections in\n"
     "units of EX_RUNDOWN_COUNT_INC, with EX_RUNDOWN_ACTIVE for a reference\n"
     "being run down.\n",
     edit_classic),
    ("ntoskrnl.exe: Implement ExWaitForRundownProtectionRelease().",
     "Also ExRundownCompleted and ExReInitializeRundownProtection.  The waiter\n"
     "puts its address in the reference; the last release wakes it.\n",
     edit_classic_wait),
    ("ntoskrnl.exe: Implement cache-aware rundown protection.",
     "ExSizeOfRundownProtectionCacheAware, ExInitializeRundownProtectionCacheAware,\n"
     "ExAllocateCacheAwareRundownProtection, ExFreeCacheAwareRundownProtection and\n"
     "the cache-aware acquire and release.  The count is spread over one counter\n"
     "per processor, each on a cache line of its own; a thread starts at the\n"
     "counter its thread ID selects.\n",
     edit_cache_aware),
    ("ntoskrnl.exe: Implement ExWaitForRundownProtectionReleaseCacheAware().",
     "Also ExRundownCompletedCacheAware and ExReInitializeRundownProtectionCacheAware.\n",
     edit_cache_aware_wait),
]


def author_of(option):
    if option:
        m = re.match(r"^\s*(.+?)\s*<([^<>@\s]+@[^<>\s]+)>\s*$", option)
        if not m:
            raise SeriesError(f"--author {option!r}: give it as \"NAME <EMAIL>\"")
        return m.group(1), m.group(2)
    ident = []
    for key in ("user.name", "user.email"):
        r = subprocess.run(["git", "-C", TOP, "config", key], capture_output=True, text=True)
        ident.append(r.stdout.strip())
    if not all(ident):
        raise SeriesError("no author: set git's user.name and user.email, or give --author \"NAME <EMAIL>\"")
    return ident[0], ident[1]


def source_date():
    r = subprocess.run(["git", "-C", TOP, "log", "-1", "--format=%cI"], capture_output=True, text=True)
    return r.stdout.strip() or "2026-12-06T12:00:00+00:00"


def git(repo, *args, env=None):
    subprocess.run(["git", "-C", repo] + list(args), check=True, stdout=subprocess.DEVNULL, env=env)


def make_series(tree, outdir, author):
    missing = [p for p in TOUCHED if not os.path.isfile(os.path.join(tree, p))]
    if missing:
        raise SeriesError(f"{tree} is not a Wine tree: missing {', '.join(missing)}")
    name, email = author_of(author)
    repo = tempfile.mkdtemp(prefix="ntoskrnl-series-")
    try:
        files = {}
        for path in TOUCHED:
            os.makedirs(os.path.dirname(os.path.join(repo, path)), exist_ok=True)
            shutil.copyfile(os.path.join(tree, path), os.path.join(repo, path))
            with open(os.path.join(repo, path)) as f:
                files[path] = f.read()
        date = source_date()
        env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_NAME=name,
                   GIT_COMMITTER_EMAIL=email, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base", env=env)
        for subject, body, edit in SERIES:
            edit(files)
            for path, text in files.items():
                with open(os.path.join(repo, path), "w") as f:
                    f.write(text)
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-m", subject + "\n\n" + body, env=env)
        os.makedirs(outdir, exist_ok=True)
        for old in os.listdir(outdir):
            if re.match(r"^\d{4}-.*\.patch$", old):
                os.remove(os.path.join(outdir, old))
        subprocess.run(["git", "-C", repo, "format-patch", "-q", "--no-signature", "--zero-commit",
                        "-o", os.path.abspath(outdir), "HEAD~%d" % len(SERIES)], check=True, env=env)
    finally:
        shutil.rmtree(repo)
    return sorted(p for p in os.listdir(outdir) if p.endswith(".patch"))


def main(argv):
    author = None
    if len(argv) >= 2 and argv[0] == "--author":
        author, argv = argv[1], argv[2:]
    if len(argv) != 2:
        raise SystemExit(__doc__)
    try:
        for name in make_series(argv[0], argv[1], author):
            print(os.path.join(argv[1], name))
    except SeriesError as err:
        raise SystemExit(f"make-series: {err}")


if __name__ == "__main__":
    main(sys.argv[1:])
