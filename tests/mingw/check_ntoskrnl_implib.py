#!/usr/bin/env python3
"""Links a driver that calls the 19 rundown routines of ntoskrnl.exe, three ways.

usage: check_ntoskrnl_implib.py SPEC ARCH PROBE.a IMPLIB.a PATCH EXCERPT.def
                                OBJDUMP NM DLLTOOL WORKDIR -- CC... [LINK_ARGS...]

PROBE.a holds tests/mingw/probe.c, compiled against MinGW-w64's own
<ddk/wdm.h>; IMPLIB.a is libntoskrnl_rundown.a; PATCH is the mingw-w64 patch
in tools/mingw-w64/; EXCERPT.def the excerpt of mingw-w64 10.0.0's
lib32/ntoskrnl.def in tests/mingw/; CC the compiler command (the words
before the first option), followed by the kernel-driver link arguments.

- The probe references exactly the 19 symbols that the spec gives for a
  caller of wdm.h's declarations (i386: "@Name@N", "_Name@N"), and
  IMPLIB.a defines exactly those and imports them by their plain names from
  ntoskrnl.exe.
- (a) probe + IMPLIB.a + -lntoskrnl: must link, and the driver must import
  exactly the 19 plain names, from ntoskrnl.exe only.
- (b) probe + -lntoskrnl (MinGW-w64's libntoskrnl.a) alone: on i386 the
  known upstream bug (mingw-w64 10.0.0 lists ExAcquireRundownProtectionEx
  and ExAcquireRundownProtectionCacheAwareEx as @4) makes it fail with
  undefined references to those two only; that is reported, not failed.  If
  it links (a fixed MinGW-w64), the imports are checked as in (a).  Any other
  link error fails.  On x64, where nothing is decorated, it must link.
- (c) i386 only (the patch changes lib32 only): PATCH is applied to a copy
  of the def file and a libntoskrnl.a is made from it with dlltool -k; the
  probe linked against it alone must link and import as in (a).  The def
  file is EXCERPT.def, or, with NTRUNDOWN_MINGW_W64_SOURCE naming an
  unpacked mingw-w64 source tree (tools/mingw-w64/check_patch.sh makes one
  from Debian's source package), that tree's mingw-w64-crt/lib32/ntoskrnl.def,
  which must then contain the excerpt's lines in the same order.

Prints one line per check; exit status 1 on any failure.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "exports"))
import check_exports  # noqa: E402
import pecheck  # noqa: E402
import spec  # noqa: E402

check = check_exports.check
DEF_PATH = "mingw-w64-crt/lib32/ntoskrnl.def"
# The two routines that mingw-w64 10.0.0's lib32/ntoskrnl.def decorates as @4.
UPSTREAM_BUG = {"ExAcquireRundownProtectionEx", "ExAcquireRundownProtectionCacheAwareEx"}


def plain_name(symbol):
    """The routine name in a symbol: "@Name@8", "_Name@8", "Name@8" (a .def
    entry) or "Name", each also with "__imp_" before it ("_imp_" as i386 ld
    prints it)."""
    symbol = re.sub(r"^_?_imp_", "", symbol)
    m = re.match(r"^[@_]?(\w+?)@\d+$", symbol)
    return m.group(1) if m else symbol


def link(cc, link_args, probe, libs, output):
    """Links the probe driver; returns (succeeded, the linker's output)."""
    cmd = cc + ["-shared", "-o", output, "-Wl,--whole-archive", probe, "-Wl,--no-whole-archive"] + link_args + libs
    result = subprocess.run(cmd, capture_output=True, text=True)
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def check_image(objdump, path, routines, what):
    """The linked driver imports exactly the plain routine names, from ntoskrnl.exe only."""
    image = pecheck.PeFacts(objdump, path)
    check(image.subsystem_name == "NT native", f"{what} subsystem {image.subsystem_name}")
    check(set(image.imports) == {"ntoskrnl.exe"}, f"{what} imports from {sorted(image.imports)} only")
    got = image.imports.get("ntoskrnl.exe", set())
    check(got == routines, f"{what} imports the {len(routines)} plain names from ntoskrnl.exe"
          + (f" (missing {sorted(routines - got)}, extra {sorted(got - routines)})" if got != routines else ""))


def apply_patch(patch_path, path, lines):
    """Applies the hunks for PATH of the unified diff PATCH_PATH to LINES (a list
    of lines without their ends), each hunk where its old lines occur exactly
    once, as patch(1) would without fuzz.  Returns the new list."""
    hunks, in_file, left = [], False, (0, 0)
    for raw in open(patch_path).read().split("\n"):
        if left != (0, 0):  # inside a hunk: as many old and new lines as its header says
            old, new = hunks[-1]
            if raw[:1] in (" ", "") and left[0] and left[1]:
                old.append(raw[1:])
                new.append(raw[1:])
                left = (left[0] - 1, left[1] - 1)
            elif raw[:1] == "-" and left[0]:
                old.append(raw[1:])
                left = (left[0] - 1, left[1])
            elif raw[:1] == "+" and left[1]:
                new.append(raw[1:])
                left = (left[0], left[1] - 1)
            elif not raw.startswith("\\"):
                raise SystemExit(f"{patch_path}: a hunk ends early at: {raw}")
        elif raw.startswith("diff --git "):
            in_file = raw.endswith(" b/" + path)
        elif in_file and raw.startswith("@@ "):
            m = re.match(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@", raw)
            left = tuple(int(n) if n is not None else 1 for n in m.groups())
            hunks.append(([], []))
    if not hunks:
        raise SystemExit(f"{patch_path}: no hunk for {path}")
    for old, new in hunks:
        at = [i for i in range(len(lines) - len(old) + 1) if lines[i:i + len(old)] == old]
        if len(at) != 1:
            raise SystemExit(f"{patch_path}: a hunk's {len(old)} old lines occur {len(at)} times, not once")
        lines = lines[:at[0]] + new + lines[at[0] + len(old):]
    return lines


def def_entries(lines):
    """The exports of a .def file's lines: {plain name: symbol as listed}."""
    entries = {}
    for line in lines:
        line = line.split(";", 1)[0].strip()
        if line and not re.match(r"^(LIBRARY|EXPORTS)\b", line):
            symbol = line.split()[0]
            entries[plain_name(symbol)] = symbol
    return entries


def main(spec_path, arch, probe, implib, patch_path, excerpt, objdump, nm, dlltool, workdir, cc_and_args):
    probe, implib, workdir = (os.path.abspath(p) for p in (probe, implib, workdir))
    os.makedirs(workdir, exist_ok=True)
    exports = [e for e in spec.read(spec_path) if e.on(arch) and not e.private and e.target == e.name]
    routines = {e.name for e in exports}
    wanted = {"__imp_" + check_exports.caller_symbol(e, arch) for e in exports}
    # The compiler command is what precedes the first option.
    n = next((i for i, a in enumerate(cc_and_args) if a.startswith("-")), len(cc_and_args))
    cc, link_args = cc_and_args[:n], cc_and_args[n:]

    undefined = {line.split()[-1] for line in pecheck.run(nm, probe).splitlines() if re.match(r"^\s+U ", line)}
    check(undefined == wanted, f"probe (ddk/wdm.h) references the spec's {len(wanted)} symbols"
          + (f" (missing {sorted(wanted - undefined)}, extra {sorted(undefined - wanted)})"
             if undefined != wanted else ""))
    check_exports.check_implib(exports, arch, implib, "ntoskrnl.exe", objdump, nm)

    # (a) The project's import library first, then MinGW-w64's.
    out = os.path.join(workdir, "probe-implib.sys")
    ok, log = link(cc, link_args, probe, [implib, "-lntoskrnl"], out)
    check(ok, "(a) libntoskrnl_rundown.a + libntoskrnl.a: links" + ("" if ok else ":\n" + log))
    if ok:
        check_image(objdump, out, routines, "(a)")

    # (b) MinGW-w64's libntoskrnl.a alone.
    stock = subprocess.run(cc + ["-print-file-name=libntoskrnl.a"], capture_output=True, text=True).stdout.strip()
    stock_symbols = {line.split()[-1] for line in pecheck.run(nm, stock).splitlines() if " T " in line}
    listed = sorted(s for s in stock_symbols if plain_name(s) in UPSTREAM_BUG)
    print(f"(b) {stock}: lists {listed}")
    out = os.path.join(workdir, "probe-stock.sys")
    ok, log = link(cc, link_args, probe, ["-lntoskrnl"], out)
    missing = {plain_name(s) for s in re.findall(r"undefined reference to `([^']+)'", log)}
    if ok:
        fixed = ": this MinGW-w64 has the upstream bug fixed" if arch == "i386" else ""
        print("(b) libntoskrnl.a alone: links" + fixed)
        check_image(objdump, out, routines, "(b)")
    elif arch == "i386" and missing and missing <= UPSTREAM_BUG:
        print(f"(b) libntoskrnl.a alone: does not link, the known upstream bug (undefined {sorted(missing)}):")
        print("\n".join("    " + line for line in log.splitlines()))
        check(True, "(b) libntoskrnl.a alone: fails only with the known upstream bug")
    else:
        check(False, "(b) libntoskrnl.a alone: links, or fails with the known upstream bug only:\n" + log)

    # (c) A libntoskrnl.a made from the patched ntoskrnl.def.
    if arch == "i386":
        patched_libntoskrnl(exports, routines, probe, patch_path, excerpt, objdump, dlltool, workdir, cc, link_args)
    else:
        print(f"(c) not applicable on {arch}: the patch changes {DEF_PATH} only")
    print(f"{arch}: {check.failures} failures")
    return 1 if check.failures else 0


def patched_libntoskrnl(exports, routines, probe, patch_path, excerpt, objdump, dlltool, workdir, cc, link_args):
    excerpt_lines = open(excerpt).read().split("\n")
    source = os.environ.get("NTRUNDOWN_MINGW_W64_SOURCE")
    if source:
        def_file = os.path.join(source, DEF_PATH)
        original = open(def_file).read().split("\n")
        body = [line for line in excerpt_lines if line and not line.startswith(";")]
        it = iter(original)
        check(all(line in it for line in body),
              f"(c) {def_file} has the excerpt's {len(body)} lines, in its order")
    else:
        def_file, original = excerpt, excerpt_lines
    print(f"(c) patching a copy of {def_file}")
    patched = apply_patch(patch_path, DEF_PATH, original)
    before, after = def_entries(original), def_entries(patched)
    changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
    print(f"(c) the patch changes {[(before.get(n), after.get(n)) for n in changed]}")
    check(set(changed) == UPSTREAM_BUG, f"(c) the patch changes the entries of {sorted(UPSTREAM_BUG)} only")
    for e in exports:  # as the project's own i386 .def lists them (tools/exports/gendef.py)
        check(after.get(e.name) == e.i386_symbol(), f"(c) patched ntoskrnl.def lists {e.i386_symbol()}"
              + ("" if after.get(e.name) == e.i386_symbol() else f" (got {after.get(e.name)})"))
    patched_def = os.path.join(workdir, "ntoskrnl.def")
    with open(patched_def, "w") as f:
        f.write("\n".join(patched))
    patched_lib = os.path.join(workdir, "libntoskrnl.a")
    if os.path.exists(patched_lib):
        os.remove(patched_lib)
    # As mingw-w64-crt/Makefile.am makes lib32/libntoskrnl.a (its -m i386 and
    # --as-flags=--32 are the defaults of the i686 dlltool).
    subprocess.run([dlltool, "-k", "--def", patched_def, "--dllname", "ntoskrnl.exe", "--output-lib", patched_lib],
                   check=True, cwd=workdir)
    out = os.path.join(workdir, "probe-patched.sys")
    ok, log = link(cc, link_args, probe, [patched_lib], out)
    check(ok, "(c) libntoskrnl.a from the patched ntoskrnl.def alone: links" + ("" if ok else ":\n" + log))
    if ok:
        check_image(objdump, out, routines, "(c)")


if __name__ == "__main__":
    if len(sys.argv) < 13 or sys.argv[11] != "--":
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:11], sys.argv[12:]))
