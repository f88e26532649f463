/*
 * ntrundown conformance tests: the harness core
 *
 * Counting, todo and flaky blocks, contexts, message formatting and the
 * summary line, with the semantics and the output of Wine 8.0's
 * include/wine/test.h (tests/harness/compare/ checks them against it byte for
 * byte).  No libc and no host header: everything host-specific goes through
 * winetest_backend.h, so that this file also builds into a Windows kernel
 * driver.  Counters are updated atomically and each line is built whole and
 * written with a single winetest_backend_output() call, since tests call ok()
 * from several threads (Wine's harness holds a mutex around its printf calls
 * instead).  A line starts in a small buffer on the stack and moves to one
 * from winetest_backend_alloc() when it outgrows it, so that lines are as
 * long as Wine's, without a large buffer on a kernel stack.
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
int winetest_color = 0;
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

    while (*s == ' ' || (*s >= '\t' && *s <= '\r')) s++;   /* isspace() in the C locale */
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

/* Wine's colours (WINETEST_COLOR): a coloured line starts with its colour
 * and is followed by the reset, after its newline. */
static const char color_reset[] = "\x1b[0m";
static const char color_dark_red[] = "\x1b[31m";
static const char color_dark_purple[] = "\x1b[35m";
static const char color_green[] = "\x1b[32m";
static const char color_yellow[] = "\x1b[33m";
static const char color_blue[] = "\x1b[34m";
static const char color_bright_red[] = "\x1b[1;91m";
static const char color_bright_purple[] = "\x1b[1;95m";

/* A line being built: in stack[] until it outgrows it, then in memory from
 * the back end.  If that is refused, the text is cut and marked. */
struct line
{
    char *buf;
    size_t len;                  /* text in buf, without its NUL */
    size_t size;                 /* of buf */
    int cut;                     /* text was lost */
    char stack[WINETEST_LINE_STACK];
};

/* the largest buffer asked for: far more than anyone prints, and small
 * enough that doubling cannot overflow */
#define LINE_LIMIT ((size_t)1 << (sizeof(size_t) > 4 ? 30 : 28))

static void line_init( struct line *line )
{
    line->buf = line->stack;
    line->len = 0;
    line->size = sizeof(line->stack);
    line->cut = 0;
    line->buf[0] = 0;
}

static int line_grow( struct line *line, size_t want )
{
    size_t size = line->size;
    char *buf;
    size_t i;

    if (want <= size) want = size + 1;
    while (size < want && size < LINE_LIMIT) size *= 2;
    if (size < want || !(buf = winetest_backend_alloc( size ))) return 0;
    for (i = 0; i <= line->len; i++) buf[i] = line->buf[i];
    if (line->buf != line->stack) winetest_backend_free( line->buf );
    line->buf = buf;
    line->size = size;
    return 1;
}

static void line_vappend( struct line *line, const char *fmt, va_list args )
{
    for (;;)
    {
        size_t room = line->size - line->len;
        va_list copy;
        int ret;

        va_copy( copy, args );
        ret = winetest_backend_vsnprintf( line->buf + line->len, room, fmt, copy );
        va_end( copy );
        line->buf[line->size - 1] = 0;
        if (ret >= 0 && (size_t)ret < room - 1)
        {
            line->len += (size_t)ret;
            return;
        }
        /* C99's answer is the length needed; MSVCRT's -1 says nothing, but
         * a text that was cut fills the room, and one that does not was not
         * cut: the formatting failed, keep what it made */
        if (ret < 0 && wt_strlen( line->buf + line->len ) < room - 1)
        {
            line->len += wt_strlen( line->buf + line->len );
            return;
        }
        if (!line_grow( line, ret >= 0 ? line->len + (size_t)ret + 2 : line->size * 2 ))
        {
            line->len += wt_strlen( line->buf + line->len );
            line->cut = 1;
            return;
        }
    }
}

