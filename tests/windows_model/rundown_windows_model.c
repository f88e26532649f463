/*
 * A model of what Windows x64 observably does in the 19 rundown routines
 *
 * A test peer, not an implementation anyone should use: it reproduces, over
 * the host kernel services, every deviation of Windows x64 that
 * docs/behaviour.md lists ("Windows x64"), so that the conformance suite can
 * be run against it with WINETEST_PLATFORM=windows (the "windows-model"
 * tests) and show that on Windows it would finish with no failure, no hang
 * and no call into a case that bug checks there.  It is written from those
 * documented observations only (Windows' code was never used), and where
 * Windows corrupts memory it stops with a bug check instead, so that a test
 * that calls such a case fails loudly rather than by chance.
 *
 * What it does as Windows does, in short:
 * - a classic wait that finds protections outstanding leaves the tagged
 *   pointer to its dead wait block in the word, so a second wait hangs;
 * - a cache-aware wait exchanges every slot with its tagged pointer, sums
 *   the old values (1s and stale pointers included) and leaves the tagged
 *   pointers behind, so every wait after a wait hangs, as does a wait after
 *   RundownCompletedCacheAware with two slots or more;
 * - AcquireEx and ReleaseEx add and subtract 2 * Count modulo 2^32, with no
 *   overflow check; a classic release on a word of 1 bug checks; a
 *   cache-aware release on a slot of 1 spins on slot 0 for ever;
 * - odd in-buffer sizes lay out 0 or 0xffffffff slots (the latter bug
 *   checks here); freeing an in-buffer object bug checks;
 * - the classic wait spins before it sleeps, with a flag in the wait block
 *   so that only a committed sleeper gets the event set; the cache-aware
 *   wait does not spin.
 */

#include <ddk/wdm.h>

#define MODEL_SPIN_COUNT 0x400
#define MODEL_NOT_FROM_POOL ((PVOID)(ULONG_PTR)0x0badca11)
#define POOL_ZERO_ALLOCATION 0x400

struct _EX_RUNDOWN_REF_CACHE_AWARE
{
    PEX_RUNDOWN_REF RunRefs;
    PVOID PoolToFree;
    ULONG RunRefSize;
    ULONG Number;
};

struct classic_block
{
    ULONG_PTR count;
    KEVENT event;
    LONG spinning;      /* bit 0: the waiter has not committed to sleeping */
};

struct cache_aware_block
{
    ULONG_PTR count;
    KEVENT event;
};

static ULONG_PTR word_read(PEX_RUNDOWN_REF ref)
{
    return (ULONG_PTR)ReadPointerAcquire((PVOID volatile *)&ref->Ptr);
}

static ULONG_PTR word_cas(PEX_RUNDOWN_REF ref, ULONG_PTR value, ULONG_PTR expected)
{
    return (ULONG_PTR)InterlockedCompareExchangePointer((PVOID volatile *)&ref->Ptr, (PVOID)value, (PVOID)expected);
}

static ULONG_PTR word_exchange(PEX_RUNDOWN_REF ref, ULONG_PTR value)
{
    return (ULONG_PTR)InterlockedExchangePointer((PVOID volatile *)&ref->Ptr, (PVOID)value);
}

/* 2 * Count modulo 2^32, zero-extended. */
static ULONG_PTR doubled(ULONG count)
{
    return (ULONG_PTR)(ULONG)(count * 2);
}

static BOOLEAN model_acquire(PEX_RUNDOWN_REF ref, ULONG_PTR inc)
{
    ULONG_PTR old, seen;

    for (old = word_read(ref);; old = seen)
    {
        if (old & EX_RUNDOWN_ACTIVE) return FALSE;
        if ((seen = word_cas(ref, old + inc, old)) == old) return TRUE;
    }
}

/* ---- the classic family ------------------------------------------------- */

static void classic_block_release(ULONG_PTR word, ULONG_PTR count)
{
    struct classic_block *block = (struct classic_block *)(word & ~(ULONG_PTR)EX_RUNDOWN_ACTIVE);

    if (!block) KeBugCheckEx(0x50 /* PAGE_FAULT_IN_NONPAGED_AREA */, 0, 0, 0, 0);
    if ((ULONG_PTR)InterlockedExchangeAddSizeT(&block->count, 0 - count) != count) return;
    if (!(InterlockedAnd(&block->spinning, ~1) & 1)) KeSetEvent(&block->event, 0, FALSE);
}

static void classic_release(PEX_RUNDOWN_REF ref, ULONG count)
{
    ULONG_PTR old, seen;

    for (old = word_read(ref);; old = seen)
    {
        if (old & EX_RUNDOWN_ACTIVE)
        {
            classic_block_release(old, count);
            return;
        }
        if ((seen = word_cas(ref, old - doubled(count), old)) == old) return;
    }
}

