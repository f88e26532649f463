#!/bin/bash
# tools/wine/werror_check.sh SERIES_DIR SRC BUILDROOT
#
# Applies the patches of SERIES_DIR (*.patch, in name order, git apply -p1)
# one at a time to a copy of the pristine Wine tree SRC (made by
# tools/wine/source.sh; for Wine 10.0, 8.0 works too) and after each
# compiles, for the PE targets x86_64 and i386, every C file the patch adds
# or modifies and, for each header it touches, the C files of the header's
# directory, dlls/ntoskrnl.exe and dlls/ntoskrnl.exe/tests that include it
# (makedep's dependencies): by Wine's own makefile rules for them, -Werror
# appended to ARCH_CFLAGS (the end of the command `make -n` shows).  One line
# per patch and architecture.  A patch that git apply refuses is reported
# and applied with patch -p1 (fuzz 2) if that places it, else left out; the
# next ones are still tried.  Exit 1 when a patch does not apply with git
# apply or a file does not compile (the command and its output are shown).
#
# BUILDROOT/src    SRC hard-linked (cp -al); the files the previous run
#                  patched are put back first
# BUILDROOT/build  configure --enable-archs=x86_64,i386 --without-x and every
#                  other --without-FOO, with what the objects of ntoskrnl.exe
#                  and its tests need built (tools, generated headers); made
#                  again only when SRC changes
# BUILDROOT/logs   configure, make and makedep logs
# Environment: NTRUNDOWN_JOBS (default 2).  Installs make, gcc, flex, bison,
# patch and mingw-w64 with apt-get when they are missing (root).
set -euo pipefail
ME=wine-werror-check
. "$(dirname "$0")/common.sh"

