#!/usr/bin/env python3
"""Checks the imports of the two test drivers.

usage: check_driver_imports.py OBJDUMP REIMPLEMENTATION.sys SYSTEM.sys

- both are native-subsystem images with an entry point that import from
  ntoskrnl.exe and hal.dll only, besides ntrundown.sys;
- the reimplementation flavour imports each of the 19 routines from
  ntrundown.sys and none from anywhere else (libntoskrnl.a defines them
  too: a wrong link order would bind them to ntoskrnl.exe, Wine's stubs);
- the system flavour imports none of them (it looks them up).
Prints one line per check; exit status 1 on any mismatch.
"""
import re
import subprocess
import sys

ROUTINES = {
    "ExInitializeRundownProtection", "ExReInitializeRundownProtection", "ExRundownCompleted",
    "ExAcquireRundownProtection", "ExAcquireRundownProtectionEx", "ExReleaseRundownProtection",
    "ExReleaseRundownProtectionEx", "ExWaitForRundownProtectionRelease",
    "ExSizeOfRundownProtectionCacheAware", "ExInitializeRundownProtectionCacheAware",
    "ExAllocateCacheAwareRundownProtection", "ExFreeCacheAwareRundownProtection",
    "ExAcquireRundownProtectionCacheAware", "ExAcquireRundownProtectionCacheAwareEx",
    "ExReleaseRundownProtectionCacheAware", "ExReleaseRundownProtectionCacheAwareEx",
    "ExWaitForRundownProtectionReleaseCacheAware", "ExReInitializeRundownProtectionCacheAware",
    "ExRundownCompletedCacheAware",
}
SYSTEM_MODULES = {"ntoskrnl.exe", "hal.dll"}
failures = 0


def check(condition, message):
    global failures
    print(("ok: " if condition else "FAILED: ") + message)
    if not condition:
        failures += 1


def pe_facts(objdump, path):
    text = subprocess.run([objdump, "-p", path], check=True, capture_output=True, text=True).stdout
    imports, dll = {}, None
    subsystem = entry = None
    for line in text.splitlines():
        m = re.match(r"^Subsystem\s+([0-9a-fA-F]+)", line)
        if m:
            subsystem = int(m.group(1), 16)
        m = re.match(r"^AddressOfEntryPoint\s+([0-9a-fA-F]+)", line)
        if m:
            entry = int(m.group(1), 16)
        m = re.match(r"^\s*DLL Name: (\S+)", line)
        if m:
            dll = m.group(1).lower()
            imports.setdefault(dll, set())
            continue
        if not line.strip():
            continue
        m = re.match(r"^\s*[0-9a-fA-F]+\s+\d+\s+(\S+)\s*$", line)
        if dll and m:
            imports[dll].add(m.group(1))
        elif not line.startswith("\t") and not line.startswith(" "):
            dll = None
    return subsystem, entry, imports


def main(objdump, reimplementation, system):
    for path in (reimplementation, system):
        subsystem, entry, imports = pe_facts(objdump, path)
        name = path.rsplit("/", 1)[-1]
        check(subsystem == 1, f"{name}: native subsystem (got {subsystem})")
        check(bool(entry), f"{name}: has an entry point")
        allowed = SYSTEM_MODULES | ({"ntrundown.sys"} if path == reimplementation else set())
        check(set(imports) <= allowed, f"{name}: imports from {sorted(imports)} only, allowed {sorted(allowed)}")
        for dll, names in imports.items():
            if dll == "ntrundown.sys":
                continue
            stray = sorted(names & ROUTINES)
            check(not stray, f"{name}: imports no rundown routine from {dll}" + (f" (got {stray})" if stray else ""))
        if path == reimplementation:
            got = imports.get("ntrundown.sys", set())
            check(got == ROUTINES, f"{name}: imports the 19 routines from ntrundown.sys"
                  + (f" (missing {sorted(ROUTINES - got)}, extra {sorted(got - ROUTINES)})" if got != ROUTINES else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
