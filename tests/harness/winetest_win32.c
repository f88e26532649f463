/*
 * ntrundown conformance tests: the Win32 user-mode back end of the harness
 *
 * The MinGW-w64 counterpart of winetest_host.c: what a Windows program does
 * its own way (output, formatting, the process id, the clock and the
 * exception filter); winetest_main.c has main() and the rest.  An unhandled
 * exception is reported as Wine's harness does and ends the process with
 * the exception code as its exit code.
 */

#ifndef _WIN32_WINNT
# define _WIN32_WINNT 0x0602
#endif
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
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
    SetErrorMode( SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX );
    SetUnhandledExceptionFilter( exception_filter );
}
