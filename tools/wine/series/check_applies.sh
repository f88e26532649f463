#!/bin/bash
# Checks that a patch series applies to a Wine tree, patch after patch:
# `git apply --check`, then `git apply`, on a scratch copy of the files the
# series touches (the tree itself is only read, and may be read-only).
# `git apply --check` given several patches at once checks each against the
# unpatched tree, so a series whose patches touch one file twice fails it;
# this is the check in order.
#
#   tools/wine/series/check_applies.sh WINE_TREE SERIES_DIR
set -euo pipefail

tree=$1 series=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
files=$(cat "$series"/[0-9][0-9][0-9][0-9]-*.patch | sed -n 's|^--- a/||p' | sort -u)
for f in $files; do
    mkdir -p "$scratch/$(dirname "$f")"
    cp "$tree/$f" "$scratch/$f"
done
count=0
for patch in "$series"/[0-9][0-9][0-9][0-9]-*.patch; do
    if ! git -C "$scratch" apply --check "$patch" || ! git -C "$scratch" apply "$patch"; then
        echo "check-series: $(basename "$patch") does not apply to $tree after the patches before it" >&2
        exit 1
    fi
    count=$((count + 1))
done
echo "check-series: $count patches apply in order to $tree"
