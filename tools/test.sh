#!/bin/bash
# Everything CI runs: the conformance suite and the harness self-test on the
# host in several configurations (release with -Werror, clang, checked,
# AddressSanitizer + UndefinedBehaviorSanitizer, ThreadSanitizer), then the
# installed library from an outside program through pkg-config, then the
# Windows targets (MinGW-w64 cross builds with -Werror: the export check,
# the suite as a program and as two kernel drivers, under Wine).
# Ends with "N passed, N failed, N skipped" (meson tests, added up).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/tools/setup.sh" host || exit 1

out="$top/build/test-logs"
mkdir -p "$out"
passed=0 failed=0 skipped=0

record() { # name status
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "PASS: $1"; else failed=$((failed + 1)); echo "FAIL: $1"; fi
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
    local ok fail skip
    ok=$(awk '/^Ok:/ {print $2}' "$log" | tail -n 1)
    skip=$(awk '/^Skipped:/ {print $2}' "$log" | tail -n 1)
    skipped=$((skipped + ${skip:-0}))
    grep -h "^SKIP" "$dir/meson-logs/testlog.txt" 2>/dev/null | sort -u | sed 's/^/   /'
    fail=$(awk '/^(Fail|Timeout|Unexpected Pass):/ {n += $3 == "" ? $2 : $3} END {print n + 0}' "$log")
    passed=$((passed + ${ok:-0})); failed=$((failed + ${fail:-0}))
    if [ "$status" -ne 0 ] && [ "${fail:-0}" -eq 0 ]; then
        tail -n 30 "$log"; record "$name (meson test)" 1
    fi
}

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 TSAN_OPTIONS=halt_on_error=1
export CC=gcc
meson_suite gcc --werror
meson_suite checked --werror -Dchecked=true
meson_suite asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
meson_suite tsan -Db_sanitize=thread -Dbuildtype=debug
CC=clang meson_suite clang --werror

# The installed library, from an outside program.
"$top/tools/check-install.sh" >"$out/install.log" 2>&1
status=$?
tail -n 3 "$out/install.log" | sed 's/^/   /'
record "install: outside program through pkg-config" $status

# The Windows targets.
if "$top/tools/setup.sh" windows; then
    "$top/tools/setup.sh" wine32 || echo "   SKIP: the i686 runs (no 32-bit Wine)"
    for triple in x86_64-w64-mingw32 i686-w64-mingw32; do
        meson_suite $triple --werror --cross-file "$top/tools/cross/$triple.ini"
        "$top/tools/check-install.sh" $triple >"$out/install-$triple.log" 2>&1
        status=$?
        tail -n 1 "$out/install-$triple.log" | sed 's/^/   /'
        record "install: $triple drivers through pkg-config" $status
    done
else
    record "Windows targets: MinGW-w64 and Wine could not be installed" 1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