static void line_append( struct line *line, const char *fmt, ... ) WINETEST_PRINTF_ATTR(2, 3);
static void line_append( struct line *line, const char *fmt, ... )
{
    va_list args;

    va_start( args, fmt );
    line_vappend( line, fmt, args );
    va_end( args );
}

/* writes the line, with the reset after it when it has a colour */
static void line_flush( struct line *line, const char *color )
{
    static const char mark[] = "...\n";
    size_t i;

    if (color) line_append( line, "%s", color_reset );
    if (line->cut)
    {
        /* the back end gave no more memory: say so and end the line */
        size_t pos = line->len >= sizeof(mark) - 1 ? line->len - (sizeof(mark) - 1) : 0;
        for (i = 0; i < sizeof(mark); i++) line->buf[pos + i] = mark[i];
    }
    if (line->buf[0]) winetest_backend_output( line->buf );
    if (line->buf != line->stack) winetest_backend_free( line->buf );
    line_init( line );
}

/* a line in a colour, or NULL (no colour); the colour goes first */
static const char *line_start( struct line *line, const char *color )
{
    line_init( line );
    if (!winetest_color || !color) return NULL;
    line_append( line, "%s", color );
    return color;
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

    /* Wine's harness reads past its 8 contexts here; we print 8 */
    if (count > WINETEST_CONTEXT_MAX) count = WINETEST_CONTEXT_MAX;
    print_location( line, data );
    line_append( line, "%s", msgtype );
    for (i = 0; i < count; i++) line_append( line, "%s: ", data->context[i] );
}

static void print_message( const struct winetest_thread_data *data, const char *color, const char *msgtype,
                           const char *msg, va_list args )
{
    struct line line;

    color = line_start( &line, color );
    print_context( &line, data, msgtype );
    line_vappend( &line, msg, args );
    line_flush( &line, color );
}

static void print_line( const char *color, const char *fmt, ... ) WINETEST_PRINTF_ATTR(2, 3);
static void print_line( const char *color, const char *fmt, ... )
{
    struct line line;
    va_list args;

    color = line_start( &line, color );
    va_start( args, fmt );
    line_vappend( &line, fmt, args );
    va_end( args );
    line_flush( &line, color );
}

/* "file.c:LINE: " followed by a message, without contexts (winetest_printf) */
static void print_located( const struct winetest_thread_data *data, const char *color,
                           const char *fmt, ... ) WINETEST_PRINTF_ATTR(3, 4);
static void print_located( const struct winetest_thread_data *data, const char *color, const char *fmt, ... )
{
    struct line line;
    va_list args;

    color = line_start( &line, color );
    print_location( &line, data );
    va_start( args, fmt );
    line_vappend( &line, fmt, args );
    va_end( args );
    line_flush( &line, color );
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
        print_located( data, NULL, "Line has been silenced after %d occurrences\n", winetest_mute_threshold );
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
                print_message( data, color_dark_purple, "Test succeeded inside flaky todo block: ", msg, args );
                counter_inc( flaky_failures );
            }
            else
            {
                print_message( data, color_dark_red, "Test succeeded inside todo block: ", msg, args );
                counter_inc( todo_failures );
            }
            return 0;
        }
        if (!winetest_debug || add_line( data ) < winetest_mute_threshold)
        {
            if (winetest_debug > 0) print_message( data, color_yellow, "Test marked todo: ", msg, args );
            counter_inc( todo_successes );
        }
        else counter_inc( muted_todo_successes );
        return 1;
    }

    if (!condition)
    {
        if (data->flaky_level)
        {
            print_message( data, color_bright_purple, "Test marked flaky: ", msg, args );
            counter_inc( flaky_failures );
        }
        else
        {
            print_message( data, color_bright_red, "Test failed: ", msg, args );
            counter_inc( failures );
        }
        return 0;
    }
    if (winetest_report_success ||
        (winetest_time && winetest_backend_ticks() - __atomic_load_n( &last_time, __ATOMIC_RELAXED ) >= 1000))
        print_located( data, color_green, "Test succeeded\n" );
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
        print_message( data, NULL, "", msg, args );
        va_end( args );
    }
    else counter_inc( muted_traces );
}

