#!/bin/bash
# Writes the Wine patch series, generated from ntrundown's own sources.
#
#   tools/wine/patch.sh [--author "NAME <EMAIL>"] OUTDIR VERSION [WINE_TREE]
#
# VERSION is 8.0 or 10.0.  WINE_TREE is the Wine source tree the series is
# made against (its files around the change are the patches' context); by
# default the tree that tools/wine/source.sh prepares from Debian's source
# package (build/wine/VERSION/src, fetched if missing).  The patches' author
# is --author, else git's user.name and user.email; with neither, nothing is
# written.  Writes OUTDIR/0001-*.patch ..., applicable in order with
# `git apply` or `patch -p1` at the top of that tree, and checks that they
# do, one after the other, in a scratch copy.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
author=()
if [ "${1:-}" = --author ]; then author=(--author "$2"); shift 2; fi
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    sed -n '2,13p' "$0" >&2
    exit 2
fi
out=$1 version=$2 tree=${3:-}
if [ -z "$tree" ]; then
    case "$version" in
        8.0|10.0) tree="$top/build/wine/$version/src"
                  "$top/tools/wine/source.sh" "$version" "$tree" ;;
        *) echo "wine-patch: VERSION is 8.0 or 10.0 (or give WINE_TREE)" >&2; exit 2 ;;
    esac
fi
[ -d "$tree" ] || { echo "wine-patch: no Wine tree at $tree" >&2; exit 77; }
python3 "$top/tools/wine/series/make_series.py" "${author[@]}" "$tree" "$out"
"$top/tools/wine/series/check_applies.sh" "$tree" "$out"
