#!/bin/bash
# Installs what the build and the tests need on Debian 12, or says what to
# install.  Sourced or run by the other tools; does nothing when all is there.
set -euo pipefail

# Host build and tests.
NTRUNDOWN_PACKAGES=(gcc clang meson ninja-build pkg-config python3 libc6-dev)

missing=()
for pkg in "${NTRUNDOWN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "setup: cannot install packages here; install them first: apt-get install ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || { echo "setup: apt-get update failed; install by hand: ${missing[*]}" >&2; exit 1; }
apt-get install -y -qq "${missing[@]}" >/dev/null || {
    echo "setup: apt-get install failed; install by hand: ${missing[*]}" >&2; exit 1; }
