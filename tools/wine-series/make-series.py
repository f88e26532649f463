#!/usr/bin/env python3
"""Makes the Wine patch series from ntrundown's own sources.

usage: make-series.py WINE_TREE OUTDIR

WINE_TREE is the top of a Wine source tree (Wine 8.0 as Debian ships it,
with Debian's patches applied, or a newer Wine such as 11.10); only the files
the series changes need to be there.  OUTDIR receives 0001-*.patch ...,
git-format patches that apply in order with `git apply` or `patch -p1` at the
top of that tree.

Nothing here is a hand-kept copy: the module files are copied from
dlls/ntoskrnl/, the declarations come from include/ntrundown.h, the spec
entries from dlls/ntoskrnl/ntrundown.spec, the Wine-only processor code from
tools/wine-series/processor.c, and the tests from the conformance suite
(tests/*.c) with the glue in tools/wine-series/driver_glue.c.  Every edit of
a Wine file is anchored on text the file must contain exactly once; when an
anchor is missing the series is not made and the anchor is named.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tools"))
import spec  # noqa: E402

AUTHOR = "The ntrundown authors <ntrundown@invalid>"
DATE = "2026-12-01T12:00:00+00:00"
DLL = "dlls/ntoskrnl.exe"
WDM = "include/ddk/wdm.h"
SPEC = f"{DLL}/ntoskrnl.exe.spec"
MAKEFILE = f"{DLL}/Makefile.in"
NTOSKRNL_C = f"{DLL}/ntoskrnl.c"
DRIVER_C = f"{DLL}/tests/driver.c"
TOUCHED = [WDM, SPEC, MAKEFILE, NTOSKRNL_C, DRIVER_C]


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


# ---- what the project's sources say --------------------------------------

DECLARATION = re.compile(r"^(\w+)\s+(FASTCALL|NTAPI)\s+(\w+)\s*\(([^)]*)\)\s*;", re.M)


def declarations():
    """(return type, convention, name, [parameter types]) of ntrundown.h's routines."""
    out = []
    for rtype, convention, name, params in DECLARATION.findall(read("include/ntrundown.h")):
        types = []
        for param in params.split(","):
            param = " ".join(param.split())
            if param in ("VOID", "void", ""):
                continue
            types.append(param.rsplit(" ", 1)[0])
        out.append((rtype, convention, name, types))
    return out


def wine_prototype(rtype, convention, name, types):
    """A declaration in the layout of Wine's wdm.h."""
    rtype = "void" if rtype == "VOID" else rtype
    convention = "WINAPI" if convention == "NTAPI" else convention
    width = 16 - len(convention) - 1
    head = rtype.ljust(width) if len(rtype) < width else rtype
    return f"{head} {convention} {name}({','.join(types) or 'void'});"


def type_block():
    """ntrundown.h's constants and types, as Wine's wdm.h writes them."""
    text = read("include/ntrundown.h")
    start = text.index("#define EX_RUNDOWN_ACTIVE")
    end = text.index("typedef struct _EX_RUNDOWN_REF_CACHE_AWARE *PEX_RUNDOWN_REF_CACHE_AWARE;")
    block = text[start:end] + "typedef struct _EX_RUNDOWN_REF_CACHE_AWARE *PEX_RUNDOWN_REF_CACHE_AWARE;\n"
    block = re.sub(r"/\*.*?\*/\n", "", block, flags=re.S)
    block = block.replace("    };\n} EX_RUNDOWN_REF", "    } DUMMYUNIONNAME;\n} EX_RUNDOWN_REF")
    return block


def wine_spec_lines():
    """(name, convention, spec line) for Wine's ntoskrnl.exe.spec."""
    out = []
    for e in spec.read(os.path.join(TOP, "dlls/ntoskrnl/ntrundown.spec")):
        if e.private:
            continue
        flags = "-fastcall " if e.convention == "fastcall" else ""
        if e.archs:
            flags += f"-arch={','.join(e.archs)} "
        line = f"@ stdcall {flags}{e.name}({' '.join(e.args)})"
        if e.target != e.name:
            line += f" {e.target}"
        out.append((e.name, e.convention, e.target != e.name, line))
    return out


