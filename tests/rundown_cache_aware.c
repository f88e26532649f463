/*
 * Conformance tests for the cache-aware rundown protection routines
 *
 * Kernel code, like rundown.c.  The layout of EX_RUNDOWN_REF_CACHE_AWARE is
 * opaque in wdm.h but fixed by ntoskrnl's symbols, so the tests read the
 * fields and the slots directly.
 */

#include "support.h"
#include "winetest.h"

#define TAG 0x4e645274 /* 'tRdN' */

static ULONG line_size(void)
{
    return KeGetRecommendedSharedDataAlignment();
}

static PEX_RUNDOWN_REF slot(PEX_RUNDOWN_REF_CACHE_AWARE ref, ULONG index)
{
    return (PEX_RUNDOWN_REF)((PUCHAR)ref->RunRefs + (SIZE_T)index * ref->RunRefSize);
}

/* Checks every slot: `value` in the one numbered `index`, `others` elsewhere. */
static void check_slots_(const char *file, int line, PEX_RUNDOWN_REF_CACHE_AWARE ref, ULONG index,
                         ULONG_PTR value, ULONG_PTR others)
{
    ULONG i;

    for (i = 0; i < ref->Number; i++)
    {
        ULONG_PTR expect = i == index ? value : others, got = slot(ref, i)->Count;
        ok_(file, line)(got == expect, "slot %lu: got %" WORDX ", expected %" WORDX "\n",
                        (unsigned long)i, got, expect);
    }
}
#define check_slots(ref, index, value, others) check_slots_(__FILE__, __LINE__, ref, index, value, others)
#define check_all_slots(ref, value) check_slots_(__FILE__, __LINE__, ref, ~0u, value, value)

static ULONG_PTR expected_size(ULONG processors)
{
    if (processors <= 1) return sizeof(EX_RUNDOWN_REF_CACHE_AWARE) + sizeof(EX_RUNDOWN_REF);
    return sizeof(EX_RUNDOWN_REF_CACHE_AWARE) + (SIZE_T)(processors + 1) * line_size();
}

/* Allocates a cache-aware object the documented way: size, buffer, initialize. */
static PEX_RUNDOWN_REF_CACHE_AWARE alloc_in_buffer(void)
{
    SIZE_T size = ExSizeOfRundownProtectionCacheAware();
    PEX_RUNDOWN_REF_CACHE_AWARE ref = ExAllocatePoolWithTag(NonPagedPool, size, TAG);

    ok(ref != NULL, "could not allocate %" WORDU " bytes\n", (ULONG_PTR)size);
    if (ref) ExInitializeRundownProtectionCacheAware(ref, size);
    return ref;
}

static VOID wait_cache_aware(PVOID ref)
{
    ExWaitForRundownProtectionReleaseCacheAware(ref);
}

static void test_size(void)
{
    ULONG processors = processor_count();
    SIZE_T size = ExSizeOfRundownProtectionCacheAware();

    ok(size == expected_size(processors), "got size %" WORDU ", expected %" WORDU " (%lu processors, line %lu)\n",
       (ULONG_PTR)size, expected_size(processors), (unsigned long)processors, (unsigned long)line_size());
    ok(sizeof(EX_RUNDOWN_REF_CACHE_AWARE) == (sizeof(void *) == 8 ? 0x18 : 0x10),
       "sizeof(EX_RUNDOWN_REF_CACHE_AWARE) = %u\n", (unsigned)sizeof(EX_RUNDOWN_REF_CACHE_AWARE));
    ok(line_size() >= sizeof(EX_RUNDOWN_REF) && !(line_size() & (line_size() - 1)),
       "cache line size %lu\n", (unsigned long)line_size());
}

