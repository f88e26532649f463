/*
 * Rundown protection: the classic EX_RUNDOWN_REF routines
 *
 * An EX_RUNDOWN_REF is one pointer-sized word that every operation changes
 * with a single interlocked instruction; there is no lock.  Bit 0
 * (EX_RUNDOWN_ACTIVE) tells whether the reference is being or has been run
 * down:
 *
 *   2 * n              not run down, n protections granted and not released
 *   1                  run down, nothing outstanding (final state of a wait)
 *   &block | 1         run down while protections were outstanding: block is
 *                      an EX_RUNDOWN_WAIT_BLOCK on the waiter's stack
 *
 * Acquire adds 2 * Count with a compare-exchange as long as bit 0 is clear,
 * and fails from the moment it is set.  Release subtracts the same way while
 * bit 0 is clear.
 *
 * Wait swaps 2 * n for (&block | 1) in one compare-exchange, having first
 * stored n in block.Count.  From then on acquires fail, and the word no longer
 * changes until the wait ends, so each of the n releases that are still to
 * come finds the tagged pointer and decrements block.Count instead; the one
 * that brings it to zero sets block.WakeEvent.  That release is the last
 * access anyone makes to the block, so the waiter may then leave the frame
 * that holds it; it first stores 1 in the word, which no releaser reads any
 * more.  A wait that finds bit 0 already set returns at once, which makes a
 * repeated wait, or a wait after ExRundownCompleted, a no-op.
 *
 * The cache-aware routines (rundown_cache_aware.c) use the same encoding in
 * every slot, and rundown_private.h has the pieces both families share.
 */

#include "rundown_private.h"

/***********************************************************************
 *           ExInitializeRundownProtection   (NTOSKRNL.EXE.@)
 */
VOID FASTCALL ExInitializeRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    RunRef->Count = 0;
}

/***********************************************************************
 *           ExReInitializeRundownProtection   (NTOSKRNL.EXE.@)
 */
VOID FASTCALL ExReInitializeRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    ASSERTMSG("rundown reference re-initialized before it was run down",
              rundown_read(RunRef) & EX_RUNDOWN_ACTIVE);
    rundown_set(RunRef, 0);
}

/***********************************************************************
 *           ExRundownCompleted   (NTOSKRNL.EXE.@)
 */
VOID FASTCALL ExRundownCompleted(PEX_RUNDOWN_REF RunRef)
{
    ASSERTMSG("rundown completed before it was run down", rundown_read(RunRef) & EX_RUNDOWN_ACTIVE);
    rundown_set(RunRef, EX_RUNDOWN_ACTIVE);
}

/***********************************************************************
 *           ExAcquireRundownProtection   (NTOSKRNL.EXE.@)
 */
BOOLEAN FASTCALL ExAcquireRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    return rundown_acquire(RunRef, 1, FALSE);
}

/***********************************************************************
 *           ExAcquireRundownProtectionEx   (NTOSKRNL.EXE.@)
 */
BOOLEAN FASTCALL ExAcquireRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count)
{
    return rundown_acquire(RunRef, Count, FALSE);
}

/***********************************************************************
 *           ExReleaseRundownProtection   (NTOSKRNL.EXE.@)
 */
VOID FASTCALL ExReleaseRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    rundown_release(RunRef, 1, FALSE);
}

/***********************************************************************
 *           ExReleaseRundownProtectionEx   (NTOSKRNL.EXE.@)
 */
VOID FASTCALL ExReleaseRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count)
{
    rundown_release(RunRef, Count, FALSE);
}

/***********************************************************************
 *           ExWaitForRundownProtectionRelease   (NTOSKRNL.EXE.@)
 */
VOID FASTCALL ExWaitForRundownProtectionRelease(PEX_RUNDOWN_REF RunRef)
{
    EX_RUNDOWN_WAIT_BLOCK block;
    ULONG_PTR old, seen, rundown;

    ASSERT(KeGetCurrentIrql() <= APC_LEVEL);

    old = rundown_compare_exchange(RunRef, EX_RUNDOWN_ACTIVE, 0);
    if (!old || (old & EX_RUNDOWN_ACTIVE)) return;

    KeInitializeEvent(&block.WakeEvent, SynchronizationEvent, FALSE);
    for (;;)
    {
        if (old & EX_RUNDOWN_ACTIVE) return;
        block.Count = old >> EX_RUNDOWN_COUNT_SHIFT;
        rundown = old ? (ULONG_PTR)&block | EX_RUNDOWN_ACTIVE : EX_RUNDOWN_ACTIVE;
        if ((seen = rundown_compare_exchange(RunRef, rundown, old)) == old) break;
        old = seen;
    }
    if (!old) return;

    KeWaitForSingleObject(&block.WakeEvent, Executive, KernelMode, FALSE, NULL);
    rundown_set(RunRef, EX_RUNDOWN_ACTIVE);
}
