#!/bin/bash
# The benchmark, in every flavour this machine can run, as one table.
#
#   tools/bench.sh [--short] [--repeat N] [--baseline REV]
#
# Builds the host target and, with MinGW-w64 and Wine, both Windows targets
# (build/bench-*), then runs tests/bench/rundown_bench.c as a host program,
# as Win32 programs and as kernel drivers under Wine (importing the routines
# from ntrundown.sys, and from the system's ntoskrnl.exe: Wine 8.0 with the
# Wine series when tools/wine-build.sh has built it, stock Wine otherwise,
# where that flavour is skipped), and prints every figure with its ratio to
# the bare compare-exchange pair (tools/bench.py).  --baseline REV adds the
# host program over the module of git revision REV, for a before/after
# comparison in the same run.  --short is the form CI runs: it proves that
# the benchmark works; its figures mean little.  Timing is measured here,
# never asserted.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
"$top/tools/setup.sh" host || exit 1
logs="$top/build/bench-logs"
mkdir -p "$logs"

build() { # DIR [meson setup options...]
    local dir=$1; shift
    { [ -f "$dir/build.ninja" ] || meson setup "$dir" -Dbuildtype=release "$@"; } >"$logs/$(basename "$dir").log" 2>&1 &&
        ninja -C "$dir" >>"$logs/$(basename "$dir").log" 2>&1
}

build "$top/build/bench-host" || { echo "bench: the host build failed (see $logs)" >&2; exit 1; }
windows=()
if "$top/tools/setup.sh" windows >/dev/null 2>&1; then
    "$top/tools/setup.sh" wine32 >/dev/null 2>&1 || true
    for triple in x86_64-w64-mingw32 i686-w64-mingw32; do
        if build "$top/build/bench-$triple" --cross-file "$top/tools/cross/$triple.ini"; then
            windows+=("$top/build/bench-$triple")
        else
            echo "bench: the $triple build failed (see $logs)" >&2
        fi
    done
fi
flavours=$(mktemp)
trap 'rm -f "$flavours"' EXIT
if [ -x "$top/tools/wine-bench-flavours.sh" ]; then
    "$top/tools/wine-bench-flavours.sh" "${windows[@]}" >"$flavours" 2>>"$logs/wine.log" || true
fi
NTRUNDOWN_BENCH_FLAVOURS=$flavours python3 "$top/tools/bench.py" "$@" "$top/build/bench-host" "${windows[@]}"
