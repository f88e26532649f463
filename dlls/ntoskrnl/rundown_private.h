/*
 * Rundown protection: what the classic and the cache-aware families share
 *
 * The word encoding is explained at the top of rundown.c.
 */

#ifndef NTRUNDOWN_RUNDOWN_PRIVATE_H
#define NTRUNDOWN_RUNDOWN_PRIVATE_H

#include <ddk/wdm.h>
#include "ntrundown.h"

/* Wine's wdm.h has no ASSERT: there the checks compile away. */
#ifndef ASSERT
# define ASSERT(exp) ((void)0)
#endif
#ifndef ASSERTMSG
# define ASSERTMSG(msg, exp) ((void)0)
#endif

/* What a sleeping waiter's tagged pointer points to, on the waiter's stack. */
typedef struct _EX_RUNDOWN_WAIT_BLOCK
{
    ULONG_PTR Count;        /* protections still outstanding, modulo the word width */
    KEVENT WakeEvent;       /* set by the release that brings Count to zero */
} EX_RUNDOWN_WAIT_BLOCK, *PEX_RUNDOWN_WAIT_BLOCK;

#define RUNDOWN_MAX_WORD (~(ULONG_PTR)0)

/* One load of the word, with acquire semantics: a releaser that finds a
 * tagged pointer then reads the wait block the waiter filled in before it
 * published the pointer.  On x86 and x64 a volatile load is that already;
 * the host says so to ThreadSanitizer with ReadPointerAcquire, which
 * MinGW-w64's wdm.h lacks. */
static inline ULONG_PTR rundown_read(PEX_RUNDOWN_REF ref)
{
#ifdef NTRUNDOWN_HOSTKRNL
    return (ULONG_PTR)ReadPointerAcquire(&ref->Ptr);
#else
    return ref->Count;
#endif
}

static inline ULONG_PTR rundown_compare_exchange(PEX_RUNDOWN_REF ref, ULONG_PTR value, ULONG_PTR expected)
{
    return (ULONG_PTR)InterlockedCompareExchangePointer((PVOID volatile *)&ref->Ptr, (PVOID)value,
                                                        (PVOID)expected);
}

static inline void rundown_set(PEX_RUNDOWN_REF ref, ULONG_PTR value)
{
    InterlockedExchangePointer((PVOID volatile *)&ref->Ptr, (PVOID)value);
}

/* Called by a releaser that found the word run down: count the waiter down. */
static inline void rundown_wait_block_release(ULONG_PTR word, ULONG count)
{
    PEX_RUNDOWN_WAIT_BLOCK block = (PEX_RUNDOWN_WAIT_BLOCK)(word & ~(ULONG_PTR)EX_RUNDOWN_ACTIVE);

    ASSERTMSG("release of a protection that the rundown did not count", block != NULL);
    if (!block) return;
    if ((ULONG_PTR)InterlockedExchangeAddSizeT(&block->Count, -(LONG_PTR)count) == count)
        KeSetEvent(&block->WakeEvent, 0, FALSE);
}

/* Adds `count` protections unless the word is run down.  A cache-aware slot
 * may hold a wrapped (negative) count, so only the classic routines refuse
 * an addition that overflows the word. */
static inline BOOLEAN rundown_acquire(PEX_RUNDOWN_REF ref, ULONG count, BOOLEAN may_wrap)
{
    ULONGLONG wide = (ULONGLONG)count << EX_RUNDOWN_COUNT_SHIFT;
    ULONG_PTR old = rundown_read(ref), seen, inc = (ULONG_PTR)wide;

    if (wide > RUNDOWN_MAX_WORD)
    {
        ASSERTMSG("rundown protection count too large for the word", FALSE);
        return FALSE;
    }
    for (;;)
    {
        if (old & EX_RUNDOWN_ACTIVE) return FALSE;
        if (!may_wrap && old > RUNDOWN_MAX_WORD - inc)
        {
            ASSERTMSG("rundown protection count overflow", FALSE);
            return FALSE;
        }
        if ((seen = rundown_compare_exchange(ref, old + inc, old)) == old) return TRUE;
        old = seen;
    }
}

/* Takes `count` protections back; counts a sleeping waiter down instead once
 * the word is run down. */
static inline void rundown_release(PEX_RUNDOWN_REF ref, ULONG count, BOOLEAN may_wrap)
{
    ULONG_PTR old = rundown_read(ref), seen, dec = (ULONG_PTR)count << EX_RUNDOWN_COUNT_SHIFT;

    (void)may_wrap;
    if (!count) return;
    for (;;)
    {
        if (old & EX_RUNDOWN_ACTIVE)
        {
            rundown_wait_block_release(old, count);
            return;
        }
        ASSERTMSG("release of more rundown protections than were acquired", may_wrap || old >= dec);
        if ((seen = rundown_compare_exchange(ref, old - dec, old)) == old) return;
        old = seen;
    }
}

#endif /* NTRUNDOWN_RUNDOWN_PRIVATE_H */
