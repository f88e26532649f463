/*
 * Rundown protection: the classic EX_RUNDOWN_REF routines
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
 * and fails from the moment it is set; it also fails, changing nothing, when
 * the count would not fit in the word.  Release subtracts the same way while
 * bit 0 is clear.
 *
 * Wait swaps 2 * n for (&block | 1) in one compare-exchange, having first
 * stored n in block.Count.  From then on acquires fail and the word does not
 * change until the wait ends, so each of the n releases still to come finds
 * the tagged pointer and decrements block.Count instead.  The release that
 * brings it to zero sets block.State to released with an exchange, and if
 * the waiter had committed to sleeping (State was sleeping) it also sets
 * block.WakeEvent.  Either is that release's last access to the block; no
 * other release touches it after its own decrement.  The waiter spins on
 * State for a while when other processors are running, then commits to
 * sleeping with a compare-exchange of State and waits for the event; it
 * leaves the frame that holds the block only once State is released (or the
 * event, which is set after that, is), and first stores 1 in the word, which
 * no releaser reads any more.  A wait that finds bit 0 already set returns
 * at once, so a repeated wait, or a wait after ExRundownCompleted, is a
 * no-op, as documented.
 *
 * Memory ordering: every value the routines act on comes from an
 * interlocked operation, which is a full barrier on every architecture, or
 * from ReadPointerAcquire / ReadAcquire, which order the loads after them
 * (a plain load on x86 and x64, whose loads are not reordered with later
 * loads and stores; ldar on arm64; ldr then dmb on arm).  The pairs: the
 * waiter fills in the block, then publishes it with the compare-exchange of
 * the word; a releaser reads the tagged word (acquire) before it touches the
 * block.  The last releaser's exchange of State pairs with the waiter's
 * acquire read of it, which orders the waiter's return after every access
 * of the releases.
 *
 * The cache-aware routines (rundown_cache_aware.c) use the same encoding in
 * every slot, and rundown_private.h has the pieces both families share.
 *
 * Calling context (as documented): Acquire and Release at IRQL <=
 * DISPATCH_LEVEL; the others at IRQL <= APC_LEVEL.
 */

#include "rundown_private.h"

/***********************************************************************
 *           ExInitializeRundownProtection   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER(ExInitializeRundownProtection)
VOID FASTCALL ExInitializeRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    TRACE("%p\n", RunRef);
    rundown_set(RunRef, 0);
}

/***********************************************************************
 *           ExReInitializeRundownProtection   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER(ExReInitializeRundownProtection)
VOID FASTCALL ExReInitializeRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    TRACE("%p\n", RunRef);
    ASSERTMSG("rundown reference re-initialized before it was run down",
              rundown_read(RunRef) & EX_RUNDOWN_ACTIVE);
    rundown_set(RunRef, 0);
}

/***********************************************************************
 *           ExRundownCompleted   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER(ExRundownCompleted)
VOID FASTCALL ExRundownCompleted(PEX_RUNDOWN_REF RunRef)
{
    TRACE("%p\n", RunRef);
    ASSERTMSG("rundown completed before it was run down", rundown_read(RunRef) & EX_RUNDOWN_ACTIVE);
    rundown_set(RunRef, EX_RUNDOWN_ACTIVE);
}

/***********************************************************************
 *           ExAcquireRundownProtection   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER(ExAcquireRundownProtection)
BOOLEAN FASTCALL ExAcquireRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    TRACE("%p\n", RunRef);
    return rundown_acquire(RunRef, 1, FALSE);
}

/***********************************************************************
 *           ExAcquireRundownProtectionEx   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL_WRAPPER(ExAcquireRundownProtectionEx, 8)
BOOLEAN FASTCALL ExAcquireRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count)
{
    TRACE("%p, %u\n", RunRef, (unsigned int)Count);
    return rundown_acquire(RunRef, Count, FALSE);
}

/***********************************************************************
 *           ExReleaseRundownProtection   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER(ExReleaseRundownProtection)
VOID FASTCALL ExReleaseRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    TRACE("%p\n", RunRef);
    rundown_release(RunRef, 1, FALSE);
}

/***********************************************************************
 *           ExReleaseRundownProtectionEx   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL_WRAPPER(ExReleaseRundownProtectionEx, 8)
VOID FASTCALL ExReleaseRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count)
{
    TRACE("%p, %u\n", RunRef, (unsigned int)Count);
    rundown_release(RunRef, Count, FALSE);
}

/***********************************************************************
 *           ExWaitForRundownProtectionRelease   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER(ExWaitForRundownProtectionRelease)
VOID FASTCALL ExWaitForRundownProtectionRelease(PEX_RUNDOWN_REF RunRef)
{
    EX_RUNDOWN_WAIT_BLOCK block;
    ULONG_PTR old, seen;

    TRACE("%p\n", RunRef);
    ASSERT(KeGetCurrentIrql() <= APC_LEVEL);

    rundown_wait_block_init(&block, 0);
    for (old = rundown_compare_exchange(RunRef, EX_RUNDOWN_ACTIVE, 0);; old = seen)
    {
        if (!old || (old & EX_RUNDOWN_ACTIVE)) return;  /* nothing outstanding, or run down already */
        block.Count = old >> EX_RUNDOWN_COUNT_SHIFT;
        if ((seen = rundown_compare_exchange(RunRef, (ULONG_PTR)&block | EX_RUNDOWN_ACTIVE, old)) == old) break;
        /* the last protection went meanwhile: try to mark the empty word */
        if (!seen) seen = rundown_compare_exchange(RunRef, EX_RUNDOWN_ACTIVE, 0);
    }
    rundown_wait_block_wait(&block);
    rundown_set(RunRef, EX_RUNDOWN_ACTIVE);
}