static void check_layout(PEX_RUNDOWN_REF_CACHE_AWARE ref, PUCHAR buffer, SIZE_T size, ULONG number)
{
    PUCHAR slots = (PUCHAR)ref->RunRefs;
    ULONG line = line_size();

    ok(ref->PoolToFree == (PVOID)(ULONG_PTR)0x0badca11, "PoolToFree %p\n", ref->PoolToFree);
    ok(ref->Number == number, "Number %lu, expected %lu\n", (unsigned long)ref->Number, (unsigned long)number);
    if (size == sizeof(*ref) + sizeof(EX_RUNDOWN_REF))
    {
        ok(ref->RunRefSize == sizeof(EX_RUNDOWN_REF), "RunRefSize %lu\n", (unsigned long)ref->RunRefSize);
        ok(slots == (PUCHAR)(ref + 1), "slots at %p, structure at %p\n", slots, ref);
    }
    else
    {
        ok(ref->RunRefSize == line, "RunRefSize %lu, line %lu\n", (unsigned long)ref->RunRefSize, (unsigned long)line);
        ok(!((ULONG_PTR)slots % line), "slots at %p are not line-aligned\n", slots);
        ok(slots >= (PUCHAR)(ref + 1) && slots < (PUCHAR)(ref + 1) + line, "slots at %p, structure at %p\n",
           slots, ref);
    }
    ok(slots + (SIZE_T)(ref->Number - 1) * ref->RunRefSize + sizeof(EX_RUNDOWN_REF) <= buffer + size,
       "last slot ends past the buffer\n");
    check_all_slots(ref, 0);
}

static void test_initialize_in_buffer(void)
{
    ULONG processors = processor_count(), line = line_size(), offset;
    SIZE_T size = ExSizeOfRundownProtectionCacheAware(), big;
    PUCHAR buffer;

    buffer = ExAllocatePoolWithTag(NonPagedPool, size + 4 * line, TAG);
    ok(buffer != NULL, "allocation failed\n");
    if (!buffer) return;

    /* The documented size, at every pointer-aligned position in a line. */
    for (offset = 0; offset < line; offset += sizeof(void *))
    {
        PEX_RUNDOWN_REF_CACHE_AWARE ref = (PEX_RUNDOWN_REF_CACHE_AWARE)(buffer + offset);

        winetest_push_context("offset %lu", (unsigned long)offset);
        RtlFillMemory(buffer, size + 4 * line, 0xcc);
        ExInitializeRundownProtectionCacheAware(ref, size);
        check_layout(ref, buffer + offset, size, processors);
        winetest_pop_context();
    }

    /* The slot count follows the size, whatever the processors. */
    for (big = sizeof(EX_RUNDOWN_REF_CACHE_AWARE) + 2 * line; big <= size + 4 * line - sizeof(void *); big += line)
    {
        PEX_RUNDOWN_REF_CACHE_AWARE ref = (PEX_RUNDOWN_REF_CACHE_AWARE)(buffer + sizeof(void *));
        ULONG number = (ULONG)((big - sizeof(EX_RUNDOWN_REF_CACHE_AWARE)) / line - 1);

        winetest_push_context("size %" WORDU, (ULONG_PTR)big);
        RtlFillMemory(buffer, size + 4 * line, 0xcc);
        ExInitializeRundownProtectionCacheAware(ref, big);
        check_layout(ref, buffer + sizeof(void *), big, number);
        winetest_pop_context();
    }
    ExFreePoolWithTag(buffer, TAG);
}

static void test_initialize_one_slot(void)
{
    struct
    {
        EX_RUNDOWN_REF_CACHE_AWARE header;
        EX_RUNDOWN_REF slot;
        ULONG_PTR guard;
    } buffer;

    RtlFillMemory(&buffer, sizeof(buffer), 0xcc);
    ExInitializeRundownProtectionCacheAware(&buffer.header, sizeof(buffer.header) + sizeof(buffer.slot));
    check_layout(&buffer.header, (PUCHAR)&buffer, sizeof(buffer.header) + sizeof(buffer.slot), 1);
    ok(buffer.header.RunRefs == &buffer.slot, "RunRefs %p, expected %p\n", buffer.header.RunRefs, &buffer.slot);
    ok(buffer.guard == (ULONG_PTR)0xcccccccccccccccc, "memory past the object changed to %" WORDX "\n",
       buffer.guard);

    /* A one-slot object works like a classic reference. */
    ok(ExAcquireRundownProtectionCacheAware(&buffer.header), "acquire failed\n");
    ok(buffer.slot.Count == 2, "slot %" WORDX "\n", (ULONG_PTR)buffer.slot.Count);
    ExReleaseRundownProtectionCacheAware(&buffer.header);
    ok(buffer.slot.Count == 0, "slot %" WORDX "\n", (ULONG_PTR)buffer.slot.Count);
    ok(wait_returns(wait_cache_aware, &buffer.header), "wait did not return\n");
    ok(buffer.slot.Count == EX_RUNDOWN_ACTIVE, "slot %" WORDX "\n", (ULONG_PTR)buffer.slot.Count);
}

