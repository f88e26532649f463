#!/bin/bash
# Installs 32-bit Wine (the i386 half of Debian's wine 8.0) next to the
# installed 64-bit wine64, so that 32-bit MinGW programs and 32-bit kernel
# drivers can run under Wine.  Root only; idempotent; exits 0 only when a
# 32-bit program was seen to run at the end, non-zero with a message otherwise:
# 77 at once, before any download, on a machine whose kernel cannot run
# 32-bit programs (tools/wine/can_run_32bit.sh), where no 32-bit Wine can run.
#
#   tools/wine/install_wine32.sh            install (or check) and verify
#   tools/wine/install_wine32.sh --check    only verify what is installed
#   tools/wine/install_wine32.sh --remove   delete the private tree again
#
# Result: a private tree in $NTRUNDOWN_WINE32_DIR (default /opt/ntrundown-wine32)
# with these front ends, which handle both 32-bit and 64-bit programs:
#   $DIR/bin/wine        like Debian's /usr/bin/wine with wine32 installed:
#                        starts the 32-bit loader, which hands 64-bit programs
#                        to wine64.  A new prefix is win64 (32-bit programs run
#                        through WoW64) unless WINEARCH=win32 is set.
#   $DIR/bin/wine64      the 64-bit loader (same private layout).
#   $DIR/bin/wineserver  the system's wineserver (for -k / -w).
# A win64 prefix must be created by these front ends (or with their
# WINEDLLPATH): one first made by plain /usr/lib/wine/wine64 has an empty
# C:\windows\syswow64 and 32-bit programs then fail with "could not load
# kernel32.dll, status c0000135".  Repair such a prefix with
#   rm -f "$WINEPREFIX/.update-timestamp"; $DIR/bin/wine wineboot -u
# (only the prefix bootstrap, which that file's removal forces, fills syswow64).
# 32-bit kernel drivers: Wine 8's services.exe always loads drivers in the
# 64-bit winedevice.exe of a win64 prefix, so a 32-bit .sys fails there with
# STATUS_INVALID_IMAGE_FORMAT (as on real 64-bit Windows).  Use a 32-bit
# prefix for them: WINEARCH=win32 WINEPREFIX=... $DIR/bin/wine ...  (verified:
# a 32-bit driver started with `sc start` ran its DriverEntry there).
#
# Why a private tree and not `apt-get install wine32:i386`
# ---------------------------------------------------------
# Tried on this project's Debian 12 machines (wine/wine64/libwine
# 8.0~repack-4 amd64, mirror deb.debian.org, 2026-11):
#  1. `dpkg --add-architecture i386 && apt-get update` fails (exit 100): the
#     mirror serves a bookworm-security main/binary-i386/Packages.xz whose
#     size and hash do not match the signed InRelease ("File has unexpected
#     size (346968 != 364028). Mirror sync in progress?"), persistently,
#     Cache-Control: no-cache included; no by-hash or uncompressed copy is
#     served.  Keeping i386 enabled would therefore break every later
#     `apt-get update` on the machine (CI runs it).  The only way around it is
#     editing /etc/apt/sources.list.d/debian.sources to make the security
#     source amd64-only.
#  2. Even then, wine32:i386 is not installable cleanly: the Multi-Arch: same
#     libraries it pulls in (libglib2.0-0, libudev1, libssl3, libgnutls30,
#     liblzma5, krb5, libcurl, libpng16-16, ...) must have the same version
#     for amd64 and i386, and the installed amd64 versions are older (point
#     release not applied) or newer (from bookworm-security, whose i386 side
#     cannot be fetched).  `apt-get install -t bookworm wine32:i386` needed
#     49 amd64 upgrades (systemd, openssl, glib, gnutls, curl, ...) and 3 amd64
#     DOWNGRADES (libgstreamer-plugins-base1.0-0, gstreamer1.0-plugins-base,
#     gstreamer1.0-x 1.22.0-3+deb12u7 -> +deb12u6, a security downgrade:
#     libwine:i386 hard-depends on libgstreamer-plugins-base1.0-0).  Without
#     the explicit downgrade apt reports "held broken packages".
#  That was judged too invasive for a shared CI machine, so it was reverted
#  (dpkg --remove-architecture i386; no i386 package had been installed).
#
# What this script does instead (touches no dpkg/apt state of the system):
#  - a private apt configuration (own sources, lists, empty dpkg status,
#    archive cache, architecture i386) resolves and downloads wine32 and
#    libwine of exactly the installed wine64 version plus their i386
#    dependency closure, from the signed Debian archive (apt checks the
#    signatures and hashes as usual);
#  - the .debs are unpacked with dpkg-deb -x into the private tree, except
#    libc6:i386: the i386 C library used is the system's libc6-i386 (an amd64
#    package, /lib/ld-linux.so.2 + /usr/lib32), so ld.so and libc always match;
#  - libwine:i386's postinst step (turning libz-mingw-w64's zlib1.dll into a
#    Wine builtin dll) is redone by hand;
#  - the tree is completed with a copy of /usr/lib/wine/wine64 and symlinks to
#    the system's 64-bit Wine (/usr/lib/x86_64-linux-gnu/wine) and data
#    (/usr/share/wine).  Wine 8 finds its other half relative to the running
#    loader (/proc/self/exe), so the loaders must sit side by side in one
#    directory; WINEDLLPATH points the 64-bit side at the i386 PE dlls (needed
#    to fill C:\windows\syswow64 when a prefix is made).
# Takes about 30-60 s (142 MB download, ~700 MB unpacked) plus ~15 s of checks.
# If the system's wine64 is later upgraded, the front ends refuse to run and
# ask for this script to be run again.
#
# Never uses dpkg --force-*, never enables i386 in dpkg, never edits
# /etc/apt.  The only system package it may install is libc6-i386 (amd64),
# and only when apt would install it without changing any other installed
# package; likewise wine64 when it is missing entirely.
set -euo pipefail

