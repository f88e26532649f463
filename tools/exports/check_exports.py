#!/usr/bin/env python3
"""Checks the export driver and its import library against the .spec.

usage: check_exports.py SPEC ARCH DRIVER.sys IMPORTLIB.a OBJDUMP NM

- the driver is a native-subsystem PE that imports only from ntoskrnl.exe
  and hal.dll, and exports exactly the spec's names for ARCH, undecorated;
- the import library defines, for every public export, the symbol a caller
  compiled from wdm.h links against (i386: "@Name@N" for fastcall,
  "_Name@N" for stdcall, N from the arguments) and its __imp_ twin, and
  imports it by the plain name from DRIVER.sys.
Prints one line per check; exit status 1 on any mismatch.

check_implib() is also used by tests/mingw/check_ntoskrnl_implib.py for
the import library of ntoskrnl.exe's own routines (libntoskrnl_rundown.a).
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pecheck  # noqa: E402
import spec  # noqa: E402

check = pecheck.Checks()


def section_contents(objdump, path, section):
    """The contents of SECTION in each member of the archive PATH that has one."""
    blocks, data = [], None
    for line in pecheck.run(objdump, "-s", "-j", section, path).splitlines() + ["end:"]:
        m = re.match(r"^ [0-9a-f]{4} ((?:[0-9a-f]{2,8} ?){1,4})", line)
        if m and data is not None:
            data += bytes.fromhex(m.group(1).replace(" ", ""))
            continue
        if data:
            blocks.append(bytes(data))
        data = bytearray() if line.startswith("Contents of section " + section) else None
    return blocks


def implib_facts(objdump, nm, path):
    """The import library's symbols (without its head and iname), the names it
    imports (.idata$6: hint, name) and the DLL names it imports from (.idata$7
    of its tail member; the stubs' .idata$7 is a 4-byte pointer)."""
    symbols = set()
    for line in pecheck.run(nm, path).splitlines():
        m = re.match(r"^[0-9a-f]+ ([TI]) (\S+)$", line)
        if m and not re.match(r"^__?head_", m.group(2)) and not m.group(2).endswith("_iname"):
            symbols.add(m.group(2))
    names = {data[2:].split(b"\0", 1)[0].decode() for data in section_contents(objdump, path, ".idata$6")}
    dlls = {data.split(b"\0", 1)[0].decode() for data in section_contents(objdump, path, ".idata$7")
            if data.strip(b"\0")}
    return symbols, names, dlls


def caller_symbol(export, arch):
    """The symbol a caller compiled from wdm.h's declaration references (without __imp_)."""
    if arch == "x86_64":
        return export.name
    return export.i386_symbol() if export.convention == "fastcall" else "_" + export.i386_symbol()


def check_implib(exports, arch, implib, dllname, objdump, nm):
    """The import library defines exactly the caller symbols of EXPORTS and
    their __imp_ twins and imports each by its plain name from DLLNAME."""
    symbols, imported, dlls = implib_facts(objdump, nm, implib)
    name = os.path.basename(implib)
    check(dlls == {dllname}, f"{name} imports from {sorted(dlls)}, expected ['{dllname}']")
    wanted = set()
    for e in exports:
        symbol = caller_symbol(e, arch)
        wanted |= {symbol, "__imp_" + symbol}
        check(symbol in symbols and "__imp_" + symbol in symbols, f"{name} defines {symbol}")
        check(e.name in imported, f"{name} imports {e.name} by its plain name")
    extra = sorted(symbols - wanted)
    check(not extra, f"{name} has no other symbols{': ' + str(extra) if extra else ''}")
    extra = sorted(imported - {e.name for e in exports})
    check(not extra, f"{name} imports no other names{': ' + str(extra) if extra else ''}")


def main(spec_path, arch, driver, implib, objdump, nm):
    exports = [e for e in spec.read(spec_path) if e.on(arch)]
    public = [e for e in exports if not e.private]

    image = pecheck.PeFacts(objdump, driver)
    names, imports = image.exports, list(image.imports)
    check(image.subsystem_name == "NT native", f"{os.path.basename(driver)}: subsystem {image.subsystem_name}")
    check(set(imports) <= {"ntoskrnl.exe", "hal.dll"}, f"imports only from ntoskrnl.exe/hal.dll: {imports}")
    expected = sorted(e.name for e in exports)
    for name in expected:
        check(name in names, f"export {name}")
    extra = sorted(set(names) - set(expected))
    check(not extra, f"no other exports ({len(names)} exported, {len(expected)} expected){': ' + str(extra) if extra else ''}")

    check_implib(public, arch, implib, os.path.basename(driver), objdump, nm)

    print(f"{arch}: {len(exports)} exports, {len(public)} in the import library, {check.failures} failures")
    return 1 if check.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 7:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
