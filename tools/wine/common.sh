# Shared helpers of the Wine scripts in tools/wine/ (source, build, tree, tests, ...); sourced, not run.
# Each script sets ME before sourcing this.  Exit codes: 1 = error,
# 2 = usage, 77 = cannot be done on this machine (network, packages, wine32).
# shellcheck shell=bash

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

log()  { echo "$ME: $*"; }
die()  { echo "$ME: ERROR: $*" >&2; exit 1; }
skip() { echo "$ME: SKIP: $*" >&2; exit 77; }
usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }

# Absolute path of $1 (which need not exist yet).
abspath() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

# Seconds since $1 (a value of $SECONDS).
since() { echo "$(( SECONDS - $1 )) s"; }

# need_packages PKG...: installs missing Debian packages with the machine's
# apt-get (root only), as tools/suite/setup.sh does; exit 77 when that cannot be done.
need_packages() {
    local pkg missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null ||
        skip "needs ${missing[*]}; install them first: apt-get install ${missing[*]}"
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
        apt-get update -qq >/dev/null 2>&1 &&
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
            skip "apt-get install ${missing[*]} failed; install them by hand"
    fi
}

# The Windows subdirectory name of an architecture.
arch_dir() {
    case "$1" in
    x86_64) echo x86_64-windows ;;
    i386)   echo i386-windows ;;
    *) die "unknown architecture '$1' (x86_64 or i386)" ;;
    esac
}