DIR=${NTRUNDOWN_WINE32_DIR:-/opt/ntrundown-wine32}
MIRROR=${NTRUNDOWN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${NTRUNDOWN_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
ME=install-wine32

log() { echo "$ME: $*"; }
die() { echo "$ME: ERROR: $*" >&2; exit 1; }

mode=install
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    --remove) mode=remove ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (use --check, --remove or nothing)" ;;
esac

[ "$(id -u)" -eq 0 ] || die "must be run as root"
case "$DIR" in /*) ;; *) die "NTRUNDOWN_WINE32_DIR must be an absolute path" ;; esac
[ "$DIR" != / ] || die "NTRUNDOWN_WINE32_DIR must not be /"

if [ "$mode" = remove ]; then
    if [ -d "$DIR" ]; then
        [ -f "$DIR/.ntrundown-wine32" ] || die "$DIR was not made by this script; not removing it"
        rm -rf "$DIR"
        log "removed $DIR"
    else
        log "nothing to remove ($DIR does not exist)"
    fi
    exit 0
fi

# A kernel without 32-bit support runs no 32-bit Wine: say so before
# downloading 140 MB to find out.
probe=0; why=$("$(dirname "$0")/can_run_32bit.sh") || probe=$?
if [ $probe = 1 ]; then
    echo "$ME: $why: no 32-bit Wine can run here; not installing it" >&2
    exit 77
fi

command -v dpkg >/dev/null && command -v apt-get >/dev/null || die "needs a Debian system with dpkg and apt-get"
[ "$(dpkg --print-architecture)" = amd64 ] || die "only for amd64 hosts (this is $(dpkg --print-architecture))"

installed_version() { dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$1" 2>/dev/null | awk '$1=="ii"{print $2}'; }

# A Debian package of the host architecture, installed only when apt would not
# touch any other installed package for it (no upgrade, downgrade or removal).
install_clean() {
    local pkg=$1 sim
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed; install $pkg by hand"
    sim=$(apt-get -s install --no-install-recommends "$pkg" 2>&1) || die "apt cannot install $pkg:
$sim"
    # 'Inst name [old-version]' means an installed package would change.
    if echo "$sim" | grep -qE '^(Inst [^ ]+ \[|Remv )'; then
        die "installing $pkg would change other installed packages; not doing that.  apt proposes:
$(echo "$sim" | grep -E '^(Inst|Remv) ')"
    fi
    apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null || die "apt-get install $pkg failed"
}

# ---------------------------------------------------------------- checks ---
check_tree() {  # $1 = tree; prints nothing, returns 0 when wine32 works
    local root=$1 tmp out rc=0
    [ -x "$root/bin/wine" ] && [ -x "$root/usr/lib/wine/wine" ] || return 1
    tmp=$(mktemp -d /tmp/ntrundown-wine32-check.XXXXXX)
    (
        export WINEPREFIX=$tmp/prefix WINEDEBUG=-all
        unset WINEARCH DISPLAY WAYLAND_DISPLAY
        cd "$tmp"
        timeout 300 "$root/bin/wine" wineboot -i >"$tmp/wineboot.log" 2>&1 || true
        # Wine exits 0 even when it cannot start a program: read the output.
        # Errors stay on (WINEDEBUG=fixme-all) to catch a fallback to Wine's
        # "experimental wow64 mode" (32-bit code run without the 32-bit loader).
        out=$(WINEDEBUG=fixme-all timeout 120 "$root/bin/wine" 'C:\windows\syswow64\cmd.exe' /c 'echo probe32:%PROCESSOR_ARCHITECTURE%' 2>"$tmp/err32" | tr -d '\r') || true
        if [ "$out" != "probe32:x86" ] || grep -q 'experimental wow64' "$tmp/err32"; then
            echo "$ME: 32-bit cmd.exe in a win64 prefix printed '$out' (expected 'probe32:x86'); stderr:" >&2
            tail -n 5 "$tmp/err32" >&2; exit 1
        fi
        # (a 64-bit child inherits PROCESSOR_ARCHITECTURE=x86 from the 32-bit
        # front end, as with Debian's own wine32, so only look for the echo.)
        out=$(timeout 120 "$root/bin/wine" 'C:\windows\system32\cmd.exe' /c 'echo probe64' 2>"$tmp/err64" | tr -d '\r') || true
        if [ "$out" != "probe64" ]; then
            echo "$ME: 64-bit cmd.exe printed '$out' (expected 'probe64'); stderr:" >&2
            tail -n 5 "$tmp/err64" >&2; exit 1
        fi
        if command -v i686-w64-mingw32-gcc >/dev/null; then
            cat >"$tmp/hello32.c" <<'EOF'
#include <stdio.h>
#include <windows.h>
int main(void)
{
    BOOL wow64 = FALSE;
    IsWow64Process(GetCurrentProcess(), &wow64);
    printf("hello32 ptr=%u wow64=%d\n", (unsigned)sizeof(void *), (int)wow64);
    return 0;
}
EOF
            i686-w64-mingw32-gcc -O2 -o "$tmp/hello32.exe" "$tmp/hello32.c" || exit 1
            out=$(WINEDEBUG=fixme-all timeout 120 "$root/bin/wine" "$tmp/hello32.exe" 2>"$tmp/errhello" | tr -d '\r') || true
            if [ "$out" != "hello32 ptr=4 wow64=1" ] || grep -q 'experimental wow64' "$tmp/errhello"; then
                echo "$ME: MinGW 32-bit test program printed '$out' (expected 'hello32 ptr=4 wow64=1'); stderr:" >&2
                tail -n 5 "$tmp/errhello" >&2; exit 1
            fi
        fi
    ) || rc=1
    WINEPREFIX=$tmp/prefix timeout 60 "$root/bin/wineserver" -k >/dev/null 2>&1 || true
    rm -rf "$tmp"
    return $rc
}

wine_version=$(installed_version libwine:amd64)
if [ "$mode" = check ]; then
    [ -f "$DIR/.ntrundown-wine32" ] || die "no private wine32 in $DIR; run $0 as root"
    have=$(cat "$DIR/.ntrundown-wine32")
    [ "$have" = "$wine_version" ] || die "private wine32 is $have but the installed wine64 is ${wine_version:-missing}; run $0 again"
    check_tree "$DIR" || die "private wine32 in $DIR does not work"
    log "wine32 $have works ($DIR/bin/wine)"
    exit 0
fi

# ------------------------------------------------------- prerequisites ---
if [ -z "$wine_version" ] || [ -z "$(installed_version wine64)" ]; then
    log "wine64 is not installed; installing it"
    install_clean wine64
    wine_version=$(installed_version libwine:amd64)
    [ -n "$wine_version" ] || die "wine64 installed but libwine:amd64 is not"
fi
[ "$(installed_version wine64)" = "$wine_version" ] ||
    die "wine64 ($(installed_version wine64)) and libwine:amd64 ($wine_version) differ; fix the wine install first"
[ -x /usr/lib/wine/wine64 ] && [ -d /usr/lib/x86_64-linux-gnu/wine/x86_64-unix ] && [ -d /usr/share/wine ] ||
    die "unexpected wine64 layout (need /usr/lib/wine/wine64, /usr/lib/x86_64-linux-gnu/wine, /usr/share/wine)"
if [ -z "$(installed_version libc6-i386)" ]; then
    log "installing libc6-i386 (the i386 C library, an amd64 package)"
    install_clean libc6-i386
fi
[ -e /lib/ld-linux.so.2 ] || die "/lib/ld-linux.so.2 is missing although libc6-i386 is installed"
[ -r "$KEYRING" ] || die "$KEYRING is missing (package debian-archive-keyring)"
. /etc/os-release
codename=${VERSION_CODENAME:-}
[ -n "$codename" ] || die "cannot tell the Debian release from /etc/os-release"

# ------------------------------------------------------------ idempotent ---
if [ -f "$DIR/.ntrundown-wine32" ] && [ "$(cat "$DIR/.ntrundown-wine32")" = "$wine_version" ] &&
   cmp -s /usr/lib/wine/wine64 "$DIR/usr/lib/wine/wine64"; then
    if check_tree "$DIR"; then
        log "wine32 $wine_version already installed and working: $DIR/bin/wine"
        exit 0
    fi
    log "the installed private wine32 does not work; installing it again"
fi

# ---------------------------------------------------- private apt, fetch ---
start=$(date +%s)
work=$(mktemp -d /var/tmp/ntrundown-wine32.XXXXXX)
chmod 755 "$work"   # apt downloads as user _apt
new="$DIR.new"
cleanup() { rm -rf "$work" "$new"; }
trap cleanup EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/cache" "$work/etc/sources.list.d" \
         "$work/etc/preferences.d" "$work/state"
: >"$work/status"

write_sources() {  # $1 = with security (1/0)
    {
        echo "deb [arch=i386 signed-by=$KEYRING] $MIRROR $codename main"
        echo "deb [arch=i386 signed-by=$KEYRING] $MIRROR $codename-updates main"
        if [ "$1" = 1 ]; then
            echo "deb [arch=i386 signed-by=$KEYRING] $SECURITY_MIRROR $codename-security main"
        fi
    } >"$work/etc/sources.list"
}
# Read after the system's configuration (so proxies etc. still apply); every
# path that apt writes to is private, and the system's hooks are cleared.
cat >"$work/apt.conf" <<EOF
Dir::Etc::SourceList "$work/etc/sources.list";
Dir::Etc::SourceParts "$work/etc/sources.list.d";
Dir::Etc::Preferences "$work/etc/preferences";
Dir::Etc::PreferencesParts "$work/etc/preferences.d";
Dir::State "$work/state";
Dir::State::Lists "$work/lists";
Dir::State::status "$work/status";
Dir::Cache "$work/cache";
Dir::Cache::archives "$work/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Dir::Log "$work/log";
APT::Architecture "i386";
#clear APT::Architectures;
APT::Architectures { "i386"; };
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
#clear DPkg::Pre-Invoke;
#clear DPkg::Post-Invoke;
#clear DPkg::Pre-Install-Pkgs;
EOF
papt() { env -u APT_CONFIG apt-get -c "$work/apt.conf" "$@"; }

write_sources 1
if ! papt update -q >"$work/update.log" 2>&1 || grep -qE '^(E|W): ' "$work/update.log"; then
    # Seen here: the mirror's i386 index of <codename>-security does not match
    # its signed Release file.  The private tree does not need it.
    log "private i386 index update with $codename-security failed; retrying with $codename and $codename-updates only:"
    grep -E '^(E|W|Err):? ' "$work/update.log" | head -n 3 | sed 's/^/    /' >&2 || true
    rm -rf "$work/lists"; mkdir -p "$work/lists/partial"
    write_sources 0
    papt update -q >"$work/update.log" 2>&1 || { cat "$work/update.log" >&2; die "apt-get update of the private i386 index failed"; }
    if grep -qE '^(E|W): ' "$work/update.log"; then
        cat "$work/update.log" >&2; die "apt-get update of the private i386 index reported errors"
    fi
fi

avail=$(papt -qq install -s "wine32=$wine_version" "libwine=$wine_version" 2>&1) || {
    echo "$avail" | tail -n 20 >&2
    die "wine32/libwine $wine_version (the installed wine64's version) cannot be had for i386 from $MIRROR"
}
log "downloading wine32 $wine_version and its i386 dependencies"
papt install -y -q --download-only "wine32=$wine_version" "libwine=$wine_version" >"$work/download.log" 2>&1 || {
    tail -n 20 "$work/download.log" >&2; die "download of the i386 packages failed"
}
ls "$work/archives/"*.deb >/dev/null 2>&1 || die "nothing was downloaded"

# --------------------------------------------------------------- unpack ---
rm -rf "$new"
mkdir -p "$new"
for deb in "$work/archives/"*.deb; do
    pkg=$(dpkg-deb -f "$deb" Package)
    # The i386 C library comes from the system's libc6-i386, which also owns
    # /lib/ld-linux.so.2: an unpacked libc6:i386 could differ from that ld.so.
    [ "$pkg" = libc6 ] && continue
    dpkg-deb -x "$deb" "$new" || die "cannot unpack $(basename "$deb")"
done
rm -rf "$new/usr/share/doc" "$new/usr/share/man" "$new/usr/share/info" "$new/usr/share/locale" "$new/usr/share/lintian"
find "$new" -xdev -perm /6000 -type f -exec chmod ug-s {} +

[ -x "$new/usr/lib/wine/wine" ] && [ -d "$new/usr/lib/i386-linux-gnu/wine/i386-windows" ] &&
    [ -d "$new/usr/lib/i386-linux-gnu/wine/i386-unix" ] || die "unexpected layout of the wine32/libwine i386 packages"

# libwine's postinst: zlib1.dll from libz-mingw-w64, marked as a Wine builtin.
zin=$(ls "$new"/usr/i686-w64-mingw32/lib/zlib*.dll 2>/dev/null | head -n 1)
[ -n "$zin" ] || die "libz-mingw-w64's i686 zlib dll is missing from the download"
{
    head -c 64 "$zin"
    printf "%b" "Wine builtin DLL"
    printf "%b" "\0\0\0\0\0\0\0\0"
    printf "%b" "\0\0\0\0\0\0\0\0"
    tail -c +97 "$zin"
} >"$new/usr/lib/i386-linux-gnu/wine/i386-windows/$(basename "$zin")"

# The 64-bit half: Wine's loaders find each other in the directory of the
# running loader, and ntdll.so / data relative to it.
cp /usr/lib/wine/wine64 "$new/usr/lib/wine/wine64"
mkdir -p "$new/usr/lib/x86_64-linux-gnu"
rm -rf "$new/usr/lib/x86_64-linux-gnu/wine" "$new/usr/share/wine"
ln -s /usr/lib/x86_64-linux-gnu/wine "$new/usr/lib/x86_64-linux-gnu/wine"
ln -s /usr/share/wine "$new/usr/share/wine"

mkdir -p "$new/bin"
for loader in wine wine64; do
    cat >"$new/bin/$loader" <<EOF
#!/bin/sh
# Made by ntrundown's tools/wine/install_wine32.sh: Wine $wine_version with its
# private i386 half.  Runs 32-bit and 64-bit Windows programs.
root=\$(dirname "\$(dirname "\$(readlink -f "\$0")")")
want=\$(cat "\$root/.ntrundown-wine32" 2>/dev/null)
have=\$(dpkg-query -W -f='\${Version}' libwine:amd64 2>/dev/null)
if [ "\$want" != "\$have" ]; then
    echo "\$0: this wine32 is for wine \$want but wine64 \${have:-(none)} is installed;" \\
         "run tools/wine/install_wine32.sh again as root" >&2
    exit 1
fi
LD_LIBRARY_PATH="\$root/lib/i386-linux-gnu:\$root/usr/lib/i386-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
WINEDLLPATH="\$root/usr/lib/i386-linux-gnu/wine\${WINEDLLPATH:+:\$WINEDLLPATH}"
export LD_LIBRARY_PATH WINEDLLPATH
[ -n "\${WINEDEBUG+set}" ] || export WINEDEBUG=fixme-all
exec "\$root/usr/lib/wine/$loader" "\$@"
EOF
    chmod 755 "$new/bin/$loader"
done
cat >"$new/bin/wineserver" <<'EOF'
#!/bin/sh
exec /usr/lib/wine/wineserver "$@"
EOF
chmod 755 "$new/bin/wineserver"
echo "$wine_version" >"$new/.ntrundown-wine32"

# ------------------------------------------------------ install, verify ---
if [ -e "$DIR" ]; then
    [ -f "$DIR/.ntrundown-wine32" ] || die "$DIR exists and was not made by this script; not replacing it"
    rm -rf "$DIR"
fi
mv "$new" "$DIR"
log "unpacked into $DIR in $(( $(date +%s) - start )) s; checking it"
if ! check_tree "$DIR"; then
    rm -rf "$DIR"
    die "the private wine32 did not run a 32-bit program; removed $DIR again (nothing else was changed)"
fi
log "wine32 $wine_version works: $DIR/bin/wine runs 32-bit and 64-bit programs ($(( $(date +%s) - start )) s)"
