/*
 * The harness compared with Wine's: the test program
 *
 * One source, built twice: with COMPARE_WINE against Wine 8.0's
 * include/wine/test.h (from a Wine source tree; never part of this
 * project), and against the project's harness (winetest.h, winetest.c and a
 * user-mode back end).  check_compare.py runs both builds over the same
 * cases and compares their output and exit status byte for byte.  Each test
 * below exercises one part of the API; testlist.c lists them.
 *
 * Kept to what Wine's harness defines: no more than 8 contexts at a time
 * (Wine's reads past its array with more), and everything printed is the
 * same whichever harness prints it.
 */

#ifdef _WIN32
# include <windows.h>
#else
# include <pthread.h>
# include <signal.h>
#endif
#include <stdlib.h>
#include <string.h>
#ifdef COMPARE_WINE
# include <wine/test.h>
#else
# include "winetest.h"
#endif

static int calls;

static int count_call( int ret )
{
    calls++;
    return ret;
}

START_TEST(ok)
{
    ok( 1, "not printed\n" );
    ok( count_call( 0 ), "condition false\n" );
    ok( calls == 1, "condition evaluated %d times\n", calls );
    ok( 0, "value %d, unsigned %u, hex %x/%08x, char %c, string %s, percent %%\n",
        -42, 42u, 0xbeefu, 0xbeefu, 'c', "abc" );
    ok( 0, "long %ld, string %.2s, width [%5d] [%-5d]\n", -7L, "abcdef", 12, 34 );
    ok_( "some/dir/other.c", 1234 )( 0, "explicit location\n" );
    ok_( "C:\\dir\\win.c", 7 )( 0, "backslash path\n" );
    ok_( "mixed\\dir/unix.c", 8 )( 0, "both separators\n" );
    ok_( "nodir.c", 0 )( 0, "line 0\n" );
    if (calls) ok( 1, "in if\n" );
    else ok( 0, "in else\n" );
    ok( 0, "no newline" );
    ok( 0, "after no newline\n" );
    ok( 0, "two\nlines\n" );
    ok( 0, "carriage\r\nreturn\n" );
    ok( 0, "%s", "" );
    ok( 0, "\n" );
    trace( "%ld failures\n", (long)winetest_get_failures() );
}

START_TEST(todo)
{
    todo_wine ok( 0, "todo fails\n" );
    todo_wine ok( 1, "todo succeeds\n" );
    ok( 0, "after todo\n" );
    todo_wine
    {
        ok( 0, "braced 1\n" );
        ok( 1, "braced 2 succeeds\n" );
    }
    todo_if( 1 ) ok( 0, "todo_if 1\n" );
    todo_if( 1 ) ok( 1, "todo_if 1 succeeds\n" );
    todo_if( 0 ) ok( 0, "todo_if 0\n" );
    todo_wine_if( 0 ) ok( 0, "todo_wine_if 0\n" );
    todo_wine_if( 1 ) ok( 0, "todo_wine_if 1\n" );
    todo_wine_if( 1 ) ok( 1, "todo_wine_if 1 succeeds\n" );
    todo_wine { todo_if( 0 ) ok( 0, "nested, inner 0\n" ); }
    todo_if( 0 ) { todo_wine ok( 0, "nested, outer 0\n" ); }
    todo_wine trace( "trace in todo\n" );
    todo_wine skip( "skip in todo\n" );
    trace( "%ld failures outside todo blocks\n", (long)winetest_get_failures() );
}

START_TEST(broken_skip)
{
    ok( broken( 1 ), "broken(1)\n" );
    ok( !broken( 0 ), "broken(0)\n" );
    ok( 0 || broken( 1 ), "0 || broken(1)\n" );
    skip( "skip %d\n", 1 );
    skip( "skip without newline" );
    skip( "\n" );
    win_skip( "win_skip\n" );
    todo_wine win_skip( "win_skip in todo_wine\n" );
    todo_if( 1 ) win_skip( "win_skip in todo_if(1)\n" );
}

START_TEST(flaky)
{
    flaky ok( 0, "flaky fails\n" );
    flaky ok( 1, "flaky succeeds\n" );
    flaky_wine ok( 0, "flaky_wine\n" );
    flaky_if( 0 ) ok( 0, "flaky_if 0\n" );
    flaky_wine_if( 1 ) ok( 0, "flaky_wine_if 1\n" );
    flaky_wine_if( 0 ) ok( 0, "flaky_wine_if 0\n" );
    flaky todo_wine ok( 1, "flaky todo succeeds\n" );
    flaky todo_wine ok( 0, "flaky todo fails\n" );
    todo_wine flaky ok( 1, "todo flaky succeeds\n" );
    flaky { flaky_if( 0 ) ok( 0, "nested flaky, inner 0\n" ); }
}

START_TEST(trace)
{
    trace( "hello %s\n", "world" );
    trace( "no newline" );
    trace( " continued\n" );
    todo_wine ok( 0, "quiet todo\n" );
    todo_wine ok( 1, "todo succeeds\n" );
    ok( 0, "loud\n" );
    skip( "a skip\n" );
    winetest_add_failures( 2 );
    winetest_add_failures( -1 );
    winetest_add_failures( 0 );
    trace( "%ld failures\n", (long)winetest_get_failures() );
}

