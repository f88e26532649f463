"""Reads a Wine-style .spec file: the export list of the rundown module.

Each entry: "@ CONVENTION [-private] [-arch=ARCHS] NAME(ARGS) [TARGET]".  The i386
symbol a caller links against follows from the convention and the argument
bytes: fastcall "@Name@N", stdcall "_Name@N"; the exported name is
always the plain one.
"""
import re

LINE = re.compile(r"^@\s+(fastcall|stdcall)\s+(-private\s+)?(?:-arch=(\S+)\s+)?(\w+)\(([^)]*)\)(?:\s+(\w+))?\s*$")
ARG_BYTES_I386 = {"ptr": 4, "long": 4}


class Export:
    def __init__(self, convention, private, archs, name, args, target):
        self.convention = convention
        self.private = private      # exported, but not in the import library
        self.archs = archs
        self.name = name
        self.args = args
        self.target = target or name

    def on(self, arch):
        return self.archs is None or arch in self.archs

    def i386_symbol(self, name=None):
        """The decorated i386 symbol (without the extra leading underscore of C names)."""
        name = name or self.name
        size = sum(ARG_BYTES_I386[a] for a in self.args)
        return f"@{name}@{size}" if self.convention == "fastcall" else f"{name}@{size}"


def read(path):
    exports = []
    for number, raw in enumerate(open(path), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = LINE.match(line)
        if not m:
            raise SystemExit(f"{path}:{number}: cannot parse: {raw.rstrip()}")
        convention, private, archs, name, args, target = m.groups()
        exports.append(Export(convention, bool(private), archs.split(",") if archs else None, name, args.split(),
                              target))
    return exports
