/*
 * ntrundown conformance tests: the interface between the harness core and
 * its back ends
 *
 * winetest.c, the core, uses nothing but <stdarg.h>, <stddef.h> and the
 * functions declared below, so that the same file builds into a user-mode
 * program (winetest_main.c with winetest_host.c or winetest_win32.c) and
 * into a Windows kernel driver.  A back end provides the winetest_backend_*
 * functions and drives the core through winetest_init() and winetest_run()
 * or winetest_run_all().
 */

#ifndef NTRUNDOWN_WINETEST_BACKEND_H
#define NTRUNDOWN_WINETEST_BACKEND_H

#include <stdarg.h>
#include <stddef.h>
#include "winetest.h"

#ifdef __cplusplus
extern "C" {
#endif

/* longest line the core emits, in bytes with its terminating NUL; it lives
 * on the stack of the thread calling ok(), mind kernel stacks */
#ifndef WINETEST_LINE_MAX
# define WINETEST_LINE_MAX 1024
#endif

#define WINETEST_CONTEXT_MAX 8      /* deeper contexts are counted, not printed */
#define WINETEST_CONTEXT_LEN 128

/* state that each thread calling ok() has for its own */
struct winetest_thread_data
{
    const char *current_file;       /* file of the current check, without directories */
    int current_line;               /* line of the current check */
    unsigned int todo_level;        /* one bit per nested todo block, innermost lowest */
    int todo_do_loop;
    unsigned int flaky_level;       /* one bit per nested flaky block */
    int flaky_do_loop;
    unsigned int context_count;     /* number of pushed contexts */
    char context[WINETEST_CONTEXT_MAX][WINETEST_CONTEXT_LEN];
};

/* ---- provided by the back end ------------------------------------------- */

/* Writes text, a NUL-terminated chunk that is usually one whole line ending
 * in "\n", in one piece: chunks written by concurrent threads must not
 * interleave. */
extern void winetest_backend_output( const char *text );

/* Formats like C99 vsnprintf into buf of size bytes (size > 0).  The core
 * terminates buf itself and ignores the return value, so MSVCRT's _vsnprintf
 * semantics are fine too.  Only %s %d %u %x %04x %lu %p %c are used by the
 * core; test messages use whatever the back end supports. */
extern int winetest_backend_vsnprintf( char *buf, size_t size, const char *fmt, va_list args );

/* The value of an environment variable or configuration setting, NULL if
 * unset; the string must stay valid until the process or driver ends. */
extern const char *winetest_backend_getenv( const char *name );

/* The calling thread's state: zero-filled when a thread first asks for it,
 * the same pointer on every later call from that thread. */
extern struct winetest_thread_data *winetest_backend_thread_data(void);

/* The process id shown in the summary line. */
extern unsigned long winetest_backend_pid(void);

/* A millisecond clock, for WINETEST_TIME; its origin does not matter. */
extern unsigned long winetest_backend_ticks(void);

/* ---- provided by a user-mode back end, for winetest_main.c -------------- */

/* Sets the process up to report a crash through winetest_report_exception()
 * and end the run; main() calls it once, after winetest_init(). */
extern void winetest_backend_start(void);

/* ---- provided by the core ----------------------------------------------- */

/* Reads the configuration (WINETEST_PLATFORM, WINETEST_DEBUG,
 * WINETEST_INTERACTIVE, WINETEST_REPORT_SUCCESS, WINETEST_REPORT_FLAKY,
 * WINETEST_TIME) through winetest_backend_getenv(); default_platform is
 * used when WINETEST_PLATFORM is unset ("wine" or "windows"). */
extern void winetest_init( const char *default_platform );

/* Runs the test of that name from winetest_testlist (a path or ".c" suffix
 * is ignored, as Wine does) with fresh counters and prints its summary line.
 * Returns its failures (failures + todo failures, + flaky failures when
 * WINETEST_REPORT_FLAKY is set; not capped), or -1 after printing
 * "Fatal: test 'x' does not exist." and the list of tests. */
extern int winetest_run( const char *name );

/* Runs every test of winetest_testlist in order, each as winetest_run()
 * would; returns the sum of their failures. */
extern int winetest_run_all(void);

/* Prints "Valid test names:" and one "    name" line per test. */
extern void winetest_list_tests(void);

/* Reports an exception or fatal signal as Wine's exception filter does: the
 * location of the last check seen, then "XXXX:test: unhandled exception
 * CODE at ADDRESS".  The back end then ends the run. */
extern void winetest_report_exception( unsigned int code, const void *address );

#ifdef __cplusplus
}
#endif

#endif /* NTRUNDOWN_WINETEST_BACKEND_H */
