#!/bin/bash
# Can this machine run 32-bit x86 programs?  A kernel built without 32-bit
# support refuses them ("Exec format error"), and then no 32-bit Wine can
# run here: tools/wine/install_wine32.sh and tools/suite/setup.sh wine32 skip their
# download (about 140 MB), and the i686 runs report "this machine cannot run
# 32-bit programs" instead of "32-bit Wine (wine32) is not installed"
# (tools/wine/run.sh, tests/driver/run_driver_test.py, tools/wine/tree.sh,
# tools/wine/tests.sh, tools/test.sh, tools/measure/targets.sh).
#
# usage: tools/wine/can_run_32bit.sh [-q]
#
# Writes a static 32-bit x86 executable of 92 bytes (an ELF header, one
# program header and `exit(42)` through int 0x80: no C library, no compiler,
# no package) into a temporary directory and runs it.  As a control, a
# 64-bit x86-64 one of 128 bytes that exits 42 through syscall runs too: if
# that one does not run either (a temporary directory mounted noexec, a
# machine that is no x86-64), nothing can be told.
#
# Exit status: 0 when the 32-bit program ran (exit status 42); 1 when the
# kernel refused it (prints "this machine cannot run 32-bit programs (...)"
# with what the kernel said, unless -q); 2 when it cannot tell (prints why,
# unless -q); callers take 2 as "it can", as before this probe existed.
#
# For testing the callers only: NTRUNDOWN_32BIT_PROBE=FILE runs FILE in
# place of the 32-bit program.  A file the kernel refuses stands for a
# machine without 32-bit support, for instance one made with
#   printf '\177ELF\001\001\001' >/tmp/bogus32 && chmod +x /tmp/bogus32
# (an ELF header cut short: "Exec format error"), and the variable is passed
# on through every caller above (meson test included).
set -uo pipefail

quiet=0
case "${1:-}" in
    "") ;;
    -q) quiet=1 ;;
    *) echo "usage: $0 [-q]" >&2; exit 2 ;;
esac
say() { [ "$quiet" = 1 ] || echo "$*"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ntrundown-32bit.XXXXXX") || { say "cannot tell whether this machine runs 32-bit programs (no temporary directory)"; exit 2; }
trap 'rm -rf "$tmp"' EXIT

# ELF32, i386, ET_EXEC, entry 0x08048054; one PT_LOAD of the whole file (92
# bytes, R+X) at 0x08048000; code: push 1; pop eax; push 42; pop ebx; int 0x80
printf '\x7f\x45\x4c\x46\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00'\
'\x02\x00\x03\x00\x01\x00\x00\x00\x54\x80\x04\x08\x34\x00\x00\x00'\
'\x00\x00\x00\x00\x00\x00\x00\x00\x34\x00\x20\x00\x01\x00\x00\x00\x00\x00\x00\x00'\
'\x01\x00\x00\x00\x00\x00\x00\x00\x00\x80\x04\x08\x00\x80\x04\x08'\
'\x5c\x00\x00\x00\x5c\x00\x00\x00\x05\x00\x00\x00\x00\x10\x00\x00'\
'\x6a\x01\x58\x6a\x2a\x5b\xcd\x80' >"$tmp/probe32"
# ELF64, x86-64, ET_EXEC, entry 0x400078; one PT_LOAD of the whole file (128
# bytes, R+X) at 0x400000; code: push 60; pop rax; push 42; pop rdi; syscall
printf '\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00'\
'\x02\x00\x3e\x00\x01\x00\x00\x00\x78\x00\x40\x00\x00\x00\x00\x00'\
'\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'\
'\x00\x00\x00\x00\x40\x00\x38\x00\x01\x00\x00\x00\x00\x00\x00\x00'\
'\x01\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'\
'\x00\x00\x40\x00\x00\x00\x00\x00\x00\x00\x40\x00\x00\x00\x00\x00'\
'\x80\x00\x00\x00\x00\x00\x00\x00\x80\x00\x00\x00\x00\x00\x00\x00'\
'\x00\x10\x00\x00\x00\x00\x00\x00'\
'\x6a\x3c\x58\x6a\x2a\x5f\x0f\x05' >"$tmp/probe64"
chmod 755 "$tmp/probe32" "$tmp/probe64"

probe32=${NTRUNDOWN_32BIT_PROBE:-$tmp/probe32}
# In a child shell, so that a failed exec is its message and status 126/127.
out=$(cd "$tmp" && bash -c '"$1"' probe32 "$probe32" 2>&1 </dev/null)
status=$?
[ "$status" = 42 ] && exit 0

# The control: does a 64-bit program of the same kind run here?
(cd "$tmp" && "$tmp/probe64" </dev/null >/dev/null 2>&1)
if [ $? != 42 ]; then
    say "cannot tell whether this machine runs 32-bit programs: the 64-bit control program did not run either from $tmp"
    exit 2
fi
why=${out##*: }
[ -n "$why" ] && [ "$status" -ge 126 ] || why="exit status $status, not 42"
say "this machine cannot run 32-bit programs (its kernel refused a 32-bit x86 program: $why)"
exit 1