def fragment(path):
    """A source file without its leading comment (and license)."""
    text = read(path)
    if text.startswith("/*"):
        text = text[text.index("*/") + 2:].lstrip("\n")
    return text


def processor_code():
    """processor.c's code, split at the KeGetRecommendedSharedDataAlignment banner."""
    text = fragment("tools/wine-series/processor.c")
    banner = "/***********************************************************************\n *          KeGetRecommendedSharedDataAlignment"
    at = once(text, banner, "processor.c")
    return text[:at], text[at:]


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


def edit_wdm(files):
    text = files[WDM]
    text = insert_after(text, "} FAST_MUTEX, *PFAST_MUTEX;\n", "\n" + type_block(), WDM)
    for rtype, convention, name, types in declarations():
        text = add_prototype(text, wine_prototype(rtype, convention, name, types), name)
    text = add_prototype(text, "ULONG     WINAPI KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER);",
                         "KeGetCurrentProcessorNumberEx")
    text = add_prototype(text, "ULONG     WINAPI KeGetRecommendedSharedDataAlignment(void);",
                         "KeGetRecommendedSharedDataAlignment")
    read_pointer_acquire = """static FORCEINLINE void *ReadPointerAcquire( void * const volatile *src )
{
#ifdef __WINE_ATOMIC_LOAD_ACQUIRE
    void *value;
    __WINE_ATOMIC_LOAD_ACQUIRE( src, &value );
    return value;
#else
    return InterlockedCompareExchangePointer( (void **)src, NULL, NULL );
#endif
}

"""
    text = insert_before(text, "static inline void ExInitializeFastMutex(", read_pointer_acquire, WDM)
    files[WDM] = text


def spec_blocks(text):
    """The fastcall block at the top of the spec, and the rest."""
    at = once(text, "@ stub CcCanIWrite\n", SPEC)
    return at


def add_spec_line(text, name, fastcall, line):
    boundary = spec_blocks(text)
    lo, hi = (0, boundary) if fastcall else (boundary, len(text))
    entries = [(m.start() + lo, m.group(1)) for m in re.finditer(r"^@ \S+(?: -\S+)* (\w+)", text[lo:hi], re.M)
               if m.group(1)[:2] == name[:2]]
    if not entries:
        raise SeriesError(f"{SPEC}: no {name[:2]}* entry to put {name} beside")
    for start, other in entries:
        if other > name:
            return text[:start] + line + "\n" + text[start:]
    end = text.index("\n", entries[-1][0]) + 1
    return text[:end] + line + "\n" + text[end:]


def set_spec_line(text, name, fastcall, line):
    stub = f"@ stub {name}\n"
    if text.count(stub) == 1:
        return text.replace(stub, line + "\n")
    if re.search(rf"^@ .*\b{name}\(", text, re.M):
        raise SeriesError(f"{SPEC}: {name} is already implemented")
    return add_spec_line(text, name, fastcall, line)


def add_source(text, source):
    m = re.search(r"^(C_SRCS|SOURCES) = \\\n((?:\t\S+ \\\n)*\t\S+\n)", text, re.M)
    if not m:
        raise SeriesError(f"{MAKEFILE}: no C_SRCS or SOURCES list")
    names = re.findall(r"\t(\S+)", m.group(2)) + [source]
    names.sort()
    listing = "".join(f"\t{n} \\\n" for n in names[:-1]) + f"\t{names[-1]}\n"
    return text[:m.start(2)] + listing + text[m.end(2):]


