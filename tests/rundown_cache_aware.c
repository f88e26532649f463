/*
 * Conformance tests for the cache-aware rundown protection routines
 *
 * Kernel code, like rundown.c.  The layout of EX_RUNDOWN_REF_CACHE_AWARE is
 * opaque in wdm.h but fixed by ntoskrnl's symbols, so the tests read the
 * fields and the slots directly (support.h's view).  Windows leaves a stale
 * tagged pointer in every slot after any wait and counts AcquireEx modulo
 * 2^32, which broken() accepts; ntrundown's guarantees beyond the contract
 * run only where guarantee() lets them (docs/behaviour.md).
 */

#include "support.h"
#include "kernel_hooks.h"
#include "winetest.h"

#define ONE_SLOT_SIZE (sizeof(struct cache_aware_view) + sizeof(EX_RUNDOWN_REF))

static ULONG line_size(void)
{
    return KeGetRecommendedSharedDataAlignment();
}

/* The size of a buffer that ExInitializeRundownProtectionCacheAware lays
 * out `slots` slots in (at least two). */
static SIZE_T size_for_slots(ULONG slots)
{
    return sizeof(struct cache_aware_view) + (SIZE_T)(slots + 1) * line_size();
}

/* Checks every slot: `value` in the one numbered `index`, `others` elsewhere. */
static void check_slots_(const char *file, int line, PEX_RUNDOWN_REF_CACHE_AWARE ref, ULONG index,
                         ULONG_PTR value, ULONG_PTR others)
{
    ULONG i;

    for (i = 0; i < view(ref)->Number; i++)
    {
        ULONG_PTR expect = i == index ? value : others, got = cache_aware_slot(ref, i)->Count;
        ok_(file, line)(got == expect, "slot %lu: got %p, expected %p\n", (unsigned long)i, (void *)got,
                        (void *)expect);
    }
}
#define check_slots(ref, index, value, others) check_slots_(__FILE__, __LINE__, ref, index, value, others)
#define check_all_slots(ref, value) check_slots_(__FILE__, __LINE__, ref, ~0u, value, value)

/* After a wait every slot is run down; Windows leaves the waiter's (dead)
 * tagged pointer in each. */
static void check_run_down_(const char *file, int line, PEX_RUNDOWN_REF_CACHE_AWARE ref)
{
    ULONG i;

    for (i = 0; i < view(ref)->Number; i++)
    {
        ULONG_PTR got = cache_aware_slot(ref, i)->Count;
        ok_(file, line)(got == EX_RUNDOWN_ACTIVE || broken((got & EX_RUNDOWN_ACTIVE) != 0),
                        "slot %lu: got %p after the wait\n", (unsigned long)i, (void *)got);
    }
}
#define check_run_down(ref) check_run_down_(__FILE__, __LINE__, ref)

static SIZE_T expected_size(ULONG processors)
{
    if (processors <= 1) return ONE_SLOT_SIZE;
    return sizeof(struct cache_aware_view) + (SIZE_T)(processors + 1) * line_size();
}

/* A cache-aware object laid out the documented way: size, buffer, initialize. */
static PEX_RUNDOWN_REF_CACHE_AWARE alloc_in_buffer_sized(SIZE_T size)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = test_alloc(size);

    if (ref) ExInitializeRundownProtectionCacheAware(ref, size);
    return ref;
}

static PEX_RUNDOWN_REF_CACHE_AWARE alloc_in_buffer(void)
{
    return alloc_in_buffer_sized(ExSizeOfRundownProtectionCacheAware());
}

/* Makes the routines see the thread on `processor`, or says why not. */
static BOOLEAN enter_processor(ULONG processor, struct on_processor *saved)
{
    if (run_on_processor(processor, saved)) return TRUE;
    skip("cannot run on processor %lu\n", (unsigned long)processor);
    return FALSE;
}

static void test_size(void)
{
    ULONG processors = processor_count(), line = line_size();
    SIZE_T size = ExSizeOfRundownProtectionCacheAware();

    ok(size == expected_size(processors), "got size %lu, expected %lu (%lu processors, line %lu)\n",
       (unsigned long)size, (unsigned long)expected_size(processors), (unsigned long)processors,
       (unsigned long)line);
    ok(line >= sizeof(EX_RUNDOWN_REF) && !(line & (line - 1)), "cache line size %lu\n", (unsigned long)line);
}

/* The object, its slots inside [start, start + size), and nothing written
 * past the end (the buffer was filled with 0xcc for `line` bytes more). */
static void check_layout_(const char *file, int line, PEX_RUNDOWN_REF_CACHE_AWARE ref, PUCHAR start, SIZE_T size,
                          ULONG number)
{
    struct cache_aware_view *v = view(ref);
    PUCHAR slots = (PUCHAR)v->RunRefs, after = (PUCHAR)(v + 1);
    ULONG cache_line = line_size(), i;

    ok_(file, line)(v->PoolToFree == NOT_FROM_POOL, "PoolToFree %p\n", v->PoolToFree);
    ok_(file, line)(v->Number == number, "Number %lu, expected %lu\n", (unsigned long)v->Number,
                    (unsigned long)number);
    if (size == ONE_SLOT_SIZE)
    {
        ok_(file, line)(v->RunRefSize == sizeof(EX_RUNDOWN_REF), "RunRefSize %lu\n", (unsigned long)v->RunRefSize);
        ok_(file, line)(slots == after, "slots at %p, structure at %p\n", slots, v);
    }
    else
    {
        ok_(file, line)(v->RunRefSize == cache_line, "RunRefSize %lu, line %lu\n", (unsigned long)v->RunRefSize,
                        (unsigned long)cache_line);
        ok_(file, line)(!((ULONG_PTR)slots % cache_line), "slots at %p are not line-aligned\n", slots);
        ok_(file, line)(slots >= after && slots < after + cache_line, "slots at %p, structure at %p\n", slots, v);
    }
    if (v->Number != number) return;
    ok_(file, line)(slots + (SIZE_T)(number - 1) * v->RunRefSize + sizeof(EX_RUNDOWN_REF) <= start + size,
                    "%lu slots from %p run past the buffer's end %p\n", (unsigned long)number, slots,
                    start + size);
    check_all_slots(ref, 0);
    for (i = 0; i < cache_line; i++)
        if (start[size + i] != 0xcc) break;
    ok_(file, line)(i == cache_line, "byte %lu past the buffer changed to %#x\n", (unsigned long)i,
                    i < cache_line ? start[size + i] : 0);
}
#define check_layout(ref, start, size, number) check_layout_(__FILE__, __LINE__, ref, start, size, number)

