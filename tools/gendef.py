#!/usr/bin/env python3
"""Writes the .def file of the export driver from its .spec.

usage: gendef.py SPEC ARCH DLLNAME OUTPUT      (ARCH: x86_64 or i386)

x64 lists plain names.  i386 lists the decorated symbols (linked with
--kill-at, so the exported names are plain, as in ntoskrnl.exe), and the
aliases as "alias = target".  The same file makes the import library with
`dlltool -k`.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spec  # noqa: E402


def main(spec_path, arch, dllname, output):
    lines = [f"LIBRARY {dllname}", "EXPORTS"]
    for export in spec.read(spec_path):
        if not export.on(arch):
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
    if len(sys.argv) != 5 or sys.argv[2] not in ("x86_64", "i386"):
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
