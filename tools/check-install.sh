#!/bin/bash
# Installs the host library into a scratch prefix, then builds and runs an
# outside program with `cc outside.c $(pkg-config --cflags --libs ntrundown)`.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
dir="$top/build/install"
prefix="$dir/prefix"
rm -rf "$dir"
meson setup "$dir/build" "$top" --prefix="$prefix" --libdir=lib -Dbuildtype=release
meson install -C "$dir/build" --quiet
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
echo "pkg-config: $(pkg-config --cflags --libs ntrundown)"
cc -Wall -Wextra -o "$dir/outside" "$top/tests/install/outside.c" $(pkg-config --cflags --libs ntrundown)
"$dir/outside"