static void test_initialize_in_buffer(void)
{
    ULONG processors = processor_count(), line = line_size(), offset;
    SIZE_T size = ExSizeOfRundownProtectionCacheAware(), big, room = size + 6 * line;
    PUCHAR buffer = test_alloc(room);

    if (!buffer) return;
    /* The documented size, at every pointer-aligned position in a line. */
    for (offset = 0; offset < line; offset += sizeof(void *))
    {
        PEX_RUNDOWN_REF_CACHE_AWARE ref = (PEX_RUNDOWN_REF_CACHE_AWARE)(buffer + offset);

        winetest_push_context("offset %lu", (unsigned long)offset);
        RtlFillMemory(buffer, room, 0xcc);
        ExInitializeRundownProtectionCacheAware(ref, size);
        check_layout(ref, buffer + offset, size, processors);
        winetest_pop_context();
    }

    /* The slot count follows the size, whatever the processors. */
    for (big = size_for_slots(2); big + sizeof(void *) + line <= room; big += line)
    {
        PEX_RUNDOWN_REF_CACHE_AWARE ref = (PEX_RUNDOWN_REF_CACHE_AWARE)(buffer + sizeof(void *));
        ULONG number = (ULONG)((big - sizeof(struct cache_aware_view)) / line - 1);

        winetest_push_context("size %lu", (unsigned long)big);
        RtlFillMemory(buffer, room, 0xcc);
        ExInitializeRundownProtectionCacheAware(ref, big);
        check_layout(ref, buffer + sizeof(void *), big, number);
        winetest_pop_context();
    }
    test_free(buffer);
}

static void test_initialize_one_slot(void)
{
    ULONG line = line_size();
    PUCHAR buffer = test_alloc(ONE_SLOT_SIZE + line);
    PEX_RUNDOWN_REF_CACHE_AWARE ref = (PEX_RUNDOWN_REF_CACHE_AWARE)buffer;
    PEX_RUNDOWN_REF slot;

    if (!buffer) return;
    RtlFillMemory(buffer, ONE_SLOT_SIZE + line, 0xcc);
    ExInitializeRundownProtectionCacheAware(ref, ONE_SLOT_SIZE);
    check_layout(ref, buffer, ONE_SLOT_SIZE, 1);
    slot = (PEX_RUNDOWN_REF)(buffer + sizeof(struct cache_aware_view));

    /* A one-slot object works like a classic reference. */
    ok(ExAcquireRundownProtectionCacheAware(ref), "acquire failed\n");
    ok(slot->Count == 2, "slot %p\n", (void *)slot->Count);
    ok(ExAcquireRundownProtectionCacheAwareEx(ref, 2), "AcquireEx(2) failed\n");
    ok(slot->Count == 6, "slot %p\n", (void *)slot->Count);
    ExReleaseRundownProtectionCacheAwareEx(ref, 2);
    ExReleaseRundownProtectionCacheAware(ref);
    ok(slot->Count == 0, "slot %p\n", (void *)slot->Count);
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    check_run_down(ref);
    ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire succeeded after the wait\n");
    test_free(buffer);
}

/* Sizes that are neither one slot nor room for two cache lines get one slot,
 * and one too small for a slot gets none; nothing is written past the end. */
static void test_initialize_odd_sizes(void)
{
    ULONG line = line_size();
    const SIZE_T one_slot[] = { ONE_SLOT_SIZE + sizeof(EX_RUNDOWN_REF), ONE_SLOT_SIZE + line,
                                sizeof(struct cache_aware_view) + 2 * line - 1 };
    const SIZE_T no_slot[] = { sizeof(struct cache_aware_view), ONE_SLOT_SIZE - 1 };
    const SIZE_T room = sizeof(struct cache_aware_view) + 3 * line;
    PUCHAR buffer;
    unsigned int i;
    ULONG j;

    if (!misuse_guarantee("an odd cache-aware buffer size",
                          "these sizes lay out 0 or 0xffffffff slots there: a division by zero later, "
                          "or zeroes written past the buffer")) return;
    if (!(buffer = test_alloc(room))) return;
    for (i = 0; i < ARRAY_SIZE(one_slot); i++)
    {
        PEX_RUNDOWN_REF_CACHE_AWARE ref = (PEX_RUNDOWN_REF_CACHE_AWARE)buffer;

        winetest_push_context("size %lu", (unsigned long)one_slot[i]);
        RtlFillMemory(buffer, room, 0xcc);
        ExInitializeRundownProtectionCacheAware(ref, one_slot[i]);
        ok(view(ref)->Number == 1, "Number %lu\n", (unsigned long)view(ref)->Number);
        ok(view(ref)->RunRefs == (PEX_RUNDOWN_REF)(buffer + sizeof(struct cache_aware_view)), "slots at %p\n",
           view(ref)->RunRefs);
        ok(view(ref)->PoolToFree == NOT_FROM_POOL, "PoolToFree %p\n", view(ref)->PoolToFree);
        for (j = (ULONG)one_slot[i]; j < room; j++) if (buffer[j] != 0xcc) break;
        ok(j == room, "byte %lu past the buffer changed\n", (unsigned long)(j - one_slot[i]));
        ok(ExAcquireRundownProtectionCacheAware(ref), "acquire failed\n");
        ExReleaseRundownProtectionCacheAware(ref);
        if (wait_in_thread(WAIT_CACHE_AWARE, ref)) check_all_slots(ref, EX_RUNDOWN_ACTIVE);
        winetest_pop_context();
    }
    for (i = 0; i < ARRAY_SIZE(no_slot); i++)
    {
        winetest_push_context("size %lu", (unsigned long)no_slot[i]);
        RtlFillMemory(buffer, room, 0xcc);
        ExInitializeRundownProtectionCacheAware((PEX_RUNDOWN_REF_CACHE_AWARE)buffer, no_slot[i]);
        ok(view((PEX_RUNDOWN_REF_CACHE_AWARE)buffer)->Number == 0, "Number %lu\n",
           (unsigned long)view((PEX_RUNDOWN_REF_CACHE_AWARE)buffer)->Number);
        for (j = (ULONG)no_slot[i]; j < room; j++) if (buffer[j] != 0xcc) break;
        ok(j == room, "byte %lu past the buffer changed\n", (unsigned long)(j - no_slot[i]));
        winetest_pop_context();
    }
    /* Smaller than the structure: nothing is written at all. */
    RtlFillMemory(buffer, room, 0xcc);
    ExInitializeRundownProtectionCacheAware((PEX_RUNDOWN_REF_CACHE_AWARE)buffer, sizeof(void *));
    for (j = sizeof(void *); j < room; j++) if (buffer[j] != 0xcc) break;
    ok(j == room, "byte %lu past a %u-byte buffer changed\n", (unsigned long)j, (unsigned int)sizeof(void *));
    test_free(buffer);
}

