#!/bin/bash
# tools/wine/source.sh [--check] VERSION DEST
#
# Fetches Debian's source package of Wine VERSION (e.g. 8.0, Debian's
# 8.0~repack-N; the installed wine's revision when it matches) and prepares a
# pristine, buildable tree in DEST (e.g. build/wine/8.0/src): Debian's patches
# applied, the generated files that Debian's repack drops regenerated, and
# empty stand-ins for the rest.  Done once: DEST/.ntrundown-wine-source marks
# a complete tree, and a re-run with it present does nothing.
#
#   --check   only tell whether DEST holds a complete tree (exit 0) or not (1)
#
# The download is tools/wine/debian_source.sh's, through a private apt
# configuration: /etc/apt and dpkg's state are not touched.  The .dsc and
# tarballs stay in build/wine/downloads (no network needed once they are
# there for the installed wine's revision).  NTRUNDOWN_DEBIAN_MIRROR (e.g.
# http://deb.debian.org/debian) replaces the machine's sources.  Versions
# other than 8.0 (bookworm's) come from the suites NTRUNDOWN_DEBIAN_SUITE
# names, by default trixie (10.0; "sid" for sid's newer revision).  Installs
# flex, bison and autoconf with apt-get when they are missing (root).
# Exit 77 when the source package cannot be had here (no network, no such
# version) or packages are missing.
set -euo pipefail
ME=wine-source
. "$(dirname "$0")/common.sh"

check=0
[ "${1:-}" = --check ] && { check=1; shift; }
[ $# -eq 2 ] || usage
version=$1
dest=$(abspath "$2")
stamp="$dest/.ntrundown-wine-source"

if [ -f "$stamp" ] && grep -qx "version=$version" "$stamp"; then
    [ $check = 1 ] && log "$dest: complete Wine $(sed -n 's/^debian=//p' "$stamp") tree"
    exit 0
fi
[ $check = 1 ] && { log "$dest: no complete Wine $version tree"; exit 1; }
[ -e "$dest" ] && die "$dest exists but is not a complete Wine $version tree; remove it first"

start=$SECONDS
need_packages flex bison autoconf dpkg-dev
dl="$top/build/wine/downloads"
logs="$top/build/wine/logs"
mkdir -p "$dl" "$logs"
chmod 755 "$top/build/wine"

# The installed wine's revision when it is of VERSION: no network needed
# when its files are here and match the .dsc's checksums.
debver=$(dpkg-query -W -f='${Version}' libwine 2>/dev/null || true)
case "$debver" in "$version"[~+-]*) ;; *) debver= ;; esac
dsc="$dl/wine_${debver#*:}.dsc"
[ "$version" = 8.0 ] || export NTRUNDOWN_DEBIAN_SUITE=${NTRUNDOWN_DEBIAN_SUITE:-trixie}
if [ -n "$debver" ] && [ -f "$dsc" ] &&
   (cd "$dl" && awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 } on { print $1 "  " $3 }' "$dsc" |
        sha256sum -c --quiet) >/dev/null 2>&1; then
    log "using the downloaded wine $debver source"
else
    dsc=$("$top/tools/wine/debian_source.sh" wine "${debver:-$version}" "$dl") || exit $?
fi

# The revision fetched, as its .dsc says: the installed wine's when it was
# installed already, else the archive's newest of VERSION.
debver=$(sed -n 's/^Version: //p' "$dsc" | head -n 1)
[ -n "$debver" ] || die "$dsc names no version"

new="$dest.new"
rm -rf "$new"
mkdir -p "$(dirname "$dest")"
log "unpacking and applying Debian's patches"
dpkg-source -x "$dsc" "$new" >"$logs/unpack.log" 2>&1 || { tail "$logs/unpack.log" >&2; die "dpkg-source -x failed"; }

cd "$new"
# Generated files that Debian's repack drops and its rules regenerate: the
# rules' generators that need nothing from outside the tree (8.0: the server
# request stubs and make_requests; 10.0: make_requests, which writes
# server/request_*.h too, and make_specfiles for the syscall tables).
log "regenerating the server protocol files, configure and the icon links"
{
    sed -n 's#^\t\./\(debian/scripts/generate .*\|tools/make_requests\|tools/make_specfiles\)$#\1#p' debian/rules |
        while read -r cmd; do $cmd; done
    cp /usr/share/autoconf/build-aux/config.guess /usr/share/autoconf/build-aux/config.sub tools/
    autoreconf -f
} >"$logs/generate.log" 2>&1 || { tail "$logs/generate.log" >&2; die "regenerating files failed (log: $logs/generate.log)"; }
grep -E '^\s+ln -sf \.\./\.\./\S+\.svg \S+$' debian/rules | while read -r _ _ target link; do
    ln -sf "$target" "$link"
done
[ -x configure ] && [ -f include/wine/server_protocol.h ] || die "configure or server_protocol.h was not made"

# Empty stand-ins for the other excluded generated files (vulkan/wgl headers,
# unicode tables, tests/generated.c, nls/*.nls) that makedep wants to see:
# every file named in a Makefile.in's *SRCS/SOURCES list that exists neither
# in its directory nor in its PARENTSRC.  None of them is needed to build
# ntoskrnl.exe and its tests.
find . -name Makefile.in -not -path './debian/*' -not -path './.pc/*' | sort | while read -r mf; do
    dir=${mf%/Makefile.in}
    parent=$(sed -n 's/^PARENTSRC[ \t]*=[ \t]*//p' "$mf")
    awk '/^[A-Za-z_0-9]*(SRCS|SOURCES)[ \t]*=/ { on = 1; sub(/^[^=]*=/, "") }
         on { more = sub(/\\[ \t]*$/, ""); n = split($0, w); for (i = 1; i <= n; i++) print w[i]; if (!more) on = 0 }' "$mf" |
    while read -r f; do
        [ -e "$dir/$f" ] || { [ -n "$parent" ] && [ -e "$dir/$parent/$f" ]; } || echo "${dir#./}/$f"
    done
done >.ntrundown-standins
while read -r f; do mkdir -p "$(dirname "$f")"; : >"$f"; done <.ntrundown-standins

printf 'version=%s\ndebian=%s\nmade=%s\n' "$version" "$debver" "$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)" >.ntrundown-wine-source
cd "$top"
mv "$new" "$dest"
log "Wine $debver source ready in $dest ($(wc -l <"$dest/.ntrundown-standins") stand-ins, $(since "$start"))"
