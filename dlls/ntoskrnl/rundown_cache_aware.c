/*
 * Rundown protection: the cache-aware EX_RUNDOWN_REF_CACHE_AWARE routines
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
 * A cache-aware reference is an array of Number classic references ("slots"),
 * RunRefSize bytes apart, normally one per cache line so that processors do
 * not fight over one line.  Each slot uses the word encoding described in
 * rundown.c.  A processor acquires and releases on slot
 * (system-wide processor index % Number), the one it is running on when it
 * calls.
 *
 * A thread may acquire on one processor and release on another, so one slot
 * can fall below zero.  Only the sum over all slots counts the protections
 * outstanding, and all arithmetic on it wraps at the full word width: slot
 * values are added raw, modulo the word, and halved only at the end.
 *
 * Wait gives every slot that is not yet run down the same tagged pointer to
 * one wait block, each with a compare-exchange, and adds up what the slots
 * held.  A release that comes in between, on a slot already switched, counts
 * the block down below zero: it cannot reach zero then, since no release
 * finds the block before its slot is switched and the releases so far are
 * fewer than 2^63.  Once all slots are switched, Wait adds the total to the
 * block; if the result is not zero it waits as the classic wait does (spin,
 * then sleep once) until the release that empties the block lets it go.
 * Then it stores 1 in the slots it switched.  If every slot was already run
 * down there is nothing to wait for, so a repeated wait is a no-op, as
 * documented.  Memory ordering is the classic routines' (rundown.c).
 *
 * ReInitialize zeroes the slots in index order, slot 0 first, while other
 * threads may already acquire on the slots it has zeroed.  A protection
 * granted there can be released on a processor whose slot ReInitialize has
 * not reached yet, which still holds exactly 1 (run down, no waiter): such
 * a release counts on slot 0 instead, which is zeroed by then, and only a
 * release that finds slot 0 at exactly 1 too is one that nothing was
 * acquired for (ignored; an ASSERT in checked builds).
 *
 * Layout: the slots follow the structure in the caller's buffer
 * (ExInitializeRundownProtectionCacheAware, PoolToFree = 0x0badca11) or live
 * in a separate pool block (ExAllocateCacheAwareRundownProtection,
 * PoolToFree = that block); either way they start on a cache line boundary
 * unless there is a single slot, which needs no padding.  A buffer too small
 * for what Windows would lay out in it gets one slot, or, when not even one
 * fits, an object with no slot that nothing is ever written through.
 *
 * Calling context (as documented): Acquire and Release at IRQL <=
 * DISPATCH_LEVEL when the object is in nonpaged memory; the others at
 * IRQL <= APC_LEVEL.
 */

#include "rundown_private.h"

static ULONG cache_line_size(void)
{
    ULONG line = KeGetRecommendedSharedDataAlignment();

    return line > sizeof(EX_RUNDOWN_REF) ? line : sizeof(EX_RUNDOWN_REF);
}

static ULONG active_processors(void)
{
    ULONG count = KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS);

    return count ? count : 1;
}

static PVOID align_up(PVOID ptr, ULONG alignment)
{
    ULONG_PTR addr = (ULONG_PTR)ptr;

    return (PVOID)(addr + (alignment - addr % alignment) % alignment);
}

static PEX_RUNDOWN_REF cache_aware_slot(PEX_RUNDOWN_REF_CACHE_AWARE ref, ULONG index)
{
    return (PEX_RUNDOWN_REF)((PUCHAR)ref->RunRefs + (SIZE_T)index * ref->RunRefSize);
}

/* The slot of the processor the caller runs on; there is one per processor
 * unless the object was laid out in a buffer sized for fewer. */
static PEX_RUNDOWN_REF current_slot(PEX_RUNDOWN_REF_CACHE_AWARE ref)
{
    ULONG index = KeGetCurrentProcessorNumberEx(NULL);

    return cache_aware_slot(ref, index < ref->Number ? index : index % ref->Number);
}

/* The slot a release counts on: the current processor's, or slot 0 when
 * that one is run down with no waiter (see the top of this file). */
static PEX_RUNDOWN_REF release_slot(PEX_RUNDOWN_REF_CACHE_AWARE ref)
{
    PEX_RUNDOWN_REF slot = current_slot(ref);

    return rundown_read(slot) == EX_RUNDOWN_ACTIVE ? ref->RunRefs : slot;
}