/* POOL_ZERO_ALLOCATION, which newer Windows builds add to the caller's pool type */
#define POOL_FLAG_ZERO 0x400

static void check_allocated_(const char *file, int line, PEX_RUNDOWN_REF_CACHE_AWARE ref, ULONG processors,
                             POOL_TYPE type)
{
    struct cache_aware_view *v = view(ref);
    ULONG cache_line = line_size();
    PUCHAR slots = (PUCHAR)v->RunRefs, block = v->PoolToFree;

    ok_(file, line)(block != NULL && block != NOT_FROM_POOL, "PoolToFree %p\n", block);
    ok_(file, line)(v->Number == processors, "Number %lu, expected %lu\n", (unsigned long)v->Number,
                    (unsigned long)processors);
    if (processors > 1)
    {
        ok_(file, line)(v->RunRefSize == cache_line, "RunRefSize %lu, line %lu\n", (unsigned long)v->RunRefSize,
                        (unsigned long)cache_line);
        ok_(file, line)(!((ULONG_PTR)slots % cache_line), "slots at %p are not line-aligned\n", slots);
        ok_(file, line)(slots >= block && slots < block + cache_line, "slots at %p, block at %p\n", slots, block);
    }
    else ok_(file, line)(v->RunRefSize == sizeof(EX_RUNDOWN_REF), "RunRefSize %lu\n", (unsigned long)v->RunRefSize);
    if (v->Number != processors) return;
    check_all_slots(ref, 0);
    if (hooks_available())
    {
        SIZE_T block_size = hooks_pool_size(block);

        ok_(file, line)(hooks_pool_tag(ref) == TEST_TAG, "structure tag %#lx\n", (unsigned long)hooks_pool_tag(ref));
        ok_(file, line)((hooks_pool_type(ref) & ~POOL_FLAG_ZERO) == type, "structure from pool type %#x, not %#x\n",
                        (unsigned int)hooks_pool_type(ref), (unsigned int)type);
        ok_(file, line)((hooks_pool_type(block) & ~POOL_FLAG_ZERO) == type, "slots from pool type %#x, not %#x\n",
                        (unsigned int)hooks_pool_type(block), (unsigned int)type);
        ok_(file, line)(hooks_pool_tag(block) == TEST_TAG, "slot block tag %#lx\n", (unsigned long)hooks_pool_tag(block));
        ok_(file, line)(slots + (SIZE_T)(processors - 1) * v->RunRefSize + sizeof(EX_RUNDOWN_REF) <= block + block_size,
                        "%lu slots from %p run past the %lu-byte block at %p\n", (unsigned long)processors, slots,
                        (unsigned long)block_size, block);
    }
}
#define check_allocated(ref, processors, type) check_allocated_(__FILE__, __LINE__, ref, processors, type)

static void test_allocate(void)
{
    static const POOL_TYPE types[] = { NonPagedPool, PagedPool, NonPagedPoolCacheAligned };
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(types); i++)
    {
        winetest_push_context("pool type %d", types[i]);
        ref = ExAllocateCacheAwareRundownProtection(types[i], TEST_TAG);
        ok(ref != NULL, "allocation failed\n");
        if (ref)
        {
            check_allocated(ref, processor_count(), types[i]);
            ok(ExAcquireRundownProtectionCacheAware(ref), "acquire failed\n");
            ExReleaseRundownProtectionCacheAware(ref);
            if (!wait_in_thread(WAIT_CACHE_AWARE, ref))
            {
                winetest_pop_context();
                return;
            }
            check_run_down(ref);
            ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire succeeded after the wait\n");
            ExFreeCacheAwareRundownProtection(ref);
        }
        winetest_pop_context();
    }
}