VOID FASTCALL ExInitializeRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    RunRef->Count = 0;
}

VOID FASTCALL ExReInitializeRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    word_exchange(RunRef, 0);
}

VOID FASTCALL ExRundownCompleted(PEX_RUNDOWN_REF RunRef)
{
    word_exchange(RunRef, EX_RUNDOWN_ACTIVE);
}

BOOLEAN FASTCALL ExAcquireRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    return model_acquire(RunRef, 2);
}

BOOLEAN FASTCALL ExAcquireRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count)
{
    return model_acquire(RunRef, doubled(Count));
}

VOID FASTCALL ExReleaseRundownProtection(PEX_RUNDOWN_REF RunRef)
{
    classic_release(RunRef, 1);
}

VOID FASTCALL ExReleaseRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count)
{
    classic_release(RunRef, Count);
}

VOID FASTCALL ExWaitForRundownProtectionRelease(PEX_RUNDOWN_REF RunRef)
{
    struct classic_block block;
    ULONG_PTR old, seen, count;
    ULONG spins;

    old = word_cas(RunRef, EX_RUNDOWN_ACTIVE, 0);
    if (old < 2) return;    /* it was 0 (now 1), or exactly 1 */

    block.spinning = 1;
    for (;; old = seen)
    {
        block.count = count = old >> EX_RUNDOWN_COUNT_SHIFT;
        if ((seen = word_cas(RunRef, (ULONG_PTR)&block | EX_RUNDOWN_ACTIVE, old)) == old) break;
    }
    if (!count) return;     /* the tagged pointer stays anyway */

    if (KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS) > 1)
    {
        for (spins = 0; spins < MODEL_SPIN_COUNT; spins++)
        {
            if (!(ReadAcquire(&block.spinning) & 1)) return;
            YieldProcessor();
        }
    }
    KeInitializeEvent(&block.event, SynchronizationEvent, FALSE);
    if (InterlockedAnd(&block.spinning, ~1) & 1)
        KeWaitForSingleObject(&block.event, Executive, KernelMode, FALSE, NULL);
    /* nothing is stored: the word keeps the stale tagged pointer */
}

/* ---- the cache-aware family --------------------------------------------- */

static ULONG model_line(void)
{
    return KeGetRecommendedSharedDataAlignment();
}

static ULONG model_processors(void)
{
    return KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS);
}

static PEX_RUNDOWN_REF model_slot(PEX_RUNDOWN_REF_CACHE_AWARE ref, ULONG index)
{
    return (PEX_RUNDOWN_REF)((PUCHAR)ref->RunRefs + (ULONG)(index * ref->RunRefSize));
}

/* A Number of 0 divides by zero here, as it does there. */
static PEX_RUNDOWN_REF model_current_slot(PEX_RUNDOWN_REF_CACHE_AWARE ref)
{
    return model_slot(ref, KeGetCurrentProcessorNumberEx(NULL) % ref->Number);
}

static void cache_aware_release(PEX_RUNDOWN_REF_CACHE_AWARE ref, ULONG count)
{
    PEX_RUNDOWN_REF slot = model_current_slot(ref);
    ULONG_PTR old, seen, delta = (ULONG_PTR)(LONG_PTR)(LONG)(0 - count);

    for (old = word_read(slot);; old = seen)
    {
        if (old == EX_RUNDOWN_ACTIVE)
        {
            /* on to slot 0, and wait there as long as it is 1 */
            slot = ref->RunRefs;
            while ((old = word_read(slot)) == EX_RUNDOWN_ACTIVE) ;
        }
        if (old & EX_RUNDOWN_ACTIVE)
        {
            struct cache_aware_block *block = (struct cache_aware_block *)(old & ~(ULONG_PTR)EX_RUNDOWN_ACTIVE);

            if ((ULONG_PTR)InterlockedExchangeAddSizeT(&block->count, delta) + delta == 0)
                KeSetEvent(&block->event, 0, FALSE);
            return;
        }
        if ((seen = word_cas(slot, old - doubled(count), old)) == old) return;
    }
}

SIZE_T NTAPI ExSizeOfRundownProtectionCacheAware(VOID)
{
    ULONG n = model_processors();

    return sizeof(struct _EX_RUNDOWN_REF_CACHE_AWARE) + (n <= 1 ? sizeof(EX_RUNDOWN_REF) : (ULONG)((n + 1) * model_line()));
}

