/*
 * Rundown protection
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

#include "ntoskrnl_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(ntoskrnl);

/*
 * Rundown protection lets threads use an object while its owner may be
 * tearing it down: an acquire grants protection until the matching release,
 * and once the owner has called the wait every acquire fails and the wait
 * returns when the last protection granted before it has been released.
 *
 * An EX_RUNDOWN_REF is one pointer-sized word, which the routines change
 * with interlocked operations only; there is no lock.  wdm.h's constants
 * name its parts: bit 0 (EX_RUNDOWN_ACTIVE) says that the rundown has begun,
 * and the protections count in units of EX_RUNDOWN_COUNT_INC above it:
 *
 *   n * EX_RUNDOWN_COUNT_INC   open, n protections outstanding
 *   EX_RUNDOWN_ACTIVE          run down, nothing outstanding
 *   &waiter | EX_RUNDOWN_ACTIVE
 *                              run down while protections were outstanding:
 *                              a struct rundown_waiter on the waiting thread's
 *                              stack counts them
 *
 * An acquire adds to an open word with a compare-exchange, and fails from the
 * moment bit 0 is set.  A release subtracts from an open word; from a word
 * that points to a waiter it counts the waiter down instead, and the release
 * that empties the waiter lets it go.  The wait swaps n * COUNT_INC for
 * &waiter | ACTIVE in one compare-exchange, with n stored in the waiter
 * first, so that exactly the n releases still to come find the waiter; from
 * then on nothing else changes the word.  The waiter spins for a while when
 * other processors can be releasing, then commits to sleeping with a
 * compare-exchange of its state, and only a committed sleeper's event is set.
 * The release that empties the waiter touches it last, with the exchange of
 * its state or the KeSetEvent after it; the waiter leaves its frame only
 * after that, having stored EX_RUNDOWN_ACTIVE in the word, which no release
 * reads any more.
 *
 * A wait on a word that is run down already has no effect, as documented; a
 * wait on a word that points to another thread's waiter returns once that
 * wait has ended.  ExRundownCompleted leaves a run-down word at
 * EX_RUNDOWN_ACTIVE (and runs an open one down); ExReInitializeRundownProtection
 * turns EX_RUNDOWN_ACTIVE back to 0 and leaves any other word as it is.
 *
 * Memory ordering: every access to a word or a waiter is an interlocked
 * operation, a full barrier, except the waiter's acquire loads of its own
 * state.  The word is never read plainly: an operation starts with a
 * compare-exchange on a guess (0 for an acquire, its own count for a
 * release), and a failed one returns the value to go on from.  The waiter
 * fills itself in before the compare-exchange that publishes it; a release
 * reaches the waiter through the word's value, read by its own
 * compare-exchange.  The last release's exchange of the state
 * pairs with the waiter's acquire load of it, so that the wait returns after
 * every access of the releases.
 *
 * Misuse (a release of protections nobody holds, a count that does not fit
 * in the word, a reinitialization or completion of a reference that is not
 * run down) changes nothing where that is safe, and is reported with WARN.
 *
 * Calling context, as documented: acquire and release at IRQL <=
 * DISPATCH_LEVEL when the reference is in nonpaged memory; initialize,
 * reinitialize, complete and wait at IRQL <= APC_LEVEL.
 */

struct rundown_waiter
{
    ULONG_PTR outstanding;  /* protections not released yet */
    LONG state;             /* WAITER_SPINNING, WAITER_SLEEPING or WAITER_RELEASED */
    KEVENT wake;            /* set by the last release if the waiter sleeps */
};

enum { WAITER_SPINNING, WAITER_SLEEPING, WAITER_RELEASED };

static ULONG_PTR rundown_compare_exchange( EX_RUNDOWN_REF *ref, ULONG_PTR value, ULONG_PTR expected )
{
    return (ULONG_PTR)InterlockedCompareExchangePointer( &ref->Ptr, (void *)value, (void *)expected );
}

static void rundown_set( EX_RUNDOWN_REF *ref, ULONG_PTR value )
{
    InterlockedExchangePointer( &ref->Ptr, (void *)value );
}

