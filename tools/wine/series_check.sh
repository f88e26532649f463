#!/bin/bash
# tools/wine/series_check.sh [SERIES_DIR]
#
# The whole pipeline with the default places, for a patch series against
# Wine 8.0's ntoskrnl.exe (SERIES_DIR: NNNN-*.patch files; none given: only
# the stock side):
#   tools/wine/source.sh 8.0 build/wine/8.0/src
#   tools/wine/build.sh  build/wine/8.0/src - build/wine/8.0/stock
#   tools/wine/tests.sh  run build/wine/8.0/stock      (only when its results
#                        are missing or older than its ntoskrnl.exe)
# then, patch by patch (each patch must build and pass on its own), with the
# first 1, 2, ... N patches of the series:
#   tools/wine/build.sh  build/wine/8.0/src SERIES_PREFIX build/wine/8.0/patched
#                        (x86_64 only before the last one, which is built for
#                        x86_64 and i386; the build is incremental)
#   tools/wine/tests.sh  run build/wine/8.0/patched
#   tools/wine/tests.sh  compare build/wine/8.0/stock build/wine/8.0/patched
# and prints a line per patch.  Every build is configured with
# --enable-werror.  build/wine/8.0/patched is left with the whole series.
# Exit status: that of the first step that fails (77: cannot be done here),
# else 1 if a comparison found new failures, else 0.
set -euo pipefail
ME=wine-series-check
. "$(dirname "$0")/common.sh"

[ $# -le 1 ] || usage
series=${1:-}
[ -z "$series" ] || [ -d "$series" ] || die "$series: no such directory"
[ -z "$series" ] || series=$(abspath "$series")
w=$top/build/wine/8.0
t=$top/tools/wine

"$t/source.sh" 8.0 "$w/src"
"$t/build.sh" "$w/src" - "$w/stock"
fresh=1
for arch in x86_64 i386; do
    [ -f "$w/stock/tests/$arch/tree" ] &&
        grep -qx "sha256=$(sha256sum <"$w/stock/out/$arch/ntoskrnl.exe" | cut -d' ' -f1)" "$w/stock/tests/$arch/tree" ||
        fresh=0
done
if [ $fresh = 0 ]; then
    rc=0; "$t/tests.sh" run "$w/stock" || rc=$?
    [ $rc = 77 ] && exit 77
    [ $rc = 0 ] || log "stock Wine has failures of its own (see above); comparing against them"
else
    log "stock results are current ($w/stock/tests)"
fi
[ -n "$series" ] || exit 0

patches=("$series"/[0-9][0-9][0-9][0-9]-*.patch)
[ -f "${patches[0]}" ] || die "$series: no patches"
status=0 results=()
for i in "${!patches[@]}"; do
    n=$((i + 1))
    prefix=$w/series-prefix   # the first n patches
    rm -rf "$prefix"; mkdir -p "$prefix"
    for p in "${patches[@]:0:$n}"; do ln -s "$p" "$prefix/"; done
    archs=x86_64
    [ $n = ${#patches[@]} ] && archs="x86_64 i386"
    log "with patch $n of ${#patches[@]}: $(basename "${patches[$i]}")"
    NTRUNDOWN_WINE_ARCHS=$archs "$t/build.sh" "$w/src" "$prefix" "$w/patched"
    # shellcheck disable=SC2086 # one word per arch
    "$t/tests.sh" run "$w/patched" $archs || true
    rc=0
    # shellcheck disable=SC2086
    "$t/tests.sh" compare "$w/stock" "$w/patched" $archs || rc=$?
    case $rc in
        0) results+=("patch $n $(basename "${patches[$i]}"): builds (-Werror), no new failure") ;;
        77) results+=("patch $n $(basename "${patches[$i]}"): builds (-Werror), tests not run here") ;;
        *) results+=("patch $n $(basename "${patches[$i]}"): NEW FAILURES"); status=1 ;;
    esac
done
printf '%s\n' "${results[@]}"
exit $status
