#!/bin/sh
# Runs a Windows program under Wine: the exe_wrapper of the cross builds
# (tools/cross/*.ini) and the runner behind tools/suite/run_winetest.py.
#
# Usage: tools/wine/run.sh PROGRAM.exe [ARGUMENTS...]
#
# - The Wine prefix is private: $NTRUNDOWN_WINEPREFIX, else wineprefix/ in
#   the meson build directory ($MESON_BUILD_ROOT, or the directory above
#   the program that holds meson-private/), else
#   ${XDG_CACHE_HOME:-~/.cache}/ntrundown/wineprefix.  The first run creates
#   it with wineboot, under a lock, so that parallel tests do not race.
# - WINEDEBUG=-all unless set; Mono and Gecko are disabled, so that no
#   installer prompts; DISPLAY is unset, nothing needs a screen.
# - 64-bit programs run with /usr/lib/wine/wine64 when it exists (Debian's
#   wine script would complain about a missing wine32), else wine64 or wine.
# - 32-bit programs need a 32-bit Wine ($NTRUNDOWN_WINE32, Debian's wine32,
#   or the tree that tools/wine/install_wine32.sh makes): without one this prints
#   "SKIP: 32-bit Wine (wine32) is not installed" and exits 77, meson's code
#   for a skipped test.  On a machine whose kernel cannot run 32-bit
#   programs at all (tools/wine/can_run_32bit.sh) it prints "SKIP: this machine
#   cannot run 32-bit programs" instead, whatever Wine is installed.  (Meson's compiler check at setup, which runs its
#   sanitycheck program through this wrapper, is let through with status 0,
#   just as meson itself skips the check when there is no exe_wrapper.)
# - The exit status is the program's, as Wine passes it on (its low 8 bits).
#   Wine also exits 0 when it cannot start the program at all: callers that
#   need proof of a run look for the program's output, as run_winetest.py
#   does.
#
# Environment: NTRUNDOWN_WINE (the Wine loader to use for every program),
# NTRUNDOWN_WINE32 (the one for 32-bit programs), NTRUNDOWN_WINE32_DIR,
# NTRUNDOWN_WINEPREFIX, NTRUNDOWN_WINESERVER_PERSIST, WINEDEBUG,
# WINEDLLOVERRIDES (added to ours).

set -u

