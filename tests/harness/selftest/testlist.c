/* the tests of the harness self-test, in the order of a full run */

#include "winetest.h"

extern void func_ok(void);
extern void func_todo(void);
extern void func_broken_skip(void);
extern void func_context(void);
extern void func_flaky(void);
extern void func_trace(void);
extern void func_subtest(void);
extern void func_success(void);
extern void func_mute(void);
extern void func_threads(void);
extern void func_many(void);
extern void func_crash(void);

const struct winetest_test winetest_testlist[] =
{
    { "ok", func_ok },
    { "todo", func_todo },
    { "broken_skip", func_broken_skip },
    { "context", func_context },
    { "flaky", func_flaky },
    { "trace", func_trace },
    { "subtest", func_subtest },
    { "success", func_success },
    { "mute", func_mute },
    { "threads", func_threads },
    { "many", func_many },
    { "crash", func_crash },
    { 0, 0 }
};
