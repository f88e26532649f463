/*
 * The harness compared with Wine's: the list of tests of compare.c
 *
 * With COMPARE_WINE this is the file in which Wine's tests include
 * <wine/test.h> with STANDALONE defined, which brings Wine's harness itself
 * (its main() included) into the program; without, it is the project's
 * testlist, the harness coming from winetest.c and a back end.  With
 * COMPARE_SINGLE the list has one test, for Wine's rule that a program of
 * one test runs it when given no argument.
 */

#ifdef COMPARE_WINE
# include <windows.h>
# define STANDALONE
# include <wine/test.h>
# define TESTLIST_ENTRY struct test
#else
# include "winetest.h"
# define TESTLIST_ENTRY struct winetest_test
#endif

extern void func_ok(void);
#ifndef COMPARE_SINGLE
extern void func_todo(void);
extern void func_broken_skip(void);
extern void func_flaky(void);
extern void func_trace(void);
extern void func_context(void);
extern void func_success(void);
extern void func_mute(void);
extern void func_long(void);
extern void func_subtest(void);
extern void func_many(void);
extern void func_crash(void);
extern void func_threads(void);
extern void func_args(void);
#endif

const TESTLIST_ENTRY winetest_testlist[] =
{
    { "ok", func_ok },
#ifndef COMPARE_SINGLE
    { "todo", func_todo },
    { "broken_skip", func_broken_skip },
    { "flaky", func_flaky },
    { "trace", func_trace },
    { "context", func_context },
    { "success", func_success },
    { "mute", func_mute },
    { "long", func_long },
    { "subtest", func_subtest },
    { "many", func_many },
    { "crash", func_crash },
    { "threads", func_threads },
    { "args", func_args },
#endif
    { 0, 0 }
};
