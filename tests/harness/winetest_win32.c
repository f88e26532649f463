/*
 * ntrundown conformance tests: the Win32 user-mode back end of the harness
 *
 * The MinGW-w64 counterpart of winetest_host.c: what a Windows program does
 * its own way (output, formatting, the process id, the clock, colour, the
 * default platform and the exception filter); winetest_main.c has main()
 * and the rest.  As in Wine's harness (include/wine/test.h):
 *
 * - the output goes through the C runtime's stdout descriptor, so that a
 *   line ends in "\r\n" in its default text mode, as Wine's printf() calls
 *   write it; a named mutex, the one Wine's harness takes, keeps the lines
 *   of threads and of child processes whole;
 * - the platform is "wine" when ntdll.dll exports wine_server_call, else
 *   "windows";
 * - an unhandled exception is reported (and ends the process with the
 *   exception code as its exit code) on platform "windows" only: under
 *   "wine" it is left to Wine's debugger, as Wine's harness does;
 * - unless WINETEST_INTERACTIVE is set, no error box: SEM_FAILCRITICALERRORS
 *   | SEM_NOGPFAULTERRORBOX.
 */

#ifndef _WIN32_WINNT
# define _WIN32_WINNT 0x0602
#endif
#include <windows.h>
#include <io.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "winetest_backend.h"

#ifndef ENABLE_VIRTUAL_TERMINAL_PROCESSING
# define ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x0004
#endif

static HANDLE print_mutex;

/* _write() translates "\n" as the descriptor's mode says and holds the
 * descriptor's lock for the whole chunk; it needs no stdio state, so it is
 * also fine in the exception filter. */
void winetest_backend_output( const char *text )
{
    size_t len = strlen( text );
    DWORD wait = WAIT_FAILED;
    int done;

    if (print_mutex)
    {
        wait = WaitForSingleObject( print_mutex, 30000 );
        if (wait != WAIT_OBJECT_0 && wait != WAIT_ABANDONED) print_mutex = NULL;  /* as Wine: go on without */
    }
    fflush( stdout );
    while (len && (done = _write( _fileno( stdout ), text, (unsigned int)len )) > 0)
    {
        text += done;
        len -= (size_t)done;
    }
    if (print_mutex && (wait == WAIT_OBJECT_0 || wait == WAIT_ABANDONED)) ReleaseMutex( print_mutex );
}

/* msvcrt's formats, which GCC checks the printf attributes against on
 * MinGW (ms_printf); the tests use %I for pointer-sized values */
int winetest_backend_vsnprintf( char *buf, size_t size, const char *fmt, va_list args )
{
    return _vsnprintf( buf, size, fmt, args );
}

int winetest_backend_color( int automode, int value )
{
    int color = automode ? _isatty( _fileno( stdout ) ) : value;

    if (color)
    {
        /* escape sequences on a Windows console */
        HANDLE out = (HANDLE)_get_osfhandle( _fileno( stdout ) );
        DWORD mode;

        if (GetConsoleMode( out, &mode ) &&
            !SetConsoleMode( out, mode | ENABLE_PROCESSED_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING ) &&
            automode)
            color = 0;
    }
    return color;
}

const char *winetest_backend_default_platform(void)
{
    HMODULE ntdll = GetModuleHandleA( "ntdll.dll" );

    return ntdll && GetProcAddress( ntdll, "wine_server_call" ) ? "wine" : "windows";
}

unsigned long winetest_backend_pid(void)
{
    return GetCurrentProcessId();
}

unsigned long winetest_backend_ticks(void)
{
    return GetTickCount();
}

static LONG CALLBACK exception_filter( EXCEPTION_POINTERS *ptrs )
{
    winetest_report_exception( (unsigned int)ptrs->ExceptionRecord->ExceptionCode,
                               ptrs->ExceptionRecord->ExceptionAddress );
    return EXCEPTION_EXECUTE_HANDLER;
}

void winetest_backend_start(void)
{
    print_mutex = CreateMutexA( NULL, FALSE, "winetest_print_mutex" );
    if (winetest_platform_is( "windows" )) SetUnhandledExceptionFilter( exception_filter );
    if (!winetest_interactive) SetErrorMode( SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX );
}
