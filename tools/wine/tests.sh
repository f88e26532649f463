#!/bin/bash
# tools/wine/tests.sh run BUILDROOT [ARCH...]
# tools/wine/tests.sh compare STOCK_BUILDROOT PATCHED_BUILDROOT [ARCH...]
#
# run: runs Wine's own dlls/ntoskrnl.exe/tests, as built by tools/wine/build.sh
# in BUILDROOT, against that build's ntoskrnl.exe: for each ARCH (default
# "x86_64 i386") it makes the Wine tree BUILDROOT/tree-ARCH
# (tools/wine/tree.sh), a fresh copy BUILDROOT/prefix-ARCH of a pristine
# prefix build/wine/prefixes/ARCH made once (win64 for x86_64, WINEARCH=win32
# for i386, where 32-bit drivers load), proves with
# tools/wine/ntoskrnl_probe.c that a Wine process of that tree maps exactly
# that ntoskrnl.exe, then runs every test unit of ntoskrnl.exe_test.exe with a
# timeout and prints one line per unit:
#   ARCH UNIT: N executed, N todo, N failures (K known flaky), N skipped [ok|FAILED] (T s)
# (executed/todo/skipped added up over the summary lines of the test program
# and of its drivers; failures are the test program's, which include the
# drivers').  A unit whose test program prints no summary line of its own
# (Wine exits 0 when it cannot start a program), that times out or whose exit
# status disagrees with its summary fails.  Logs: BUILDROOT/tests/ARCH/UNIT.log;
# the working prefix is removed after a run without failures (kept with
# NTRUNDOWN_WINE_KEEP_PREFIX=1).
# Exit 0 when every unit passed except for known-flaky failures, 1 otherwise,
# 77 when no ARCH could run (e.g. no 32-bit Wine, or i386 on a machine that
# cannot run 32-bit programs: tools/wine/can_run_32bit.sh).
#
# compare: from the logs of two earlier runs, lists per unit the failures of
# the patched run that the stock run does not have (matched by file:line, or
# by file and message with numbers masked, so that patched test sources may
# shift lines), the known-flaky ones separately, and the failures the patch
# removed.  Exit 1 when there is a new failure or a missing summary, or
# when an ARCH has no results (its run failed before the tests), 77 when
# every ARCH was skipped by the runs (no Wine for it).
#
# Known flaky (reported as such, never hidden, not counted): the failures
# listed in tools/wine/tests_flaky.txt, which stock Wine 8.0 shows too, such
# as ntoskrnl.c:1563/1579 "got 0 bus arrival messages".
# Environment: NTRUNDOWN_WINE_TEST_TIMEOUT (s per unit, default 300),
# WINEDEBUG (default -all).
set -euo pipefail
ME=wine-tests
. "$(dirname "$0")/common.sh"

timeout=${NTRUNDOWN_WINE_TEST_TIMEOUT:-300}

# failures LOG: one line per failure, "file:line: kind: message".
failures() {
    sed -nE -e 's/^([A-Za-z0-9_.-]+\.[ch]):([0-9]+):[0-9.]* ?(Test failed|Test succeeded inside (flaky )?todo block): ?/\1:\2: \3: /p' \
            -e 's/^[0-9a-f]{4}:[^: ]+:[0-9.]* ?(unhandled exception.*)$/-:0: \1/p' "$1" | tr -d '\r'
}
# flaky ARCH: the known-flaky subset (tools/wine/tests_flaky.txt) of the
# failure lines on stdin.
flaky() {
    local re
    re=$(awk -v a="$1" '!/^#/ && NF >= 2 && ($1 == a || $1 == "*") { sub(/^[^ \t]+[ \t]+/, ""); print }' \
         "$top/tools/wine/tests_flaky.txt" | paste -sd'|')
    if [ -n "$re" ]; then grep -E -- "$re" || true; else cat >/dev/null; fi
}

# summary LOG RC: "executed todo failures skipped" or why there is none (rc 1).
summary() {
    local lines
    lines=$(tr -d '\r' <"$1" | grep -E '^[0-9a-f]{4}:[^: ]+:[0-9.]* ?[0-9]+ tests executed' || true)
    [ -n "$lines" ] || { echo "no summary line"; return 1; }
    # The test program's summary comes last and its failures include the
    # drivers'; its exit status is that count (a crash or a kill differs).
    awk -v rc="$2" '
        { sub(/^[^ ]+ /, ""); gsub(/[^0-9]+/, " "); split($0, v, " ")
          ex += v[1]; todo += v[2]; fail = v[4]; sk += v[5] }
        END { if (rc != fail % 256) { printf "exit status %d, but the last summary line counts %d failures\n", rc, fail; exit 1 }
              printf "%d %d %d %d\n", ex, todo, fail, sk }' <<<"$lines"
}