/* The word's units for count protections; FALSE if they do not fit. */
static BOOLEAN rundown_units( ULONG count, ULONG_PTR *units )
{
    *units = (ULONG_PTR)count << EX_RUNDOWN_COUNT_SHIFT;
    return *units >> EX_RUNDOWN_COUNT_SHIFT == count;
}

static struct rundown_waiter *waiter_from_word( ULONG_PTR word )
{
    return (struct rundown_waiter *)(word & ~(ULONG_PTR)EX_RUNDOWN_ACTIVE);
}

/* Counts a waiter down by count protections and returns what it counted
 * before; the release that empties it lets it go.  That exchange, or the
 * KeSetEvent after it for a sleeping waiter, is the release's last access to
 * the waiter. */
static ULONG_PTR waiter_count_down( struct rundown_waiter *waiter, ULONG count )
{
    ULONG_PTR old = (ULONG_PTR)InterlockedExchangeAddSizeT( &waiter->outstanding, -(LONG_PTR)count );

    if (old == count && InterlockedExchange( &waiter->state, WAITER_RELEASED ) == WAITER_SLEEPING)
        KeSetEvent( &waiter->wake, IO_NO_INCREMENT, FALSE );
    return old;
}

/***********************************************************************
 *           ExInitializeRundownProtection   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER( ExInitializeRundownProtection )
void FASTCALL ExInitializeRundownProtection( EX_RUNDOWN_REF *ref )
{
    TRACE( "ref %p.\n", ref );
    rundown_set( ref, 0 );
}

/***********************************************************************
 *           ExAcquireRundownProtectionEx   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL_WRAPPER( ExAcquireRundownProtectionEx, 8 )
BOOLEAN FASTCALL ExAcquireRundownProtectionEx( EX_RUNDOWN_REF *ref, ULONG count )
{
    ULONG_PTR units, old, seen;

    TRACE( "ref %p, count %lu.\n", ref, count );
    if (!rundown_units( count, &units ))
    {
        WARN( "ref %p: count too large for the word.\n", ref );
        return FALSE;
    }
    for (old = 0; (seen = rundown_compare_exchange( ref, old + units, old )) != old; old = seen)
    {
        if (seen & EX_RUNDOWN_ACTIVE) return FALSE;
        if (seen > ~(ULONG_PTR)0 - units)
        {
            WARN( "ref %p: protection count overflow.\n", ref );
            return FALSE;
        }
    }
    return TRUE;
}

/***********************************************************************
 *           ExAcquireRundownProtection   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER( ExAcquireRundownProtection )
BOOLEAN FASTCALL ExAcquireRundownProtection( EX_RUNDOWN_REF *ref )
{
    return ExAcquireRundownProtectionEx( ref, 1 );
}

/***********************************************************************
 *           ExReleaseRundownProtectionEx   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL_WRAPPER( ExReleaseRundownProtectionEx, 8 )
void FASTCALL ExReleaseRundownProtectionEx( EX_RUNDOWN_REF *ref, ULONG count )
{
    ULONG_PTR units, old, seen;

    TRACE( "ref %p, count %lu.\n", ref, count );
    if (!count) return;
    if (!rundown_units( count, &units ))
    {
        WARN( "ref %p: count too large for the word.\n", ref );
        return;
    }
    /* first guess: these are the only protections outstanding */
    for (old = units; (seen = rundown_compare_exchange( ref, old - units, old )) != old; old = seen)
    {
        if (seen == EX_RUNDOWN_ACTIVE)
        {
            WARN( "ref %p: release after the rundown.\n", ref );
            return;
        }
        if (seen & EX_RUNDOWN_ACTIVE)
        {
            /* the waiter counts exactly what is outstanding */
            if (waiter_count_down( waiter_from_word( seen ), count ) < count)
                WARN( "ref %p: release of more protections than are outstanding.\n", ref );
            return;
        }
        if (seen < units)
        {
            WARN( "ref %p: release of more protections than are outstanding.\n", ref );
            return;
        }
    }
}