/* Each allocation failing in turn: NULL, and nothing leaked. */
static void test_allocate_failure(void)
{
    LONG outstanding;
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    ULONG failing;

    if (!hooks_available())
    {
        skip("failing allocations needs the emulated kernel's pool\n");
        return;
    }
    outstanding = hooks_pool_outstanding();
    hooks_processor_count(4);
    hooks_pool_line_offset(16);
    /* The structure, the misaligned slot block, then one with room to align. */
    for (failing = 0; failing < 3; failing++)
    {
        winetest_push_context("allocation %lu fails", (unsigned long)failing + 1);
        hooks_pool_fail(failing, 1);
        ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG);
        ok(ref == NULL, "got %p\n", ref);
        ok(hooks_pool_outstanding() == outstanding, "%ld blocks leaked\n",
           (long)(hooks_pool_outstanding() - outstanding));
        winetest_pop_context();
    }
    hooks_pool_fail(0, 0);

    ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG);
    ok(ref != NULL, "allocation failed once the pool works again\n");
    if (ref)
    {
        check_allocated(ref, 4, NonPagedPool);
        ok(view(ref)->RunRefs != view(ref)->PoolToFree, "misaligned block %p used as is\n", view(ref)->PoolToFree);
        ExFreeCacheAwareRundownProtection(ref);
    }

    /* A block the pool hands back line-aligned is used as it is. */
    hooks_pool_line_offset(0);
    ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG);
    ok(ref != NULL, "allocation failed\n");
    if (ref)
    {
        check_allocated(ref, 4, NonPagedPool);
        ok((PVOID)view(ref)->RunRefs == view(ref)->PoolToFree, "aligned block %p, slots at %p\n",
           view(ref)->PoolToFree, view(ref)->RunRefs);
        ExFreeCacheAwareRundownProtection(ref);
    }
    ok(hooks_pool_outstanding() == outstanding, "%ld blocks leaked\n", (long)(hooks_pool_outstanding() - outstanding));

    hooks_pool_line_offset(16);
    hooks_processor_count(0);
}

/* Allocations and frees on other threads while allocations fail now and
 * then: every object is either NULL or whole, and nothing leaks. */
struct allocator
{
    volatile LONG stop;
    volatile LONG allocated;
    volatile LONG refused;
    volatile LONG bad;
};

static VOID NTAPI allocator_thread(PVOID context)
{
    struct allocator *allocator = context;
    PEX_RUNDOWN_REF_CACHE_AWARE ref;

    while (!read_long(&allocator->stop))
    {
        if (!(ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG)))
        {
            InterlockedIncrement(&allocator->refused);
            continue;
        }
        InterlockedIncrement(&allocator->allocated);
        if (view(ref)->Number != 4 || !view(ref)->PoolToFree || cache_aware_slot(ref, 3)->Count != 0 ||
            !ExAcquireRundownProtectionCacheAware(ref))
            InterlockedIncrement(&allocator->bad);
        else ExReleaseRundownProtectionCacheAware(ref);
        ExWaitForRundownProtectionReleaseCacheAware(ref);
        ExFreeCacheAwareRundownProtection(ref);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void test_allocate_failure_concurrent(void)
{
    struct allocator *allocator;
    TEST_THREAD threads[3];
    LONG outstanding;
    ULONG i, round;

    if (!hooks_available())
    {
        skip("failing allocations needs the emulated kernel's pool\n");
        return;
    }
    if (!(allocator = test_alloc(sizeof(*allocator)))) return;
    outstanding = hooks_pool_outstanding();
    hooks_processor_count(4);
    allocator->stop = allocator->allocated = allocator->refused = allocator->bad = 0;
    for (i = 0; i < ARRAY_SIZE(threads); i++) threads[i] = thread_start(allocator_thread, allocator);
    /* each of the next three allocations fails in turn, over and over: 300
     * times, then on until every allocator could have been refused once
     * (when they run is the scheduler's choice: a loaded machine can keep
     * them off the processors for all of the first 300); allocations that
     * are never refused fail the check below, TEST_TIMEOUT_MS later */
    for (round = 0; round < 300 || (read_long(&allocator->refused) < (LONG)ARRAY_SIZE(threads) &&
                                    round < 300 + TEST_TIMEOUT_MS); round++)
    {
        hooks_pool_fail(round % 3, 1);
        sleep_ms(round % 10 && round < 300 ? 0 : 1);
    }
    hooks_pool_fail(0, 0);
    InterlockedExchange(&allocator->stop, 1);
    for (i = 0; i < ARRAY_SIZE(threads); i++)
        ok(thread_join(threads[i], TEST_TIMEOUT_MS), "allocator %lu did not stop\n", (unsigned long)i);
    hooks_processor_count(0);
    ok(allocator->bad == 0, "%ld of %ld objects were not whole\n", (long)allocator->bad, (long)allocator->allocated);
    ok(allocator->allocated > 0 && allocator->refused > 0, "%ld allocated, %ld refused\n",
       (long)allocator->allocated, (long)allocator->refused);
    ok(hooks_pool_outstanding() == outstanding, "%ld blocks leaked\n",
       (long)(hooks_pool_outstanding() - outstanding));
    test_free(allocator);
}

static void test_processor_counts(void)
{
    static const ULONG counts[] = { 1, 2, 3, 8, 64, 65, 130 };
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    unsigned int i;

    if (!hooks_available())
    {
        skip("other processor counts need the emulated kernel\n");
        return;
    }
    for (i = 0; i < ARRAY_SIZE(counts); i++)
    {
        winetest_push_context("%lu processors", (unsigned long)counts[i]);
        hooks_processor_count(counts[i]);
        ok(ExSizeOfRundownProtectionCacheAware() == expected_size(counts[i]), "size %lu\n",
           (unsigned long)ExSizeOfRundownProtectionCacheAware());
        ref = ExAllocateCacheAwareRundownProtection(PagedPool, TEST_TAG);
        ok(ref != NULL, "allocation failed\n");
        if (ref)
        {
            check_allocated(ref, counts[i], PagedPool);
            ok(ExAcquireRundownProtectionCacheAwareEx(ref, 2), "acquire failed\n");
            ExReleaseRundownProtectionCacheAwareEx(ref, 2);
            if (wait_in_thread(WAIT_CACHE_AWARE, ref))
            {
                check_run_down(ref);
                ExFreeCacheAwareRundownProtection(ref);
            }
        }
        ref = alloc_in_buffer();
        if (ref)
        {
            ok(view(ref)->Number == counts[i], "in-buffer Number %lu\n", (unsigned long)view(ref)->Number);
            test_free(ref);
        }
        winetest_pop_context();
    }
    hooks_processor_count(0);
}

/* The slot is the system-wide processor index modulo Number, also past the
 * first group of 64 processors. */
static void test_processor_index(void)
{
    static const ULONG indexes[] = { 0, 5, 7, 8, 63, 64, 70, 129 };
    PEX_RUNDOWN_REF_CACHE_AWARE all, eight;
    unsigned int i;

    if (!hooks_available())
    {
        skip("processor indexes past 64 need the emulated kernel\n");
        return;
    }
    hooks_processor_count(130);
    all = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG);
    eight = alloc_in_buffer_sized(size_for_slots(8));
    ok(all != NULL, "allocation failed\n");
    for (i = 0; all && eight && i < ARRAY_SIZE(indexes); i++)
    {
        winetest_push_context("processor %lu", (unsigned long)indexes[i]);
        hooks_current_processor(indexes[i]);
        ok(ExAcquireRundownProtectionCacheAware(all), "acquire failed\n");
        check_slots(all, indexes[i], 2, 0);
        ExReleaseRundownProtectionCacheAware(all);
        ok(ExAcquireRundownProtectionCacheAwareEx(eight, 3), "acquire failed\n");
        check_slots(eight, indexes[i] % 8, 6, 0);
        ExReleaseRundownProtectionCacheAwareEx(eight, 3);
        check_all_slots(eight, 0);
        hooks_current_processor(HOOKS_REAL_PROCESSOR);
        winetest_pop_context();
    }
    if (all) ExFreeCacheAwareRundownProtection(all);
    test_free(eight);
    hooks_processor_count(0);
}