# probe ARCH TREE WINE: checks that TREE's Wine maps TREE's ntoskrnl.exe.
probe() {
    local arch=$1 tree=$2 wine=$3 exe cc dir pid maps want i
    dir=$top/build/wine/probe; mkdir -p "$dir"
    exe=$dir/probe-$arch.exe
    [ "$arch" = x86_64 ] && cc=x86_64-w64-mingw32-gcc || cc=i686-w64-mingw32-gcc
    if [ ! "$exe" -nt "$top/tools/wine/ntoskrnl_probe.c" ]; then
        "$cc" -O2 -o "$exe" "$top/tools/wine/ntoskrnl_probe.c" || die "cannot build the probe with $cc"
    fi
    rm -f "$dir/in-$arch" "$dir/out-$arch"; mkfifo "$dir/in-$arch"
    "$wine" "$exe" <"$dir/in-$arch" >"$dir/out-$arch" 2>&1 &
    pid=$!
    exec 3>"$dir/in-$arch"
    for i in $(seq 600); do grep -q '^probe: ' "$dir/out-$arch" && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
    maps=$(grep -F ntoskrnl.exe "/proc/$pid/maps" 2>/dev/null | awk '{print $4, $5, $6}' | sort -u || true)
    exec 3>&-
    wait $pid || true
    rm -f "$dir/in-$arch"
    grep -q '^probe: loaded' "$dir/out-$arch" || die "$arch: the probe did not run: $(head -c 300 "$dir/out-$arch")"
    want=$(sed -n 's/^sha256=//p' "$tree/.ntrundown-wine-tree")
    [ "$(wc -l <<<"$maps")" = 1 ] && [ -n "$maps" ] || die "$arch: the probe maps not exactly one ntoskrnl.exe: ${maps:-none}"
    # dev inode path: the tree's own copy, with the expected content.
    [ "$(cut -d' ' -f3 <<<"$maps")" -ef "$tree/$(sed -n 's/^file=//p' "$tree/.ntrundown-wine-tree")" ] ||
        die "$arch: Wine maps $(cut -d' ' -f3 <<<"$maps"), not the tree's ntoskrnl.exe"
    [ "$(sha256sum <"$(cut -d' ' -f3 <<<"$maps")" | cut -d' ' -f1)" = "$want" ] || die "$arch: the mapped ntoskrnl.exe has the wrong content"
    log "$arch: a Wine process of $tree maps $(cut -d' ' -f3 <<<"$maps") (sha256 ${want:0:16}...)"
}

# skip_reason ARCH: why ARCH has no Wine here.
skip_reason() {
    if [ "$1" = i386 ] && { "$top/tools/wine/can_run_32bit.sh" -q; [ $? = 1 ]; }; then
        echo "this machine cannot run 32-bit programs"
    else
        echo "no Wine for $1"
    fi
}