/***********************************************************************
 *           ExReleaseRundownProtection   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER( ExReleaseRundownProtection )
void FASTCALL ExReleaseRundownProtection( EX_RUNDOWN_REF *ref )
{
    ExReleaseRundownProtectionEx( ref, 1 );
}

/*
 * The wait: a waiter on the waiting thread's stack, and the routines that run
 * a reference down or make it usable again.
 */

/* How often a waiter looks at its state before it sleeps: about 20 us with
 * the 20 ns pause of the project's test machine.  Measured there
 * (tools/measure/bench.sh, the wake-up after a 5 us hold): 512 looks miss
 * such a release now and then, 1024 and 2048 do not. */
#define WAITER_SPINS 1024

static void waiter_init( struct rundown_waiter *waiter )
{
    waiter->outstanding = 0;
    waiter->state = WAITER_SPINNING;
    KeInitializeEvent( &waiter->wake, SynchronizationEvent, FALSE );
}

/* Spinning helps only if another processor can release meanwhile.  The
 * count is asked once: some kernels answer it slowly. */
static BOOLEAN waiter_may_spin(void)
{
    static LONG processors;
    LONG count = ReadAcquire( &processors );

    if (!count)
    {
        count = (LONG)KeQueryActiveProcessorCountEx( ALL_PROCESSOR_GROUPS );
        if (count < 1) count = 1;
        InterlockedExchange( &processors, count );
    }
    return count > 1;
}

/* The waiter, once published: returns when the last protection is released. */
static void waiter_wait( struct rundown_waiter *waiter )
{
    ULONG spins;

    if (waiter_may_spin())
    {
        for (spins = 0; spins < WAITER_SPINS; spins++)
        {
            if (ReadAcquire( &waiter->state ) == WAITER_RELEASED) return;
            YieldProcessor();
        }
    }
    if (InterlockedCompareExchange( &waiter->state, WAITER_SLEEPING, WAITER_SPINNING ) == WAITER_SPINNING)
        KeWaitForSingleObject( &waiter->wake, Executive, KernelMode, FALSE, NULL );
}

/* Another thread's wait is in progress (the word points to its waiter):
 * returns once it has ended. */
static void wait_for_other_waiter( EX_RUNDOWN_REF *ref, ULONG_PTR word )
{
    LARGE_INTEGER interval;

    interval.QuadPart = -10000; /* 1 ms */
    while (rundown_compare_exchange( ref, word, word ) == word)
        KeDelayExecutionThread( KernelMode, FALSE, &interval );
}

/***********************************************************************
 *           ExWaitForRundownProtectionRelease   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER( ExWaitForRundownProtectionRelease )
void FASTCALL ExWaitForRundownProtectionRelease( EX_RUNDOWN_REF *ref )
{
    struct rundown_waiter waiter;
    ULONG_PTR old, seen;

    TRACE( "ref %p.\n", ref );

    waiter_init( &waiter );
    for (old = 0;; old = seen)
    {
        if (old & EX_RUNDOWN_ACTIVE)
        {
            if (old != EX_RUNDOWN_ACTIVE) wait_for_other_waiter( ref, old );
            return;
        }
        waiter.outstanding = old >> EX_RUNDOWN_COUNT_SHIFT;
        seen = rundown_compare_exchange( ref, old ? (ULONG_PTR)&waiter | EX_RUNDOWN_ACTIVE : EX_RUNDOWN_ACTIVE, old );
        if (seen == old) break;
    }
    if (!old) return;   /* nothing was outstanding */
    waiter_wait( &waiter );
    rundown_set( ref, EX_RUNDOWN_ACTIVE );
}

/***********************************************************************
 *           ExReInitializeRundownProtection   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER( ExReInitializeRundownProtection )
void FASTCALL ExReInitializeRundownProtection( EX_RUNDOWN_REF *ref )
{
    ULONG_PTR old;

    TRACE( "ref %p.\n", ref );
    if ((old = rundown_compare_exchange( ref, 0, EX_RUNDOWN_ACTIVE )) != EX_RUNDOWN_ACTIVE)
        WARN( "ref %p: reinitialized while not run down (word %p), left as it is.\n", ref, (void *)old );
}

/***********************************************************************
 *           ExRundownCompleted   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER( ExRundownCompleted )
void FASTCALL ExRundownCompleted( EX_RUNDOWN_REF *ref )
{
    ULONG_PTR old, seen;

    TRACE( "ref %p.\n", ref );
    for (old = EX_RUNDOWN_ACTIVE; (seen = rundown_compare_exchange( ref, EX_RUNDOWN_ACTIVE, old )) != old; old = seen)
        if (seen & EX_RUNDOWN_ACTIVE) break;    /* a waiter's word stays as it is */
    if (seen != EX_RUNDOWN_ACTIVE)
        WARN( "ref %p: completed while not run down (word %p).\n", ref, (void *)seen );
}

