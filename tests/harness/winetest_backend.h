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

/* The core builds each line in a buffer of this many bytes on the stack of
 * the thread calling ok() (mind kernel stacks); a longer line moves to a
 * buffer from winetest_backend_alloc(), so lines have no length limit, as
 * in Wine, unless the back end refuses the memory (see there). */
#ifndef WINETEST_LINE_STACK
# define WINETEST_LINE_STACK 256
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

/* Writes text, a NUL-terminated chunk that is one whole line as Wine's
 * harness prints it (colour codes included), in one piece: chunks written by
 * concurrent threads must not interleave.  A line ends in "\n" unless the
 * test's message had none; a Windows user-mode back end writes it as
 * Wine's msvcrt stdout does (text mode: "\r\n"). */
extern void winetest_backend_output( const char *text );

/* Formats like vsnprintf into buf of size bytes (size > 0).  Returns the
 * length of the text when all of it fit in size - 1 bytes; otherwise any
 * value < 0 or >= size - 1 (C99's needed length or MSVCRT _vsnprintf's -1
 * are both fine); the core then retries with a larger buffer.  The core
 * terminates buf itself.  Only %s %d %u %x %04x %lu %p %c are used by the
 * core; test messages use whatever the back end supports. */
extern int winetest_backend_vsnprintf( char *buf, size_t size, const char *fmt, va_list args );

/* Memory for a line longer than WINETEST_LINE_STACK: NULL when the back end
 * cannot or will not give that much, and the core then prints what it has,
 * ending the line with "...".  Called wherever ok() is (in a driver at
 * IRQL <= DISPATCH_LEVEL), never from winetest_report_exception(). */
extern void *winetest_backend_alloc( size_t size );
extern void winetest_backend_free( void *ptr );

/* The value of an environment variable or configuration setting, NULL if
 * unset; the string must stay valid until the process or driver ends.  The
 * core takes an empty value for an unset one, as Wine's harness does
 * (GetEnvironmentVariableA returns 0 for it). */
extern const char *winetest_backend_getenv( const char *name );

/* WINETEST_COLOR as Wine's main() takes it: automode for "auto", where the
 * answer is whether the output is a terminal, else value (the atoi of the
 * setting).  When that is nonzero on a Windows console, turns on its
 * escape-sequence processing, and in automode returns 0 if that fails.
 * Returns whether to print colour codes. */
extern int winetest_backend_color( int automode, int value );

/* The calling thread's state: zero-filled when a thread first asks for it,
 * the same pointer on every later call from that thread. */
extern struct winetest_thread_data *winetest_backend_thread_data(void);

/* The process id shown in the summary line. */
extern unsigned long winetest_backend_pid(void);

/* A millisecond clock, for WINETEST_TIME; its origin does not matter. */
extern unsigned long winetest_backend_ticks(void);

/* ---- provided by a user-mode back end, for winetest_main.c -------------- */

/* The platform when WINETEST_PLATFORM is unset: Wine's harness says "wine"
 * when ntdll.dll exports wine_server_call, else "windows". */
extern const char *winetest_backend_default_platform(void);

/* Sets the process up after winetest_init(): error mode and crash handler
 * (reporting through winetest_report_exception()), as Wine's main() does. */
extern void winetest_backend_start(void);

/* ---- provided by the core ----------------------------------------------- */

/* Reads the configuration (WINETEST_PLATFORM, WINETEST_COLOR,
 * WINETEST_DEBUG, WINETEST_INTERACTIVE, WINETEST_REPORT_FLAKY,
 * WINETEST_REPORT_SUCCESS, WINETEST_TIME: the variables Wine 8.0's harness
 * reads; it does not read WINETEST_MUTE_THRESHOLD) through
 * winetest_backend_getenv(); default_platform is used when
 * WINETEST_PLATFORM is unset ("wine" or "windows"). */
extern void winetest_init( const char *default_platform );

/* Runs the test of that name from winetest_testlist (a path or ".c" suffix
 * is ignored, as Wine does) with fresh counters and prints its summary line.
 * Returns its exit status as Wine's run_test() computes it (failures + todo
 * failures, + flaky failures when WINETEST_REPORT_FLAKY is set, at most
 * 255), or -1 after printing "Fatal: test 'x' does not exist.", where Wine's
 * harness exits with status 1. */
extern int winetest_run( const char *name );

/* Runs every test of winetest_testlist in order, each as winetest_run()
 * would; returns the sum of their statuses.  Wine's harness has no such
 * mode: only the test driver uses it. */
extern int winetest_run_all(void);

/* Prints "Valid test names:" and one "    name" line per test. */
extern void winetest_list_tests(void);

/* Prints Wine's usage text: "Usage: ARGV0 test_name", an empty line and the
 * list of tests. */
extern void winetest_usage( const char *argv0 );

/* Reports an exception or fatal signal as Wine's exception filter does: the
 * location of the last check seen, then "XXXX:test: unhandled exception
 * CODE at ADDRESS".  The back end then ends the run. */
extern void winetest_report_exception( unsigned int code, const void *address );

#ifdef __cplusplus
}
#endif

#endif /* NTRUNDOWN_WINETEST_BACKEND_H */