START_TEST(context)
{
    char long_ctx[300];
    int i;

    winetest_push_context( "outer %d", 1 );
    ok( 0, "one\n" );
    ok( 1, "success in a context\n" );
    winetest_push_context( "inner" );
    ok( 0, "two\n" );
    trace( "traced %s\n", "text" );
    skip( "skipped\n" );
    win_skip( "win_skip\n" );
    todo_wine ok( 0, "todo\n" );
    todo_wine ok( 1, "todo succeeds\n" );
    flaky ok( 0, "flaky\n" );
    winetest_pop_context();
    ok( 0, "three\n" );
    winetest_pop_context();
    winetest_pop_context();  /* one too many: ignored */
    ok( 0, "four\n" );
    winetest_push_context( "%s", "" );
    ok( 0, "empty context\n" );
    winetest_pop_context();
    for (i = 0; i < 8; i++) winetest_push_context( "c%d", i );
    ok( 0, "eight deep\n" );
    for (i = 0; i < 8; i++) winetest_pop_context();
    memset( long_ctx, 'y', sizeof(long_ctx) - 1 );
    long_ctx[sizeof(long_ctx) - 1] = 0;
    winetest_push_context( "%s", long_ctx );
    ok( 0, "long context\n" );
    winetest_pop_context();
    ok( 0, "none\n" );
}

START_TEST(success)
{
    ok( 1, "first\n" );
    ok( 1, "second\n" );
    winetest_push_context( "ctx" );
    ok( 1, "in a context\n" );
    winetest_pop_context();
    todo_wine ok( 0, "todo\n" );
    flaky ok( 1, "flaky succeeds\n" );
}

/* one line shared by two tests: its count of messages restarts with each run */
static void trace_many( int count )
{
    int i;

    for (i = 0; i < count; i++) trace( "trace %d\n", i );
}

START_TEST(mute)
{
    int i;

    trace_many( 50 );
    for (i = 0; i < 45; i++) todo_wine ok( 0, "todo %d\n", i );
    for (i = 0; i < 43; i++) skip( "skip %d\n", i );
    for (i = 0; i < 44; i++) win_skip( "win_skip %d\n", i );
    for (i = 0; i < 45; i++) ok( 0, "failures are never muted %d\n", i );
    for (i = 0; i < 45; i++) ok( 1, "successes %d\n", i );
    for (i = 0; i < 3; i++) trace( "few %d\n", i );
}

static char *make_text( size_t len, char c )
{
    char *text = malloc( len + 1 );

    memset( text, c, len );
    text[len] = 0;
    return text;
}

START_TEST(long)
{
    static const size_t sizes[] = { 200, 230, 240, 250, 251, 252, 253, 254, 255, 256, 257, 500,
                                    1019, 1020, 1023, 1024, 1025, 1500, 2047, 2048, 5000, 70000 };
    char *text;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(sizes); i++)
    {
        text = make_text( sizes[i], 'a' + (char)(i % 26) );
        ok( 0, "%u: %s\n", (unsigned int)sizes[i], text );
        free( text );
    }
    text = make_text( 3000, 'x' );
    trace( "%s\n", text );
    skip( "%s\n", text );
    todo_wine ok( 0, "%s\n", text );
    todo_wine ok( 1, "%s\n", text );
    flaky ok( 0, "%s\n", text );
    ok( 0, "%s", text );
    ok( 0, "after the line without a newline\n" );
    winetest_push_context( "%s", text );
    winetest_push_context( "%s", text );
    ok( 0, "two long contexts, then %s\n", text );
    winetest_pop_context();
    winetest_pop_context();
    ok( 0, "%s%s%s\n", text, text, text );
    free( text );
}

START_TEST(subtest)
{
    subtest( "first" );
    ok( 0, "in the first subtest\n" );
    subtest( "second" );
    ignore_exceptions( 1 );
    ignore_exceptions( 0 );
    ignore_exceptions( 42 );
    winetest_push_context( "ctx" );
    subtest( "in a context" );
    winetest_pop_context();
}

START_TEST(many)
{
    int i;

    for (i = 0; i < 300; i++) ok( 0, "failure %d\n", i );
}

START_TEST(crash)
{
    ok( 1, "before the crash\n" );
    if (!getenv( "COMPARE_CRASH" ))
    {
        skip( "COMPARE_CRASH is unset\n" );
        return;
    }
#ifdef _WIN32
    RaiseException( EXCEPTION_ACCESS_VIOLATION, 0, 0, NULL );
#else
    raise( SIGSEGV );
#endif
}

#define THREADS 4

#ifdef _WIN32
static DWORD WINAPI thread_proc( void *arg )
#else
static void *thread_proc( void *arg )
#endif
{
    int i, id = (int)(size_t)arg;

    winetest_push_context( "thread %d", id );
    for (i = 0; i < 100; i++) ok( 1, "never printed\n" );
    ok( 0, "fails\n" );
    todo_wine ok( 0, "todo\n" );
    trace( "trace\n" );
    winetest_pop_context();
    return 0;
}

START_TEST(threads)
{
    int i;
#ifdef _WIN32
    HANDLE threads[THREADS];

    winetest_push_context( "main" );
    for (i = 0; i < THREADS; i++) threads[i] = CreateThread( NULL, 0, thread_proc, (void *)(size_t)i, 0, NULL );
    for (i = 0; i < THREADS; i++)
    {
        WaitForSingleObject( threads[i], INFINITE );
        CloseHandle( threads[i] );
    }
#else
    pthread_t threads[THREADS];

    winetest_push_context( "main" );
    for (i = 0; i < THREADS; i++) pthread_create( &threads[i], NULL, thread_proc, (void *)(size_t)i );
    for (i = 0; i < THREADS; i++) pthread_join( threads[i], NULL );
#endif
    ok( 0, "main thread\n" );
    winetest_pop_context();
}

START_TEST(args)
{
    char **argv;
    int argc = winetest_get_mainargs( &argv ), i;

    trace( "%d arguments\n", argc );
    for (i = 1; i < argc; i++) trace( "argument %d: %s\n", i, argv[i] );
}