/*
 * The cache-aware references spread the count over several words
 * ("counters"), each on a cache line of its own, so that threads that
 * acquire and release at the same time do not fight over one line.
 *
 * EX_RUNDOWN_REF_CACHE_AWARE is opaque in wdm.h: its size is whatever
 * ExSizeOfRundownProtectionCacheAware says, and this is our layout.  A header
 * (struct _EX_RUNDOWN_REF_CACHE_AWARE below) that acquires and releases only
 * read, then a power of two of counters, one per line (a line is
 * KeGetRecommendedSharedDataAlignment() bytes), as many as it takes to have
 * one per active processor.  With one processor, or in a buffer with no room
 * for lines, the header's own inline counter is the only one.  The size is
 * the header, the padding to the first line boundary (at most a line less a
 * pointer, the buffer being pointer-aligned) and the lines.
 * ExAllocateCacheAwareRundownProtection lays the same out in one pool block.
 *
 * Each counter uses the classic word encoding, but only the sum of the
 * counters means anything: a thread acquires on the counter its thread ID
 * selects, moving on to the next one when another processor changes that
 * counter under it, and releases on the counter its thread ID selects, which
 * need not be the one it acquired on.  So a counter can go below zero, and
 * all arithmetic on counters wraps at the word's width.
 *
 * The header's state is OPEN, then CLOSING from the start of a wait to its
 * end, then CLOSED until the next reinitialization.  The wait moves it from
 * OPEN to CLOSING, then takes every counter over: it swaps the counter's
 * value for &waiter | ACTIVE with a compare-exchange and adds the value to its
 * total.  A release that meets a taken counter counts the waiter down, even
 * below zero, since the total is added last; one that meets a counter not
 * taken yet changes the counter, which is counted when it is taken.  Once the
 * total is in, the waiter waits as the classic one does, then stores
 * EX_RUNDOWN_ACTIVE in the counters it took and sets the state to CLOSED.  A
 * wait on a CLOSED reference has no effect; one on a CLOSING reference
 * returns when the other wait does.
 *
 * An acquire reads the state after its compare-exchange, and if it is not
 * OPEN any more, gives the protection back on the same counter and fails:
 * either a wait started after the compare-exchange and counts it, or the
 * reference was run down and is being reinitialized, and the counter was one
 * already zeroed.  So no acquire succeeds once a wait has begun, and none
 * before a reinitialization has zeroed every counter: a release never meets
 * a counter that holds just EX_RUNDOWN_ACTIVE unless it releases what nobody
 * acquired.  Ordering: the state changes with interlocked operations after
 * the counters (reinitialization) or before them (wait), and the acquire's
 * compare-exchange is a full barrier before its load of the state.
 */

typedef struct _EX_RUNDOWN_REF_CACHE_AWARE
{
    EX_RUNDOWN_REF *counters;   /* counter i is at (char *)counters + i * stride */
    ULONG mask;                 /* number of counters - 1 */
    ULONG stride;
    LONG state;                 /* CACHE_AWARE_OPEN, _CLOSING or _CLOSED */
    ULONG owner;                /* CACHE_AWARE_IN_BUFFER or CACHE_AWARE_FROM_POOL */
    EX_RUNDOWN_REF inline_counter;
} EX_RUNDOWN_REF_CACHE_AWARE;

enum { CACHE_AWARE_OPEN, CACHE_AWARE_CLOSING, CACHE_AWARE_CLOSED };