/* Freeing an object laid out in the caller's buffer frees nothing (a checked
 * build stops at an ASSERT instead). */
static void test_free_in_buffer(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    LONG outstanding;

    if (!misuse_guarantee("freeing an in-buffer object",
                          "it frees PoolToFree = 0x0badca11 there (a bug check)")) return;
    if (!(ref = alloc_in_buffer())) return;
    outstanding = hooks_pool_outstanding();
    ExFreeCacheAwareRundownProtection(ref);
    ok(hooks_pool_outstanding() == outstanding, "%ld blocks freed\n", (long)(outstanding - hooks_pool_outstanding()));
    ok(view(ref)->PoolToFree == NOT_FROM_POOL, "PoolToFree %p\n", view(ref)->PoolToFree);
    ok(ExAcquireRundownProtectionCacheAware(ref), "acquire on the object failed\n");
    ExReleaseRundownProtectionCacheAware(ref);
    test_free(ref);
}

/* Acquire and release on every processor touch that processor's slot only. */
static void test_acquire_release_per_processor(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = alloc_in_buffer();
    struct on_processor saved;
    ULONG processor, index;
    BOOLEAN ret;

    if (!ref) return;
    for (processor = 0; processor < processor_count(); processor++)
    {
        winetest_push_context("processor %lu", (unsigned long)processor);
        if (!enter_processor(processor, &saved))
        {
            winetest_pop_context();
            continue;
        }
        index = processor % view(ref)->Number;
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
        leave_processor(&saved);
        winetest_pop_context();
    }
    test_free(ref);
}

/* Acquires `count` on processor `from` and releases it on processor `to`. */
static BOOLEAN move_protections(PEX_RUNDOWN_REF_CACHE_AWARE ref, ULONG count, ULONG from, ULONG to)
{
    struct on_processor saved;
    BOOLEAN ret;

    if (!enter_processor(from, &saved)) return FALSE;
    ret = ExAcquireRundownProtectionCacheAwareEx(ref, count);
    leave_processor(&saved);
    ok(ret == TRUE, "acquire of %#lx on processor %lu failed\n", (unsigned long)count, (unsigned long)from);
    if (!enter_processor(to, &saved)) return FALSE;
    ExReleaseRundownProtectionCacheAwareEx(ref, count);
    leave_processor(&saved);
    return ret;
}

/* A release on another processor than the acquire drives that slot below
 * zero; only the sum over the slots counts.  Two slots, whatever the
 * machine. */