run_arch() {
    local root=$1 arch=$2 tree=$1/tree-$2 res=$1/tests/$2 wine test rc unit units s s0 base built installed total=0 bad=0 kf
    [ -f "$root/out/$arch/ntoskrnl.exe" ] && [ -f "$root/out/$arch/ntoskrnl.exe_test.exe" ] ||
        die "$root/out/$arch has no build (run tools/wine/build.sh)"
    rm -rf "$res"   # no results of an earlier run stand for this one
    # ntoskrnl.exe talks to the installed ntdll and wineserver: same version only.
    built=$(sed -n 's/^debian=//p' "$root/src-patched/.ntrundown-wine-source" 2>/dev/null || true)
    installed=$(dpkg-query -W -f='${Version}' libwine 2>/dev/null || true)
    [ -n "$built" ] || die "$root was built from a Wine source whose Debian revision is not recorded (made by an older tools/wine/source.sh): remove that source tree and run again"
    [ "$built" = "$installed" ] || die "$root was built from Wine $built, but the installed Wine is ${installed:-none}"
    rc=0; "$top/tools/wine/tree.sh" "$arch" "$root/out/$arch/ntoskrnl.exe" "$tree" || rc=$?
    [ $rc = 77 ] && { echo "$arch: SKIP ($(skip_reason "$arch"))"; return 77; }
    [ $rc = 0 ] || die "$arch: cannot make the Wine tree"
    [ "$arch" = x86_64 ] && wine=$tree/bin/wine64 || wine=$tree/bin/wine
    mkdir -p "$root/logs"
    export WINEDEBUG=${WINEDEBUG:--all} WINEDLLOVERRIDES="mscoree,mshtml="
    unset DISPLAY WAYLAND_DISPLAY WINEARCH
    [ "$arch" = i386 ] && export WINEARCH=win32
    # One pristine prefix per arch, made once; every run gets a fresh copy
    # (so that no run sees what an earlier one left: the test's INF file in
    # C:\windows\inf, driver copies in Temp, device keys).
    base=$top/build/wine/prefixes/$arch
    if [ ! -f "$base/system.reg" ]; then
        s=$SECONDS
        rm -rf "$base.new"; mkdir -p "$(dirname "$base")"
        WINEPREFIX=$base.new timeout 600 "$wine" wineboot -i >"$root/logs/wineboot-$arch.log" 2>&1 || true
        WINEPREFIX=$base.new "$tree/bin/wineserver" -w 2>/dev/null || true
        [ -f "$base.new/system.reg" ] || die "$arch: wineboot did not make a prefix (log: $root/logs/wineboot-$arch.log)"
        mv "$base.new" "$base"
        log "$arch: made the prefix $base ($(since $s))"
    fi
    if [ "$arch" = i386 ]; then
        grep -qx '#arch=win32' "$base/system.reg" || die "$base is not a win32 prefix; remove it"
    fi
    export WINEPREFIX=$root/prefix-$arch
    trap "$(printf '%q' "$tree/bin/wineserver") -k 2>/dev/null || true" EXIT
    fresh_prefix() {
        # (also stops a wineserver left from another run, which could still
        # hold another tree's winedevice.exe and with it its ntoskrnl.exe)
        "$tree/bin/wineserver" -k 2>/dev/null || true
        "$tree/bin/wineserver" -w 2>/dev/null || true
        rm -rf "$WINEPREFIX"; cp -a "$base" "$WINEPREFIX"
    }
    fresh_prefix
    probe "$arch" "$tree" "$wine"
    test=$(readlink -f "$root/out/$arch/ntoskrnl.exe_test.exe")
    rm -rf "$res"; mkdir -p "$res"
    cp "$tree/.ntrundown-wine-tree" "$res/tree"
    units=$("$wine" "$test" --list 2>"$res/list.stderr" | tr -d '\r' | sed -n 's/^    //p')
    echo "$units" >"$res/units"
    for unit in $units; do
        # A fresh prefix and wineserver for each unit, so that services.exe
        # and the drivers' winedevice.exe start from it and log into its log.
        fresh_prefix
        s0=$SECONDS; rc=0
        (cd "$res" && timeout -k 10 "$timeout" "$wine" "$test" "$unit") >"$res/$unit.log" 2>&1 || rc=$?
        "$tree/bin/wineserver" -k 2>/dev/null || true
        "$tree/bin/wineserver" -w 2>/dev/null || true
        echo "$rc" >"$res/$unit.rc"
        total=$((total + 1))
        if [ $rc = 124 ] || [ $rc = 137 ]; then
            echo "$arch $unit: timed out after $timeout s [FAILED]"; bad=$((bad + 1)); continue
        fi
        if ! s=$(summary "$res/$unit.log" "$rc"); then
            echo "$arch $unit: $s [FAILED]"; bad=$((bad + 1)); continue
        fi
        set -- $s
        kf=$(failures "$res/$unit.log" | flaky "$arch" | wc -l)
        printf '%s %s: %d executed, %d todo, %d failures%s, %d skipped [%s] (%s)\n' "$arch" "$unit" "$1" "$2" "$3" \
            "$([ "$kf" = 0 ] || echo " ($kf known flaky)")" "$4" "$([ "$3" -le "$kf" ] && echo ok || echo FAILED)" "$(since $s0)"
        failures "$res/$unit.log" | while IFS= read -r f; do
            if [ -n "$(flaky "$arch" <<<"$f")" ]; then echo "    known flaky: $f"; else echo "    $f"; fi
        done
        [ "$3" -le "$kf" ] || bad=$((bad + 1))
    done
    [ $total -gt 0 ] || die "$arch: $test lists no test units"
    # The working prefix (0.6-0.7 GB) stays only for a failure to look into.
    if [ $bad = 0 ] && [ -z "${NTRUNDOWN_WINE_KEEP_PREFIX:-}" ]; then
        "$tree/bin/wineserver" -k 2>/dev/null || true
        "$tree/bin/wineserver" -w 2>/dev/null || true
        rm -rf "$WINEPREFIX"
    fi
    [ $bad = 0 ]
}

