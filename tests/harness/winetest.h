/*
 * ntrundown conformance tests: the test API, in the style of Wine's
 *
 * Test sources use it the way Wine's tests use <wine/test.h>: ok(), todo_wine,
 * broken(), skip(), trace(), subtest, contexts and flaky blocks, with the
 * same semantics and the same output as Wine 8.0's harness, which
 * tests/harness/compare/ checks byte for byte.  Not provided:
 * winetest_wait_child_process() (Win32 processes only).  The core (winetest.c) is free of libc and
 * host headers so that it builds into a Windows kernel driver as well as into
 * a user-mode program; winetest_backend.h is its interface to the host.
 *
 * Each test program defines winetest_testlist[] in its testlist.c, ending
 * with { 0, 0 }, and each test in it with START_TEST(name).
 *
 * ok, skip, win_skip, trace, subtest and ignore_exceptions are object-like macros, as in Wine: include
 * this header after every other header, or a parameter named "skip" in a
 * prototype (as in hostkrnl's wdm.h) no longer compiles.
 */

#ifndef NTRUNDOWN_WINETEST_H
#define NTRUNDOWN_WINETEST_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
# define WINETEST_PRINTF_ATTR(fmt, args) __attribute__((format(printf, fmt, args)))
#else
# define WINETEST_PRINTF_ATTR(fmt, args)
#endif

/* configuration, read from the WINETEST_* environment variables at start */
extern int winetest_debug;            /* debug level: 0 silences traces and the summary */
extern int winetest_interactive;      /* running in interactive mode? */
extern int winetest_report_success;   /* print a line for each successful test */
extern int winetest_report_flaky;     /* count flaky failures in the exit status */
extern int winetest_time;             /* print elapsed time after each location */
extern int winetest_mute_threshold;   /* silence a line's todos, skips and traces past this
                                         (42; Wine 8.0 has no variable for it) */
extern int winetest_color;            /* print Wine's colour codes (WINETEST_COLOR) */
extern const char *winetest_platform; /* "wine" or "windows" */

struct winetest_test
{
    const char *name;
    void (*func)(void);
};

/* provided by each test program's testlist.c, ended by { 0, 0 } */
extern const struct winetest_test winetest_testlist[];

#define START_TEST(name) void func_##name(void)

extern void winetest_set_location( const char *file, int line );
extern void winetest_subtest( const char *name );
extern void winetest_ignore_exceptions( int ignore );
extern int winetest_vok( int condition, const char *msg, va_list args );
extern void winetest_vskip( const char *msg, va_list args );
extern void winetest_ok( int condition, const char *msg, ... ) WINETEST_PRINTF_ATTR(2, 3);
extern void winetest_skip( const char *msg, ... ) WINETEST_PRINTF_ATTR(1, 2);
extern void winetest_win_skip( const char *msg, ... ) WINETEST_PRINTF_ATTR(1, 2);
extern void winetest_trace( const char *msg, ... ) WINETEST_PRINTF_ATTR(1, 2);
extern void winetest_push_context( const char *fmt, ... ) WINETEST_PRINTF_ATTR(1, 2);
extern void winetest_pop_context(void);
extern void winetest_start_todo( int is_todo );
extern int winetest_loop_todo(void);
extern void winetest_end_todo(void);
extern void winetest_start_flaky( int is_flaky );
extern int winetest_loop_flaky(void);
extern void winetest_end_flaky(void);
extern int winetest_platform_is( const char *name );
extern int broken( int condition );
extern long winetest_get_failures(void);
extern void winetest_add_failures( long new_failures );
/* the program's arguments (user-mode programs only: not in a driver) */
extern int winetest_get_mainargs( char ***pargv );

#ifdef WINETEST_NO_LINE_NUMBERS
# define WINETEST_LINE(line) 0
#else
# define WINETEST_LINE(line) (line)
#endif

#define subtest_(file, line)  (winetest_set_location(file, WINETEST_LINE(line)), 0) ? (void)0 : winetest_subtest
#define ignore_exceptions_(file, line) \
                              (winetest_set_location(file, WINETEST_LINE(line)), 0) ? (void)0 : winetest_ignore_exceptions
#define ok_(file, line)       (winetest_set_location(file, WINETEST_LINE(line)), 0) ? (void)0 : winetest_ok
#define skip_(file, line)     (winetest_set_location(file, WINETEST_LINE(line)), 0) ? (void)0 : winetest_skip
#define win_skip_(file, line) (winetest_set_location(file, WINETEST_LINE(line)), 0) ? (void)0 : winetest_win_skip
#define trace_(file, line)    (winetest_set_location(file, WINETEST_LINE(line)), 0) ? (void)0 : winetest_trace

#define subtest  subtest_(__FILE__, __LINE__)
#define ignore_exceptions ignore_exceptions_(__FILE__, __LINE__)
#define ok       ok_(__FILE__, __LINE__)
#define skip     skip_(__FILE__, __LINE__)
#define win_skip win_skip_(__FILE__, __LINE__)
#define trace    trace_(__FILE__, __LINE__)

#define todo_if(is_todo) for (winetest_start_todo(is_todo); \
                              winetest_loop_todo(); \
                              winetest_end_todo())
#define todo_wine               todo_if(winetest_platform_is("wine"))
#define todo_wine_if(is_todo)   todo_if((is_todo) && winetest_platform_is("wine"))

#define flaky_if(is_flaky) for (winetest_start_flaky(is_flaky); \
                                winetest_loop_flaky(); \
                                winetest_end_flaky())
#define flaky                   flaky_if(1)
#define flaky_wine              flaky_if(winetest_platform_is("wine"))
#define flaky_wine_if(is_flaky) flaky_if((is_flaky) && winetest_platform_is("wine"))

#ifndef ARRAY_SIZE
# define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif

#ifdef __cplusplus
}
#endif

#endif /* NTRUNDOWN_WINETEST_H */
