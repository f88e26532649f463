/*
 * Self-test of the test harness
 *
 * Exercises each part of the harness API; check_selftest.py runs it under
 * several configurations and compares the output with what Wine 8.0's
 * harness prints (which ../compare/ checks against Wine's test.h itself).  The checker finds the lines it expects messages from by the
 * "L:tag" comments, so keep one tag per line and keep them unique.
 */

#ifdef _WIN32
# include <windows.h>
# include <process.h>
#else
# include <pthread.h>
# include <signal.h>
#endif
#include <stdlib.h>
#include <string.h>
#include "winetest.h"

static int calls;

static int count_call( int ret )
{
    calls++;
    return ret;
}

START_TEST(ok)
{
    static char long_msg[1500], longer_msg[100000];

    ok( 1, "not printed\n" );
    ok( count_call( 0 ), "condition false\n" ); /* L:ok_false */
    ok( calls == 1, "condition evaluated %d times\n", calls ); /* L:ok_once */
    ok( 0, "value %d, string %s\n", 42, "abc" ); /* L:ok_fmt */
    ok_( "some/dir/other.c", 1234 )( 0, "explicit location\n" );
    ok_( "C:\\dir\\win.c", 7 )( 0, "backslash path\n" );
    if (calls) ok( 1, "in if\n" );
    else ok( 0, "in else\n" ); /* L:ok_else */
    memset( long_msg, 'x', sizeof(long_msg) - 1 );
    long_msg[sizeof(long_msg) - 1] = 0;
    ok( 0, "%s\n", long_msg ); /* L:ok_long */
    memset( longer_msg, 'y', sizeof(longer_msg) - 1 );
    longer_msg[sizeof(longer_msg) - 1] = 0;
    ok( 0, "%s\n", longer_msg ); /* L:ok_longer */
    ok( 0, "no newline" ); /* L:ok_nonl */
    ok( 0, "after no newline\n" ); /* L:ok_after_nonl */
}

START_TEST(todo)
{
    todo_wine ok( 0, "todo fails\n" ); /* L:todo_fail */
    todo_wine ok( 1, "todo succeeds\n" ); /* L:todo_succ */
    ok( 0, "after todo\n" ); /* L:after_todo */
    todo_wine
    {
        ok( 0, "braced 1\n" ); /* L:braced1 */
        ok( 0, "braced 2\n" ); /* L:braced2 */
    }
    todo_if( 1 ) ok( 0, "todo_if 1\n" ); /* L:todo_if1 */
    todo_if( 0 ) ok( 0, "todo_if 0\n" ); /* L:todo_if0 */
    todo_wine_if( 0 ) ok( 0, "todo_wine_if 0\n" ); /* L:twif0 */
    todo_wine_if( 1 ) ok( 0, "todo_wine_if 1\n" ); /* L:twif1 */
    todo_wine { todo_if( 0 ) ok( 0, "nested\n" ); } /* L:nested */
    trace( "%ld failures outside todo blocks\n", winetest_get_failures() ); /* L:todo_count */
}

START_TEST(broken_skip)
{
    ok( broken( 1 ), "broken(1)\n" ); /* L:broken1 */
    ok( !broken( 0 ), "broken(0)\n" );
    skip( "skip %d\n", 1 ); /* L:skip */
    win_skip( "win_skip\n" ); /* L:win_skip */
    todo_wine win_skip( "win_skip in todo\n" ); /* L:win_skip_todo */
}

/* one line shared by two tests: its count of messages restarts with each test */
static void trace_many( int count )
{
    int i;

    for (i = 0; i < count; i++) trace( "trace %d\n", i ); /* L:mute_trace */
}

START_TEST(context)
{
    int i;

    winetest_push_context( "outer %d", 1 );
    ok( 0, "one\n" ); /* L:ctx1 */
    winetest_push_context( "inner" );
    ok( 0, "two\n" ); /* L:ctx2 */
    trace( "traced %s\n", "text" ); /* L:ctx_trace */
    skip( "skipped\n" ); /* L:ctx_skip */
    todo_wine ok( 0, "todo\n" ); /* L:ctx_todo */
    winetest_pop_context();
    ok( 0, "three\n" ); /* L:ctx3 */
    winetest_pop_context();
    winetest_pop_context();
    ok( 0, "four\n" ); /* L:ctx4 */
    for (i = 0; i < 10; i++) winetest_push_context( "c%d", i );
    ok( 0, "deep\n" ); /* L:ctx_deep */
    for (i = 0; i < 10; i++) winetest_pop_context();
    ok( 0, "none\n" ); /* L:ctx_none */
    trace_many( 3 );
}