[ $# -eq 3 ] || usage
series=$(abspath "$1")
src=$(abspath "$2")
root=$(abspath "$3")
[ -f "$src/.ntrundown-wine-source" ] || die "$src is not a tree made by tools/wine/source.sh"
patches=("$series"/*.patch)
[ -f "${patches[0]}" ] || die "$series holds no *.patch"
jobs=${NTRUNDOWN_JOBS:-2}
archs="x86_64 i386"
need_packages make gcc flex bison patch mingw-w64
tree=$root/src bld=$root/build logs=$root/logs
mkdir -p "$logs"
: >"$logs/makedep.log"

# ------------------------------------------- the configured build tree ---
if ! cmp -s "$src/.ntrundown-wine-source" "$bld/.ntrundown-wine-source"; then
    start=$SECONDS
    log "configuring a build tree for $src in $bld"
    rm -rf "$tree" "$bld"
    cp -al "$src" "$tree" 2>/dev/null || cp -a "$src" "$tree"
    : >"$root/patched"
    mkdir -p "$bld"
    without=$(cd "$tree" && ./configure --help | grep -oE -- '--without-[a-z0-9]+' | grep -vxE -- '--without-(mingw|pthread)' | sort -u)
    # Upstream's PE flags: some Debian revisions (sid's) make configure take
    # the PE CFLAGS from dpkg-buildflags and add -Wb,--verbose to the PE
    # LDFLAGS, which fails every PE flag test (no warning flags at all).
    # shellcheck disable=SC2086 # one word per option
    (cd "$bld" && ../src/configure -q --enable-archs=x86_64,i386 --without-x $without \
        x86_64_CFLAGS="-g -O2" i386_CFLAGS="-g -O2" x86_64_LDFLAGS= i386_LDFLAGS=) >"$logs/configure.log" 2>&1 ||
        { tail "$logs/configure.log" >&2; die "configure failed (log: $logs/configure.log)"; }
    for arch in $archs; do
        grep -q "^${arch}_EXTRACFLAGS = .*-Wdeclaration-after-statement" "$bld/Makefile" ||
            die "configure found no PE warning flags for $arch (log: $bld/config.log)"
    done
    log "configured ($(since "$start")); building the tools and headers ntoskrnl.exe's objects need"
    start=$SECONDS
    # Wine 8.0's makefile runs bison twice per grammar (a race under -j, see
    # tools/wine/build.sh): its grammars one at a time first.  10.0's does not.
    grammars=$(grep -oE '^tools/[^ :]+\.tab\.h: [^ ]+\.y$' "$bld/Makefile" | cut -d: -f1) || true
    objs=$(grep -oE '^dlls/ntoskrnl\.exe/(tests/)?(x86_64|i386)-windows/[^ :]+\.o:' "$bld/Makefile" | tr -d :)
    # shellcheck disable=SC2086 # one word per target
    { [ -z "$grammars" ] || make -C "$bld" -j1 $grammars; } >"$logs/make.log" 2>&1 &&
        make -C "$bld" -j"$jobs" $objs >>"$logs/make.log" 2>&1 ||
        { grep -E 'error|Error' "$logs/make.log" | head -n 20 >&2; die "building stock Wine's ntoskrnl.exe objects failed (log: $logs/make.log)"; }
    cp "$src/.ntrundown-wine-source" "$bld/"
    log "stock objects built ($(since "$start"))"
fi

# The makefile, made again by makedep (new sources, changed #includes).
remake() { (cd "$bld" && ./config.status Makefile) >>"$logs/makedep.log" 2>&1 || die "makedep failed (log: $logs/makedep.log)"; }

# Put back what the previous run patched.
if [ -s "$root/patched" ]; then
    while read -r f; do
        rm -f "$tree/$f"
        if [ -e "$src/$f" ]; then mkdir -p "$(dirname "$tree/$f")"; cp -p "$src/$f" "$tree/$f"; fi
    done <"$root/patched"
    : >"$root/patched"
    remake
fi

# The PE objects of ARCH made from the C files (paths in the tree) given on
# stdin, one per line.
objects() {
    awk -v arch="$1" 'NR == FNR { want["../src/" $0] = 1; next }
        $1 ~ ("/" arch "-windows/[^/]*\\.o:$") && NF == 2 && ($2 in want) { print substr($1, 1, length($1) - 1) }' - "$bld/Makefile"
}
# The C files of DIRS (dlls/ntoskrnl.exe ...) whose ARCH objects depend on HEADER.
users() {
    local arch=$1 header=$2; shift 2
    local dirs; dirs=$(printf '%s\n' "$@" | sed 's/[.]/[.]/g' | paste -sd '|')
    awk -v re="^($dirs)/$arch-windows/[^/]*\\.o\$" -v h="../src/$header" '
        /^[^\t#][^:]*: / { n = index($0, ": "); split(substr($0, 1, n - 1), t, " ")
            if (index(" " substr($0, n + 2) " ", " " h " ")) for (i in t) if (t[i] ~ re) print t[i] }' "$bld/Makefile" |
    sort -u | while read -r o; do
        awk -v o="$o:" '$1 == o && NF == 2 { print substr($2, 8) }' "$bld/Makefile"
    done
}

failed=0
for p in "${patches[@]}"; do
    name=$(basename "$p")
    files=$(sed -n 's|^diff --git a/[^ ]* b/\([^ ]*\)$|\1|p' "$p" | sort -u)
    if grep -qxE 'configure\.ac|aclocal\.m4' <<<"$files"; then die "$name changes configure.ac: not supported here"; fi
    printf '%s\n' "$files" >>"$root/patched"
    if ! out=$(cd "$tree" && GIT_CEILING_DIRECTORIES=$root git apply -p1 --whitespace=nowarn "$p" 2>&1); then
        failed=$((failed + 1))
        echo "$name: does not apply (git apply)"; echo "$out" | sed 's/^/    /'
        # patch -p1 (fuzz 2) may place it still: then its files are compiled.
        if ! (cd "$tree" && patch -p1 -f -s --dry-run <"$p") >/dev/null 2>&1; then echo "    nor with patch -p1: left out"; continue; fi
        (cd "$tree" && patch -p1 -f --no-backup-if-mismatch <"$p") |
            awk '/^patching file/ { f = $3 } /fuzz/ { print "    applied with patch -p1: " f ": " $0 }'
    fi
    # git apply writes new files: none may still be a hard link into SRC.
    while read -r f; do
        [ ! -e "$tree/$f" ] || [ "$(stat -c %h "$tree/$f")" = 1 ] || die "$f is still hard-linked to $src (written in place?): remake SRC"
    done <<<"$files"
    if grep -qE '^(\+\+\+ b/.*Makefile\.in|[-+][ \t]*#[ \t]*include|new file mode)' "$p"; then remake; fi
    for arch in $archs; do
        objs=$({ grep -E '\.c$' <<<"$files" || true
                 for h in $(grep -E '\.h$' <<<"$files"); do
                     if [ -e "$tree/$h" ]; then users "$arch" "$h" "$(dirname "$h")" dlls/ntoskrnl.exe dlls/ntoskrnl.exe/tests; fi
                 done; } | sort -u | while read -r f; do if [ -e "$tree/$f" ]; then echo "$f"; fi; done | objects "$arch")
        n=$(grep -c . <<<"$objs" || true)
        [ "$n" -gt 0 ] || { echo "$name $arch: 0 files"; continue; }
        # Wine's own rules, with -Werror after the flags ${arch}_CFLAGS ends them with.
        cflags="$(sed -n "s/^${arch}_CFLAGS = //p" "$bld/Makefile") -Werror"
        # shellcheck disable=SC2086 # one word per object
        (cd "$bld" && rm -f $objs)
        # shellcheck disable=SC2086
        out=$(make -C "$bld" -s -k -O --no-print-directory -j"$jobs" "${arch}_CFLAGS=$cflags" $objs 2>&1 </dev/null) || true
        bad=$(for o in $objs; do [ -e "$bld/$o" ] || echo "$o"; done)
        if [ -z "$bad" ]; then echo "$name $arch: $n files ok"; continue; fi
        failed=$((failed + 1))
        echo "$name $arch: $(grep -c . <<<"$bad") of $n files FAILED:"
        # shellcheck disable=SC2086
        make -C "$bld" -s -n --no-print-directory "${arch}_CFLAGS=$cflags" $bad </dev/null | sed 's/^/    /'
        grep -v '^make: \*\*\*' <<<"$out" | sed 's/^/    /'
    done
done
[ $failed -eq 0 ] || { log "$failed failure(s) in ${#patches[@]} patch(es)"; exit 1; }
log "all ${#patches[@]} patch(es) compile with -Werror"
