/*
 * The routines under test are linked in: the host build and the driver
 * built against ntrundown.sys can always call them
 */

#include "support.h"

BOOLEAN rundown_routines_available(BOOLEAN cache_aware)
{
    (void)cache_aware;
    return TRUE;
}

const char *rundown_routines_platform(void)
{
    return "wine";
}
