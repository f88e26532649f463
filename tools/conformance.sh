#!/bin/bash
# The main job: builds the rundown module for every target this machine can
# build, runs the conformance suite on each and prints one parity table.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/tools/setup.sh" || exit 1

logs="$top/build/conformance"
mkdir -p "$logs"
runs=()

# The host: the module over the user-mode kernel-services emulation.
host="host-$(uname -m)"
dir="$top/build/host"
if { [ -d "$dir" ] || meson setup "$dir" >"$logs/host-build.log" 2>&1; } && ninja -C "$dir" >>"$logs/host-build.log" 2>&1; then
    "$dir/tests/ntrundown_tests" >"$logs/$host.log" 2>&1
else
    tail -n 30 "$logs/host-build.log"
    echo "build failed" >"$logs/$host.log"
fi
runs+=("$host:reimplementation=$logs/$host.log")

echo
python3 "$top/tools/parity.py" "${runs[@]}"