# mask: a failure line without its line number, numbers masked.
mask() { sed -E 's/^([^:]+):[0-9]+: /\1: /; s/0x[0-9a-fA-F]+|[0-9a-fA-F]{8,}|[0-9]+/#/g'; }

# new_failures ARCH STOCK_FAILURES PATCHED_FAILURES: the patched failures
# that are not known flaky and match no stock failure by file:line or by
# masked message.
new_failures() {
    local f
    while IFS= read -r f; do
        [ -z "$(flaky "$1" <<<"$f")" ] || continue
        grep -qF -- "${f%%: *}: " "$2" && continue
        mask <"$2" | grep -qxF -- "$(mask <<<"$f")" && continue
        echo "$f"
    done <"$3"
}

compare_arch() {
    local stock=$1/tests/$3 patched=$2/tests/$3 arch=$3 new=0 log unit s0 s1 f fresh gone kf kf0
    [ -d "$stock" ] && [ -d "$patched" ] || { echo "$arch: no results of both runs (do '$0 run' with each first)"; return 1; }
    for f in "$1" "$2"; do
        [ "$(sed -n 's/^sha256=//p' "$f/tests/$arch/tree")" = "$(sha256sum <"$f/out/$arch/ntoskrnl.exe" | cut -d' ' -f1)" ] ||
            echo "$arch: note: the results in $f/tests/$arch are older than its current ntoskrnl.exe"
    done
    for unit in $(cat "$patched/units"); do
        log=$patched/$unit.log
        if ! s1=$(summary "$log" "$(cat "$patched/$unit.rc")"); then echo "$arch $unit: patched: $s1 [FAILED]"; new=1; continue; fi
        [ -f "$stock/$unit.log" ] || { echo "$arch $unit: not in the stock run"; continue; }
        s0=$(summary "$stock/$unit.log" "$(cat "$stock/$unit.rc")") || s0="- - ? -"
        failures "$stock/$unit.log" | sort -u >"$patched/$unit.stock-failures"
        failures "$log" | sort -u >"$patched/$unit.failures"
        fresh=$(new_failures "$arch" "$patched/$unit.stock-failures" "$patched/$unit.failures")
        kf=$(flaky "$arch" <"$patched/$unit.failures")
        kf0=$(flaky "$arch" <"$patched/$unit.stock-failures")
        gone=$(while IFS= read -r f; do
                   [ -z "$(flaky "$arch" <<<"$f")" ] || continue
                   grep -qF -- "${f%%: *}: " "$patched/$unit.failures" || echo "$f"
               done <"$patched/$unit.stock-failures")
        printf '%s %s: stock %s executed, %s failures; patched %s executed, %s failures; %d new failures [%s]\n' \
            "$arch" "$unit" $(cut -d' ' -f1,3 <<<"$s0") $(cut -d' ' -f1,3 <<<"$s1") "$(grep -c . <<<"$fresh" || true)" \
            "$([ -z "$fresh" ] && echo ok || echo FAILED)"
        [ -z "$fresh" ] || { sed 's/^/    new: /' <<<"$fresh"; new=1; }
        [ -z "$kf" ] || sed 's/^/    known flaky (patched run): /' <<<"$kf"
        [ -z "$kf0" ] || sed 's/^/    known flaky (stock run): /' <<<"$kf0"
        [ -z "$gone" ] || sed 's/^/    fails in stock only: /' <<<"$gone"
    done
    return $new
}

cmd=${1:-}; shift || true
case "$cmd" in
run)
    [ $# -ge 1 ] || usage
    root=$(abspath "$1"); shift
    status=0 ran=0
    for arch in ${*:-x86_64 i386}; do
        arch_dir "$arch" >/dev/null
        rm -f "$root/tests/$arch.skipped"
        rc=0; (run_arch "$root" "$arch") || rc=$?
        if [ $rc = 77 ]; then mkdir -p "$root/tests"; : >"$root/tests/$arch.skipped"; continue; fi
        ran=1; [ $rc = 0 ] || status=1
    done
    [ $ran = 1 ] || exit 77
    exit $status ;;
compare)
    [ $# -ge 2 ] || usage
    stock=$(abspath "$1") patched=$(abspath "$2"); shift 2
    status=0 compared=0
    for arch in ${*:-x86_64 i386}; do
        if [ -f "$stock/tests/$arch.skipped" ] || [ -f "$patched/tests/$arch.skipped" ]; then
            echo "$arch: SKIP ($(skip_reason "$arch"))"; continue
        fi
        compared=1
        compare_arch "$stock" "$patched" "$arch" || status=1
    done
    [ $compared = 1 ] || exit 77
    exit $status ;;
*) usage ;;
esac
