#!/bin/bash
# Writes the Wine patch series, generated from ntrundown's own sources.
#
#   tools/wine-patch.sh OUTDIR VERSION [WINE_TREE]
#
# VERSION is 8.0 or 11.10.  WINE_TREE is the Wine source tree the series is
# made against (its files around the change are the patches' context); by
# default, for 8.0 the tree that tools/wine-source.sh prepares
# (build/wine/8.0/src, fetched from Debian's source package if missing), for
# 11.10 the reference files in ../shared/wine-11.10 beside the repository.
# Writes OUTDIR/0001-*.patch ..., applicable in order with `git apply` or
# `patch -p1` at the top of that tree, and checks that they do, one after
# the other, in a scratch copy.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    sed -n '2,14p' "$0" >&2
    exit 2
fi
out=$1 version=$2 tree=${3:-}
if [ -z "$tree" ]; then
    case "$version" in
        8.0) tree="$top/build/wine/8.0/src"
             "$top/tools/wine-source.sh" 8.0 "$tree" ;;
        11.10) tree="$top/../shared/wine-11.10" ;;
        *) echo "wine-patch: VERSION is 8.0 or 11.10 (or give WINE_TREE)" >&2; exit 2 ;;
    esac
fi
[ -d "$tree" ] || { echo "wine-patch: no Wine tree at $tree" >&2; exit 77; }
python3 "$top/tools/wine-series/make-series.py" "$tree" "$out"
"$top/tools/wine-series/check-series.sh" "$tree" "$out"