static void check_allocated(PEX_RUNDOWN_REF_CACHE_AWARE ref, ULONG processors)
{
    ULONG line = line_size();

    ok(ref->PoolToFree != NULL && ref->PoolToFree != (PVOID)(ULONG_PTR)0x0badca11, "PoolToFree %p\n",
       ref->PoolToFree);
    ok(ref->Number == processors, "Number %lu, expected %lu\n", (unsigned long)ref->Number, (unsigned long)processors);
    if (processors > 1)
    {
        ok(ref->RunRefSize == line, "RunRefSize %lu, line %lu\n", (unsigned long)ref->RunRefSize, (unsigned long)line);
        ok(!((ULONG_PTR)ref->RunRefs % line), "slots at %p are not line-aligned\n", ref->RunRefs);
        ok((PUCHAR)ref->RunRefs >= (PUCHAR)ref->PoolToFree && (PUCHAR)ref->RunRefs < (PUCHAR)ref->PoolToFree + line,
           "slots at %p, block at %p\n", ref->RunRefs, ref->PoolToFree);
    }
    else ok(ref->RunRefSize == sizeof(EX_RUNDOWN_REF), "RunRefSize %lu\n", (unsigned long)ref->RunRefSize);
    check_all_slots(ref, 0);
}

static void test_allocate(void)
{
    static const POOL_TYPE types[] = { NonPagedPool, PagedPool, NonPagedPoolNx };
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    unsigned int i;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
    {
        winetest_push_context("pool type %d", types[i]);
        ref = ExAllocateCacheAwareRundownProtection(types[i], TAG);
        ok(ref != NULL, "allocation failed\n");
        if (ref)
        {
            check_allocated(ref, processor_count());
#ifdef NTRUNDOWN_HOSTKRNL
            ok(HostKrnlPoolTag(ref) == TAG, "structure tag %#lx\n", (unsigned long)HostKrnlPoolTag(ref));
            ok(HostKrnlPoolTag(ref->PoolToFree) == TAG, "slot block tag %#lx\n",
               (unsigned long)HostKrnlPoolTag(ref->PoolToFree));
#endif
            ok(ExAcquireRundownProtectionCacheAware(ref), "acquire failed\n");
            ExReleaseRundownProtectionCacheAware(ref);
            ExWaitForRundownProtectionReleaseCacheAware(ref);
            check_all_slots(ref, EX_RUNDOWN_ACTIVE);
            ExFreeCacheAwareRundownProtection(ref);
        }
        winetest_pop_context();
    }
}

#ifdef NTRUNDOWN_HOSTKRNL

/* Allocation failures, pool alignment and processor counts can only be
 * arranged where the kernel services are emulated. */