VOID NTAPI ExInitializeRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware, SIZE_T RunRefSize)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = RunRefCacheAware;
    ULONG space = (ULONG)RunRefSize - sizeof(*ref), line = model_line(), i;

    if (space == sizeof(EX_RUNDOWN_REF))
    {
        ref->RunRefs = (PEX_RUNDOWN_REF)(ref + 1);
        ref->RunRefSize = sizeof(EX_RUNDOWN_REF);
        ref->Number = 1;
    }
    else
    {
        ref->RunRefs = (PEX_RUNDOWN_REF)(((ULONG_PTR)(ref + 1) + line - 1) & ~(ULONG_PTR)(line - 1));
        ref->RunRefSize = line;
        ref->Number = space / line - 1;
    }
    ref->PoolToFree = MODEL_NOT_FROM_POOL;
    /* Windows zeroes 0xffffffff slots (or about 4G / line), far past the buffer */
    if ((SIZE_T)ref->Number * ref->RunRefSize > RunRefSize) KeBugCheckEx(0x50, (ULONG_PTR)ref, RunRefSize, 0, 0);
    for (i = 0; i < ref->Number; i++) model_slot(ref, i)->Count = 0;
}

PEX_RUNDOWN_REF_CACHE_AWARE NTAPI ExAllocateCacheAwareRundownProtection(POOL_TYPE PoolType, ULONG PoolTag)
{
    POOL_TYPE type = (POOL_TYPE)(PoolType | POOL_ZERO_ALLOCATION);
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    ULONG n = model_processors(), line = model_line(), i;
    PVOID block;

    if (!(ref = ExAllocatePoolWithTag(type, sizeof(*ref), PoolTag))) return NULL;
    ref->Number = n;
    ref->RunRefSize = n <= 1 ? sizeof(EX_RUNDOWN_REF) : line;
    if (!(block = ExAllocatePoolWithTag(type, (ULONG)(ref->RunRefSize * n), PoolTag)))
    {
        ExFreePoolWithTag(ref, 0);
        return NULL;
    }
    ref->RunRefs = block;
    if (n > 1 && ((ULONG_PTR)block & (line - 1)))
    {
        ExFreePoolWithTag(block, 0);
        if (!(block = ExAllocatePoolWithTag(type, (ULONG)(line * (n + 1)), PoolTag)))
        {
            ExFreePoolWithTag(ref, 0);
            return NULL;
        }
        ref->RunRefs = (PEX_RUNDOWN_REF)(((ULONG_PTR)block + line - 1) & ~(ULONG_PTR)(line - 1));
    }
    ref->PoolToFree = block;
    for (i = 0; i < n; i++) model_slot(ref, i)->Count = 0;
    return ref;
}

VOID NTAPI ExFreeCacheAwareRundownProtection(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware)
{
    if (RunRefCacheAware->PoolToFree == MODEL_NOT_FROM_POOL)
        KeBugCheckEx(0xc2 /* BAD_POOL_CALLER */, 0, (ULONG_PTR)MODEL_NOT_FROM_POOL, 0, 0);
    ExFreePoolWithTag(RunRefCacheAware->PoolToFree, 0);
    ExFreePoolWithTag(RunRefCacheAware, 0);
}

BOOLEAN FASTCALL ExAcquireRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware)
{
    return model_acquire(model_current_slot(RunRefCacheAware), 2);
}

BOOLEAN FASTCALL ExAcquireRundownProtectionCacheAwareEx(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware, ULONG Count)
{
    return model_acquire(model_current_slot(RunRefCacheAware), doubled(Count));
}

VOID FASTCALL ExReleaseRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware)
{
    cache_aware_release(RunRefCacheAware, 1);
}

VOID FASTCALL ExReleaseRundownProtectionCacheAwareEx(PEX_RUNDOWN_REF_CACHE_AWARE RunRef, ULONG Count)
{
    cache_aware_release(RunRef, Count);
}

VOID FASTCALL ExWaitForRundownProtectionReleaseCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRef)
{
    struct cache_aware_block block;
    ULONG_PTR tagged = (ULONG_PTR)&block | EX_RUNDOWN_ACTIVE, sum = 0, total;
    ULONG i;

    block.count = 0;
    for (i = 0; i < RunRef->Number; i++) sum += word_exchange(model_slot(RunRef, i), tagged);
    if (!sum) return;
    KeInitializeEvent(&block.event, SynchronizationEvent, FALSE);
    total = sum >> EX_RUNDOWN_COUNT_SHIFT;
    if ((ULONG_PTR)InterlockedExchangeAddSizeT(&block.count, total) + total)
        KeWaitForSingleObject(&block.event, Executive, KernelMode, FALSE, NULL);
    /* nothing is stored: every slot keeps the stale tagged pointer */
}

VOID FASTCALL ExRundownCompletedCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware)
{
    ULONG i;

    for (i = 0; i < RunRefCacheAware->Number; i++) word_exchange(model_slot(RunRefCacheAware, i), EX_RUNDOWN_ACTIVE);
}

VOID FASTCALL ExReInitializeRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware)
{
    ULONG i;

    ExRundownCompletedCacheAware(RunRefCacheAware);
    for (i = 0; i < RunRefCacheAware->Number; i++) word_exchange(model_slot(RunRefCacheAware, i), 0);
}