static void test_cross_processor_release(void)
{
    static const ULONG counts[] = { 1, 3, 0x3fffffff, 0x7fffffff, 0x80000000, 0xffffffff };
    /* a 32-bit slot holds at most 0x7fffffff protections */
    const unsigned int count_max = sizeof(ULONG_PTR) == 8 ? ARRAY_SIZE(counts) : 4;
    PEX_RUNDOWN_REF_CACHE_AWARE ref = alloc_in_buffer_sized(size_for_slots(2));
    struct waiter *waiter;
    ULONG_PTR added, low;
    unsigned int i;

    if (!ref) return;
    for (i = 0; i < count_max; i++)
    {
        winetest_push_context("count %#lx", (unsigned long)counts[i]);
        if (!move_protections(ref, counts[i], 0, 1))
        {
            winetest_pop_context();
            test_free(ref);
            return;
        }
        /* Windows adds 2 * Count modulo 2^32 */
        added = (ULONG_PTR)counts[i] * 2;
        low = (ULONG)(counts[i] * 2);
        ok(cache_aware_slot(ref, 0)->Count == added || broken(cache_aware_slot(ref, 0)->Count == low),
           "slot 0 holds %p\n", (void *)cache_aware_slot(ref, 0)->Count);
        ok(cache_aware_slot(ref, 1)->Count == 0 - added || broken(cache_aware_slot(ref, 1)->Count == 0 - low),
           "slot 1 holds %p\n", (void *)cache_aware_slot(ref, 1)->Count);
        /* Give the slots back their balance for the next round. */
        move_protections(ref, counts[i], 1, 0);
        check_all_slots(ref, 0);
        winetest_pop_context();
    }

    /* A slot below zero takes an acquire like any other. */
    if (move_protections(ref, 1, 0, 1))
    {
        struct on_processor saved;

        if (enter_processor(1, &saved))
        {
            ok(ExAcquireRundownProtectionCacheAware(ref), "acquire on a slot below zero failed\n");
            ok(cache_aware_slot(ref, 1)->Count == 0, "slot 1 holds %p\n", (void *)cache_aware_slot(ref, 1)->Count);
            leave_processor(&saved);
        }
        if (enter_processor(0, &saved))
        {
            ExReleaseRundownProtectionCacheAware(ref);
            leave_processor(&saved);
        }
        check_all_slots(ref, 0);
    }

    /* Net zero over the slots: the wait returns at once. */
    move_protections(ref, 0x40000000, 0, 1);
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    check_run_down(ref);

    /* Two acquired on processor 0, one released on processor 1: one left. */
    ExReInitializeRundownProtectionCacheAware(ref);
    check_all_slots(ref, 0);
    if (!move_protections(ref, 1, 0, 1)) return;
    {
        struct on_processor saved;

        if (!enter_processor(0, &saved)) return;
        ok(ExAcquireRundownProtectionCacheAware(ref), "acquire failed\n");
        leave_processor(&saved);
    }
    if (!(waiter = waiter_start(WAIT_CACHE_AWARE, ref, NULL))) return;
    ok(poll_word(&cache_aware_slot(ref, 1)->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS),
       "the wait did not mark slot 1\n");
    ok(cache_aware_slot(ref, 0)->Count & EX_RUNDOWN_ACTIVE, "slot 0 holds %p during the wait\n",
       (void *)cache_aware_slot(ref, 0)->Count);
    ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire succeeded during the wait\n");
    ok(!waiter_returned(waiter, 50), "the wait returned with one protection outstanding\n");
    {
        struct on_processor saved;

        if (enter_processor(1, &saved))
        {
            ExReleaseRundownProtectionCacheAware(ref);
            leave_processor(&saved);
        }
    }
    if (!waiter_end(waiter)) return;
    check_run_down(ref);
    test_free(ref);
}

/* 2^31 protections outstanding, in slots whose low 32 bits are not zero:
 * the sum must be taken over the whole word. */
static void test_wait_sum_full_width(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    struct on_processor saved;
    struct waiter *waiter;
    unsigned int i;

    if (sizeof(ULONG_PTR) < 8)
    {
        skip("needs 64-bit slots\n");
        return;
    }
    if (!(ref = alloc_in_buffer_sized(size_for_slots(2)))) return;
    if (!enter_processor(0, &saved))
    {
        test_free(ref);
        return;
    }
    for (i = 0; i < 3; i++) ok(ExAcquireRundownProtectionCacheAwareEx(ref, 0x40000000), "acquire failed\n");
    leave_processor(&saved);
    if (!enter_processor(1, &saved)) return;
    ExReleaseRundownProtectionCacheAwareEx(ref, 0x40000000);
    leave_processor(&saved);
    /* 3 * 2^31 and -2^31: 2^31 protections outstanding, 0 in the low halves' sum */
    ok(cache_aware_slot(ref, 0)->Count == (ULONG_PTR)0x180000000ull, "slot 0 holds %p\n",
       (void *)cache_aware_slot(ref, 0)->Count);
    ok(cache_aware_slot(ref, 1)->Count == (ULONG_PTR)0xffffffff80000000ull, "slot 1 holds %p\n",
       (void *)cache_aware_slot(ref, 1)->Count);

    if (!(waiter = waiter_start(WAIT_CACHE_AWARE, ref, NULL))) return;
    ok(poll_word(&cache_aware_slot(ref, 1)->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS),
       "the wait did not mark slot 1\n");
    ok(!waiter_returned(waiter, 50), "the wait returned with 2^31 protections outstanding\n");
    ExReleaseRundownProtectionCacheAwareEx(ref, 0x40000000);
    ok(!waiter_returned(waiter, 50), "the wait returned with 2^30 protections outstanding\n");
    ExReleaseRundownProtectionCacheAwareEx(ref, 0x40000000);
    if (!waiter_end(waiter)) return;
    check_run_down(ref);
    test_free(ref);
}

/* The last release comes from another thread while a waiter waits; the
 * waiter looks at the holder's flag as soon as its wait returns. */
struct cache_aware_releaser
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    ULONG count;
    volatile LONG holding;
};

