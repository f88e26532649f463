/*
 * Host kernel services: kernel events
 *
 * A KEVENT's State is its futex word: 0 clear, 1 signaled, 2 clear with
 * possible sleepers.  A waiter marks the word 2 before it sleeps, so that
 * KeSetEvent has a wake to issue only when someone may sleep.
 *
 * A waiter may return as soon as it sees the signal, and the KEVENT, often on
 * its stack, may then be gone.  So after the exchange that signals the event,
 * KeSetEvent touches nothing but the address it hands to the wake.
 */

#include "hostkrnl_private.h"

/* KeSetEvent calls made by this thread, for HostKrnlEventSets */
static _Thread_local LONG event_sets;

static void check_event(PRKEVENT event, const char *function)
{
    if (!event || event->Type != HOSTKRNL_EVENT_OBJECT)
        hostkrnl_bug("%s: %p is not an initialized KEVENT", function, (void *)event);
}

/***********************************************************************
 *           KeInitializeEvent   (NTOSKRNL.EXE.@)
 */
VOID NTAPI KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State)
{
    if (Type != NotificationEvent && Type != SynchronizationEvent)
        hostkrnl_bug("KeInitializeEvent: invalid event type %d", (int)Type);
    Event->Type = HOSTKRNL_EVENT_OBJECT;
    Event->EventType = Type;
    __atomic_store_n(&Event->State, State ? 1 : 0, __ATOMIC_RELEASE);
}

/***********************************************************************
 *           KeSetEvent   (NTOSKRNL.EXE.@)
 */
LONG NTAPI KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
    volatile LONG *state = &Event->State;
    LONG old;

    (void)Increment;
    (void)Wait;
    check_event(Event, "KeSetEvent");
    hostkrnl_check_irql("KeSetEvent", DISPATCH_LEVEL);
    event_sets++;

    old = __atomic_exchange_n(state, 1, __ATOMIC_SEQ_CST);
    /* From here on, Event may be freed. */
    if (old == 2) hostkrnl_wake_address(state, TRUE);
    return old == 1;
}

/***********************************************************************
 *           KeResetEvent   (NTOSKRNL.EXE.@)
 */
LONG NTAPI KeResetEvent(PRKEVENT Event)
{
    LONG old = 1;

    check_event(Event, "KeResetEvent");
    hostkrnl_check_irql("KeResetEvent", DISPATCH_LEVEL);
    /* only 1 becomes 0: a 2 has to stay, or its sleepers would be missed */
    __atomic_compare_exchange_n(&Event->State, &old, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return old == 1;
}

/***********************************************************************
 *           KeClearEvent   (NTOSKRNL.EXE.@)
 */
VOID NTAPI KeClearEvent(PRKEVENT Event)
{
    KeResetEvent(Event);
}

/***********************************************************************
 *           KeReadStateEvent   (NTOSKRNL.EXE.@)
 */
LONG NTAPI KeReadStateEvent(PRKEVENT Event)
{
    check_event(Event, "KeReadStateEvent");
    return __atomic_load_n(&Event->State, __ATOMIC_SEQ_CST) == 1;
}

NTSTATUS hostkrnl_wait_event(PRKEVENT event, BOOLEAN poll, const LONGLONG *deadline)
{
    for (;;)
    {
        LONG state = __atomic_load_n(&event->State, __ATOMIC_ACQUIRE);

        if (state == 1)
        {
            if (event->EventType == NotificationEvent) return STATUS_SUCCESS;
            /* a synchronization event lets one waiter through and resets */
            if (__atomic_compare_exchange_n(&event->State, &state, 0, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
                return STATUS_SUCCESS;
            continue;
        }
        if (poll) return STATUS_TIMEOUT;
        if (state == 0 && !__atomic_compare_exchange_n(&event->State, &state, 2, 0,
                                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            continue;
        if (!hostkrnl_wait_on_address(&event->State, 2, deadline)) return STATUS_TIMEOUT;
    }
}

/***********************************************************************
 *           HostKrnlEventSets   (hostkrnl)
 */
LONG HostKrnlEventSets(VOID)
{
    return event_sets;
}