def edit_processor_number(files):
    number, _ = processor_code()
    text = files[NTOSKRNL_C]
    m = re.search(r"/\*{10,}\n \*\s+KeGetCurrentProcessorNumberEx\s+\(NTOSKRNL\.EXE\.@\)\n \*/\n.*?\n}\n", text, re.S)
    if not m:
        raise SeriesError(f"{NTOSKRNL_C}: no KeGetCurrentProcessorNumberEx to replace")
    files[NTOSKRNL_C] = text[:m.start()] + number.rstrip("\n") + "\n" + text[m.end():]


def edit_shared_data_alignment(files):
    _, alignment = processor_code()
    text = files[NTOSKRNL_C]
    banner = "ULONG WINAPI KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER process_number)\n{"
    at = once(text, banner, NTOSKRNL_C)
    end = text.index("\n}\n", at) + 3
    files[NTOSKRNL_C] = text[:end] + "\n" + alignment.rstrip("\n") + "\n" + text[end:]
    files[SPEC] = set_spec_line(files[SPEC], "KeGetRecommendedSharedDataAlignment", False,
                                "@ stdcall KeGetRecommendedSharedDataAlignment()")


def edit_family(files, cache_aware):
    source = "rundown_cache_aware.c" if cache_aware else "rundown.c"
    files[f"{DLL}/{source}"] = read(f"dlls/ntoskrnl/{source}")
    if not cache_aware:
        files[f"{DLL}/rundown_private.h"] = read("dlls/ntoskrnl/rundown_private.h")
    files[MAKEFILE] = add_source(files[MAKEFILE], source)
    for name, convention, alias, line in wine_spec_lines():
        if alias or ("CacheAware" in name) != cache_aware:
            continue
        files[SPEC] = set_spec_line(files[SPEC], name, convention == "fastcall", line)


def edit_aliases(files):
    for name, convention, alias, line in wine_spec_lines():
        if alias:
            files[SPEC] = add_spec_line(files[SPEC], name, convention == "fastcall", line)


# ---- the tests ----------------------------------------------------------

def suite_part(path):
    """A suite file for Wine's driver.c: no leading comment, no includes, no
    include guard."""
    text = fragment(path)
    text = re.sub(r"^#\s*include .*\n", "", text, flags=re.M)
    guard = re.search(r"^#ifndef (\w+_H)\n#define \1\n", text, re.M)
    if guard:
        text = text[:guard.start()] + text[guard.end():]
        text = re.sub(r"\n#endif /\* " + guard.group(1) + r" \*/\n*$", "\n", text)
    return f"/* ---- from ntrundown's {path} ---- */\n\n" + text.strip("\n") + "\n\n"


def test_names():
    return re.findall(r'\{\s*"(\w+)",\s*func_\w+\s*\}', read("tests/testlist.c"))


def top_level_items(text):
    """(start, end) of each top-level item of C text: a definition, a
    declaration or a preprocessor line, with the comment before it."""
    items, depth, i, start, n = [], 0, 0, 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            i = text.index("*/", i) + 2
            continue
        if c in "\"'":
            j = i + 1
            while text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "#" and depth == 0 and (i == 0 or text[i - 1] == "\n"):
            while True:
                j = text.index("\n", i)
                if text[j - 1] != "\\":
                    break
                i = j + 1
            i = j + 1
            items.append((start, i))
            start = i
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0 and not re.match(r"\s*(\w+\s*(,\s*\*?\w+\s*)*)?;", text[i + 1:]):
                i += 1
                items.append((start, i))
                start = i
                continue
        elif c == ";" and depth == 0:
            items.append((start, i + 1))
            start = i + 1
        i += 1
    return items


def defined_name(item):
    """The name a top-level item defines: a function or a struct, enum or
    union tag; None for anything else."""
    body = re.sub(r"/\*.*?\*/", "", item, flags=re.S).strip()
    m = re.match(r"(?:static\s+)?(struct|enum|union)\s+(\w+)\s*\{", body)
    if m:
        return f"{m.group(1)} {m.group(2)}"
    m = re.match(r"[\w\s\*]*?\b(\w+)\s*\([^;{]*\)\s*\{", body, re.S)
    return m.group(1) if m else None


