#!/bin/bash
# Everything CI runs (README, "The two commands"):
# - the host: the suite, the harness self-test and the rest of the meson
#   tests with gcc -Werror, as a checked build, as a
#   checked build under AddressSanitizer + UndefinedBehaviorSanitizer, under
#   AddressSanitizer + UndefinedBehaviorSanitizer, under ThreadSanitizer, and
#   with clang; the installed library from an outside program; the
#   benchmark's short form;
# - Wine 8.0: its source from Debian, the Wine series generated and checked
#   against it, its ntoskrnl.exe built with -Werror, stock and with the
#   series patch by patch, Wine's own ntoskrnl tests run on each and
#   compared; Wine 10.0: its source from Debian, the series generated for
#   it and compiled patch by patch with -Werror;
# - the Windows targets: both MinGW-w64 cross builds with -Werror and all
#   their tests under Wine (in the stock Wine and in the one with the
#   series), their installs, and a short soak of their Wine tests.
# Ends with "N passed, N failed, N skipped": meson tests and the steps
# above, added up.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/tools/suite/setup.sh" host || exit 1

out="$top/build/test-logs"
mkdir -p "$out"
passed=0 failed=0 skipped=0

record() { # name status (77: skipped)
    case "$2" in
        0) passed=$((passed + 1)); echo "PASS: $1" ;;
        77) skipped=$((skipped + 1)); echo "SKIP: $1" ;;
        *) failed=$((failed + 1)); echo "FAIL: $1" ;;
    esac
}

# step NAME LOG COMMAND...: runs a command, records it, shows its last lines.
step() {
    local name=$1 log=$2; shift 2
    "$@" >"$log" 2>&1
    local status=$?
    tail -n "${tail_lines:-3}" "$log" | tr -d '\r' | sed 's/^/   /'
    record "$name" $status
    return $status
}

# meson_suite NAME [setup options...]: configure, build, run meson test.
meson_suite() {
    local name=$1; shift
    local dir="$top/build/$name" log="$out/$name.log"
    echo "== $name: $*"
    if ! { [ -d "$dir" ] && meson setup --reconfigure "$dir" "$@" || meson setup --wipe "$dir" "$@" || meson setup "$dir" "$@"; } >"$log" 2>&1 \
       || ! ninja -C "$dir" >>"$log" 2>&1; then
        tail -n 30 "$log"
        record "$name (build)" 1
        return
    fi
    meson test -C "$dir" --print-errorlogs --num-processes 1 >>"$log" 2>&1
    local status=$?
    grep -E "^ *[0-9]+/[0-9]+ " "$log" | sed 's/^/   /'
    grep -hE "tests executed" "$dir/meson-logs/testlog.txt" | tr -d '\r' | sed 's/^/   /'
    local ok xfail fail skip
    ok=$(awk '/^Ok:/ {print $2}' "$log" | tail -n 1)
    xfail=$(awk '/^Expected Fail:/ {print $3}' "$log" | tail -n 1)
    skip=$(awk '/^Skipped:/ {print $2}' "$log" | tail -n 1)
    skipped=$((skipped + ${skip:-0}))
    grep -h "^SKIP" "$dir/meson-logs/testlog.txt" 2>/dev/null | sort -u | sed 's/^/   /'
    fail=$(awk '/^(Fail|Timeout|Unexpected Pass):/ {n += $3 == "" ? $2 : $3} END {print n + 0}' "$log")
    passed=$((passed + ${ok:-0} + ${xfail:-0})); failed=$((failed + ${fail:-0}))
    if [ "$status" -ne 0 ] && [ "${fail:-0}" -eq 0 ]; then
        tail -n 30 "$log"; record "$name (meson test)" 1
    fi
}

# Wine 8.0's source first: the harness comparison of every build reads its
# include/wine/test.h.
wine="$top/build/wine/8.0"
echo "== Wine 8.0's source"
step "Wine 8.0 source (Debian's source package)" "$out/wine-source.log" "$top/tools/wine/source.sh" 8.0 "$wine/src"
wine_source=$?

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 TSAN_OPTIONS=halt_on_error=1
export CC=gcc
meson_suite gcc --werror
meson_suite checked --werror -Dchecked=true
meson_suite checked-asan -Dchecked=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
meson_suite asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
meson_suite tsan -Db_sanitize=thread -Dbuildtype=debug
CC=clang meson_suite clang --werror

echo "== host: install, benchmark"
step "install: outside program through pkg-config" "$out/install.log" "$top/tools/suite/check_install.sh"
step "benchmark: short form" "$out/bench.log" python3 "$top/tools/measure/bench_table.py" --short "$top/build/gcc"

if ! "$top/tools/suite/setup.sh" windows; then
    record "Windows targets: MinGW-w64 and Wine could not be installed" 1
    echo "$passed passed, $failed failed, $skipped skipped"
    exit 1
fi
"$top/tools/suite/setup.sh" wine32
case $? in
    0) ;;
    77) echo "   SKIP: the i686 runs (this machine cannot run 32-bit programs)" ;;
    *) echo "   SKIP: the i686 runs (no 32-bit Wine)" ;;
esac

# Wine 8.0 with the series, patch by patch.  The trees it leaves in
# build/wine/8.0/patched are what the cross builds' "patched-wine" tests run
# in.  Then the series for Wine 10.0, the newest Wine in Debian's archive,
# compiled patch by patch with Wine's PE warning flags and -Werror.
echo "== Wine 8.0 and 10.0 and the Wine series"
# the patches' author: git's identity, or a stand-in for this check
author=()
git -C "$top" config user.email >/dev/null && git -C "$top" config user.name >/dev/null ||
    author=(--author "Series Check <series-check@invalid>")
if [ "$wine_source" = 0 ]; then
    step "Wine series: generated, applies to Wine 8.0" "$out/wine-series-8.0.log" \
        "$top/tools/wine/patch.sh" "${author[@]}" "$wine/series" 8.0 "$wine/src"
    tail_lines=8 step "Wine 8.0 built with -Werror and its ntoskrnl tests run, stock and with each patch, compared" \
        "$out/wine-tests.log" "$top/tools/wine/series_check.sh" "$wine/series"
fi
wine10="$top/build/wine/10.0"
step "Wine 10.0 source (Debian's source package)" "$out/wine-source-10.0.log" \
    "$top/tools/wine/source.sh" 10.0 "$wine10/src" &&
step "Wine series: generated, applies to Wine 10.0" "$out/wine-series-10.0.log" \
    "$top/tools/wine/patch.sh" "${author[@]}" "$wine10/series" 10.0 "$wine10/src" &&
tail_lines=12 step "Wine series: each patch compiles in Wine 10.0 with -Werror (x86_64, i386)" \
    "$out/wine-werror-10.0.log" "$top/tools/wine/werror_check.sh" "$wine10/series" "$wine10/src" "$wine10/werror"

for triple in x86_64-w64-mingw32 i686-w64-mingw32; do
    meson_suite $triple --werror --cross-file "$top/tools/cross/$triple.ini"
    step "install: $triple drivers through pkg-config" "$out/install-$triple.log" \
        "$top/tools/suite/check_install.sh" $triple
done

echo "== short soak of the Wine tests"
tail_lines=25 step "soak: 3 runs of each Wine test" "$out/soak.log" \
    python3 "$top/tools/measure/soak_table.py" --runs 3 --fresh 0 --suite conformance --suite driver \
    "$top/build/x86_64-w64-mingw32" "$top/build/i686-w64-mingw32"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
