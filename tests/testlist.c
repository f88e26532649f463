/*
 * The conformance suite's tests, in the order a full run takes them
 */

#include "winetest.h"

extern void func_rundown(void);
extern void func_rundown_cache_aware(void);
extern void func_rundown_stress(void);
extern void func_rundown_long_stress(void);

const struct winetest_test winetest_testlist[] =
{
    { "rundown", func_rundown },
    { "rundown_cache_aware", func_rundown_cache_aware },
    { "rundown_stress", func_rundown_stress },
    { "rundown_long_stress", func_rundown_long_stress },
    { 0, 0 }
};
