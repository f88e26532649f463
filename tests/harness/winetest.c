/*
 * ntrundown conformance tests: the harness core
 *
 * Counting, todo and flaky blocks, contexts, message formatting and the
 * summary line, with Wine's semantics and output.  No libc and no host
 * header: everything host-specific goes through winetest_backend.h, so that
 * this file also builds into a Windows kernel driver.  Counters are updated
 * atomically and each line is built on the stack and written with a single
 * winetest_backend_output() call, since tests call ok() from several threads.
 */

#include <stdarg.h>
#include <stddef.h>
#include "winetest_backend.h"

int winetest_debug = 1;
int winetest_interactive = 0;
int winetest_report_success = 0;
int winetest_report_flaky = 0;
int winetest_time = 0;
int winetest_mute_threshold = 42;
const char *winetest_platform = "windows";

static const struct winetest_test *current_test;

static long successes;            /* number of successful tests */
static long failures;             /* number of failures */
static long flaky_failures;       /* number of failures inside flaky block */
static long skipped;              /* number of skipped test chunks */
static long todo_successes;       /* number of tests failing inside todo block, as expected */
static long todo_failures;        /* number of tests succeeding inside todo block */
static long muted_traces;         /* number of silenced traces */
static long muted_skipped;        /* same as skipped but silent */
static long muted_todo_successes; /* same as todo_successes but silent */

static long line_counters[16384]; /* messages printed per line number */

static unsigned long start_time, last_time;

#define counter_inc(x)  __atomic_add_fetch( &(x), 1, __ATOMIC_SEQ_CST )
#define counter_add(x,n) __atomic_add_fetch( &(x), (n), __ATOMIC_SEQ_CST )
#define counter_get(x)  ((int)__atomic_load_n( &(x), __ATOMIC_SEQ_CST ))
#define counter_set(x,v) __atomic_store_n( &(x), (v), __ATOMIC_SEQ_CST )

/* ---- libc-free helpers -------------------------------------------------- */

