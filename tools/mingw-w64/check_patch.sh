#!/bin/bash
# Checks the mingw-w64 patches in this directory against Debian's mingw-w64
# source package: fetches and unpacks the source of the installed MinGW-w64
# version (tools/wine/debian_source.sh, through a private apt configuration;
# /etc/apt and dpkg's state are not touched), checks that each patch applies with
# `git apply --check` and `patch -p1 --dry-run`, and then runs the
# ntoskrnl-implib test of each given i686 build directory against the whole
# patched lib32/ntoskrnl.def instead of the test's excerpt.
#
#   tools/mingw-w64/check_patch.sh [BUILD_DIR...]
#
# The unpacked tree stays in $NTRUNDOWN_MINGW_W64_DIR (default
# /var/tmp/ntrundown-mingw-w64); a later run reuses it.  For the test alone:
#   NTRUNDOWN_MINGW_W64_SOURCE=/var/tmp/ntrundown-mingw-w64/mingw-w64-VERSION \
#       meson test -C BUILD_DIR ntoskrnl-implib -v
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
DIR=${NTRUNDOWN_MINGW_W64_DIR:-/var/tmp/ntrundown-mingw-w64}
ME=check-patch

log() { echo "$ME: $*"; }
die() { echo "$ME: ERROR: $*" >&2; exit 1; }

command -v apt-get >/dev/null && command -v dpkg-query >/dev/null || die "needs a Debian system with apt-get"
case "$DIR" in /*) ;; *) die "NTRUNDOWN_MINGW_W64_DIR must be an absolute path" ;; esac

# The version of the installed MinGW-w64 (headers and import libraries), so
# that the source is the one the installed libntoskrnl.a was made from.
version=$(dpkg-query -W -f='${Version}' mingw-w64-common 2>/dev/null || true)

upstream=${version%%-*}
src="$DIR/mingw-w64-$upstream"
if [ -z "$version" ] || [ ! -f "$src/.ntrundown-debian-version" ] || [ "$(cat "$src/.ntrundown-debian-version")" != "$version" ]; then
    work=$(mktemp -d /var/tmp/ntrundown-mingw-w64-apt.XXXXXX)
    trap 'rm -rf "$work"' EXIT
    mkdir -p "$work/download"
    log "fetching the source of mingw-w64 ${version:-(newest)}"
    dsc=$("$here/../wine/debian_source.sh" mingw-w64 "$version" "$work/download") || die "cannot fetch mingw-w64's source"
    version=${version:-$(awk '/^Version:/ {print $2}' "$dsc")}
    upstream=${version%%-*}
    src="$DIR/mingw-w64-$upstream"
    mkdir -p "$DIR"
    rm -rf "$src"
    if command -v dpkg-source >/dev/null; then
        # (apt has checked the files against the signed index; dpkg-source
        # only says that it has no key for the uploader's signature)
        dpkg-source -q -x "$dsc" "$src" >"$work/dpkg-source.log" 2>&1 \
            || { cat "$work/dpkg-source.log" >&2; die "dpkg-source -x failed"; }
        rm -f "$DIR"/mingw-w64_"$upstream".orig.tar.*   # dpkg-source's copy beside the tree
    else
        # Without dpkg-dev: the upstream tarball, after checking that no
        # Debian patch touches a file that the patches here change.
        log "dpkg-source not found (dpkg-dev); unpacking the upstream tarball"
        mkdir -p "$src"
        for t in "$work/download"/mingw-w64_"$upstream".orig.tar.* "$work/download"/mingw-w64_"$version".debian.tar.*; do
            case "$t" in *.asc) continue ;; *.orig.*) strip=1 ;; *) strip=0 ;; esac
            tar -xf "$t" -C "$src" --strip-components=$strip
        done
        for f in $(sed -n 's|^+++ b/||p' "$here"/*.patch | sort -u); do
            ! grep -rqs -- "$f" "$src/debian/patches" || die "a Debian patch touches $f; install dpkg-dev"
        done
    fi
    echo "$version" >"$src/.ntrundown-debian-version"
fi
log "Debian mingw-w64 $version, unpacked in $src"

for p in "$here"/*.patch; do
    name=$(basename "$p")
    if command -v git >/dev/null; then
        (cd "$src" && git apply --check "$p") || die "$name: git apply --check failed"
        log "$name: git apply --check: ok"
    fi
    if command -v patch >/dev/null; then
        (cd "$src" && patch -p1 --dry-run --quiet <"$p") || die "$name: patch -p1 --dry-run failed"
        log "$name: patch -p1 --dry-run: ok"
    fi
done

for build in "$@"; do
    log "$build: meson test ntoskrnl-implib against $src/mingw-w64-crt/lib32/ntoskrnl.def"
    NTRUNDOWN_MINGW_W64_SOURCE=$src meson test -C "$build" ntoskrnl-implib --print-errorlogs
    grep -E '^(\(c\)|ok: \(c\) .*excerpt|FAILED)' "$build/meson-logs/testlog.txt" | sed "s|^|$ME:   |"
done
