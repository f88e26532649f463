/*
 * The conformance suite in Wine's test driver
 *
 * make-series.py puts this, then the suite's files (tests/*.c, without their
 * includes), into Wine's dlls/ntoskrnl.exe/tests/driver.c, before
 * main_test(), which calls test_rundown_protection().  Wine's utils.h is the
 * harness there; the routines are imported from ntoskrnl.exe, there are no
 * kernel hooks (tests/driver/kernel_hooks_none.c), and driver.c looks the
 * thread object type up in main_test() before the tests run.
 */

/* ---- rundown protection: ntrundown's conformance suite ---- */

#define START_TEST(name) static void func_##name(void)
#define PsThreadType pPsThreadType

/* hal.dll's, as the WDK declares it; Wine's headers do not */
LARGE_INTEGER WINAPI KeQueryPerformanceCounter(LARGE_INTEGER *frequency);

/* no configuration reaches the driver: the tests' defaults */
static const char *winetest_backend_getenv(const char *name)
{
    (void)name;
    return NULL;
}

BOOLEAN rundown_routines_available(BOOLEAN cache_aware)
{
    (void)cache_aware;
    return TRUE;
}