static void set_all_slots(PEX_RUNDOWN_REF_CACHE_AWARE ref, ULONG_PTR value)
{
    ULONG i;

    for (i = 0; i < ref->Number; i++) rundown_set(cache_aware_slot(ref, i), value);
}

/***********************************************************************
 *           ExSizeOfRundownProtectionCacheAware   (NTOSKRNL.EXE.@)
 */
SIZE_T NTAPI ExSizeOfRundownProtectionCacheAware(void)
{
    ULONG count = active_processors();

    TRACE("\n");
    if (count == 1) return sizeof(struct _EX_RUNDOWN_REF_CACHE_AWARE) + sizeof(EX_RUNDOWN_REF);
    return sizeof(struct _EX_RUNDOWN_REF_CACHE_AWARE) + (SIZE_T)(count + 1) * cache_line_size();
}

/***********************************************************************
 *           ExInitializeRundownProtectionCacheAware   (NTOSKRNL.EXE.@)
 */
VOID NTAPI ExInitializeRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware,
                                                  SIZE_T RunRefSize)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = RunRefCacheAware;
    ULONG line = cache_line_size();
    SIZE_T space = RunRefSize - sizeof(*ref);

    TRACE("%p, %lu\n", RunRefCacheAware, (unsigned long)RunRefSize);
    ASSERTMSG("cache-aware rundown buffer smaller than one slot",
              RunRefSize >= sizeof(*ref) + sizeof(EX_RUNDOWN_REF));
    ASSERTMSG("cache-aware rundown buffer size neither one slot nor at least two cache lines",
              RunRefSize < sizeof(*ref) || space == sizeof(EX_RUNDOWN_REF) || space / line >= 2);

    if (RunRefSize < sizeof(*ref) + sizeof(EX_RUNDOWN_REF))
    {
        /* Nowhere to put a slot: write nothing past the buffer, and leave an
         * object whose first use faults if the structure itself fits. */
        if (RunRefSize < sizeof(*ref)) return;
        ref->RunRefs = NULL;
        ref->PoolToFree = RUNDOWN_NOT_FROM_POOL;
        ref->RunRefSize = 0;
        ref->Number = 0;
        return;
    }
    ref->PoolToFree = RUNDOWN_NOT_FROM_POOL;
    if (space / line < 2)
    {
        ref->RunRefs = (PEX_RUNDOWN_REF)(ref + 1);
        ref->RunRefSize = sizeof(EX_RUNDOWN_REF);
        ref->Number = 1;
    }
    else
    {
        ref->RunRefs = align_up(ref + 1, line);
        ref->RunRefSize = line;
        ref->Number = (ULONG)(space / line - 1);
    }
    set_all_slots(ref, 0);
}

/***********************************************************************
 *           ExAllocateCacheAwareRundownProtection   (NTOSKRNL.EXE.@)
 */
PEX_RUNDOWN_REF_CACHE_AWARE NTAPI ExAllocateCacheAwareRundownProtection(POOL_TYPE PoolType, ULONG PoolTag)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    ULONG count = active_processors();
    ULONG size = count > 1 ? cache_line_size() : sizeof(EX_RUNDOWN_REF);
    PVOID pool;

    TRACE("%d, %#x\n", (int)PoolType, (unsigned int)PoolTag);
    if (!(ref = ExAllocatePoolWithTag(PoolType, sizeof(*ref), PoolTag))) return NULL;

    pool = ExAllocatePoolWithTag(PoolType, (SIZE_T)count * size, PoolTag);
    if (pool && (ULONG_PTR)pool % size)
    {
        ExFreePoolWithTag(pool, PoolTag);
        pool = ExAllocatePoolWithTag(PoolType, (SIZE_T)(count + 1) * size, PoolTag);
    }
    if (!pool)
    {
        ExFreePoolWithTag(ref, PoolTag);
        return NULL;
    }

    ref->RunRefs = align_up(pool, size);
    ref->PoolToFree = pool;
    ref->RunRefSize = size;
    ref->Number = count;
    RtlZeroMemory(ref->RunRefs, (SIZE_T)count * size);
    return ref;
}

/***********************************************************************
 *           ExFreeCacheAwareRundownProtection   (NTOSKRNL.EXE.@)
 */
VOID NTAPI ExFreeCacheAwareRundownProtection(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware)
{
    TRACE("%p\n", RunRefCacheAware);
    ASSERTMSG("freeing a cache-aware rundown object that the pool did not make",
              RunRefCacheAware->PoolToFree != RUNDOWN_NOT_FROM_POOL);
    if (RunRefCacheAware->PoolToFree == RUNDOWN_NOT_FROM_POOL) return;
    ExFreePool(RunRefCacheAware->PoolToFree);
    ExFreePool(RunRefCacheAware);
}