static void test_allocate_failure(void)
{
    LONG outstanding = HostKrnlPoolOutstanding();
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    ULONG first_failing;

    HostKrnlSetActiveProcessorCount(4);
    HostKrnlPoolSetLineOffset(16);
    /* The structure, the misaligned block, then the block with room to align. */
    for (first_failing = 0; first_failing < 3; first_failing++)
    {
        winetest_push_context("allocation %lu fails", (unsigned long)first_failing + 1);
        HostKrnlPoolFailAllocations(first_failing, 1);
        ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TAG);
        ok(ref == NULL, "got %p\n", ref);
        ok(HostKrnlPoolOutstanding() == outstanding, "%ld blocks leaked\n",
           (long)(HostKrnlPoolOutstanding() - outstanding));
        winetest_pop_context();
    }
    HostKrnlPoolFailAllocations(0, 0);

    ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TAG);
    ok(ref != NULL, "allocation failed once the pool works again\n");
    if (ref)
    {
        check_allocated(ref, 4);
        ok(ref->RunRefs != ref->PoolToFree, "misaligned block %p used as is\n", ref->PoolToFree);
        ExFreeCacheAwareRundownProtection(ref);
    }

    /* A block the pool hands back line-aligned is used as it is. */
    HostKrnlPoolSetLineOffset(0);
    ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TAG);
    ok(ref != NULL, "allocation failed\n");
    if (ref)
    {
        check_allocated(ref, 4);
        ok(ref->RunRefs == ref->PoolToFree, "aligned block %p, slots at %p\n", ref->PoolToFree, ref->RunRefs);
        ExFreeCacheAwareRundownProtection(ref);
    }
    ok(HostKrnlPoolOutstanding() == outstanding, "%ld blocks leaked\n", (long)(HostKrnlPoolOutstanding() - outstanding));

    HostKrnlPoolSetLineOffset(16);
    HostKrnlSetActiveProcessorCount(0);
}

static void test_processor_counts(void)
{
    static const ULONG counts[] = { 1, 2, 3, 8, 64 };
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    unsigned int i;

    for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
    {
        winetest_push_context("%lu processors", (unsigned long)counts[i]);
        HostKrnlSetActiveProcessorCount(counts[i]);
        ok(ExSizeOfRundownProtectionCacheAware() == expected_size(counts[i]), "size %" WORDU "\n",
           (ULONG_PTR)ExSizeOfRundownProtectionCacheAware());
        ref = ExAllocateCacheAwareRundownProtection(PagedPool, TAG);
        ok(ref != NULL, "allocation failed\n");
        if (ref)
        {
            check_allocated(ref, counts[i]);
            ok(ExAcquireRundownProtectionCacheAwareEx(ref, 2), "acquire failed\n");
            ExReleaseRundownProtectionCacheAwareEx(ref, 2);
            ok(wait_returns(wait_cache_aware, ref), "wait did not return\n");
            check_all_slots(ref, EX_RUNDOWN_ACTIVE);
            ExFreeCacheAwareRundownProtection(ref);
        }
        ref = alloc_in_buffer();
        if (ref)
        {
            ok(ref->Number == counts[i], "in-buffer Number %lu\n", (unsigned long)ref->Number);
            ExFreePoolWithTag(ref, TAG);
        }
        winetest_pop_context();
    }
    HostKrnlSetActiveProcessorCount(0);
}

#endif /* NTRUNDOWN_HOSTKRNL */

/* Acquire and release on every processor touch that processor's slot only. */
static void test_acquire_release_per_processor(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = alloc_in_buffer();
    ULONG processor, index;
    KAFFINITY previous;
    BOOLEAN ret;

    if (!ref) return;
    for (processor = 0; processor < processor_count(); processor++)
    {
        winetest_push_context("processor %lu", (unsigned long)processor);
        if (!pin_to_processor(processor, &previous))
        {
            skip("cannot run on processor %lu\n", (unsigned long)processor);
            winetest_pop_context();
            continue;
        }
        index = processor % ref->Number;
        ret = ExAcquireRundownProtectionCacheAware(ref);
        ok(ret == TRUE, "acquire returned %u\n", ret);
        check_slots(ref, index, 2, 0);
        ret = ExAcquireRundownProtectionCacheAwareEx(ref, 3);
        ok(ret == TRUE, "AcquireEx(3) returned %u\n", ret);
        check_slots(ref, index, 8, 0);
        ret = ExAcquireRundownProtectionCacheAwareEx(ref, 0);
        ok(ret == TRUE, "AcquireEx(0) returned %u\n", ret);
        check_slots(ref, index, 8, 0);
        ExReleaseRundownProtectionCacheAwareEx(ref, 0);
        check_slots(ref, index, 8, 0);
        ExReleaseRundownProtectionCacheAwareEx(ref, 3);
        check_slots(ref, index, 2, 0);
        ExReleaseRundownProtectionCacheAware(ref);
        check_all_slots(ref, 0);
        unpin(previous);
        winetest_pop_context();
    }
    ExFreePoolWithTag(ref, TAG);
}

