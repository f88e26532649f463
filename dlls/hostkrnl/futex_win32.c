/*
 * Win32 port: waiting on addresses and the clock
 *
 * WaitOnAddress and WakeByAddress* (Windows 8, synchapi.h, in
 * api-ms-win-core-synch-l1-2-0: link -lsynchronization) are the futexes of
 * Win32; the clock is the performance counter.
 */

#ifndef _WIN32_WINNT
# define _WIN32_WINNT 0x0602
#endif
#include <windows.h>

#include "ntrundown_types.h"
#include "hostkrnl_port.h"

#define TICKS_PER_SECOND 10000000

LONGLONG hostkrnl_performance_counter(LONGLONG *frequency)
{
    LARGE_INTEGER counter, freq;

    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&counter);
    *frequency = freq.QuadPart;
    return counter.QuadPart;
}

LONGLONG hostkrnl_monotonic_time(void)
{
    static LONGLONG frequency;   /* counts per second, 0 until first asked */
    LARGE_INTEGER counter, freq;
    LONGLONG f = __atomic_load_n(&frequency, __ATOMIC_RELAXED);

    if (!f)
    {
        /* cannot fail on Windows XP and later */
        QueryPerformanceFrequency(&freq);
        f = freq.QuadPart > 0 ? freq.QuadPart : 1;
        __atomic_store_n(&frequency, f, __ATOMIC_RELAXED);
    }
    QueryPerformanceCounter(&counter);
    /* round up, so that a deadline computed from it is never early */
    return counter.QuadPart / f * TICKS_PER_SECOND
         + ((counter.QuadPart % f) * TICKS_PER_SECOND + f - 1) / f;
}

/* Milliseconds until the deadline, rounded up; 0 once it has passed;
 * INFINITE for none; a deadline too far away to express is a wait that
 * returns early, which callers allow. */
static DWORD timeout_ms(const LONGLONG *deadline)
{
    LONGLONG left;

    if (!deadline) return INFINITE;
    left = *deadline - hostkrnl_monotonic_time();
    if (left <= 0) return 0;
    left = (left + 9999) / 10000;
    return left < (LONGLONG)INFINITE ? (DWORD)left : INFINITE - 1;
}

BOOLEAN hostkrnl_wait_on_address(volatile LONG *addr, LONG expected, const LONGLONG *deadline)
{
    DWORD ms = timeout_ms(deadline);

    if (!ms) return FALSE;
    if (WaitOnAddress(addr, &expected, sizeof(expected), ms)) return TRUE;
    /* A timeout counts only once the deadline has passed on our clock. */
    return GetLastError() != ERROR_TIMEOUT || timeout_ms(deadline) != 0;
}

void hostkrnl_wake_address(volatile LONG *addr, BOOLEAN all)
{
    /* Both only hash the address; neither reads *addr. */
    if (all)
        WakeByAddressAll((PVOID)addr);
    else
        WakeByAddressSingle((PVOID)addr);
}

void hostkrnl_sleep_until(const LONGLONG *deadline)
{
    DWORD ms;

    if (!deadline)
    {
        for (;;) Sleep(INFINITE);
    }
    while ((ms = timeout_ms(deadline))) Sleep(ms);
}

void hostkrnl_yield(void)
{
    SwitchToThread();
}