START_TEST(flaky)
{
    flaky ok( 0, "flaky fails\n" ); /* L:flaky_fail */
    flaky ok( 1, "flaky succeeds\n" );
    flaky_wine ok( 0, "flaky_wine\n" ); /* L:flaky_wine */
    flaky_if( 0 ) ok( 0, "flaky_if 0\n" ); /* L:flaky_if0 */
    flaky_wine_if( 1 ) ok( 0, "flaky_wine_if 1\n" ); /* L:fwi1 */
    flaky todo_wine ok( 1, "flaky todo succeeds\n" ); /* L:flaky_todo */
    flaky todo_wine ok( 0, "flaky todo fails\n" ); /* L:flaky_todo_fail */
}

START_TEST(trace)
{
    trace( "hello %s\n", "world" ); /* L:trace */
    todo_wine ok( 0, "quiet todo\n" ); /* L:trace_todo */
    ok( 0, "loud\n" ); /* L:trace_fail */
    winetest_add_failures( 2 );
    winetest_add_failures( -1 );
}

START_TEST(subtest)
{
    char **argv;
    int argc = winetest_get_mainargs( &argv );

    subtest( "first" ); /* L:subtest */
    ignore_exceptions( 1 ); /* L:ignore1 */
    ignore_exceptions( 0 ); /* L:ignore0 */
    trace( "%d arguments, the test's name %s\n", argc, argc > 1 ? argv[1] : "none" ); /* L:mainargs */
}

START_TEST(success)
{
    ok( 1, "first\n" ); /* L:succ1 */
    ok( 1, "second\n" ); /* L:succ2 */
}

START_TEST(mute)
{
    int i;

    trace_many( 50 );
    for (i = 0; i < 45; i++) todo_wine ok( 0, "todo %d\n", i ); /* L:mute_todo */
    for (i = 0; i < 43; i++) skip( "skip %d\n", i ); /* L:mute_skip */
}

#define THREADS 8
#define THREAD_CHECKS 2000

static void *thread_proc( void *arg )
{
    int i, id = (int)(size_t)arg;

    winetest_push_context( "thread %d", id );
    for (i = 0; i < THREAD_CHECKS; i++) ok( 1, "never\n" );
    ok( 0, "fails\n" ); /* L:thr_fail */
    todo_wine ok( 0, "todo\n" ); /* L:thr_todo */
    winetest_pop_context();
    return NULL;
}

#ifdef _WIN32
typedef HANDLE selftest_thread;

static unsigned int __stdcall thread_entry( void *arg )
{
    thread_proc( arg );
    return 0;
}

static void thread_create( selftest_thread *thread, void *arg )
{
    *thread = (HANDLE)_beginthreadex( NULL, 0, thread_entry, arg, 0, NULL );
}

static void thread_join( selftest_thread thread )
{
    WaitForSingleObject( thread, INFINITE );
    CloseHandle( thread );
}
#else
typedef pthread_t selftest_thread;

static void thread_create( selftest_thread *thread, void *arg )
{
    pthread_create( thread, NULL, thread_proc, arg );
}

static void thread_join( selftest_thread thread )
{
    pthread_join( thread, NULL );
}
#endif

START_TEST(threads)
{
    selftest_thread threads[THREADS];
    int i;

    winetest_push_context( "main" );
    todo_wine
    {
        for (i = 0; i < THREADS; i++) thread_create( &threads[i], (void *)(size_t)i );
        for (i = 0; i < THREADS; i++) thread_join( threads[i] );
    }
    winetest_pop_context();
    ok( 0, "main thread\n" ); /* L:thr_main */
}

START_TEST(many)
{
    int i;

    if (!getenv( "SELFTEST_MANY" ))
    {
        skip( "SELFTEST_MANY is unset\n" ); /* L:many_skip */
        return;
    }
    for (i = 0; i < 300; i++) ok( 0, "failure %d\n", i ); /* L:many */
}

START_TEST(crash)
{
    if (!getenv( "SELFTEST_CRASH" ))
    {
        skip( "SELFTEST_CRASH is unset\n" ); /* L:crash_skip */
        return;
    }
    ok( 1, "before the crash\n" ); /* L:crash_ok */
#ifdef _WIN32
    RaiseException( EXCEPTION_ACCESS_VIOLATION, 0, 0, NULL );
#else
    raise( SIGSEGV );
#endif
}