#define CACHE_AWARE_IN_BUFFER 0x66754272   /* 'rBuf' */
#define CACHE_AWARE_FROM_POOL 0x6c6f5072   /* 'rPol' */

static ULONG cache_aware_line(void)
{
    ULONG line = KeGetRecommendedSharedDataAlignment();

    return line > sizeof(EX_RUNDOWN_REF) ? line : sizeof(EX_RUNDOWN_REF);
}

/* Counters for the active processors: the power of two at or above their count. */
static ULONG cache_aware_counters(void)
{
    ULONG processors = KeQueryActiveProcessorCountEx( ALL_PROCESSOR_GROUPS ), counters = 1;

    while (counters < processors) counters <<= 1;
    return counters;
}

static SIZE_T cache_aware_size( ULONG counters )
{
    ULONG line = cache_aware_line();

    if (counters == 1) return sizeof(EX_RUNDOWN_REF_CACHE_AWARE);
    return sizeof(EX_RUNDOWN_REF_CACHE_AWARE) + line - sizeof(void *) + (SIZE_T)counters * line;
}

static EX_RUNDOWN_REF *cache_aware_counter( EX_RUNDOWN_REF_CACHE_AWARE *ref, ULONG index )
{
    return (EX_RUNDOWN_REF *)((char *)ref->counters + (SIZE_T)(index & ref->mask) * ref->stride);
}

/* The counter a thread starts at. */
static ULONG cache_aware_index(void)
{
    /* thread IDs commonly come in steps of 4 (Wine's do): drop the low bits */
    return (ULONG)((ULONG_PTR)PsGetCurrentThreadId() >> 2);
}

static void cache_aware_set_all( EX_RUNDOWN_REF_CACHE_AWARE *ref, ULONG_PTR value )
{
    ULONG i;

    for (i = 0; i <= ref->mask; i++) rundown_set( cache_aware_counter( ref, i ), value );
}

/* Takes count protections back on the counter `index` selects. */
static void cache_aware_release( EX_RUNDOWN_REF_CACHE_AWARE *ref, ULONG index, ULONG count )
{
    EX_RUNDOWN_REF *counter = cache_aware_counter( ref, index );
    ULONG_PTR units, old, seen;

    if (!count) return;
    if (!rundown_units( count, &units ))
    {
        WARN( "ref %p: count too large for the word.\n", ref );
        return;
    }
    for (old = units; (seen = rundown_compare_exchange( counter, old - units, old )) != old; old = seen)
    {
        if (!(seen & EX_RUNDOWN_ACTIVE)) continue;
        if (seen == EX_RUNDOWN_ACTIVE)
        {
            WARN( "ref %p: release after the rundown.\n", ref );
            return;
        }
        /* a counter the wait took: the waiter may go below zero until the
         * wait adds its total */
        waiter_count_down( waiter_from_word( seen ), count );
        return;
    }
}

/***********************************************************************
 *           ExSizeOfRundownProtectionCacheAware   (NTOSKRNL.EXE.@)
 */
SIZE_T WINAPI ExSizeOfRundownProtectionCacheAware(void)
{
    TRACE( ".\n" );
    return cache_aware_size( cache_aware_counters() );
}

/***********************************************************************
 *           ExInitializeRundownProtectionCacheAware   (NTOSKRNL.EXE.@)
 */
void WINAPI ExInitializeRundownProtectionCacheAware( EX_RUNDOWN_REF_CACHE_AWARE *ref, SIZE_T size )
{
    ULONG line = cache_aware_line(), wanted = cache_aware_counters(), counters = 1;
    ULONG_PTR start = (ULONG_PTR)(ref + 1), end = (ULONG_PTR)ref + size, first;

    TRACE( "ref %p, size %Iu.\n", ref, size );
    if (size < sizeof(*ref))
    {
        WARN( "ref %p: buffer too small for a cache-aware reference, left alone.\n", ref );
        return;
    }
    first = start + (line - start % line) % line;
    if (end >= first)
        while (counters < wanted && (end - first) / line >= (ULONG_PTR)counters * 2) counters *= 2;

    ref->state = CACHE_AWARE_OPEN;
    ref->owner = CACHE_AWARE_IN_BUFFER;
    ref->inline_counter.Count = 0;
    ref->mask = counters - 1;
    if (counters > 1)
    {
        ref->counters = (EX_RUNDOWN_REF *)first;
        ref->stride = line;
    }
    else
    {
        ref->counters = &ref->inline_counter;
        ref->stride = 0;
    }
    cache_aware_set_all( ref, 0 );
}

