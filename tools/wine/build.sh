#!/bin/bash
# tools/wine/build.sh SRC SERIES_DIR BUILDROOT
#
# Builds Wine's ntoskrnl.exe and its test program (dlls/ntoskrnl.exe/tests)
# for x86_64 and i386 from SRC (a tree made by tools/wine/source.sh) with the
# patch series SERIES_DIR applied: its NNNN-*.patch files in order (git
# format-patch output, applied with git apply -p1).  SERIES_DIR '-' or ''
# (or a directory without patches) builds stock Wine.
#
# BUILDROOT/src-patched  SRC hard-linked (cp -al), series applied; refreshed
#                        only when the series changes: the files the previous
#                        series touched are put back, the new one is applied,
#                        and files that end up as they were keep their mtime
# BUILDROOT/x86_64       build directory, configure --enable-win64 (and
#                        --enable-werror, as for every arch)
# BUILDROOT/i386         build directory, configure --enable-archs=i386,x86_64
#                        (a WoW64-style build: i386 PE files, no 32-bit host
#                        libraries needed)
# BUILDROOT/out/ARCH/    symlinks to the results: ntoskrnl.exe,
#                        ntoskrnl.exe_test.exe (which carries the test drivers
#                        driver*.dll as resources) and the driver*.dll
# BUILDROOT/logs/        configure and make logs
# Configure runs once per build directory (again only when SRC or configure
# changes); make is incremental.  Environment: NTRUNDOWN_WINE_ARCHS (default
# "x86_64 i386"), NTRUNDOWN_JOBS (default nproc).
# Exit 1 when the series does not apply or the build fails.
set -euo pipefail
ME=wine-build
. "$(dirname "$0")/common.sh"

