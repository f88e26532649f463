/* Loads ntoskrnl.exe into a Wine process and waits, so that
 * tools/wine/tests.sh can read which Unix file the process maps for it
 * (/proc/PID/maps of the Wine process).  Built with MinGW-w64 for x86_64 and
 * i686.  (Reading Z:\proc\self\maps from here would not work: Wine's server
 * opens files, so "self" would be the wineserver.)
 *
 * Prints "probe: loaded ADDRESS" (or "probe: cannot load ...", exit 1), then
 * returns when a line (or EOF) arrives on stdin. */
#include <stdio.h>
#include <windows.h>

int main(void)
{
    char line[16];
    HMODULE mod = LoadLibraryA("ntoskrnl.exe");

    if (!mod) {
        printf("probe: cannot load ntoskrnl.exe, error %lu\n", GetLastError());
        return 1;
    }
    printf("probe: loaded %p\n", (void *)mod);
    fflush(stdout);
    fgets(line, sizeof(line), stdin);
    return 0;
}
