/*
 * ntrundown conformance tests: the user-mode POSIX back end of the harness
 *
 * What a program on a POSIX host does its own way: output, formatting, the
 * process id, the clock, colour and the crash handler.  winetest_main.c has
 * main() and the rest, which both user-mode back ends share.
 *
 * Where Wine's harness asks Windows, a POSIX host has no answer of its own,
 * and this back end chooses:
 * - the default platform is "wine": Wine's harness says "windows" unless
 *   ntdll.dll is Wine's, and this program carries the reimplementation
 *   (hostkrnl and the module meant for Wine's ntoskrnl.exe), not Windows'
 *   kernel, whose behaviour broken() accepts;
 * - a crash is reported as Wine's exception filter does on every platform,
 *   then the signal kills the process as usual: Wine's harness leaves a
 *   crash under platform "wine" to Wine's debugger, which a POSIX host does
 *   not have.
 */

#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "winetest_backend.h"

/* write(2): one call per line keeps threads' lines whole, and it is safe in
 * the crash handler, where stdio's buffer allocation is not */
void winetest_backend_output( const char *text )
{
    size_t len = strlen( text );
    ssize_t done;

    fflush( stdout );
    while (len && (done = write( STDOUT_FILENO, text, len )) != 0)
    {
        if (done < 0) break;
        text += done;
        len -= (size_t)done;
    }
}

int winetest_backend_vsnprintf( char *buf, size_t size, const char *fmt, va_list args )
{
    return vsnprintf( buf, size, fmt, args );
}

int winetest_backend_color( int automode, int value )
{
    return automode ? isatty( STDOUT_FILENO ) : value;
}

const char *winetest_backend_default_platform(void)
{
    return "wine";
}

unsigned long winetest_backend_pid(void)
{
    return (unsigned long)getpid();
}

unsigned long winetest_backend_ticks(void)
{
    struct timespec ts;

    clock_gettime( CLOCK_MONOTONIC, &ts );
    return (unsigned long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* a crash is reported as Wine's exception filter does, with the matching
 * Windows exception code, then the signal kills the process as usual */
static void crash_handler( int sig, siginfo_t *info, void *context )
{
    unsigned int code;

    (void)context;
    switch (sig)
    {
    case SIGSEGV:
    case SIGBUS: code = 0xc0000005; break; /* STATUS_ACCESS_VIOLATION */
    case SIGILL: code = 0xc000001d; break; /* STATUS_ILLEGAL_INSTRUCTION */
    case SIGFPE: code = 0xc0000094; break; /* STATUS_INTEGER_DIVIDE_BY_ZERO */
    default:     code = 0x80000000 | sig; break;
    }
    winetest_report_exception( code, info->si_addr );
    raise( sig );
}

void winetest_backend_start(void)
{
    static const int signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
    struct sigaction sa;
    size_t i;

    memset( &sa, 0, sizeof(sa) );
    sa.sa_sigaction = crash_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
    sigemptyset( &sa.sa_mask );
    for (i = 0; i < ARRAY_SIZE(signals); i++) sigaction( signals[i], &sa, NULL );
}