[ $# -eq 3 ] || usage
src=$(abspath "$1")
series=${2:-}
root=$(abspath "$3")
[ -f "$src/.ntrundown-wine-source" ] || die "$src is not a tree made by tools/wine/source.sh"
[ "$series" = - ] && series=
[ -z "$series" ] || series=$(abspath "$series")
[ -z "$series" ] || [ -d "$series" ] || die "$series: no such directory"
archs=${NTRUNDOWN_WINE_ARCHS:-x86_64 i386}
jobs=${NTRUNDOWN_JOBS:-$(nproc)}
need_packages flex bison autoconf
command -v x86_64-w64-mingw32-gcc >/dev/null && command -v i686-w64-mingw32-gcc >/dev/null ||
    skip "MinGW-w64 is missing (apt-get install mingw-w64)"

patched=$root/src-patched
state=$root/series
mkdir -p "$root/logs" "$state"

patches=()
if [ -n "$series" ]; then
    for p in "$series"/[0-9][0-9][0-9][0-9]-*.patch; do [ -f "$p" ] && patches+=("$p"); done
fi
series_id=$(for p in "${patches[@]}"; do basename "$p"; sha256sum <"$p"; done | sha256sum | cut -c1-16)
[ ${#patches[@]} -gt 0 ] || series_id=stock

# -------------------------------------------------- the patched source ---
# A new pristine SRC (another stamp) means starting again.
if [ ! -f "$patched/.ntrundown-wine-source" ] || ! cmp -s "$src/.ntrundown-wine-source" "$patched/.ntrundown-wine-source"; then
    log "linking $src into $patched"
    rm -rf "$patched" "$state" "$root/x86_64" "$root/i386"
    mkdir -p "$state"
    cp -al "$src" "$patched" 2>/dev/null || cp -a "$src" "$patched"
    : >"$state/files"
    echo stock >"$state/applied"
fi
# The files patches touch (the a/ and b/ names of their diffs).
touched() {
    sed -n -e 's|^diff --git a/\([^ ]*\) b/\([^ ]*\)$|\1\n\2|p' \
           -e 's|^--- a/\([^\t ]*\).*|\1|p' -e 's|^+++ b/\([^\t ]*\).*|\1|p' "$@" | sort -u
}

if [ "$(cat "$state/applied" 2>/dev/null)" != "$series_id" ]; then
    start=$SECONDS
    rm -rf "$root/out"   # no stale results while the source changes
    # Put back what the previous series touched, keeping copies to compare.
    rm -rf "$state/prev"
    while read -r f; do
        if [ -e "$patched/$f" ]; then mkdir -p "$state/prev/$(dirname "$f")"; cp -p "$patched/$f" "$state/prev/$f"; fi
        rm -f "$patched/$f"
        if [ -e "$src/$f" ]; then cp "$src/$f" "$patched/$f"; fi
    done <"$state/files"
    # From here on, files lists what the new series touches (also when it
    # fails half-way), and union also what the previous one did.
    if [ ${#patches[@]} -gt 0 ]; then touched "${patches[@]}" >"$state/files.new"; else : >"$state/files.new"; fi
    sort -u "$state/files" "$state/files.new" >"$state/union"
    mv "$state/files.new" "$state/files"
    echo none >"$state/applied"
    for p in "${patches[@]}"; do
        # GIT_CEILING_DIRECTORIES: BUILDROOT may lie inside a git work tree,
        # where git apply would take paths relative to that repository.
        if ! out=$(cd "$patched" && GIT_CEILING_DIRECTORIES=$root git apply -p1 --whitespace=nowarn "$p" 2>&1); then
            echo "$out" | head -n 10 >&2
            die "patch $(basename "$p") does not apply to Wine $(sed -n 's/^debian=//p' "$src/.ntrundown-wine-source")"
        fi
    done
    # Files that end up as they were keep their old mtime (no rebuild).  All
    # of them were rewritten (cp, git apply), so none may still be a hard
    # link into SRC: that would mean SRC was written through it.
    while read -r f; do
        [ -e "$patched/$f" ] || continue
        [ "$(stat -c %h "$patched/$f")" = 1 ] || die "$f is still hard-linked to $src (written in place?): remake SRC"
        if [ -e "$state/prev/$f" ] && cmp -s "$state/prev/$f" "$patched/$f"; then touch -r "$state/prev/$f" "$patched/$f"; fi
    done <"$state/union"
    # A series that changes configure.ac needs configure made again (and
    # configure is then put back with the series' other files).
    if ! cmp -s "$src/configure.ac" "$patched/configure.ac" || ! cmp -s "$src/aclocal.m4" "$patched/aclocal.m4"; then
        log "the series changes configure.ac: running autoreconf"
        printf '%s\n' configure include/config.h.in >>"$state/files"
        for f in configure include/config.h.in; do cp --remove-destination "$src/$f" "$patched/$f"; done
        (cd "$patched" && autoreconf -f && rm -rf autom4te.cache) >"$root/logs/autoreconf.log" 2>&1 ||
            { tail "$root/logs/autoreconf.log" >&2; die "autoreconf failed"; }
    fi
    echo "$series_id" >"$state/applied"
    if [ ${#patches[@]} -eq 0 ]; then
        log "stock Wine source in $patched ($(since "$start"))"
    else
        log "applied ${#patches[@]} patch(es) from $series ($(since "$start"))"
    fi
fi

# ------------------------------------------------ configure and build ---
without=$(cd "$patched" && ./configure --help | grep -oE -- '--without-[a-z0-9]+' | grep -vxE -- '--without-(mingw|pthread)' | sort -u | tr '\n' ' ')
confsum=$(sha256sum <"$patched/configure" | cut -c1-16)
for arch in $archs; do
    archdir=$(arch_dir "$arch")
    bld=$root/$arch
    case "$arch" in
    x86_64) opts=(--enable-win64) ;;
    i386)   opts=(--enable-archs=i386,x86_64) ;;
    esac
    # --enable-werror, as Wine's CI builds: a warning in what the series
    # touches fails the build
    opts+=($without --without-x --enable-werror)
    if [ "$(cat "$bld/.ntrundown-configured" 2>/dev/null)" != "$confsum ${opts[*]}" ]; then
        start=$SECONDS
        rm -rf "$bld"; mkdir -p "$bld"
        (cd "$bld" && ../src-patched/configure -q "${opts[@]}") >"$root/logs/configure-$arch.log" 2>&1 ||
            { tail "$root/logs/configure-$arch.log" >&2; die "$arch: configure failed (log: $root/logs/configure-$arch.log)"; }
        echo "$confsum ${opts[*]}" >"$bld/.ntrundown-configured"
        log "$arch: configured ($(since "$start"))"
    fi
    start=$SECONDS
    targets=(dlls/ntoskrnl.exe/$archdir/ntoskrnl.exe dlls/ntoskrnl.exe/tests/$archdir/ntoskrnl.exe_test.exe)
    # Wine 8.0's makefile runs bison twice for a grammar, once for X.tab.h
    # and again for X.tab.c, and the second run rewrites X.tab.h while a
    # parallel job may be compiling the lexer that includes it ("unterminated
    # #ifndef" in tools/widl/parser.tab.h, seen once here): the tools'
    # grammars are generated one at a time first
    grammars=$(grep -oE '^tools/[^ :]+\.tab\.c:' "$bld/Makefile" | tr -d :) || true
    # shellcheck disable=SC2086 # one word per grammar
    { [ -z "$grammars" ] || make -C "$bld" -j1 $grammars; } >"$root/logs/make-$arch.log" 2>&1 &&
    make -C "$bld" -j"$jobs" "${targets[@]}" >>"$root/logs/make-$arch.log" 2>&1 ||
        { grep -E 'error|Error' "$root/logs/make-$arch.log" | head -n 20 >&2; die "$arch: build failed (log: $root/logs/make-$arch.log)"; }
    out=$root/out/$arch
    rm -rf "$out"; mkdir -p "$out"
    for f in "$bld/${targets[0]}" "$bld/${targets[1]}" "$bld/dlls/ntoskrnl.exe/tests/$archdir/"driver*.dll; do
        ln -s "../../${f#"$root/"}" "$out/"
    done
    log "$arch: built ($(since "$start")): $out/ntoskrnl.exe, $out/ntoskrnl.exe_test.exe"
done
