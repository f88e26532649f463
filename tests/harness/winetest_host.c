/*
 * ntrundown conformance tests: the user-mode POSIX back end of the harness
 *
 * Usage: PROGRAM            runs every test of winetest_testlist in order
 *        PROGRAM name       runs that test
 *        PROGRAM --list     lists the tests
 * The exit status is the number of failures, capped at 255 (Wine's run_test()
 * caps it the same way), or 1 for an unknown test.  The platform defaults to
 * "wine": the host build is the reimplementation side; WINETEST_PLATFORM
 * overrides it.
 */

#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

static void install_crash_handler(void)
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

int main( int argc, char **argv )
{
    int status;

    winetest_init( "wine" );
    install_crash_handler();

    if (argc > 2)
    {
        printf( "Usage: %s [test_name | --list]\n\n", argv[0] );
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