static VOID NTAPI cache_aware_releaser_thread(PVOID context)
{
    struct cache_aware_releaser *releaser = context;

    poll_word(&view(releaser->ref)->RunRefs->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS);
    sleep_ms(100);
    InterlockedExchange(&releaser->holding, 0);
    ExReleaseRundownProtectionCacheAwareEx(releaser->ref, releaser->count);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* Runs one blocking wait, the last release by another thread. */
static BOOLEAN blocking_wait(PEX_RUNDOWN_REF_CACHE_AWARE ref, struct cache_aware_releaser *releaser)
{
    struct waiter *waiter;
    TEST_THREAD thread;

    ok(ExAcquireRundownProtectionCacheAwareEx(ref, 5), "AcquireEx(5) failed\n");
    releaser->ref = ref;
    releaser->count = 5;
    releaser->holding = 1;
    if (!(thread = thread_start(cache_aware_releaser_thread, releaser))) return FALSE;
    if (!(waiter = waiter_start(WAIT_CACHE_AWARE, ref, &releaser->holding))) return FALSE;
    if (waiter_returned(waiter, TEST_TIMEOUT_MS))
        ok(waiter->probe_seen == 0, "the wait returned while the holder still held its protections\n");
    if (!waiter_end(waiter)) return FALSE;
    ok(thread_join(thread, TEST_TIMEOUT_MS), "the releaser did not finish\n");
    return TRUE;
}

static void test_wait(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG);
    struct cache_aware_releaser *releaser = test_alloc(sizeof(*releaser));
    unsigned int i;

    ok(ref != NULL, "allocation failed\n");
    if (!ref || !releaser) return;

    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    check_run_down(ref);
    ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire succeeded after the wait\n");
    ok(!ExAcquireRundownProtectionCacheAwareEx(ref, 2), "AcquireEx(2) succeeded after the wait\n");
    check_run_down(ref);

    if (guarantee("every wait after a cache-aware wait hangs there: the slots keep stale wait blocks"))
    {
        check_all_slots(ref, EX_RUNDOWN_ACTIVE);
        for (i = 0; i < 3; i++)
        {
            winetest_push_context("repeated wait %u", i + 1);
            if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
            check_all_slots(ref, EX_RUNDOWN_ACTIVE);
            winetest_pop_context();
        }
    }

    ExReInitializeRundownProtectionCacheAware(ref);
    check_all_slots(ref, 0);
    if (!blocking_wait(ref, releaser)) return;
    check_run_down(ref);
    ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire succeeded after the wait\n");

    if (guarantee("every wait after a cache-aware wait hangs there: the slots keep stale wait blocks"))
    {
        check_all_slots(ref, EX_RUNDOWN_ACTIVE);
        if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
        check_all_slots(ref, EX_RUNDOWN_ACTIVE);
    }

    /* ReInitialize after a blocking wait: a new object to protect. */
    ExReInitializeRundownProtectionCacheAware(ref);
    check_all_slots(ref, 0);
    if (!blocking_wait(ref, releaser)) return;
    check_run_down(ref);
    ExFreeCacheAwareRundownProtection(ref);
    test_free(releaser);
}

static void test_rundown_completed_cache_aware(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = alloc_in_buffer();
    unsigned int cycle;

    if (!ref) return;
    for (cycle = 0; cycle < 3; cycle++)
    {
        winetest_push_context("cycle %u", cycle);
        ok(ExAcquireRundownProtectionCacheAware(ref), "acquire failed\n");
        ExReleaseRundownProtectionCacheAware(ref);
        if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
        check_run_down(ref);

        ExRundownCompletedCacheAware(ref);
        check_all_slots(ref, EX_RUNDOWN_ACTIVE);
        ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire succeeded after RundownCompleted\n");
        if (guarantee("a wait after RundownCompletedCacheAware hangs there when there are two slots or more"))
        {
            if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
            check_all_slots(ref, EX_RUNDOWN_ACTIVE);
        }

        ExReInitializeRundownProtectionCacheAware(ref);
        check_all_slots(ref, 0);
        winetest_pop_context();
    }
    ok(ExAcquireRundownProtectionCacheAware(ref), "acquire after ReInitialize failed\n");
    ExReleaseRundownProtectionCacheAware(ref);
    test_free(ref);
}

/* A release on an object run down with nothing outstanding changes nothing
 * (a checked build stops at an ASSERT instead). */
static void test_release_after_rundown_cache_aware(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;

    if (!misuse_guarantee("a release after the rundown",
                          "a release on a slot of 1 spins for ever there, waiting for slot 0 to change")) return;
    if (!(ref = alloc_in_buffer())) return;
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    ExReleaseRundownProtectionCacheAware(ref);
    ExReleaseRundownProtectionCacheAwareEx(ref, 3);
    check_all_slots(ref, EX_RUNDOWN_ACTIVE);
    if (wait_in_thread(WAIT_CACHE_AWARE, ref)) check_all_slots(ref, EX_RUNDOWN_ACTIVE);
    test_free(ref);
}

/* Other processors act while the wait switches the slots one by one, at
 * the wait's last access to slot 1 before it switches it, slot 0 switched
 * already: a ReleaseEx(0) and a release on slot 0 (one of two protections),
 * or an acquire on slot 1 (which the wait must then count, retrying its
 * compare-exchange).  A first run of the wait only counts its accesses to
 * slot 1 (a read and a compare-exchange here; an exchange on Windows). */
enum race_action { RACE_COUNT, RACE_RELEASE, RACE_ACQUIRE };

struct cache_aware_race
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    enum race_action action;
    BOOLEAN release_zero;
    LONG act_at;                /* the access to act at */
    volatile LONG accesses;     /* to slot 1 while slot 0 is switched and slot 1 is not */
    volatile LONG acted;
};

static VOID cache_aware_race_hook(const volatile void *address, PVOID context)
{
    struct cache_aware_race *race = context;

    if (address != (const volatile void *)&cache_aware_slot(race->ref, 1)->Count) return;
    if (!(read_word(&cache_aware_slot(race->ref, 0)->Count) & EX_RUNDOWN_ACTIVE)) return;
    if (read_word(&cache_aware_slot(race->ref, 1)->Count) & EX_RUNDOWN_ACTIVE) return;
    if (InterlockedIncrement(&race->accesses) != race->act_at || race->action == RACE_COUNT) return;
    if (race->action == RACE_RELEASE)
    {
        hooks_current_processor(0);
        if (race->release_zero) ExReleaseRundownProtectionCacheAwareEx(race->ref, 0);
        ExReleaseRundownProtectionCacheAware(race->ref);
    }
    else
    {
        hooks_current_processor(1);
        if (!ExAcquireRundownProtectionCacheAware(race->ref)) return;
    }
    hooks_current_processor(HOOKS_REAL_PROCESSOR);
    InterlockedExchange(&race->acted, 1);
}

