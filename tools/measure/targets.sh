# Sourced by tools/measure/bench.sh and tools/measure/soak.sh: builds the host target and,
# with MinGW-w64 and Wine, both Windows targets into build/NAME-host and
# build/NAME-TRIPLE, and lists the build directories that built in the
# array `builds` (the host first).  Needs `top` and `logs` set.
#   build_targets NAME [meson setup options...]
# shellcheck shell=bash

build_target() { # DIR [meson setup options...]
    local dir=$1; shift
    { [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@"; } >"$logs/$(basename "$dir").log" 2>&1 &&
        ninja -C "$dir" >>"$logs/$(basename "$dir").log" 2>&1
}

build_targets() {
    local name=$1 triple; shift
    builds=()
    if ! build_target "$top/build/$name-host" "$@"; then
        echo "$name: the host build failed (see $logs)" >&2
        return 1
    fi
    builds+=("$top/build/$name-host")
    "$top/tools/suite/setup.sh" windows >/dev/null 2>&1 || return 0
    local wine32=0
    "$top/tools/suite/setup.sh" wine32 >/dev/null 2>&1 || wine32=$?
    case $wine32 in
        0) ;;
        77) echo "$name: this machine cannot run 32-bit programs: the i686 runs will skip" >&2 ;;
        *) echo "$name: no 32-bit Wine: the i686 runs will skip" >&2 ;;
    esac
    for triple in x86_64-w64-mingw32 i686-w64-mingw32; do
        if build_target "$top/build/$name-$triple" --cross-file "$top/tools/cross/$triple.ini" "$@"; then
            builds+=("$top/build/$name-$triple")
        else
            echo "$name: the $triple build failed (see $logs)" >&2
        fi
    done
}