/***********************************************************************
 *           ExAllocateCacheAwareRundownProtection   (NTOSKRNL.EXE.@)
 */
EX_RUNDOWN_REF_CACHE_AWARE * WINAPI ExAllocateCacheAwareRundownProtection( POOL_TYPE type, ULONG tag )
{
    SIZE_T size = cache_aware_size( cache_aware_counters() );
    EX_RUNDOWN_REF_CACHE_AWARE *ref;

    TRACE( "type %d, tag %#lx.\n", type, tag );
    if (!(ref = ExAllocatePoolWithTag( type, size, tag ))) return NULL;
    ExInitializeRundownProtectionCacheAware( ref, size );
    ref->owner = CACHE_AWARE_FROM_POOL;
    return ref;
}

/***********************************************************************
 *           ExFreeCacheAwareRundownProtection   (NTOSKRNL.EXE.@)
 */
void WINAPI ExFreeCacheAwareRundownProtection( EX_RUNDOWN_REF_CACHE_AWARE *ref )
{
    TRACE( "ref %p.\n", ref );
    if (ref->owner != CACHE_AWARE_FROM_POOL)
    {
        WARN( "ref %p: not from ExAllocateCacheAwareRundownProtection, not freed.\n", ref );
        return;
    }
    ref->owner = 0;
    ExFreePool( ref );
}

/***********************************************************************
 *           ExAcquireRundownProtectionCacheAwareEx   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL_WRAPPER( ExAcquireRundownProtectionCacheAwareEx, 8 )
BOOLEAN FASTCALL ExAcquireRundownProtectionCacheAwareEx( EX_RUNDOWN_REF_CACHE_AWARE *ref, ULONG count )
{
    ULONG index = cache_aware_index();
    ULONG_PTR units, old, seen;
    EX_RUNDOWN_REF *counter;

    TRACE( "ref %p, count %lu.\n", ref, count );
    if (!rundown_units( count, &units ))
    {
        WARN( "ref %p: count too large for the word.\n", ref );
        return FALSE;
    }
    for (;; index++)
    {
        counter = cache_aware_counter( ref, index );
        /* first guess: the counter is empty; then what it holds, once */
        if (!(old = rundown_compare_exchange( counter, units, 0 ))) break;
        if (old & EX_RUNDOWN_ACTIVE) return FALSE;
        if ((seen = rundown_compare_exchange( counter, old + units, old )) == old) break;
        if (seen & EX_RUNDOWN_ACTIVE) return FALSE;
    }
    if (ReadAcquire( &ref->state ) == CACHE_AWARE_OPEN) return TRUE;
    cache_aware_release( ref, index, count );
    return FALSE;
}

/***********************************************************************
 *           ExAcquireRundownProtectionCacheAware   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER( ExAcquireRundownProtectionCacheAware )
BOOLEAN FASTCALL ExAcquireRundownProtectionCacheAware( EX_RUNDOWN_REF_CACHE_AWARE *ref )
{
    return ExAcquireRundownProtectionCacheAwareEx( ref, 1 );
}

/***********************************************************************
 *           ExReleaseRundownProtectionCacheAwareEx   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL_WRAPPER( ExReleaseRundownProtectionCacheAwareEx, 8 )
void FASTCALL ExReleaseRundownProtectionCacheAwareEx( EX_RUNDOWN_REF_CACHE_AWARE *ref, ULONG count )
{
    TRACE( "ref %p, count %lu.\n", ref, count );
    cache_aware_release( ref, cache_aware_index(), count );
}

/***********************************************************************
 *           ExReleaseRundownProtectionCacheAware   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER( ExReleaseRundownProtectionCacheAware )
void FASTCALL ExReleaseRundownProtectionCacheAware( EX_RUNDOWN_REF_CACHE_AWARE *ref )
{
    ExReleaseRundownProtectionCacheAwareEx( ref, 1 );
}

/*
 * The cache-aware wait, and the routines that run an object down or make it
 * usable again.
 */

