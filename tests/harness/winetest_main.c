/*
 * ntrundown conformance tests: main() of the user-mode harness programs
 *
 * The command line of Wine's harness programs (include/wine/test.h):
 *
 *   PROGRAM name       runs that test (a directory or ".c" suffix is
 *                      ignored); further arguments are the test's, see
 *                      winetest_get_mainargs()
 *   PROGRAM --list     lists the tests
 *   PROGRAM            runs the only test of a program that has one; with
 *                      more, prints the usage and the list and fails
 *
 * The exit status is the test's failures, at most 255, or 1 for an unknown
 * test or the usage.  WINETEST_PLATFORM defaults to what the back end says:
 * under Wine "wine", on Windows "windows", as Wine's harness decides
 * (whether ntdll.dll exports wine_server_call); on a POSIX host "wine"
 * (winetest_host.c says why).
 *
 * Shared by the user-mode back ends, winetest_host.c (POSIX) and
 * winetest_win32.c (MinGW-w64), with the back-end functions that both C
 * runtimes provide alike.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "winetest_backend.h"

static int main_argc;
static char **main_argv;

const char *winetest_backend_getenv( const char *name )
{
    return getenv( name );
}

void *winetest_backend_alloc( size_t size )
{
    return malloc( size );
}

void winetest_backend_free( void *ptr )
{
    free( ptr );
}

struct winetest_thread_data *winetest_backend_thread_data(void)
{
    static _Thread_local struct winetest_thread_data data;
    return &data;
}

int winetest_get_mainargs( char ***pargv )
{
    *pargv = main_argv;
    return main_argc;
}

int main( int argc, char **argv )
{
    int status;

    /* as Wine's main(): what a test prints itself is not held back */
    setvbuf( stdout, NULL, _IONBF, 0 );
    main_argc = argc;
    main_argv = argv;

    winetest_init( winetest_backend_default_platform() );
    winetest_backend_start();

    if (argc < 2 || !argv[1])
    {
        if (winetest_testlist[0].name && !winetest_testlist[1].name)  /* only one test */
            return winetest_run( winetest_testlist[0].name );
        winetest_usage( argv[0] ? argv[0] : "" );
        return 1;
    }
    if (!strcmp( argv[1], "--list" ))
    {
        winetest_list_tests();
        return 0;
    }
    status = winetest_run( argv[1] );
    return status < 0 ? 1 : status;
}
