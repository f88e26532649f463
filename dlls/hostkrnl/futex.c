/*
 * Host port: waiting on addresses and the clock, on Linux futexes
 */

#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/syscall.h>

#include "hostkrnl_private.h"

#define TICKS_PER_SECOND 10000000

/* The raw futex system call takes the kernel's native timespec. */
_Static_assert(sizeof(struct timespec) == 2 * sizeof(long),
               "struct timespec does not match the futex system call's");

/* Returns FALSE when the deadline is too far away to express. */
static BOOLEAN deadline_to_timespec(LONGLONG deadline, struct timespec *ts)
{
    LONGLONG seconds = deadline / TICKS_PER_SECOND;

    if (seconds > (LONGLONG)LONG_MAX) return FALSE;
    ts->tv_sec = (time_t)seconds;
    ts->tv_nsec = (long)(deadline % TICKS_PER_SECOND) * 100;
    return TRUE;
}

LONGLONG hostkrnl_performance_counter(LONGLONG *frequency)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    *frequency = 1000000000;
    return (LONGLONG)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

LONGLONG hostkrnl_monotonic_time(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* round up, so that a deadline computed from it is never early */
    return (LONGLONG)ts.tv_sec * TICKS_PER_SECOND + (ts.tv_nsec + 99) / 100;
}

BOOLEAN hostkrnl_wait_on_address(volatile LONG *addr, LONG expected, const LONGLONG *deadline)
{
    struct timespec ts, *abs_timeout = NULL;

    if (deadline && deadline_to_timespec(*deadline, &ts)) abs_timeout = &ts;
    /* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time */
    if (syscall(SYS_futex, addr, FUTEX_WAIT_BITSET_PRIVATE, expected, abs_timeout,
                NULL, FUTEX_BITSET_MATCH_ANY) == -1 && errno == ETIMEDOUT)
        return FALSE;
    return TRUE;
}

void hostkrnl_wake_address(volatile LONG *addr, BOOLEAN all)
{
    syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, all ? INT_MAX : 1, NULL, NULL, 0);
}

void hostkrnl_sleep_until(const LONGLONG *deadline)
{
    struct timespec ts;

    if (!deadline || !deadline_to_timespec(*deadline, &ts))
    {
        for (;;) pause();
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

void hostkrnl_yield(void)
{
    sched_yield();
}
