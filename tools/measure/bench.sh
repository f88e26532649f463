#!/bin/bash
# The benchmark, in every flavour this machine can run, as one table.
#
#   tools/measure/bench.sh [--short] [--repeat N] [--baseline REV]
#
# Builds the host target and, with MinGW-w64 and Wine, both Windows targets
# (build/bench-*), then runs tests/bench/rundown_bench.c as a host program,
# as Win32 programs and as kernel drivers under Wine (importing the routines
# from ntrundown.sys, and from the system's ntoskrnl.exe: Wine 8.0 with the
# Wine series when tools/wine/build.sh has built it, stock Wine otherwise,
# where that flavour is skipped), and prints every figure with its ratio to
# the bare compare-exchange pair (tools/measure/bench_table.py).  --baseline REV adds the
# host program over the module of git revision REV, for a before/after
# comparison in the same run.  --short is the form CI runs: it proves that
# the benchmark works; its figures mean little.  Timing is measured here,
# never asserted.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/tools/suite/setup.sh" host || exit 1
logs="$top/build/bench-logs"
mkdir -p "$logs"

. "$top/tools/measure/targets.sh"
build_targets bench -Dbuildtype=release || exit 1
exec python3 "$top/tools/measure/bench_table.py" "$@" "${builds[@]}"
