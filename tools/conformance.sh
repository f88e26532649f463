#!/bin/bash
# The main job: builds the rundown module for every target this machine can
# build, runs the conformance suite on each and prints one parity table.
#
# Targets: the host (the library over the user-mode kernel services, and the
# model of Windows x64), and with MinGW-w64 the Windows targets x86_64 and
# i686, run under Wine: the suite as a program, as a kernel driver importing
# ntrundown.sys (the reimplementation) and as a kernel driver using the
# system's ntoskrnl.exe: stock Wine's (showing its gaps) and Wine 8.0's built
# here with the Wine series (tools/wine/series_check.sh, which also runs
# Wine's own ntoskrnl tests with and without the series).  i686 runs need
# 32-bit Wine; without it that target is built and checked, and its runs
# show SKIP: "32-bit Wine (wine32) is not installed", or, on a machine that
# cannot run 32-bit programs at all (tools/wine/can_run_32bit.sh), where nothing
# is downloaded for it, "this machine cannot run 32-bit programs".
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/tools/suite/setup.sh" host || exit 1

logs="$top/build/conformance-logs"
mkdir -p "$logs"
targets=()

# run_target NAME BUILDDIR [meson setup options...]
run_target() {
    local name=$1 dir=$2; shift 2
    echo "== $name"
    if ! { [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@"; } >"$logs/$name.log" 2>&1 \
       || ! ninja -C "$dir" >>"$logs/$name.log" 2>&1; then
        tail -n 20 "$logs/$name.log"
        echo "$name: build failed (log: $logs/$name.log)"
    fi
    meson test -C "$dir" --no-rebuild --suite conformance --suite conformance-as-windows \
        --suite driver --suite driver-patched --print-errorlogs >>"$logs/$name.log" 2>&1
    grep -E "^ *[0-9]+/[0-9]+ " "$logs/$name.log" | tail -n 20 | sed 's/^/   /'
    targets+=("$name=$dir")
}

run_target "host-$(uname -m)" "$top/build/host"
wine_tests=
if "$top/tools/suite/setup.sh" windows; then
    "$top/tools/suite/setup.sh" wine32 || true
    echo "== Wine 8.0 with the Wine series"
    wine="$top/build/wine/8.0"
    # the patches' author: git's identity, or a stand-in for this run
    author=()
    git -C "$top" config user.email >/dev/null && git -C "$top" config user.name >/dev/null ||
        author=(--author "Series Check <series-check@invalid>")
    if "$top/tools/wine/source.sh" 8.0 "$wine/src" >"$logs/wine.log" 2>&1 &&
       "$top/tools/wine/patch.sh" "${author[@]}" "$wine/series" 8.0 "$wine/src" >>"$logs/wine.log" 2>&1; then
        "$top/tools/wine/series_check.sh" "$wine/series" >>"$logs/wine.log" 2>&1
        # stock Wine's run, each patch's verdict, the whole series' comparison
        wine_tests=$(awk '/^wine-series-check: with patch/ { patched = 1 }
                          /^(x86_64|i386) [a-z_]+: [0-9]+ executed/ && !patched { print }
                          /^patch [0-9]+ / { print }
                          /^(x86_64|i386) [a-z_]+: stock / { last[$1] = $0 }
                          END { for (a in last) print last[a] }' "$logs/wine.log")
    else
        echo "   the Wine series could not be built here (log: $logs/wine.log)"
    fi
    for triple in x86_64-w64-mingw32 i686-w64-mingw32; do
        run_target "$triple" "$top/build/$triple" --cross-file "$top/tools/cross/$triple.ini"
    done
else
    echo "SKIP: Windows targets: MinGW-w64 and Wine are missing (see above)"
fi

echo
python3 "$top/tools/suite/parity.py" "${targets[@]}"
status=$?
if [ -n "$wine_tests" ]; then
    echo
    echo "Wine's own dlls/ntoskrnl.exe/tests, Wine 8.0 built here:"
    echo "$wine_tests" | sed 's/^/  /'
fi
exit $status
