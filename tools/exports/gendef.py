#!/usr/bin/env python3
"""Writes a .def file from the .spec.

usage: gendef.py [--routines-only] SPEC ARCH DLLNAME OUTPUT      (ARCH: x86_64 or i386)

x64 lists plain names.  i386 lists the decorated symbols (linked with
--kill-at, so the exported names are plain, as in ntoskrnl.exe), and the
aliases as "alias = target".  The same file makes the import library with
`dlltool -k`.

Without options: every export of the export driver (DLLNAME ntrundown.sys).
--routines-only: only the routines themselves, without aliases and the
-private exports (DllInitialize, DllUnload): the .def of
an import library for the routines of ntoskrnl.exe itself (DLLNAME
ntoskrnl.exe), whose decorations are those of ddk/wdm.h's declarations.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spec  # noqa: E402


def main(spec_path, arch, dllname, output, routines_only=False):
    lines = [f"LIBRARY {dllname}", "EXPORTS"]
    for export in spec.read(spec_path):
        if not export.on(arch):
            continue
        if routines_only and (export.private or export.target != export.name):
            continue
        if arch == "x86_64":
            symbol = export.name + (f" = {export.target}" if export.target != export.name else "")
        else:
            symbol = export.i386_symbol()
            if export.target != export.name:
                symbol += " = " + export.i386_symbol(export.target)
        lines.append(f"    {symbol}" + (" PRIVATE" if export.private else ""))
    with open(output, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    args = sys.argv[1:]
    routines_only = args[:1] == ["--routines-only"]
    if routines_only:
        args = args[1:]
    if len(args) != 4 or args[1] not in ("x86_64", "i386"):
        raise SystemExit(__doc__)
    main(*args, routines_only=routines_only)