/***********************************************************************
 *           ExAcquireRundownProtectionCacheAware   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER(ExAcquireRundownProtectionCacheAware)
BOOLEAN FASTCALL ExAcquireRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware)
{
    TRACE("%p\n", RunRefCacheAware);
    return rundown_acquire(current_slot(RunRefCacheAware), 1, TRUE);
}

/***********************************************************************
 *           ExAcquireRundownProtectionCacheAwareEx   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL_WRAPPER(ExAcquireRundownProtectionCacheAwareEx, 8)
BOOLEAN FASTCALL ExAcquireRundownProtectionCacheAwareEx(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware, ULONG Count)
{
    TRACE("%p, %u\n", RunRefCacheAware, (unsigned int)Count);
    return rundown_acquire(current_slot(RunRefCacheAware), Count, TRUE);
}

/***********************************************************************
 *           ExReleaseRundownProtectionCacheAware   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER(ExReleaseRundownProtectionCacheAware)
VOID FASTCALL ExReleaseRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware)
{
    TRACE("%p\n", RunRefCacheAware);
    rundown_release(release_slot(RunRefCacheAware), 1, TRUE);
}

/***********************************************************************
 *           ExReleaseRundownProtectionCacheAwareEx   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL_WRAPPER(ExReleaseRundownProtectionCacheAwareEx, 8)
VOID FASTCALL ExReleaseRundownProtectionCacheAwareEx(PEX_RUNDOWN_REF_CACHE_AWARE RunRef, ULONG Count)
{
    TRACE("%p, %u\n", RunRef, (unsigned int)Count);
    rundown_release(release_slot(RunRef), Count, TRUE);
}

/***********************************************************************
 *           ExWaitForRundownProtectionReleaseCacheAware   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER(ExWaitForRundownProtectionReleaseCacheAware)
VOID FASTCALL ExWaitForRundownProtectionReleaseCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRef)
{
    EX_RUNDOWN_WAIT_BLOCK block;
    ULONG_PTR tagged = (ULONG_PTR)&block | EX_RUNDOWN_ACTIVE, total = 0, old, seen;
    ULONG i, switched = 0;

    TRACE("%p\n", RunRef);
    ASSERT(KeGetCurrentIrql() <= APC_LEVEL);

    rundown_wait_block_init(&block, 0);
    for (i = 0; i < RunRef->Number; i++)
    {
        PEX_RUNDOWN_REF slot = cache_aware_slot(RunRef, i);

        for (old = rundown_read(slot); !(old & EX_RUNDOWN_ACTIVE); old = seen)
        {
            if ((seen = rundown_compare_exchange(slot, tagged, old)) != old) continue;
            total += old;
            switched++;
            break;
        }
    }
    if (!switched) return;

    total >>= EX_RUNDOWN_COUNT_SHIFT;
    if ((ULONG_PTR)InterlockedExchangeAddSizeT(&block.Count, total) + total)
        rundown_wait_block_wait(&block);

    for (i = 0; i < RunRef->Number; i++)
    {
        PEX_RUNDOWN_REF slot = cache_aware_slot(RunRef, i);

        if (rundown_read(slot) == tagged) rundown_set(slot, EX_RUNDOWN_ACTIVE);
    }
}

/***********************************************************************
 *           ExReInitializeRundownProtectionCacheAware   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER(ExReInitializeRundownProtectionCacheAware)
VOID FASTCALL ExReInitializeRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware)
{
    TRACE("%p\n", RunRefCacheAware);
    ASSERTMSG("cache-aware rundown re-initialized before it was run down",
              !RunRefCacheAware->Number || (rundown_read(RunRefCacheAware->RunRefs) & EX_RUNDOWN_ACTIVE));
    set_all_slots(RunRefCacheAware, 0);
}

/***********************************************************************
 *           ExRundownCompletedCacheAware   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER(ExRundownCompletedCacheAware)
VOID FASTCALL ExRundownCompletedCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware)
{
    TRACE("%p\n", RunRefCacheAware);
    ASSERTMSG("cache-aware rundown completed before it was run down",
              !RunRefCacheAware->Number || (rundown_read(RunRefCacheAware->RunRefs) & EX_RUNDOWN_ACTIVE));
    set_all_slots(RunRefCacheAware, EX_RUNDOWN_ACTIVE);
}
