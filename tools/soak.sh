#!/bin/bash
# Soak: every test of every flavour this machine can run, many times, and the
# long stress; outside CI (tools/test.sh runs a short form).
#
#   tools/soak.sh [--runs N] [--jobs J] [--fresh K] [--suite S]... [--match RE]
#                 [--long-stress CYCLES] [--host-only]
#
# Builds the host target and, with MinGW-w64 and Wine, both Windows targets
# (build/soak-*), then runs tools/soak.py over them: by default 200 runs of
# each test, half one at a time and half in parallel as meson runs them,
# each Wine test twice in a fresh Wine prefix, and the long stress with a
# million rundown cycles per family (--long-stress 0 leaves it out).  Prints
# per test the runs, failures, crashes (a signal, no summary line, an
# exception, an assertion, a sanitizer report), hangs and skips, and keeps
# the log of every bad run in build/soak-logs/.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/setup.sh" host || exit 1
logs="$top/build/soak-build-logs"
mkdir -p "$logs"
args=() host_only=0 long=1000000
while [ $# -gt 0 ]; do
    case "$1" in
        --host-only) host_only=1 ;;
        --long-stress) long=$2; shift ;;
        *) args+=("$1") ;;
    esac
    shift
done

build() { # DIR [meson setup options...]
    local dir=$1; shift
    { [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@"; } >"$logs/$(basename "$dir").log" 2>&1 &&
        ninja -C "$dir" >>"$logs/$(basename "$dir").log" 2>&1
}

builds=()
build "$top/build/soak-host" && builds+=("$top/build/soak-host") ||
    { echo "soak: the host build failed (see $logs)" >&2; exit 1; }
if [ "$host_only" = 0 ] && "$top/tools/setup.sh" windows >/dev/null 2>&1; then
    "$top/tools/setup.sh" wine32 >/dev/null 2>&1 || echo "soak: no 32-bit Wine: the i686 tests will skip" >&2
    for triple in x86_64-w64-mingw32 i686-w64-mingw32; do
        if build "$top/build/soak-$triple" --cross-file "$top/tools/cross/$triple.ini"; then
            builds+=("$top/build/soak-$triple")
        else
            echo "soak: the $triple build failed (see $logs)" >&2
        fi
    done
fi
exec python3 "$top/tools/soak.py" --long-stress "$long" "${args[@]}" "${builds[@]}"