/* A release on another processor than the acquire drives that slot below
 * zero; only the sum over the slots counts. */
static void test_cross_processor_release(void)
{
    /* A 32-bit word holds at most 0x7fffffff protections. */
    static const ULONG counts[] = { 1, 3, 0x3fffffff, 0x7fffffff, 0x80000000, 0xffffffff };
    const unsigned int count_max = sizeof(void *) == 8 ? 6 : 4;
    const ULONG big = sizeof(void *) == 8 ? 0x80000000 : 0x40000000;
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    struct waiter waiter;
    KAFFINITY previous;
    ULONG_PTR word;
    unsigned int i;
    ULONG n;

    if (processor_count() < 2)
    {
        skip("needs two processors\n");
        return;
    }
    if (!(ref = alloc_in_buffer())) return;

    for (i = 0; i < count_max; i++)
    {
        n = counts[i];
        winetest_push_context("count %#lx", (unsigned long)n);
        if (!pin_to_processor(0, &previous))
        {
            skip("cannot run on processor 0\n");
            winetest_pop_context();
            break;
        }
        ok(ExAcquireRundownProtectionCacheAwareEx(ref, n), "acquire on processor 0 failed\n");
        unpin(previous);
        if (!pin_to_processor(1, &previous))
        {
            skip("cannot run on processor 1\n");
            winetest_pop_context();
            break;
        }
        ExReleaseRundownProtectionCacheAwareEx(ref, n);
        unpin(previous);
        ok(slot(ref, 0)->Count == (ULONG_PTR)2 * n, "slot 0 holds %" WORDX "\n", (ULONG_PTR)slot(ref, 0)->Count);
        ok(slot(ref, 1)->Count == (ULONG_PTR)0 - (ULONG_PTR)2 * n, "slot 1 holds %" WORDX "\n",
           (ULONG_PTR)slot(ref, 1)->Count);
        /* Give the slots back their balance for the next round. */
        pin_to_processor(1, &previous);
        ok(ExAcquireRundownProtectionCacheAwareEx(ref, n), "acquire on processor 1 failed\n");
        unpin(previous);
        pin_to_processor(0, &previous);
        ExReleaseRundownProtectionCacheAwareEx(ref, n);
        unpin(previous);
        check_all_slots(ref, 0);
        winetest_pop_context();
    }

    /* Net zero over the slots: the wait returns at once. */
    pin_to_processor(0, &previous);
    ExAcquireRundownProtectionCacheAwareEx(ref, big);
    unpin(previous);
    pin_to_processor(1, &previous);
    ExReleaseRundownProtectionCacheAwareEx(ref, big);
    unpin(previous);
    ok(wait_returns(wait_cache_aware, ref), "wait with a wrapped slot and nothing outstanding did not return\n");
    check_all_slots(ref, EX_RUNDOWN_ACTIVE);

    /* Two acquired on processor 0, one released on processor 1: one left. */
    ExReInitializeRundownProtectionCacheAware(ref);
    pin_to_processor(0, &previous);
    ok(ExAcquireRundownProtectionCacheAwareEx(ref, 2), "acquire failed\n");
    unpin(previous);
    pin_to_processor(1, &previous);
    ExReleaseRundownProtectionCacheAware(ref);
    unpin(previous);
    ok(waiter_start(&waiter, wait_cache_aware, ref), "could not start a waiter thread\n");
    if (waiter.thread)
    {
        ok(poll_word(&ref->RunRefs->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS), "the wait did not mark slot 0\n");
        ok(poll_word(&slot(ref, 1)->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS), "the wait did not mark slot 1\n");
        word = slot(ref, 0)->Count;
        ok(word & EX_RUNDOWN_ACTIVE, "slot 0 holds %" WORDX " during the wait\n", word);
        ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire succeeded during the wait\n");
        ok(!waiter_finished(&waiter, 50), "the wait returned with one protection outstanding\n");
        pin_to_processor(1, &previous);
        ExReleaseRundownProtectionCacheAware(ref);
        unpin(previous);
        ok(waiter_finished(&waiter, TEST_TIMEOUT_MS), "the wait did not return after the last release\n");
        waiter_close(&waiter);
        check_all_slots(ref, EX_RUNDOWN_ACTIVE);
    }
    ExFreePoolWithTag(ref, TAG);
}