static size_t wt_strlen( const char *s )
{
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

static int wt_strcmp( const char *a, const char *b )
{
    while (*a && *a == *b) a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

static int wt_atoi( const char *s )
{
    int neg = 0, val = 0;

    while (*s == ' ' || *s == '\t') s++;
    if (*s == '-' || *s == '+') neg = (*s++ == '-');
    while (*s >= '0' && *s <= '9') val = val * 10 + (*s++ - '0');
    return neg ? -val : val;
}

static const char *wt_basename( const char *path )
{
    const char *p, *name = path;

    for (p = path; *p; p++) if (*p == '/' || *p == '\\') name = p + 1;
    return name;
}

/* ---- output ------------------------------------------------------------- */

struct line
{
    size_t len;
    char buf[WINETEST_LINE_MAX];
};

static void line_vappend( struct line *line, const char *fmt, va_list args )
{
    size_t room = sizeof(line->buf) - line->len;

    if (room <= 1) return;
    winetest_backend_vsnprintf( line->buf + line->len, room, fmt, args );
    line->buf[sizeof(line->buf) - 1] = 0;
    line->len += wt_strlen( line->buf + line->len );
}

static void line_append( struct line *line, const char *fmt, ... ) WINETEST_PRINTF_ATTR(2, 3);
static void line_append( struct line *line, const char *fmt, ... )
{
    va_list args;

    va_start( args, fmt );
    line_vappend( line, fmt, args );
    va_end( args );
}

static void line_flush( struct line *line )
{
    static const char mark[] = "...\n";
    size_t i;

    /* a full buffer means the text was cut: say so and end the line */
    if (line->len == sizeof(line->buf) - 1 && line->buf[line->len - 1] != '\n')
        for (i = 0; i < sizeof(mark); i++) line->buf[line->len - 4 + i] = mark[i];
    if (line->buf[0]) winetest_backend_output( line->buf );
    line->len = 0;
    line->buf[0] = 0;
}

static void line_init( struct line *line )
{
    line->len = 0;
    line->buf[0] = 0;
}

static void wt_snprintf( char *buf, size_t size, const char *fmt, ... ) WINETEST_PRINTF_ATTR(3, 4);
static void wt_snprintf( char *buf, size_t size, const char *fmt, ... )
{
    va_list args;

    va_start( args, fmt );
    winetest_backend_vsnprintf( buf, size, fmt, args );
    va_end( args );
    buf[size - 1] = 0;
}

/* seconds since start when WINETEST_TIME is set, as Wine's winetest_elapsed() */
static const char *elapsed( char *buf, size_t size )
{
    unsigned long now, ms;

    buf[0] = 0;
    if (!winetest_time) return buf;
    now = winetest_backend_ticks();
    __atomic_store_n( &last_time, now, __ATOMIC_RELAXED );
    ms = now - start_time;
    wt_snprintf( buf, size, "%lu.%03lu", ms / 1000, ms % 1000 );
    return buf;
}

static void print_location( struct line *line, const struct winetest_thread_data *data )
{
    char time[32];

    line_append( line, "%s:%d:%s ", data->current_file ? data->current_file : "",
                 data->current_line, elapsed( time, sizeof(time) ) );
}

static void print_context( struct line *line, const struct winetest_thread_data *data, const char *msgtype )
{
    unsigned int i, count = data->context_count;

    if (count > WINETEST_CONTEXT_MAX) count = WINETEST_CONTEXT_MAX;
    print_location( line, data );
    line_append( line, "%s", msgtype );
    for (i = 0; i < count; i++) line_append( line, "%s: ", data->context[i] );
}

static void print_message( const struct winetest_thread_data *data, const char *msgtype,
                           const char *msg, va_list args )
{
    struct line line;

    line_init( &line );
    print_context( &line, data, msgtype );
    line_vappend( &line, msg, args );
    line_flush( &line );
}

static void print_line( const char *fmt, ... ) WINETEST_PRINTF_ATTR(1, 2);
static void print_line( const char *fmt, ... )
{
    struct line line;
    va_list args;

    line_init( &line );
    va_start( args, fmt );
    line_vappend( &line, fmt, args );
    va_end( args );
    line_flush( &line );
}

/* "file.c:LINE: " followed by a message, without contexts */
static void print_located( const struct winetest_thread_data *data, const char *fmt, ... ) WINETEST_PRINTF_ATTR(2, 3);
static void print_located( const struct winetest_thread_data *data, const char *fmt, ... )
{
    struct line line;
    va_list args;

    line_init( &line );
    print_location( &line, data );
    va_start( args, fmt );
    line_vappend( &line, fmt, args );
    va_end( args );
    line_flush( &line );
}

/* ---- checks ------------------------------------------------------------- */

void winetest_set_location( const char *file, int line )
{
    struct winetest_thread_data *data = winetest_backend_thread_data();

    data->current_file = wt_basename( file );
    data->current_line = line;
}

int winetest_platform_is( const char *name )
{
    return !wt_strcmp( winetest_platform, name );
}

int broken( int condition )
{
    return winetest_platform_is( "windows" ) && condition;
}

/* how many times the current line printed a message before */
static long add_line( const struct winetest_thread_data *data )
{
    long count;

    if (winetest_debug > 1) return 0;
    count = counter_inc( line_counters[(unsigned int)data->current_line % ARRAY_SIZE(line_counters)] ) - 1;
    if (count == winetest_mute_threshold)
        print_located( data, "Line has been silenced after %d occurrences\n", winetest_mute_threshold );
    return count;
}

int winetest_vok( int condition, const char *msg, va_list args )
{
    struct winetest_thread_data *data = winetest_backend_thread_data();

    if (data->todo_level)
    {
        if (condition)
        {
            if (data->flaky_level)
            {
                print_message( data, "Test succeeded inside flaky todo block: ", msg, args );
                counter_inc( flaky_failures );
            }
            else
            {
                print_message( data, "Test succeeded inside todo block: ", msg, args );
                counter_inc( todo_failures );
            }
            return 0;
        }
        if (!winetest_debug || add_line( data ) < winetest_mute_threshold)
        {
            if (winetest_debug > 0) print_message( data, "Test marked todo: ", msg, args );
            counter_inc( todo_successes );
        }
        else counter_inc( muted_todo_successes );
        return 1;
    }

    if (!condition)
    {
        if (data->flaky_level)
        {
            print_message( data, "Test marked flaky: ", msg, args );
            counter_inc( flaky_failures );
        }
        else
        {
            print_message( data, "Test failed: ", msg, args );
            counter_inc( failures );
        }
        return 0;
    }
    if (winetest_report_success ||
        (winetest_time && winetest_backend_ticks() - __atomic_load_n( &last_time, __ATOMIC_RELAXED ) >= 1000))
        print_located( data, "Test succeeded\n" );
    counter_inc( successes );
    return 1;
}

void winetest_ok( int condition, const char *msg, ... )
{
    va_list args;

    va_start( args, msg );
    winetest_vok( condition, msg, args );
    va_end( args );
}

void winetest_trace( const char *msg, ... )
{
    struct winetest_thread_data *data = winetest_backend_thread_data();
    va_list args;

    if (!winetest_debug) return;
    if (add_line( data ) < winetest_mute_threshold)
    {
        va_start( args, msg );
        print_message( data, "", msg, args );
        va_end( args );
    }
    else counter_inc( muted_traces );
}

void winetest_vskip( const char *msg, va_list args )
{
    struct winetest_thread_data *data = winetest_backend_thread_data();

    if (add_line( data ) < winetest_mute_threshold)
    {
        print_message( data, "Tests skipped: ", msg, args );
        counter_inc( skipped );
    }
    else counter_inc( muted_skipped );
}

void winetest_skip( const char *msg, ... )
{
    va_list args;

    va_start( args, msg );
    winetest_vskip( msg, args );
    va_end( args );
}

void winetest_win_skip( const char *msg, ... )
{
    va_list args;

    va_start( args, msg );
    if (winetest_platform_is( "windows" )) winetest_vskip( msg, args );
    else winetest_vok( 0, msg, args );
    va_end( args );
}

/* ---- todo and flaky blocks, contexts ------------------------------------ */

void winetest_start_todo( int is_todo )
{
    struct winetest_thread_data *data = winetest_backend_thread_data();

    data->todo_level = (data->todo_level << 1) | (is_todo != 0);
    data->todo_do_loop = 1;
}

int winetest_loop_todo(void)
{
    struct winetest_thread_data *data = winetest_backend_thread_data();
    int do_loop = data->todo_do_loop;

    data->todo_do_loop = 0;
    return do_loop;
}

void winetest_end_todo(void)
{
    winetest_backend_thread_data()->todo_level >>= 1;
}

void winetest_start_flaky( int is_flaky )
{
    struct winetest_thread_data *data = winetest_backend_thread_data();

    data->flaky_level = (data->flaky_level << 1) | (is_flaky != 0);
    data->flaky_do_loop = 1;
}

int winetest_loop_flaky(void)
{
    struct winetest_thread_data *data = winetest_backend_thread_data();
    int do_loop = data->flaky_do_loop;

    data->flaky_do_loop = 0;
    return do_loop;
}

void winetest_end_flaky(void)
{
    winetest_backend_thread_data()->flaky_level >>= 1;
}

void winetest_push_context( const char *fmt, ... )
{
    struct winetest_thread_data *data = winetest_backend_thread_data();
    va_list args;

    if (data->context_count < WINETEST_CONTEXT_MAX)
    {
        char *ctx = data->context[data->context_count];

        va_start( args, fmt );
        winetest_backend_vsnprintf( ctx, WINETEST_CONTEXT_LEN, fmt, args );
        va_end( args );
        ctx[WINETEST_CONTEXT_LEN - 1] = 0;
    }
    data->context_count++;
}

void winetest_pop_context(void)
{
    struct winetest_thread_data *data = winetest_backend_thread_data();

    if (data->context_count) data->context_count--;
}

long winetest_get_failures(void)
{
    return __atomic_load_n( &failures, __ATOMIC_SEQ_CST );
}

void winetest_add_failures( long new_failures )
{
    if (new_failures > 0) counter_add( failures, new_failures );
}

/* ---- running tests ------------------------------------------------------ */

static int env_int( const char *name, int value )
{
    const char *str = winetest_backend_getenv( name );
    return str ? wt_atoi( str ) : value;
}

void winetest_init( const char *default_platform )
{
    const char *platform = winetest_backend_getenv( "WINETEST_PLATFORM" );

    winetest_platform = platform ? platform : default_platform ? default_platform : "windows";
    winetest_debug = env_int( "WINETEST_DEBUG", 1 );
    winetest_interactive = env_int( "WINETEST_INTERACTIVE", 0 );
    winetest_report_flaky = env_int( "WINETEST_REPORT_FLAKY", 0 );
    winetest_report_success = env_int( "WINETEST_REPORT_SUCCESS", 0 );
    winetest_time = env_int( "WINETEST_TIME", 0 );
    start_time = last_time = winetest_backend_ticks();
}

void winetest_list_tests(void)
{
    const struct winetest_test *test;

    print_line( "Valid test names:\n" );
    for (test = winetest_testlist; test->name; test++) print_line( "    %s\n", test->name );
}

/* by name, without a directory or a ".c" suffix, as Wine's find_test() */
static const struct winetest_test *find_test( const char *name )
{
    const struct winetest_test *test;
    size_t i, len;

    name = wt_basename( name );
    len = wt_strlen( name );
    if (len > 2 && name[len - 2] == '.' && name[len - 1] == 'c') len -= 2;
    for (test = winetest_testlist; test->name; test++)
    {
        for (i = 0; i < len && test->name[i] == name[i]; i++) ;
        if (i == len && !test->name[len]) return test;
    }
    return NULL;
}

static void reset_counters(void)
{
    size_t i;

    counter_set( successes, 0 );
    counter_set( failures, 0 );
    counter_set( flaky_failures, 0 );
    counter_set( skipped, 0 );
    counter_set( todo_successes, 0 );
    counter_set( todo_failures, 0 );
    counter_set( muted_traces, 0 );
    counter_set( muted_skipped, 0 );
    counter_set( muted_todo_successes, 0 );
    for (i = 0; i < ARRAY_SIZE(line_counters); i++) counter_set( line_counters[i], 0 );
}

int winetest_run( const char *name )
{
    const struct winetest_test *test;
    struct winetest_thread_data *data;
    int total, failed, status;

    if (!(test = find_test( name )))
    {
        print_line( "Fatal: test '%s' does not exist.\n", name );
        winetest_list_tests();
        return -1;
    }

    data = winetest_backend_thread_data();
    data->todo_level = data->flaky_level = 0;
    data->todo_do_loop = data->flaky_do_loop = 0;
    data->context_count = 0;
    reset_counters();
    current_test = test;

    test->func();

    failed = counter_get( failures ) + counter_get( todo_failures );
    if (winetest_debug)
    {
        char time[32];

        elapsed( time, sizeof(time) );
        if (counter_get( muted_todo_successes ) || counter_get( muted_skipped ) || counter_get( muted_traces ))
            print_line( "%04x:%s:%s Silenced %d todos, %d skips and %d traces.\n",
                        (unsigned int)winetest_backend_pid(), test->name, time,
                        counter_get( muted_todo_successes ), counter_get( muted_skipped ),
                        counter_get( muted_traces ) );
        total = counter_get( successes ) + counter_get( failures ) + counter_get( flaky_failures ) +
                counter_get( todo_successes ) + counter_get( todo_failures );
        print_line( "%04x:%s:%s %d tests executed (%d marked as todo, %d as flaky, %d %s), %d skipped.\n",
                    (unsigned int)winetest_backend_pid(), test->name, time, total,
                    counter_get( todo_successes ), counter_get( flaky_failures ), failed,
                    failed != 1 ? "failures" : "failure", counter_get( skipped ) );
    }
    status = failed;
    if (winetest_report_flaky) status += counter_get( flaky_failures );
    current_test = NULL;
    return status;
}

int winetest_run_all(void)
{
    const struct winetest_test *test;
    int status = 0;

    for (test = winetest_testlist; test->name; test++) status += winetest_run( test->name );
    return status;
}

void winetest_report_exception( unsigned int code, const void *address )
{
    struct winetest_thread_data *data = winetest_backend_thread_data();
    char time[32];

    if (data->current_file)
        print_line( "%s:%d: this is the last test seen before the exception\n",
                    data->current_file, data->current_line );
    elapsed( time, sizeof(time) );
    print_line( "%04x:%s:%s unhandled exception %08x at %p\n", (unsigned int)winetest_backend_pid(),
                current_test ? current_test->name : "", time, code, address );
}