void winetest_vskip( const char *msg, va_list args )
{
    struct winetest_thread_data *data = winetest_backend_thread_data();

    if (add_line( data ) < winetest_mute_threshold)
    {
        print_message( data, color_blue, "Tests skipped: ", msg, args );
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

void winetest_subtest( const char *name )
{
    print_located( winetest_backend_thread_data(), NULL, "Subtest %s\n", name );
}

void winetest_ignore_exceptions( int ignore )
{
    print_located( winetest_backend_thread_data(), NULL, "IgnoreExceptions=%d\n", ignore ? 1 : 0 );
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

/* a configuration setting, NULL when unset or empty (Wine's harness reads
 * them with GetEnvironmentVariableA, which returns 0 for an empty value) */
static const char *env_str( const char *name )
{
    const char *str = winetest_backend_getenv( name );
    return str && *str ? str : NULL;
}

static int env_int( const char *name, int value )
{
    const char *str = env_str( name );
    return str ? wt_atoi( str ) : value;
}

void winetest_init( const char *default_platform )
{
    const char *platform = env_str( "WINETEST_PLATFORM" ), *color = env_str( "WINETEST_COLOR" );

    winetest_platform = platform ? platform : default_platform ? default_platform : "windows";
    winetest_color = 0;
    if (color)
    {
        int automode = !wt_strcmp( color, "auto" );
        winetest_color = winetest_backend_color( automode, automode ? 0 : wt_atoi( color ) );
    }
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

    print_line( NULL, "Valid test names:\n" );
    for (test = winetest_testlist; test->name; test++) print_line( NULL, "    %s\n", test->name );
}

void winetest_usage( const char *argv0 )
{
    print_line( NULL, "Usage: %s test_name\n\n", argv0 );
    winetest_list_tests();
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
    char time[32];

    if (!(test = find_test( name )))
    {
        print_line( NULL, "Fatal: test '%s' does not exist.\n", name );
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
        /* each line reads the clock, as Wine's do */
        if (counter_get( muted_todo_successes ) || counter_get( muted_skipped ) || counter_get( muted_traces ))
            print_line( NULL, "%04x:%s:%s Silenced %d todos, %d skips and %d traces.\n",
                        (unsigned int)winetest_backend_pid(), test->name, elapsed( time, sizeof(time) ),
                        counter_get( muted_todo_successes ), counter_get( muted_skipped ),
                        counter_get( muted_traces ) );
        total = counter_get( successes ) + counter_get( failures ) + counter_get( flaky_failures ) +
                counter_get( todo_successes ) + counter_get( todo_failures );
        print_line( NULL, "%04x:%s:%s %d tests executed (%d marked as todo, %d as flaky, %d %s), %d skipped.\n",
                    (unsigned int)winetest_backend_pid(), test->name, elapsed( time, sizeof(time) ), total,
                    counter_get( todo_successes ), counter_get( flaky_failures ), failed,
                    failed != 1 ? "failures" : "failure", counter_get( skipped ) );
    }
    status = failed;
    if (winetest_report_flaky) status += counter_get( flaky_failures );
    current_test = NULL;
    return status > 255 ? 255 : status;
}

int winetest_run_all(void)
{
    const struct winetest_test *test;
    int status = 0;

    for (test = winetest_testlist; test->name; test++) status += winetest_run( test->name );
    return status;
}

/* Short lines only (they fit on the stack): this may run in a signal
 * handler, where the back end cannot allocate. */
void winetest_report_exception( unsigned int code, const void *address )
{
    struct winetest_thread_data *data = winetest_backend_thread_data();
    char time[32];

    if (data->current_file)
        print_line( NULL, "%s:%d: this is the last test seen before the exception\n",
                    data->current_file, data->current_line );
    print_line( color_bright_red, "%04x:%s:%s unhandled exception %08x at %p\n",
                (unsigned int)winetest_backend_pid(), current_test ? current_test->name : "",
                elapsed( time, sizeof(time) ), code, address );
}
