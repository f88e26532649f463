/*
 * Rundown protection: what the classic and the cache-aware families share
 *
 * Copyright 2026 The ntrundown authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * You should have received a copy of the GNU Lesser General Public
 * License along with this library; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301, USA
 */

/*
 * The word encoding, the wait protocol and the memory ordering are explained
 * at the top of rundown.c.  This header is kernel code like the two files
 * that include it: it uses nothing but the kernel services of <ddk/wdm.h>,
 * whichever kernel provides them (Windows, Wine's ntoskrnl.exe, or the
 * user-mode emulation in dlls/hostkrnl).
 */

#ifndef __NTRUNDOWN_RUNDOWN_PRIVATE_H
#define __NTRUNDOWN_RUNDOWN_PRIVATE_H

#ifdef __WINESRC__
# include "ntoskrnl_private.h"
#else
# include <ddk/wdm.h>
#endif

/* Inside Wine these come from wine/debug.h and wine/asm.h; elsewhere the
 * exports need neither a trace nor an i386 fastcall wrapper. */
#ifdef __WINESRC__
WINE_DEFAULT_DEBUG_CHANNEL(ntoskrnl);
#endif
#ifndef TRACE
# define TRACE(...) do { } while (0)
#endif
#ifndef DEFINE_FASTCALL1_WRAPPER
# define DEFINE_FASTCALL1_WRAPPER(func)
#endif
#ifndef DEFINE_FASTCALL_WRAPPER
# define DEFINE_FASTCALL_WRAPPER(func, args)
#endif
/* Wine's wdm.h has no ASSERT: there the checks compile away. */
#ifndef ASSERT
# define ASSERT(exp) ((void)0)
#endif
#ifndef ASSERTMSG
# define ASSERTMSG(msg, exp) ((void)0)
#endif

/* Opaque in wdm.h; the layout is the one in ntoskrnl's public symbols. */
struct _EX_RUNDOWN_REF_CACHE_AWARE
{
    PEX_RUNDOWN_REF RunRefs;    /* slot i at (PUCHAR)RunRefs + i * RunRefSize */
    PVOID PoolToFree;           /* slot array as allocated, or RUNDOWN_NOT_FROM_POOL */
    ULONG RunRefSize;           /* distance between slots */
    ULONG Number;               /* number of slots */
};

/* PoolToFree of an object laid out in the caller's buffer (Windows' value). */
#define RUNDOWN_NOT_FROM_POOL ((PVOID)(ULONG_PTR)0x0badca11)

#define RUNDOWN_PASTE_(a, b) a##b
#define RUNDOWN_PASTE(a, b) RUNDOWN_PASTE_(a, b)
#define RUNDOWN_LAYOUT_CHECK(expr) \
    typedef char RUNDOWN_PASTE(rundown_layout_check_, __LINE__)[(expr) ? 1 : -1]

RUNDOWN_LAYOUT_CHECK(sizeof(EX_RUNDOWN_REF) == sizeof(void *));
RUNDOWN_LAYOUT_CHECK(FIELD_OFFSET(struct _EX_RUNDOWN_REF_CACHE_AWARE, RunRefs) == 0);
RUNDOWN_LAYOUT_CHECK(FIELD_OFFSET(struct _EX_RUNDOWN_REF_CACHE_AWARE, PoolToFree) == sizeof(void *));
RUNDOWN_LAYOUT_CHECK(FIELD_OFFSET(struct _EX_RUNDOWN_REF_CACHE_AWARE, RunRefSize) == 2 * sizeof(void *));
RUNDOWN_LAYOUT_CHECK(FIELD_OFFSET(struct _EX_RUNDOWN_REF_CACHE_AWARE, Number) == 2 * sizeof(void *) + 4);
RUNDOWN_LAYOUT_CHECK(sizeof(struct _EX_RUNDOWN_REF_CACHE_AWARE) == 2 * sizeof(void *) + 8);

/* What a waiter's tagged pointer points to, on the waiter's stack. */
typedef struct _EX_RUNDOWN_WAIT_BLOCK
{
    ULONG_PTR Count;            /* protections still outstanding, modulo the word width */
    LONG State;                 /* RUNDOWN_WAITER_* */
    KEVENT WakeEvent;           /* set for a sleeping waiter by the release that empties Count */
} EX_RUNDOWN_WAIT_BLOCK, *PEX_RUNDOWN_WAIT_BLOCK;

#define RUNDOWN_WAITER_SPINNING 0
#define RUNDOWN_WAITER_SLEEPING 1
#define RUNDOWN_WAITER_RELEASED 2

/* How often a waiter looks at its block before it sleeps, when other
 * processors can be releasing meanwhile: with a pause of 10 to 140 cycles
 * between looks (older and newer x86 processors), some 3 to 50 us. */
#define RUNDOWN_SPIN_COUNT 1024

