#!/usr/bin/env python3
"""Checks the declarations of a header against the .spec: the same routines,
with the same calling conventions and numbers of arguments.

usage: check_header.py SPEC HEADER

HEADER is include/ntrundown.h.  A declaration is "TYPE CONVENTION Name(ARGS);"
where CONVENTION is FASTCALL (spec: fastcall) or NTAPI (spec: stdcall).  The
spec's -private entries and its aliases are not declared.  Prints one
line per check; exit status 1 on any mismatch.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pecheck  # noqa: E402
import spec  # noqa: E402

DECLARATION = re.compile(r"^\s*\w+\s+(FASTCALL|NTAPI)\s+(\w+)\s*\(([^)]*)\)\s*;", re.M)
CONVENTIONS = {"FASTCALL": "fastcall", "NTAPI": "stdcall"}


def main(spec_path, header):
    check = pecheck.Checks()
    declared = {}
    for convention, name, args in DECLARATION.findall(open(header).read()):
        args = [a for a in args.split(",") if a.strip() not in ("", "VOID", "void")]
        check(name not in declared, f"{name} declared once")
        declared[name] = (CONVENTIONS[convention], len(args))
    exports = [e for e in spec.read(spec_path) if not e.private and e.target == e.name]
    for e in exports:
        got = declared.get(e.name)
        check(got == (e.convention, len(e.args)),
              f"{e.name}: spec {e.convention}({len(e.args)} args), header {got}")
    extra = sorted(set(declared) - {e.name for e in exports})
    check(not extra, f"the header declares nothing else{': ' + str(extra) if extra else ''}")
    print(f"{os.path.basename(header)}: {len(declared)} declarations, {len(exports)} routines in the spec, "
          f"{check.failures} failures")
    return 1 if check.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
