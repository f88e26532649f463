/*
 * Host kernel services: waiting and delaying
 */

#include <stdint.h>

#include "hostkrnl_private.h"

/* Turns a relative interval (negative, 100 ns units) into a deadline on the
 * monotonic clock; NULL for no deadline at all. */
static const LONGLONG *relative_deadline(const char *function, const LARGE_INTEGER *interval, LONGLONG *deadline)
{
    ULONGLONG ticks;
    LONGLONG now;

    if (!interval) return NULL;
    if (interval->QuadPart > 0)
        hostkrnl_bug("%s: absolute time %lld is not emulated, use a negative (relative) interval",
                     function, (long long)interval->QuadPart);
    ticks = 0 - (ULONGLONG)interval->QuadPart;
    now = hostkrnl_monotonic_time();
    if (ticks > (ULONGLONG)(INT64_MAX - now)) return NULL;
    *deadline = now + (LONGLONG)ticks;
    return deadline;
}

/***********************************************************************
 *           KeWaitForSingleObject   (NTOSKRNL.EXE.@)
 */
NTSTATUS NTAPI KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                     BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    BOOLEAN poll = Timeout && Timeout->QuadPart == 0;
    const LONGLONG *deadline;
    LONGLONG end;

    (void)WaitReason;
    (void)WaitMode;
    (void)Alertable;
    if (!poll && KeGetCurrentIrql() > APC_LEVEL)
        hostkrnl_bug("IRQL_NOT_LESS_OR_EQUAL: KeWaitForSingleObject(%p) with a %s timeout at IRQL %u; "
                     "above APC_LEVEL only a zero timeout is allowed",
                     Object, Timeout ? "nonzero" : "NULL", KeGetCurrentIrql());
    hostkrnl_check_irql("KeWaitForSingleObject", DISPATCH_LEVEL);
    if (!Object) hostkrnl_bug("KeWaitForSingleObject: NULL object");
    deadline = poll ? NULL : relative_deadline("KeWaitForSingleObject", Timeout, &end);

    switch (*(const LONG *)Object)
    {
    case HOSTKRNL_EVENT_OBJECT:
        return hostkrnl_wait_event(Object, poll, deadline);
    case HOSTKRNL_THREAD_OBJECT:
        return hostkrnl_wait_thread(Object, poll, deadline);
    default:
        hostkrnl_bug("KeWaitForSingleObject: %p is neither an initialized KEVENT nor a referenced thread object",
                     Object);
    }
}

/***********************************************************************
 *           KeDelayExecutionThread   (NTOSKRNL.EXE.@)
 */
NTSTATUS NTAPI KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval)
{
    LONGLONG end;

    (void)WaitMode;
    (void)Alertable;
    hostkrnl_check_irql("KeDelayExecutionThread", APC_LEVEL);
    if (!Interval) hostkrnl_bug("KeDelayExecutionThread: NULL interval");
    if (Interval->QuadPart == 0)
        hostkrnl_yield();
    else
        hostkrnl_sleep_until(relative_deadline("KeDelayExecutionThread", Interval, &end));
    return STATUS_SUCCESS;
}

/***********************************************************************
 *           KeQueryPerformanceCounter   (NTOSKRNL.EXE.@)
 */
LARGE_INTEGER NTAPI KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency)
{
    LARGE_INTEGER counter;
    LONGLONG frequency;

    counter.QuadPart = hostkrnl_performance_counter(&frequency);
    if (PerformanceFrequency) PerformanceFrequency->QuadPart = frequency;
    return counter;
}
