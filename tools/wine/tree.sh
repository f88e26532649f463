#!/bin/bash
# tools/wine/tree.sh ARCH NTOSKRNL_EXE DEST
#
# Makes DEST a private install tree of the machine's Wine 8 in which
# ntoskrnl.exe is NTOSKRNL_EXE (for instance one built by tools/wine/build.sh).
# ARCH is x86_64 (the system's wine64: /usr/lib/wine, /usr/lib/x86_64-linux-gnu/wine,
# /usr/share/wine) or i386 (the private 32-bit Wine of tools/wine/install_wine32.sh,
# $NTRUNDOWN_WINE32_DIR, default /opt/ntrundown-wine32).  Prints nothing but
# errors.  Loader to use:
#   x86_64:  DEST/bin/wine64   (a win64 prefix)
#   i386:    DEST/bin/wine     (WINEARCH=win32 prefix for 32-bit drivers)
#   both:    DEST/bin/wineserver (for -k / -w)
# The tree is symlinks to the original except for what Wine resolves paths
# from: the loaders (Wine finds ntdll.so relative to /proc/self/exe), ntdll.so
# (its resolved path gives the DLL directory) and ntoskrnl.exe, which are
# real copies.  WINEDLLPATH cannot do this: Wine searches its own DLL
# directory first.  DEST/.ntrundown-wine-tree records what the tree holds
# (arch, ntoskrnl.exe's place and sha256, source paths); a re-run with the same
# arguments does nothing.  Exit 77 when the i386 Wine is not installed (or
# cannot run: on a machine that cannot run 32-bit programs).
set -euo pipefail
ME=wine-tree
. "$(dirname "$0")/common.sh"

[ $# -eq 3 ] || usage
arch=$1
exe=$(abspath "$2")
dest=$(abspath "$3")
archdir=$(arch_dir "$arch")
[ -f "$exe" ] || die "$exe: no such file"
sum=$(sha256sum "$exe" | cut -d' ' -f1)

case "$arch" in
x86_64)
    orig=/usr/lib/x86_64-linux-gnu/wine
    [ -x /usr/lib/wine/wine64 ] && [ -d "$orig/x86_64-unix" ] || skip "the system's wine64 is not installed"
    dlldir=usr/lib/x86_64-linux-gnu/wine unix=x86_64-unix ;;
i386)
    orig=${NTRUNDOWN_WINE32_DIR:-/opt/ntrundown-wine32}
    probe=0; "$top/tools/wine/can_run_32bit.sh" -q || probe=$?
    [ $probe != 1 ] || skip "this machine cannot run 32-bit programs"
    [ -x "$orig/usr/lib/wine/wine" ] && [ -d "$orig/usr/lib/i386-linux-gnu/wine/i386-unix" ] ||
        skip "32-bit Wine is not installed in $orig (run tools/wine/install_wine32.sh as root)"
    dlldir=usr/lib/i386-linux-gnu/wine unix=i386-unix ;;
esac
record="arch=$arch
file=$dlldir/$archdir/ntoskrnl.exe
sha256=$sum
ntoskrnl=$exe
wine=$orig"
if [ -f "$dest/.ntrundown-wine-tree" ] && [ "$(cat "$dest/.ntrundown-wine-tree")" = "$record" ] &&
   cmp -s "$exe" "$dest/$dlldir/$archdir/ntoskrnl.exe"; then
    exit 0
fi

# mirror SRC DST: DST becomes a directory of symlinks to SRC's entries.
mirror() {
    local e
    rm -rf "$2"; mkdir -p "$2"
    for e in "$1"/* "$1"/.[!.]*; do
        if [ -e "$e" ] || [ -L "$e" ]; then ln -s "$e" "$2/"; fi
    done
}
# realize REL: every symlinked directory along DEST.new/REL becomes a real
# directory of symlinks, so that single files in it can be replaced.
realize() {
    local path="" part
    for part in ${1//\// }; do
        path=${path:+$path/}$part
        if [ -L "$new/$path" ]; then mirror "$(readlink -f "$new/$path")" "$new/$path"; fi
    done
}
# copy_in REL: a real copy of the file in place of the symlink.
copy_in() { local f; f=$(readlink -f "$new/$1"); rm -f "$new/$1"; cp "$f" "$new/$1"; }

new="$dest.new"
rm -rf "$new"
if [ "$arch" = x86_64 ]; then
    mkdir -p "$new/usr/lib/x86_64-linux-gnu" "$new/usr/share"
    ln -s /usr/lib/wine "$new/usr/lib/wine"
    ln -s "$orig" "$new/$dlldir"
    ln -s /usr/share/wine "$new/usr/share/wine"
    envs=
else
    mirror "$orig" "$new"
    rm -f "$new/bin"
    envs="LD_LIBRARY_PATH=\"\$root/lib/i386-linux-gnu:\$root/usr/lib/i386-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}\"
WINEDLLPATH=\"\$root/$dlldir\${WINEDLLPATH:+:\$WINEDLLPATH}\"
export LD_LIBRARY_PATH WINEDLLPATH"
fi
realize usr/lib/wine
realize "$dlldir/$unix"
realize "$dlldir/$archdir"
for l in wine wine64; do
    if [ -e "$new/usr/lib/wine/$l" ]; then copy_in "usr/lib/wine/$l"; fi
done
copy_in "$dlldir/$unix/ntdll.so"
rm "$new/$dlldir/$archdir/ntoskrnl.exe"
cp "$exe" "$new/$dlldir/$archdir/ntoskrnl.exe"

# Front ends in DEST/bin.
mkdir -p "$new/bin"
for l in wine wine64; do
    [ -e "$new/usr/lib/wine/$l" ] || continue
    cat >"$new/bin/$l" <<EOF
#!/bin/sh
# Wine $arch with ntoskrnl.exe sha256 $sum (made by tools/wine/tree.sh)
root=\$(dirname "\$(dirname "\$(readlink -f "\$0")")")
$envs
exec "\$root/usr/lib/wine/$l" "\$@"
EOF
done
printf '#!/bin/sh\nexec "%s" "$@"\n' "$(readlink -f "$new/usr/lib/wine/wineserver")" >"$new/bin/wineserver"
chmod 755 "$new/bin/"*
echo "$record" >"$new/.ntrundown-wine-tree"
rm -rf "$dest"
mv "$new" "$dest"
