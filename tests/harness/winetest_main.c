/*
 * ntrundown conformance tests: main() of the user-mode harness programs
 *
 * Usage: PROGRAM            runs every test of winetest_testlist in order
 *        PROGRAM name       runs that test
 *        PROGRAM --list     lists the tests
 * The exit status is the number of failures, capped at 255 (Wine's run_test()
 * caps it the same way), or 1 for an unknown test.  The platform defaults to
 * "wine": these programs carry the reimplementation (hostkrnl, not Windows'
 * kernel); WINETEST_PLATFORM overrides it.
 *
 * Shared by the user-mode back ends, winetest_host.c (POSIX) and
 * winetest_win32.c (MinGW-w64), with the back-end functions that both C
 * runtimes provide alike.
 */

#include <stdlib.h>
#include <string.h>
#include "winetest_backend.h"

const char *winetest_backend_getenv( const char *name )
{
    return getenv( name );
}

struct winetest_thread_data *winetest_backend_thread_data(void)
{
    static _Thread_local struct winetest_thread_data data;
    return &data;
}

int main( int argc, char **argv )
{
    int status;

    winetest_init( "wine" );
    winetest_backend_start();

    if (argc > 2)
    {
        winetest_backend_output( "Usage: " );
        winetest_backend_output( argv[0] );
        winetest_backend_output( " [test_name | --list]\n\n" );
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
