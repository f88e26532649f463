#!/bin/bash
# Soak: every test of every flavour this machine can run, many times, and the
# long stress; outside CI (tools/test.sh runs a short form).
#
#   tools/measure/soak.sh [--runs N] [--jobs J] [--fresh K] [--suite S]...
#                         [--match RE] [--side-by-side] [--long-stress CYCLES]
#                         [--host-only]
#
# Builds the host target and, with MinGW-w64 and Wine, both Windows targets
# (build/soak-*), then runs tools/measure/soak_table.py over them: by default 200 runs of
# each test, half one at a time and half in parallel as meson runs them,
# each Wine test twice in a fresh Wine prefix, and the long stress with a
# million rundown cycles per family (--long-stress 0 leaves it out).  Prints
# per test the runs, failures, crashes (a signal, no summary line, an
# exception, an assertion, a sanitizer report), hangs and skips, and keeps
# the log of every bad run in build/soak-logs/.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/tools/suite/setup.sh" host || exit 1
logs="$top/build/soak-build-logs"
mkdir -p "$logs"
args=() host_only=0 long=1000000
while [ $# -gt 0 ]; do
    case "$1" in
        --host-only) host_only=1 ;;
        --long-stress) long=$2; shift ;;
        *) args+=("$1") ;;
    esac
    shift
done

. "$top/tools/measure/targets.sh"
if [ "$host_only" = 1 ]; then
    builds=("$top/build/soak-host")
    build_target "${builds[0]}" || { echo "soak: the host build failed (see $logs)" >&2; exit 1; }
else
    build_targets soak || exit 1
fi
exec python3 "$top/tools/measure/soak_table.py" --long-stress "$long" "${args[@]}" "${builds[@]}"
