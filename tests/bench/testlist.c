/*
 * The benchmark's one test (tools/measure/bench.sh runs it)
 */

#include "winetest.h"

extern void func_rundown_bench(void);

const struct winetest_test winetest_testlist[] =
{
    { "rundown_bench", func_rundown_bench },
    { 0, 0 }
};
