#!/bin/bash
# tools/wine/debian_source.sh PACKAGE VERSION DIR
#
# Downloads Debian's source package PACKAGE (the .dsc, the tarballs) into
# DIR and prints the .dsc's path.  VERSION is a Debian version, or an
# upstream prefix such as 8.0 (the newest matching revision), or empty (the
# newest).  Files already in DIR that the .dsc lists are used as they are.
#
# The download uses a private apt configuration in DIR/.apt: its own deb-src
# list, made from the archives of the machine's Debian sources (deb822
# /etc/apt/sources.list.d/*.sources and one-line lists), its own lists,
# cache and empty dpkg status; /etc/apt and dpkg's state are not touched.
# NTRUNDOWN_DEBIAN_MIRROR overrides the archive.  NTRUNDOWN_DEBIAN_SUITE
# (e.g. "trixie" or "trixie sid") asks those suites of the machine's main
# Debian archive instead of its own release (their index in DIR/.apt-SUITE).
# The index is fetched again after a day or when the sources change.  Exit 77
# when the archive cannot be reached or has no such source.
set -euo pipefail
ME=debian-source
. "$(dirname "$0")/common.sh"

[ $# -eq 3 ] || usage
package=$1 version=$2
dir=$(abspath "$3")
suite=${NTRUNDOWN_DEBIAN_SUITE:-}
work="$dir/.apt${suite:+-${suite// /-}}"
mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/etc"
chmod 755 "$dir" "$work"   # apt downloads as user _apt
: >"$work/status"

# deb-src lines for the archives of the machine's Debian sources.
sources() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'function flush() {
                 if (types ~ /(^| )deb( |$)/ && uris != "") {
                     n = split(uris, u, " "); m = split(suites, s, " ")
                     for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
                         printf "deb-src %s%s %s %s\n", key == "" ? "" : "[signed-by=" key "] ", u[i], s[j], comps
                 }
                 types = uris = suites = comps = key = ""
             }
             /^[ \t]*$/ { flush(); next }
             /^Types:/ { sub(/^Types:[ \t]*/, ""); types = $0 }
             /^URIs:/ { sub(/^URIs:[ \t]*/, ""); uris = $0 }
             /^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
             /^Components:/ { sub(/^Components:[ \t]*/, ""); comps = $0 }
             /^Signed-By:/ { sub(/^Signed-By:[ \t]*/, ""); key = $0 }
             END { flush() }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        if [ -f "$f" ]; then sed -n 's/^deb \(.*\)/deb-src \1/p' "$f"; fi
    done
}
papt() { env -u APT_CONFIG "$@" -c "$work/apt.conf"; }

# With NTRUNDOWN_DEBIAN_SUITE, the lines of the machine's release itself
# (not -updates, -security) with that release replaced by each suite.
. /etc/os-release
codename=${VERSION_CODENAME:-bookworm}
for_suites() {
    if [ -z "$suite" ]; then cat; return; fi
    local s lines; lines=$(grep -E " $codename( |\$)" || true)
    for s in $suite; do sed "s/ $codename\( \|\$\)/ $s\1/" <<<"$lines"; done | grep . || true
}
if [ -z "${NTRUNDOWN_DEBIAN_MIRROR:-}" ]; then sources | grep -i debian | for_suites >"$work/etc/sources.list" || true; fi
if [ -n "${NTRUNDOWN_DEBIAN_MIRROR:-}" ] || [ ! -s "$work/etc/sources.list" ]; then
    for s in ${suite:-$codename}; do
        echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
             "${NTRUNDOWN_DEBIAN_MIRROR:-http://deb.debian.org/debian} $s main"
    done >"$work/etc/sources.list"
fi
cat >"$work/apt.conf" <<EOF
Dir::Etc::SourceList "$work/etc/sources.list";
Dir::Etc::SourceParts "$work/etc/none";
Dir::State "$work";
Dir::State::Lists "$work/lists";
Dir::State::status "$work/status";
Dir::Cache "$work";
Dir::Cache::archives "$work/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Dir::Log "$work/log";
Acquire::Languages "none";
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
EOF
if ! cmp -s "$work/etc/sources.list" "$work/updated" || [ -n "$(find "$work/updated" -mmin +1440)" ]; then
    log "updating the private source index ($(wc -l <"$work/etc/sources.list") deb-src entries)" >&2
    rm -f "$work/updated" "$work/lists/"*Sources*
    papt apt-get update -qq >"$work/update.log" 2>&1 || true
    ls "$work/lists/"*Sources* >/dev/null 2>&1 ||
        { tail -n 3 "$work/update.log" >&2; skip "cannot fetch Debian's source index (network?)"; }
    cp "$work/etc/sources.list" "$work/updated"
fi

available=$(papt apt-cache showsrc "$package" 2>/dev/null | sed -n 's/^Version: //p' | sort -u)
debver=
if grep -qxF -- "$version" <<<"$available"; then
    debver=$version
else
    debver=$(grep -E "^(1:)?${version//./\\.}" <<<"$available" | sort -V | tail -n 1 || true)
fi
[ -n "$debver" ] || skip "Debian's archive has no $package source of version $version (it has: $(echo $available))"
log "downloading Debian's $package $debver source" >&2
(cd "$dir" && papt apt-get source -qq --download-only "$package=$debver") >"$work/source.log" 2>&1 ||
    { tail -n 5 "$work/source.log" >&2; skip "cannot download Debian's $package $debver source"; }
echo "$dir/${package}_${debver#*:}.dsc"
