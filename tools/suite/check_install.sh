#!/bin/bash
# Installs a build into a scratch prefix and uses it from outside, as a user
# would.
#
#   tools/suite/check_install.sh         the host library: builds and runs
#                                        tests/install/outside.c with
#                                        cc ... $(pkg-config --cflags --libs ntrundown)
#   tools/suite/check_install.sh TRIPLE  a MinGW-w64 cross build (x86_64-w64-mingw32,
#                                        i686-w64-mingw32): links tests/mingw/probe.c,
#                                        a driver calling all 19 routines, once
#                                        against ntoskrnl.exe itself
#                                        (pkg-config ntoskrnl-rundown) and once
#                                        against ntrundown.sys (pkg-config ntrundown),
#                                        and checks what each driver imports
# Ends with "outside: N passed, N failed" (host) or "installed TRIPLE: ..." .
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
triple=${1:-}
dir="$top/build/install${triple:+-$triple}"
prefix="$dir/prefix"
rm -rf "$dir"

if [ -z "$triple" ]; then
    meson setup "$dir/build" "$top" --prefix="$prefix" --libdir=lib -Dbuildtype=release
    meson install -C "$dir/build" --quiet
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
    echo "pkg-config: $(pkg-config --cflags --libs ntrundown)"
    cc -Wall -Wextra -o "$dir/outside" "$top/tests/install/outside.c" $(pkg-config --cflags --libs ntrundown)
    "$dir/outside"
    exit
fi

meson setup "$dir/build" "$top" --cross-file "$top/tools/cross/$triple.ini" --prefix="$prefix" --libdir=lib \
    -Dbuildtype=release
meson install -C "$dir/build" --quiet
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig" PKG_CONFIG_LIBDIR=
case "$triple" in
    i686-*) entry=_DriverEntry@8 ;;
    *) entry=DriverEntry ;;
esac
passed=0 failed=0
check() { # message command...
    local message=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "ok: $message"; else failed=$((failed + 1)); echo "FAILED: $message"; fi
}
routines=$(python3 - "$top/dlls/ntoskrnl/ntrundown.spec" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1].rsplit("/dlls/", 1)[0] + "/tools/exports")
import spec
print(" ".join(sorted(e.name for e in spec.read(sys.argv[1]) if not e.private and e.target == e.name)))
EOF
)
# imports DRIVER DLL: the names DRIVER imports from DLL, sorted
imports() {
    "$triple-objdump" -p "$1" | awk -v dll="$2" '
        /^\tDLL Name: / { current = tolower($3) }
        current == dll && /^\t[0-9a-f]+[ \t]+[0-9]+[ \t]+[A-Za-z_]/ { print $3 }' | sort | tr '\n' ' ' | sed 's/ $//'
}
for flavour in ntoskrnl-rundown:ntoskrnl.exe ntrundown:ntrundown.sys; do
    package=${flavour%%:*} dll=${flavour#*:}
    check "$package.pc is installed" pkg-config --exists "$package"
    flags=$(pkg-config --cflags --libs "$package")
    echo "pkg-config $package: $flags"
    # shellcheck disable=SC2086
    check "a driver calling the 19 routines links with $package" \
        "$triple-gcc" -Wall -Wextra -Werror -ffreestanding -fno-stack-protector -D_WIN32_WINNT=0x0601 -shared \
        -nostdlib -nostartfiles -Wl,--subsystem,native -Wl,--entry,$entry -o "$dir/probe-$package.sys" \
        "$top/tests/mingw/probe.c" $flags -lntoskrnl -lhal
    [ -f "$dir/probe-$package.sys" ] || continue
    check "it imports exactly the 19 routines from $dll" test "$(imports "$dir/probe-$package.sys" "$dll")" = "$routines"
done
check "ntrundown.sys is installed" test -f "$prefix/bin/ntrundown.sys"
check "ntrundown.h is installed" test -f "$prefix/include/ntrundown/ntrundown.h"
echo "installed $triple: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
