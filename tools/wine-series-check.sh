#!/bin/bash
# tools/wine-series-check.sh [SERIES_DIR]
#
# The whole pipeline with the default places, for a patch series against
# Wine 8.0's ntoskrnl.exe (SERIES_DIR: NNNN-*.patch files; none given: only
# the stock side):
#   tools/wine-source.sh 8.0 build/wine/8.0/src
#   tools/wine-build.sh  build/wine/8.0/src - build/wine/8.0/stock
#   tools/wine-tests.sh  run build/wine/8.0/stock      (only when its results
#                        are missing or older than its ntoskrnl.exe)
#   tools/wine-build.sh  build/wine/8.0/src SERIES_DIR build/wine/8.0/patched
#   tools/wine-tests.sh  run build/wine/8.0/patched
#   tools/wine-tests.sh  compare build/wine/8.0/stock build/wine/8.0/patched
# Exit status: that of the first step that fails (77: cannot be done here),
# else the comparison's (1 = new failures), else 0.
set -euo pipefail
ME=wine-series-check
. "$(dirname "$0")/wine-common.sh"

[ $# -le 1 ] || usage
series=${1:-}
[ -z "$series" ] || [ -d "$series" ] || die "$series: no such directory"
w=$top/build/wine/8.0
t=$top/tools

"$t/wine-source.sh" 8.0 "$w/src"
"$t/wine-build.sh" "$w/src" - "$w/stock"
fresh=1
for arch in x86_64 i386; do
    [ -f "$w/stock/tests/$arch/tree" ] &&
        grep -qx "sha256=$(sha256sum <"$w/stock/out/$arch/ntoskrnl.exe" | cut -d' ' -f1)" "$w/stock/tests/$arch/tree" ||
        fresh=0
done
if [ $fresh = 0 ]; then
    rc=0; "$t/wine-tests.sh" run "$w/stock" || rc=$?
    [ $rc = 77 ] && exit 77
    [ $rc = 0 ] || log "stock Wine has failures of its own (see above); comparing against them"
else
    log "stock results are current ($w/stock/tests)"
fi
[ -n "$series" ] || exit 0
"$t/wine-build.sh" "$w/src" "$series" "$w/patched"
"$t/wine-tests.sh" run "$w/patched" || true
"$t/wine-tests.sh" compare "$w/stock" "$w/patched"