/* Another thread's wait is in progress: returns once it has ended. */
static void wait_for_other_cache_aware_waiter( EX_RUNDOWN_REF_CACHE_AWARE *ref )
{
    LARGE_INTEGER interval;

    interval.QuadPart = -10000; /* 1 ms */
    while (ReadAcquire( &ref->state ) == CACHE_AWARE_CLOSING)
        KeDelayExecutionThread( KernelMode, FALSE, &interval );
}

/***********************************************************************
 *           ExWaitForRundownProtectionReleaseCacheAware   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER( ExWaitForRundownProtectionReleaseCacheAware )
void FASTCALL ExWaitForRundownProtectionReleaseCacheAware( EX_RUNDOWN_REF_CACHE_AWARE *ref )
{
    struct rundown_waiter waiter;
    ULONG_PTR taken = (ULONG_PTR)&waiter | EX_RUNDOWN_ACTIVE, total = 0, old, seen;
    LONG_PTR outstanding;
    ULONG i;

    TRACE( "ref %p.\n", ref );

    switch (InterlockedCompareExchange( &ref->state, CACHE_AWARE_CLOSING, CACHE_AWARE_OPEN ))
    {
    case CACHE_AWARE_CLOSED:
        return;
    case CACHE_AWARE_CLOSING:
        wait_for_other_cache_aware_waiter( ref );
        return;
    }

    waiter_init( &waiter );
    for (i = 0; i <= ref->mask; i++)
    {
        EX_RUNDOWN_REF *counter = cache_aware_counter( ref, i );

        for (old = 0; (seen = rundown_compare_exchange( counter, taken, old )) != old; old = seen)
            if (seen & EX_RUNDOWN_ACTIVE) break;
        if (seen == old) total += old;
    }

    outstanding = (LONG_PTR)total / EX_RUNDOWN_COUNT_INC;
    outstanding += (LONG_PTR)InterlockedExchangeAddSizeT( &waiter.outstanding, outstanding );
    if (outstanding < 0)
        WARN( "ref %p: more protections released than acquired.\n", ref );
    else if (outstanding)
        waiter_wait( &waiter );

    for (i = 0; i <= ref->mask; i++)
        rundown_compare_exchange( cache_aware_counter( ref, i ), EX_RUNDOWN_ACTIVE, taken );
    InterlockedExchange( &ref->state, CACHE_AWARE_CLOSED );
}

/***********************************************************************
 *           ExReInitializeRundownProtectionCacheAware   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER( ExReInitializeRundownProtectionCacheAware )
void FASTCALL ExReInitializeRundownProtectionCacheAware( EX_RUNDOWN_REF_CACHE_AWARE *ref )
{
    TRACE( "ref %p.\n", ref );
    if (ReadAcquire( &ref->state ) != CACHE_AWARE_CLOSED)
    {
        WARN( "ref %p: reinitialized while not run down, left as it is.\n", ref );
        return;
    }
    cache_aware_set_all( ref, 0 );
    InterlockedExchange( &ref->state, CACHE_AWARE_OPEN );
}

/***********************************************************************
 *           ExRundownCompletedCacheAware   (NTOSKRNL.EXE.@)
 */
DEFINE_FASTCALL1_WRAPPER( ExRundownCompletedCacheAware )
void FASTCALL ExRundownCompletedCacheAware( EX_RUNDOWN_REF_CACHE_AWARE *ref )
{
    TRACE( "ref %p.\n", ref );
    switch (InterlockedCompareExchange( &ref->state, CACHE_AWARE_CLOSED, CACHE_AWARE_OPEN ))
    {
    case CACHE_AWARE_CLOSED:
        return;
    case CACHE_AWARE_CLOSING:
        WARN( "ref %p: completed while a wait is in progress, left as it is.\n", ref );
        return;
    }
    WARN( "ref %p: completed while not run down.\n", ref );
    cache_aware_set_all( ref, EX_RUNDOWN_ACTIVE );
}
