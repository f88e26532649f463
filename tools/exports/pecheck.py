"""What objdump -p says about a PE image, and the checks the image checkers print.

Shared by tools/exports/check_exports.py, tests/driver/check_driver_imports.py and the
harness checkers (tests/harness/*/check_*.py),
which import it through sys.path (it lives beside tools/exports/spec.py).
"""
import re
import subprocess


class Checks:
    """Prints "ok: MESSAGE" or "FAILED: MESSAGE" for each check and counts the failures."""

    def __init__(self):
        self.failures = 0

    def __call__(self, condition, message):
        print(("ok: " if condition else "FAILED: ") + message)
        if not condition:
            self.failures += 1


def is_pe_image(path):
    """Whether path is a PE image (an MZ header pointing at a PE signature)."""
    try:
        with open(path, "rb") as f:
            head = f.read(64)
            if len(head) < 64 or head[:2] != b"MZ":
                return False
            f.seek(int.from_bytes(head[60:64], "little"))
            return f.read(4) == b"PE\0\0"
    except OSError:
        return False


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


class PeFacts:
    """An image as objdump -p shows it.

    subsystem: the Subsystem field's number (None if absent), subsystem_name
    its name ("NT native"; "?" if absent), entry: AddressOfEntryPoint (None if
    absent), exports: the exported names in table order, imports: for each
    imported DLL, lower case in table order, the set of names imported from it.
    """

    def __init__(self, objdump, path):
        self.subsystem = self.entry = None
        self.subsystem_name = "?"
        self.exports, self.imports = [], {}
        dll, in_names = None, False
        for line in run(objdump, "-p", path).splitlines():
            if line.startswith("[Ordinal/Name Pointer] Table"):
                dll, in_names = None, True
                continue
            if in_names:
                m = re.match(r"^\s+\[\s*\d+\]\s+(\S+)$", line)
                if m:
                    self.exports.append(m.group(1))
                    continue
                in_names = False
            m = re.match(r"^Subsystem\s+([0-9a-fA-F]+)(?:\s+\((.*)\))?", line)
            if m and self.subsystem is None:
                self.subsystem = int(m.group(1), 16)
                self.subsystem_name = m.group(2) if m.group(2) is not None else "?"
            m = re.match(r"^AddressOfEntryPoint\s+([0-9a-fA-F]+)", line)
            if m:
                self.entry = int(m.group(1), 16)
            m = re.match(r"^\s*DLL Name: (\S+)", line)
            if m:
                dll = m.group(1).lower()
                self.imports.setdefault(dll, set())
                continue
            if not line.strip():
                continue
            m = re.match(r"^\s*[0-9a-fA-F]+\s+\d+\s+(\S+)\s*$", line)
            if dll and m:
                self.imports[dll].add(m.group(1))
            elif not line.startswith("\t") and not line.startswith(" "):
                dll = None