/* The wait marks every slot, blocks until the last release from another
 * thread, and leaves every slot at 1. */
struct releaser
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    ULONG count;
};

static VOID NTAPI releaser_thread(PVOID context)
{
    struct releaser *releaser = context;

    poll_word(&releaser->ref->RunRefs->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS);
    sleep_ms(20);
    ExReleaseRundownProtectionCacheAwareEx(releaser->ref, releaser->count);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void test_wait(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TAG);
    struct releaser releaser;
    TEST_THREAD thread;
    unsigned int i;

    ok(ref != NULL, "allocation failed\n");
    if (!ref) return;

    ok(wait_returns(wait_cache_aware, ref), "wait with nothing outstanding did not return\n");
    check_all_slots(ref, EX_RUNDOWN_ACTIVE);
    ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire succeeded after the wait\n");
    ok(!ExAcquireRundownProtectionCacheAwareEx(ref, 2), "AcquireEx(2) succeeded after the wait\n");
    check_all_slots(ref, EX_RUNDOWN_ACTIVE);

    for (i = 0; i < 3; i++)
    {
        winetest_push_context("repeated wait %u", i + 1);
        ok(wait_returns(wait_cache_aware, ref), "a repeated wait did not return\n");
        check_all_slots(ref, EX_RUNDOWN_ACTIVE);
        winetest_pop_context();
    }

    ExReInitializeRundownProtectionCacheAware(ref);
    check_all_slots(ref, 0);
    ok(ExAcquireRundownProtectionCacheAwareEx(ref, 5), "AcquireEx(5) failed\n");
    releaser.ref = ref;
    releaser.count = 5;
    thread = thread_start(releaser_thread, &releaser);
    ok(thread != NULL, "could not start the releaser\n");
    if (thread)
    {
        ExWaitForRundownProtectionReleaseCacheAware(ref);
        check_all_slots(ref, EX_RUNDOWN_ACTIVE);
        ok(thread_wait(thread, TEST_TIMEOUT_MS), "the releaser did not finish\n");
        thread_close(thread);
        ok(wait_returns(wait_cache_aware, ref), "a wait after a blocking wait did not return\n");
    }
    ExFreeCacheAwareRundownProtection(ref);
}

static void test_rundown_completed(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = alloc_in_buffer();
    unsigned int cycle;

    if (!ref) return;
    for (cycle = 0; cycle < 3; cycle++)
    {
        winetest_push_context("cycle %u", cycle);
        ok(ExAcquireRundownProtectionCacheAware(ref), "acquire failed\n");
        ExReleaseRundownProtectionCacheAware(ref);
        ExWaitForRundownProtectionReleaseCacheAware(ref);
        check_all_slots(ref, EX_RUNDOWN_ACTIVE);

        ExRundownCompletedCacheAware(ref);
        check_all_slots(ref, EX_RUNDOWN_ACTIVE);
        ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire succeeded after RundownCompleted\n");
        ok(wait_returns(wait_cache_aware, ref), "wait after RundownCompleted did not return\n");
        check_all_slots(ref, EX_RUNDOWN_ACTIVE);

        ExReInitializeRundownProtectionCacheAware(ref);
        check_all_slots(ref, 0);
        winetest_pop_context();
    }
    ok(ExAcquireRundownProtectionCacheAware(ref), "acquire after ReInitialize failed\n");
    ExReleaseRundownProtectionCacheAware(ref);
    ExFreePoolWithTag(ref, TAG);
}

START_TEST(rundown_cache_aware)
{
    if (!rundown_routines_available(TRUE)) return;
    test_size();
    test_initialize_in_buffer();
    test_initialize_one_slot();
    test_allocate();
#ifdef NTRUNDOWN_HOSTKRNL
    test_allocate_failure();
    test_processor_counts();
#else
    skip("pool fault injection and simulated processor counts need the host kernel services\n");
#endif
    test_acquire_release_per_processor();
    test_cross_processor_release();
    test_wait();
    test_rundown_completed();
}
