/*
 * ntrundown conformance tests: the Win32 user-mode back end of the harness
 *
 * The MinGW-w64 counterpart of winetest_host.c, with the same usage:
 *        PROGRAM            runs every test of winetest_testlist in order
 *        PROGRAM name       runs that test
 *        PROGRAM --list     lists the tests
 * The exit status is the number of failures, capped at 255, or 1 for an
 * unknown test.  The platform defaults to "wine": these programs carry the
 * reimplementation (hostkrnl, not Windows' kernel); WINETEST_PLATFORM
 * overrides it.  An unhandled exception is reported as Wine's harness does
 * and ends the process with the exception code as its exit code.
 */

#ifndef _WIN32_WINNT
# define _WIN32_WINNT 0x0602
#endif
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "winetest_backend.h"

/* One WriteFile per chunk keeps threads' lines whole, needs no CRT state
 * (it is safe in the exception filter) and writes "\n" as is, as on Unix. */
void winetest_backend_output( const char *text )
{
    HANDLE out = GetStdHandle( STD_OUTPUT_HANDLE );
    DWORD len = (DWORD)strlen( text ), done;

    fflush( stdout );
    while (len && WriteFile( out, text, len, &done, NULL ) && done)
    {
        text += done;
        len -= done;
    }
}

/* msvcrt's formats, which GCC checks the printf attributes against on
 * MinGW (ms_printf); the tests use %I for pointer-sized values */
int winetest_backend_vsnprintf( char *buf, size_t size, const char *fmt, va_list args )
{
    return _vsnprintf( buf, size, fmt, args );
}

const char *winetest_backend_getenv( const char *name )
{
    return getenv( name );
}

struct winetest_thread_data *winetest_backend_thread_data(void)
{
    static _Thread_local struct winetest_thread_data data;
    return &data;
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

static void usage( const char *argv0 )
{
    char buf[512];

    _snprintf( buf, sizeof(buf) - 1, "Usage: %s [test_name | --list]\n\n", argv0 );
    buf[sizeof(buf) - 1] = 0;
    winetest_backend_output( buf );
}

int main( int argc, char **argv )
{
    int status;

    winetest_init( "wine" );
    SetErrorMode( SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX );
    SetUnhandledExceptionFilter( exception_filter );

    if (argc > 2)
    {
        usage( argv[0] );
        winetest_list_tests();
        return 1;
    }
    if (argc == 2 && !strcmp( argv[1], "--list" ))
    {
        winetest_list_tests();
        return 0;
    }
    status = argc == 2 ? winetest_run( argv[1] ) : winetest_run_all();
    if (status < 0) return 1;
    return status > 255 ? 255 : status;
}
