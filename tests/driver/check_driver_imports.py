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
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "exports"))
import pecheck  # noqa: E402

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
check = pecheck.Checks()


def main(objdump, reimplementation, system):
    for path in (reimplementation, system):
        image = pecheck.PeFacts(objdump, path)
        imports = image.imports
        name = path.rsplit("/", 1)[-1]
        check(image.subsystem == 1, f"{name}: native subsystem (got {image.subsystem})")
        check(bool(image.entry), f"{name}: has an entry point")
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
    return 1 if check.failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