def without_hook_tests(text):
    """The suite's code without the tests that need the emulated kernel's
    hooks (they can only skip in a driver), and without what only they used."""
    hooked = set()
    for a, b in top_level_items(text):
        m = re.match(r"(?:\s|/\*.*?\*/)*static void (test_\w+)\(void\)\n\{(.*)", text[a:b], re.S)
        if m and re.search(r"\bif \(", m.group(2)) and \
                re.search(r"\bif \(", m.group(2)).start() == m.group(2).find("if (!hooks_available())"):
            hooked.add(m.group(1))
    for name in hooked:
        text = text.replace(f"    {name}();\n", "")
    while True:
        items = [(a, b, defined_name(text[a:b])) for a, b in top_level_items(text)]
        dead = None
        for a, b, name in items:
            if not name or name.startswith("func_") or name in ("rundown_routines_available", "test_rundown_protection"):
                continue
            pattern = r"\b" + re.escape(name.split()[-1]) + r"\b"
            rest = text[:a] + text[b:]
            if name in hooked or not re.search(pattern, rest):
                dead = (a, b)
                break
        if not dead:
            return re.sub(r"\n{3,}", "\n\n", text)
        text = text[:dead[0]] + text[dead[1]:]


def test_block():
    parts = [fragment("tools/wine-series/driver_glue.c").strip("\n") + "\n\n"]
    for path in ("tests/kernel_hooks.h", "tests/support.h", "tests/support.c", "tests/driver/kernel_hooks_none.c",
                 "tests/rundown.c", "tests/rundown_cache_aware.c", "tests/rundown_stress.c",
                 "tests/rundown_long_stress.c"):
        parts.append(suite_part(path))
    calls = "".join(f"    func_{name}();\n" for name in test_names())
    parts.append(f"static void test_rundown_protection(void)\n{{\n{calls}}}\n\n")
    return without_hook_tests("".join(parts))


def check_names(block, driver_c):
    """Fails on a name the suite's part of the block defines that driver.c
    already uses (struct and enum tags only as tags)."""
    names = set(re.findall(r"^#define (\w+)", block, re.M))
    names |= set(re.findall(r"^\w[^\n;]*?\b(\w+)\s*\([^\n;]*\)\s*\n\{", block, re.M))
    taken = {n for n in names if re.search(rf"\b{re.escape(n)}\b", driver_c)}
    for kind, tag in re.findall(r"^(struct|enum) (\w+)\s*\n\{", block, re.M):
        if re.search(rf"\b{kind}\s+{re.escape(tag)}\b", driver_c):
            taken.add(f"{kind} {tag}")
    if taken:
        raise SeriesError(f"{DRIVER_C} already uses {', '.join(sorted(taken))}; rename them in the suite")


def edit_tests(files):
    text = files[DRIVER_C]
    block = test_block()
    check_names(block[block.index("/* ---- from ntrundown's"):], text)
    text = insert_before(text, "static NTSTATUS main_test(", block, DRIVER_C)
    at = once(text, "static NTSTATUS main_test(", DRIVER_C)
    mark = text.index("    IoMarkIrpPending(irp);", at)
    files[DRIVER_C] = text[:mark] + "    test_rundown_protection();\n\n" + text[mark:]


# ---- the series ----------------------------------------------------------

