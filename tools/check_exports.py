#!/usr/bin/env python3
"""Checks the export driver and its import library against the .spec.

usage: check_exports.py SPEC ARCH DRIVER.sys IMPORTLIB.a OBJDUMP NM

- the driver is a native-subsystem PE that imports only from ntoskrnl.exe
  and hal.dll, and exports exactly the spec's names for ARCH, undecorated;
- the import library defines, for every public export, the symbol a caller
  compiled from wdm.h links against (i386: "@Name@N" for fastcall,
  "_Name@N" for stdcall, N from the arguments) and its __imp_ twin, and
  imports it by the plain name.
Prints one line per check; exit status 1 on any mismatch.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pecheck  # noqa: E402
import spec  # noqa: E402

check = pecheck.Checks()


def implib_facts(objdump, nm, path):
    symbols = set()
    for line in pecheck.run(nm, path).splitlines():
        m = re.match(r"^[0-9a-f]+ ([TI]) (\S+)$", line)
        if m and not re.match(r"^__?head_", m.group(2)) and not m.group(2).endswith("_iname"):
            symbols.add(m.group(2))
    names, data = set(), None
    for line in pecheck.run(objdump, "-s", "-j", ".idata$6", path).splitlines() + ["end:"]:
        m = re.match(r"^ [0-9a-f]{4} ((?:[0-9a-f]{2,8} ?){1,4})", line)
        if m and data is not None:
            data += bytes.fromhex(m.group(1).replace(" ", ""))
            continue
        if data:
            names.add(data[2:].split(b"\0", 1)[0].decode())
        data = bytearray() if line.startswith("Contents of section .idata$6") else None
    return symbols, names


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

    symbols, imported = implib_facts(objdump, nm, implib)
    wanted = set()
    for e in public:
        if arch == "x86_64":
            symbol = e.name
        else:
            symbol = e.i386_symbol() if e.convention == "fastcall" else "_" + e.i386_symbol()
        wanted |= {symbol, "__imp_" + symbol}
        check(symbol in symbols and "__imp_" + symbol in symbols, f"import library defines {symbol}")
        check(e.name in imported, f"import library imports {e.name} by its plain name")
    extra = sorted(symbols - wanted)
    check(not extra, f"import library has no other symbols{': ' + str(extra) if extra else ''}")
    extra = sorted(imported - {e.name for e in public})
    check(not extra, f"import library imports no other names{': ' + str(extra) if extra else ''}")

    print(f"{arch}: {len(exports)} exports, {len(public)} in the import library, {check.failures} failures")
    return 1 if check.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 7:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