#define RUNDOWN_MAX_WORD (~(ULONG_PTR)0)

static inline ULONG_PTR rundown_read(PEX_RUNDOWN_REF ref)
{
    return (ULONG_PTR)ReadPointerAcquire((PVOID volatile *)&ref->Ptr);
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

/* Whether a waiter should spin before it sleeps: only when another processor
 * can release meanwhile.  The count is asked once, since some kernels (Wine)
 * answer it slowly. */
static inline BOOLEAN rundown_spin_allowed(void)
{
    static volatile LONG processors;
    LONG count = InterlockedCompareExchange(&processors, 0, 0);

    if (!count)
    {
        count = (LONG)KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS);
        InterlockedExchange(&processors, count ? count : 1);
    }
    return count > 1;
}

static inline void rundown_wait_block_init(PEX_RUNDOWN_WAIT_BLOCK block, ULONG_PTR count)
{
    block->Count = count;
    block->State = RUNDOWN_WAITER_SPINNING;
    KeInitializeEvent(&block->WakeEvent, SynchronizationEvent, FALSE);
}

/* The waiter, once its block is published and counted: returns when the
 * last protection has been released.  It spins for a while first, then
 * commits to sleeping; only a committed sleeper gets the event set. */
static inline void rundown_wait_block_wait(PEX_RUNDOWN_WAIT_BLOCK block)
{
    ULONG spins;

    if (rundown_spin_allowed())
    {
        for (spins = 0; spins < RUNDOWN_SPIN_COUNT; spins++)
        {
            if (ReadAcquire(&block->State) == RUNDOWN_WAITER_RELEASED) return;
            YieldProcessor();
        }
    }
    if (InterlockedCompareExchange(&block->State, RUNDOWN_WAITER_SLEEPING, RUNDOWN_WAITER_SPINNING)
        == RUNDOWN_WAITER_SPINNING)
        KeWaitForSingleObject(&block->WakeEvent, Executive, KernelMode, FALSE, NULL);
}

/* A releaser that found the word run down: counts the waiter down, and the
 * release that empties the block lets the waiter go.  That exchange, or the
 * KeSetEvent for a sleeper, is the releaser's last access to the block. */
static inline void rundown_wait_block_release(ULONG_PTR word, ULONG count)
{
    PEX_RUNDOWN_WAIT_BLOCK block = (PEX_RUNDOWN_WAIT_BLOCK)(word & ~(ULONG_PTR)EX_RUNDOWN_ACTIVE);

    ASSERTMSG("release of a protection that the rundown did not count", block != NULL);
    if (!block) return;
    if ((ULONG_PTR)InterlockedExchangeAddSizeT(&block->Count, -(LONG_PTR)count) != count) return;
    if (InterlockedExchange(&block->State, RUNDOWN_WAITER_RELEASED) == RUNDOWN_WAITER_SLEEPING)
        KeSetEvent(&block->WakeEvent, IO_NO_INCREMENT, FALSE);
}

/* Adds `count` protections unless the word is run down.  A cache-aware slot
 * may hold a wrapped (negative) count, so only the classic routines refuse
 * an addition that overflows the word; both refuse a count whose double
 * does not fit in it (2^31 or more on 32-bit). */
static inline BOOLEAN rundown_acquire(PEX_RUNDOWN_REF ref, ULONG count, BOOLEAN may_wrap)
{
    ULONG_PTR old, seen, inc = (ULONG_PTR)count << EX_RUNDOWN_COUNT_SHIFT;

    for (old = rundown_read(ref);; old = seen)
    {
        if (old & EX_RUNDOWN_ACTIVE) return FALSE;
        if (inc >> EX_RUNDOWN_COUNT_SHIFT != count || (!may_wrap && old > RUNDOWN_MAX_WORD - inc))
        {
            ASSERTMSG("rundown protection count overflow", FALSE);
            return FALSE;
        }
        if ((seen = rundown_compare_exchange(ref, old + inc, old)) == old) return TRUE;
    }
}

/* Takes `count` protections back; counts a waiter down instead once the word
 * is run down. */
static inline void rundown_release(PEX_RUNDOWN_REF ref, ULONG count, BOOLEAN may_wrap)
{
    ULONG_PTR old, seen, dec = (ULONG_PTR)count << EX_RUNDOWN_COUNT_SHIFT;

    (void)may_wrap;     /* only checked builds look at it */
    if (!count) return;
    for (old = rundown_read(ref);; old = seen)
    {
        if (old & EX_RUNDOWN_ACTIVE)
        {
            rundown_wait_block_release(old, count);
            return;
        }
        ASSERTMSG("release of more rundown protections than were acquired", may_wrap || old >= dec);
        if ((seen = rundown_compare_exchange(ref, old - dec, old)) == old) return;
    }
}

#endif /* __NTRUNDOWN_RUNDOWN_PRIVATE_H */
