#!/bin/bash
# Installs what a part of the project needs on Debian 12, or says what to
# install.  Does nothing when everything is there.
#
# usage: tools/suite/setup.sh host     the host build and tests (required)
#        tools/suite/setup.sh windows  MinGW-w64 and Wine, for the Windows targets
#        tools/suite/setup.sh wine32   32-bit Wine, for running the i386 target
#                                      (tools/wine/install_wine32.sh; optional):
#                                      exit status 77, and no download, on a
#                                      machine that cannot run 32-bit programs
#                                      (tools/wine/can_run_32bit.sh), 1 when it
#                                      could not be installed
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)

case "${1:-host}" in
host)    packages=(gcc clang meson ninja-build pkg-config python3 libc6-dev) ;;
windows) packages=(mingw-w64 wine wine64 osslsigncode) ;;
wine32)
    why=$("$top/tools/wine/can_run_32bit.sh")
    if [ $? = 1 ]; then
        echo "setup: $why; no 32-bit Wine can run here, so none is downloaded:" \
             "the i386 target is built and checked but not run" >&2
        exit 77
    fi
    "$top/tools/wine/install_wine32.sh" --check >/dev/null 2>&1 && exit 0
    echo "setup: installing 32-bit Wine (tools/wine/install_wine32.sh)"
    "$top/tools/wine/install_wine32.sh" >"${TMPDIR:-/tmp}/ntrundown-wine32.log" 2>&1 && exit 0
    echo "setup: 32-bit Wine could not be installed (see ${TMPDIR:-/tmp}/ntrundown-wine32.log);" \
         "the i386 target is built and checked but not run" >&2
    exit 1 ;;
*) echo "usage: $0 host|windows|wine32" >&2; exit 2 ;;
esac

missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "setup: cannot install packages here; install them first: apt-get install ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || { echo "setup: apt-get update failed; install by hand: ${missing[*]}" >&2; exit 1; }
apt-get install -y -qq "${missing[@]}" >/dev/null || {
    echo "setup: apt-get install failed; install by hand: ${missing[*]}" >&2; exit 1; }