SERIES = [
    ("include: Add the rundown protection declarations to wdm.h.",
     "EX_RUNDOWN_REF and its constants, the opaque EX_RUNDOWN_REF_CACHE_AWARE,\n"
     "the 19 rundown protection routines, KeGetCurrentProcessorNumberEx,\n"
     "KeGetRecommendedSharedDataAlignment and ReadPointerAcquire, as in the WDK.\n",
     edit_wdm),
    ("ntoskrnl.exe: Get the processor number from TSC_AUX in KeGetCurrentProcessorNumberEx().",
     "The cache-aware rundown routines ask for the current processor on every\n"
     "acquire and release.  NtGetCurrentProcessorNumber() is a transition to\n"
     "the Unix side and the FIXME was printed on each call: about 230 ns per\n"
     "call in a driver.  On Linux TSC_AUX holds the processor number; read it\n"
     "with RDPID (or RDTSCP) once it has been seen to agree with\n"
     "NtGetCurrentProcessorNumber(), and fill in the group and number.\n",
     edit_processor_number),
    ("ntoskrnl.exe: Implement KeGetRecommendedSharedDataAlignment().",
     "Return the largest cache line size of the system's caches.\n",
     edit_shared_data_alignment),
    ("ntoskrnl.exe: Implement the rundown protection routines.",
     "ExInitializeRundownProtection, ExReInitializeRundownProtection,\n"
     "ExRundownCompleted, ExAcquireRundownProtection(Ex),\n"
     "ExReleaseRundownProtection(Ex) and ExWaitForRundownProtectionRelease.\n",
     lambda files: edit_family(files, False)),
    ("ntoskrnl.exe: Implement the cache-aware rundown protection routines.",
     "ExSizeOfRundownProtectionCacheAware, ExInitializeRundownProtectionCacheAware,\n"
     "ExAllocateCacheAwareRundownProtection, ExFreeCacheAwareRundownProtection\n"
     "and the cache-aware acquire, release, wait, re-initialize and completed\n"
     "routines.\n",
     lambda files: edit_family(files, True)),
    ("ntoskrnl.exe: Export the Exf rundown protection aliases on i386.",
     "Server 2003 era headers declare the fastcall rundown routines with an Exf\n"
     "prefix.\n",
     edit_aliases),
    ("ntoskrnl.exe/tests: Add tests for the rundown protection routines.",
     "The contract that Windows keeps is tested everywhere; what Windows gets\n"
     "wrong (a stale wait block left in the reference after a wait, AcquireEx\n"
     "counts modulo 2^32) is accepted as broken(), and what would hang or crash\n"
     "Windows is tested on Wine only.\n",
     edit_tests),
]


def git(repo, *args, env=None):
    subprocess.run(["git", "-C", repo] + list(args), check=True, stdout=subprocess.DEVNULL, env=env)


def make_series(tree, outdir):
    missing = [p for p in TOUCHED if not os.path.isfile(os.path.join(tree, p))]
    if missing:
        raise SeriesError(f"{tree} is not a Wine tree: missing {', '.join(missing)}")
    repo = tempfile.mkdtemp(prefix="ntrundown-series-")
    try:
        files = {}
        for path in TOUCHED:
            os.makedirs(os.path.dirname(os.path.join(repo, path)), exist_ok=True)
            shutil.copyfile(os.path.join(tree, path), os.path.join(repo, path))
            with open(os.path.join(repo, path)) as f:
                files[path] = f.read()
        env = dict(os.environ, GIT_AUTHOR_NAME=AUTHOR.split(" <")[0], GIT_AUTHOR_EMAIL=AUTHOR.split("<")[1][:-1],
                   GIT_COMMITTER_NAME=AUTHOR.split(" <")[0], GIT_COMMITTER_EMAIL=AUTHOR.split("<")[1][:-1],
                   GIT_AUTHOR_DATE=DATE, GIT_COMMITTER_DATE=DATE)
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base", env=env)
        for subject, body, edit in SERIES:
            edit(files)
            for path, text in files.items():
                os.makedirs(os.path.dirname(os.path.join(repo, path)), exist_ok=True)
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
    if len(argv) != 2:
        raise SystemExit(__doc__)
    try:
        for name in make_series(*argv):
            print(os.path.join(argv[1], name))
    except SeriesError as err:
        raise SystemExit(f"make-series: {err}")


if __name__ == "__main__":
    main(sys.argv[1:])