if [ $# -lt 1 ]; then
    echo "usage: $0 PROGRAM.exe [ARGUMENTS...]" >&2
    exit 2
fi
prog=$1
shift
if [ ! -f "$prog" ]; then
    echo "wine-run: $prog: no such file" >&2
    exit 127
fi

# The machine field of the PE header: 8664 (x64), 14c (i386), or empty.
pe_machine() {
    file=$1
    # shellcheck disable=SC2046
    set -- $(od -An -t u1 -N 64 "$file" 2>/dev/null)
    [ $# -eq 64 ] && [ "$1" -eq 77 ] && [ "$2" -eq 90 ] || return 0         # "MZ"
    shift 60
    off=$(( $1 + $2 * 256 + $3 * 65536 + $4 * 16777216 ))
    # shellcheck disable=SC2046
    set -- $(od -An -t u1 -j "$off" -N 6 "$file" 2>/dev/null)
    [ $# -eq 6 ] && [ "$1" -eq 80 ] && [ "$2" -eq 69 ] && [ "$3" -eq 0 ] && [ "$4" -eq 0 ] || return 0  # "PE\0\0"
    printf '%x\n' $(( $5 + $6 * 256 ))
}

is_elf() {
    [ "$(od -An -c -N 4 "$1" 2>/dev/null | tr -d ' ')" = '177ELF' ]
}

first_executable() {
    for candidate in "$@"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

case "$prog" in
    */meson-private/sanitycheck*.exe) sanity_check=1 ;;
    *) sanity_check=0 ;;
esac

skip() {
    if [ "$sanity_check" = 1 ]; then
        echo "wine-run: $1; letting meson's compiler check pass without running $prog" >&2
        exit 0
    fi
    echo "SKIP: $1"
    exit 77
}

machine=$(pe_machine "$prog")
if [ "$machine" = 14c ]; then
    "$(dirname "$0")/can_run_32bit.sh" -q
    [ $? != 1 ] || skip "this machine cannot run 32-bit programs"
fi
loader=
if [ -n "${NTRUNDOWN_WINE:-}" ]; then
    loader=$NTRUNDOWN_WINE
elif [ "$machine" = 14c ]; then
    # $NTRUNDOWN_WINE32; Debian's wine32 package; the private tree of
    # tools/wine/install_wine32.sh; on other layouts, a wine on PATH that is a
    # loader, not Debian's script
    loader=$(first_executable "${NTRUNDOWN_WINE32:-}" /usr/lib/wine/wine \
                              "${NTRUNDOWN_WINE32_DIR:-/opt/ntrundown-wine32}/bin/wine") || loader=
    if [ -z "$loader" ] && [ ! -e /usr/lib/wine/wine64 ]; then
        wine=$(command -v wine 2>/dev/null) || wine=
        if [ -n "$wine" ] && is_elf "$wine"; then loader=$wine; fi
    fi
    [ -n "$loader" ] || skip "32-bit Wine (wine32) is not installed"
else
    loader=$(first_executable /usr/lib/wine/wine64 "$(command -v wine64 2>/dev/null)" \
                              "$(command -v wine 2>/dev/null)") || loader=
    [ -n "$loader" ] || skip "Wine is not installed"
fi

# The private prefix.
if [ -n "${NTRUNDOWN_WINEPREFIX:-}" ]; then
    prefix=$NTRUNDOWN_WINEPREFIX
elif [ -n "${MESON_BUILD_ROOT:-}" ]; then
    prefix=$MESON_BUILD_ROOT/wineprefix
else
    prefix=
    d=$(cd "$(dirname "$prog")" 2>/dev/null && pwd -P) || d=
    while [ -n "$d" ] && [ "$d" != / ]; do
        if [ -d "$d/meson-private" ]; then prefix=$d/wineprefix; break; fi
        d=$(dirname "$d")
    done
    [ -n "$prefix" ] || prefix=${XDG_CACHE_HOME:-$HOME/.cache}/ntrundown/wineprefix
fi
case "$prefix" in
    /*) ;;
    *) prefix=$(pwd -P)/$prefix ;;
esac

export WINEPREFIX="$prefix"
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="mscoree,mshtml=${WINEDLLOVERRIDES:+;$WINEDLLOVERRIDES}"
unset DISPLAY WAYLAND_DISPLAY

wineserver=$(first_executable "$(dirname "$loader")/wineserver" /usr/lib/wine/wineserver \
                              "$(command -v wineserver 2>/dev/null)") || wineserver=

# Creates the prefix once.  The lock's descriptor is closed for Wine's
# processes: wineserver outlives this script and would hold the lock.
init_prefix() {
    [ -f "$prefix/.ntrundown-ready" ] && return 0
    log=$prefix.log
    if ! "$loader" wineboot -i 9>&- >"$log" 2>&1; then
        echo "wine-run: wineboot -i failed for $prefix; see $log:" >&2
        tail -n 20 "$log" >&2
        return 1
    fi
    # wineboot returns before everything it started has settled
    if [ -n "$wineserver" ]; then "$wineserver" -w 9>&- >>"$log" 2>&1; fi
    touch "$prefix/.ntrundown-ready"
}

# Starts Wine's session for the prefix unless it is running: a wineserver
# that stays NTRUNDOWN_WINESERVER_PERSIST seconds (default 10) after the last
# program, and the system processes (services.exe and the rest), which the
# first program of a session starts and which inherit its Unix stderr.  Were
# the program under test that first program, the system processes would hold
# the caller's stderr pipe open until the session ends, and a caller that
# reads the pipe to its end (meson test, check_selftest.py) would wait for
# that.  Started here, they get /dev/null instead.
start_session() {
    [ -n "$wineserver" ] || return 0
    if "$wineserver" -p"${NTRUNDOWN_WINESERVER_PERSIST:-10}" 9>&- </dev/null >/dev/null 2>&1; then
        "$loader" cmd.exe /c exit 0 9>&- </dev/null >/dev/null 2>&1
    fi
    return 0
}

mkdir -p "$(dirname "$prefix")" || exit 99
if command -v flock >/dev/null 2>&1; then
    exec 9>"$prefix.lock"
    flock 9 || exit 99
    init_prefix || exit 99
    start_session
    exec 9>&-
else
    init_prefix || exit 99
    start_session
fi

exec "$loader" "$prog" "$@"