/* One wait with the hook; FALSE if it hung (the objects are then its). */
static BOOLEAN race_once(struct cache_aware_race *race, enum race_action action)
{
    struct on_processor saved;
    struct waiter *waiter;
    BOOLEAN ended;

    ExReInitializeRundownProtectionCacheAware(race->ref);
    if (!enter_processor(0, &saved)) return FALSE;
    ok(ExAcquireRundownProtectionCacheAwareEx(race->ref, 2), "acquire failed\n");
    leave_processor(&saved);
    race->action = action;
    race->accesses = race->acted = 0;
    hooks_interlocked(cache_aware_race_hook, race);
    if (!(waiter = waiter_start(WAIT_CACHE_AWARE, race->ref, NULL)))
    {
        hooks_interlocked(NULL, NULL);
        return FALSE;
    }
    /* The hook stays until the wait has switched slot 1. */
    ok(poll_word(&cache_aware_slot(race->ref, 1)->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS),
       "the wait did not switch slot 1: %p\n", (void *)read_word(&cache_aware_slot(race->ref, 1)->Count));
    hooks_interlocked(NULL, NULL);
    ok(!waiter_returned(waiter, 0), "the wait returned with protections outstanding\n");
    if (action == RACE_ACQUIRE && enter_processor(1, &saved))
    {
        ok(!ExAcquireRundownProtectionCacheAware(race->ref), "acquire succeeded during the wait\n");
        ExReleaseRundownProtectionCacheAware(race->ref);
        leave_processor(&saved);
    }
    if (enter_processor(0, &saved))
    {
        ExReleaseRundownProtectionCacheAwareEx(race->ref, action == RACE_RELEASE ? 1 : 2);
        leave_processor(&saved);
    }
    if (!(ended = waiter_end(waiter))) return FALSE;
    if (action != RACE_COUNT) ok(race->acted, "the hook did not act (%ld accesses)\n", (long)race->accesses);
    check_run_down(race->ref);
    return TRUE;
}

static void test_wait_races(void)
{
    struct cache_aware_race *race;

    if (!hooks_available())
    {
        skip("acting inside the wait needs the emulated kernel's interlocked hook\n");
        return;
    }
    if (!(race = test_alloc(sizeof(*race)))) return;
    if (!(race->ref = alloc_in_buffer_sized(size_for_slots(2)))) return;
    if (!wait_in_thread(WAIT_CACHE_AWARE, race->ref)) return;
    /* Windows sets the wait block's event, not yet initialized, for a
     * ReleaseEx(0) that comes in then. */
    race->release_zero = guarantee("a ReleaseEx(0) while the wait switches the slots sets an event that "
                                   "the wait has not initialized yet");
    race->act_at = 0;
    if (!race_once(race, RACE_COUNT)) return;
    ok(race->accesses >= 1, "the wait did not touch slot 1\n");
    if (race->accesses < 1) return;
    race->act_at = race->accesses;
    winetest_push_context("release");
    if (!race_once(race, RACE_RELEASE)) return;
    winetest_pop_context();
    winetest_push_context("acquire");
    if (!race_once(race, RACE_ACQUIRE)) return;
    winetest_pop_context();
    test_free(race->ref);
    test_free(race);
}

/* ReInitialize zeroes the slots one by one while other threads already
 * acquire: a protection granted on slot 0, zeroed first, and released on
 * processor 1, whose slot still holds 1, must not be lost. */
struct reinitialize_race
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    volatile LONG done;
    BOOLEAN acquired;
};

static VOID reinitialize_race_hook(const volatile void *address, PVOID context)
{
    struct reinitialize_race *race = context;

    if (address != (const volatile void *)&cache_aware_slot(race->ref, 1)->Count) return;
    if (read_word(&cache_aware_slot(race->ref, 0)->Count) != 0 ||
        read_word(&cache_aware_slot(race->ref, 1)->Count) != EX_RUNDOWN_ACTIVE) return;
    if (InterlockedCompareExchange(&race->done, 1, 0)) return;
    hooks_current_processor(0);
    race->acquired = ExAcquireRundownProtectionCacheAware(race->ref);
    hooks_current_processor(1);
    if (race->acquired) ExReleaseRundownProtectionCacheAware(race->ref);
    hooks_current_processor(HOOKS_REAL_PROCESSOR);
}

static void test_reinitialize_races_release(void)
{
    struct reinitialize_race *race;

    if (!hooks_available())
    {
        skip("acting inside ReInitialize needs the emulated kernel's interlocked hook\n");
        return;
    }
    if (!(race = test_alloc(sizeof(*race))) || !(race->ref = alloc_in_buffer_sized(size_for_slots(2)))) return;
    race->done = 0;
    race->acquired = FALSE;
    if (!wait_in_thread(WAIT_CACHE_AWARE, race->ref)) return;
    ExRundownCompletedCacheAware(race->ref);
    hooks_interlocked(reinitialize_race_hook, race);
    ExReInitializeRundownProtectionCacheAware(race->ref);
    hooks_interlocked(NULL, NULL);
    ok(race->done, "the hook did not run\n");
    ok(race->acquired, "no protection on slot 0 after it was zeroed\n");
    check_all_slots(race->ref, 0);
    if (!wait_in_thread(WAIT_CACHE_AWARE, race->ref)) return;
    check_run_down(race->ref);
    test_free(race->ref);
    test_free(race);
}

START_TEST(rundown_cache_aware)
{
    if (!rundown_routines_available(TRUE)) return;
    test_size();
    test_initialize_in_buffer();
    test_initialize_one_slot();
    test_initialize_odd_sizes();
    test_allocate();
    test_allocate_failure();
    test_allocate_failure_concurrent();
    test_processor_counts();
    test_processor_index();
    test_free_in_buffer();
    test_acquire_release_per_processor();
    test_cross_processor_release();
    test_wait_sum_full_width();
    test_wait();
    test_rundown_completed_cache_aware();
    test_release_after_rundown_cache_aware();
    test_wait_races();
    test_reinitialize_races_release();
}
