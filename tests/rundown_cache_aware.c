/*
 * Conformance tests for the cache-aware rundown protection routines
 *
 * Kernel code, like rundown.c.  EX_RUNDOWN_REF_CACHE_AWARE is opaque: the
 * contract tests use the routines only as their pages under
 * https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/wdm/ and the
 * conceptual page kernel/run-down-protection ("Cache-aware run-down
 * protection") describe them, and run everywhere.  ntrundown's guarantees
 * look at its own design from outside: which words the routines touch (the
 * emulated kernel's interlocked hook), and how they behave for thread IDs
 * the emulated kernel simulates; they run where guarantee() lets them.
 */

#include "support.h"
#include "kernel_hooks.h"
#include "winetest.h"

#define SENTINEL 0xcc

static const char design[] = "EX_RUNDOWN_REF_CACHE_AWARE is \"an opaque structure\" "
                             "(nf-wdm-exinitializerundownprotectioncacheaware): its layout is ntrundown's";

/* A buffer of `size` bytes for an object, at `offset` in a block whose bytes
 * past the buffer hold SENTINEL up to `size + tail`. */
static PUCHAR alloc_buffer(SIZE_T offset, SIZE_T size, SIZE_T tail)
{
    PUCHAR block = test_alloc(offset + size + tail);

    if (block) RtlFillMemory(block, offset + size + tail, SENTINEL);
    return block;
}

/* TRUE when the `tail` bytes after `size` bytes at p still hold SENTINEL. */
static BOOLEAN tail_intact(const UCHAR *p, SIZE_T size, SIZE_T tail)
{
    SIZE_T i;

    for (i = 0; i < tail; i++) if (p[size + i] != SENTINEL) return FALSE;
    return TRUE;
}

/* An object laid out the documented way: ExSizeOfRundownProtectionCacheAware
 * bytes from the pool, then ExInitializeRundownProtectionCacheAware. */
static PEX_RUNDOWN_REF_CACHE_AWARE alloc_in_buffer(void)
{
    SIZE_T size = ExSizeOfRundownProtectionCacheAware();
    PEX_RUNDOWN_REF_CACHE_AWARE ref = test_alloc(size);

    if (ref) ExInitializeRundownProtectionCacheAware(ref, size);
    return ref;
}

/* An object laid out as for four processors: four counters (the emulated
 * kernel's processor count; only for the tests that have its hooks). */
static PEX_RUNDOWN_REF_CACHE_AWARE alloc_four_counters(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;

    hooks_processor_count(4);
    ref = alloc_in_buffer();
    hooks_processor_count(0);
    return ref;
}

static BOOLEAN acquirable(PEX_RUNDOWN_REF_CACHE_AWARE ref)
{
    if (!ExAcquireRundownProtectionCacheAware(ref)) return FALSE;
    ExReleaseRundownProtectionCacheAware(ref);
    return TRUE;
}

/* Acquires and releases in the order and amounts given, each with a check
 * that the wait blocks until the last release; every call on the test
 * thread.  Used by the contract tests for both kinds of object. */
static void check_usable_(const char *file, int line, PEX_RUNDOWN_REF_CACHE_AWARE ref)
{
    struct waiter *waiter;

    ok_(file, line)(ExAcquireRundownProtectionCacheAware(ref), "acquire failed\n");
    ok_(file, line)(ExAcquireRundownProtectionCacheAwareEx(ref, 3), "AcquireEx(3) failed\n");
    ExReleaseRundownProtectionCacheAwareEx(ref, 2);
    if (!(waiter = waiter_start(WAIT_CACHE_AWARE, ref, NULL))) return;
    ok_(file, line)(!waiter_returned(waiter, 50), "the wait returned with two protections outstanding\n");
    ok_(file, line)(!ExAcquireRundownProtectionCacheAware(ref), "acquire during the wait succeeded\n");
    ExReleaseRundownProtectionCacheAware(ref);
    ok_(file, line)(!waiter_returned(waiter, 20), "the wait returned with one protection outstanding\n");
    ExReleaseRundownProtectionCacheAware(ref);
    if (!waiter_end_(file, line, waiter)) return;
    ok_(file, line)(!ExAcquireRundownProtectionCacheAware(ref), "acquire after the wait succeeded\n");
}
#define check_usable(ref) check_usable_(__FILE__, __LINE__, ref)

/* ---- nf-wdm-exsizeofrundownprotectioncacheaware,
 *      nf-wdm-exinitializerundownprotectioncacheaware ----------------------
 * "The caller should first call ExSizeOfRundownProtectionCacheAware to
 * determine the appropriate size ...  This size should then be used to
 * allocate a buffer for the RunRefCacheAware parameter and also passed as
 * the RunRefSize parameter", the size "of the rundown protection object":
 * the routine uses that buffer and nothing after it. */
static void test_initialize_in_buffer(void)
{
    SIZE_T size = ExSizeOfRundownProtectionCacheAware(), tail = 256;
    PUCHAR buffer;

    ok(size > 0, "ExSizeOfRundownProtectionCacheAware returned 0\n");
    if (!(buffer = alloc_buffer(0, size, tail))) return;
    ExInitializeRundownProtectionCacheAware((PEX_RUNDOWN_REF_CACHE_AWARE)buffer, size);
    ok(tail_intact(buffer, size, tail), "initialize wrote past the %lu-byte buffer\n", (unsigned long)size);
    check_usable((PEX_RUNDOWN_REF_CACHE_AWARE)buffer);
    ok(tail_intact(buffer, size, tail), "the routines wrote past the %lu-byte buffer\n", (unsigned long)size);
    test_free(buffer);
}

/* ---- nf-wdm-exallocatecacheawarerundownprotection,
 *      nf-wdm-exfreecacheawarerundownprotection ----------------------------
 * Allocate "takes care of initialization" (kernel/run-down-protection) and
 * returns the object "or NULL if allocation fails"; Free "frees a
 * cache-friendly rundown protection structure that was previously
 * allocated". */
static void test_allocate(void)
{
    static const POOL_TYPE types[] = { NonPagedPool, PagedPool };
    LONG outstanding = hooks_pool_outstanding();
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(types); i++)
    {
        winetest_push_context("pool type %d", types[i]);
        ref = ExAllocateCacheAwareRundownProtection(types[i], TEST_TAG);
        ok(ref != NULL, "allocation failed\n");
        if (ref)
        {
            check_usable(ref);
            ExFreeCacheAwareRundownProtection(ref);
        }
        winetest_pop_context();
    }
    /* everything allocated was freed */
    if (hooks_available())
        ok(hooks_pool_outstanding() == outstanding, "%ld blocks leaked\n", (long)(hooks_pool_outstanding() - outstanding));
}

/* Each allocation failing in turn: NULL, and nothing leaked. */
static void test_allocate_failure(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    LONG outstanding;
    ULONG failing;

    if (!hooks_available())
    {
        skip("failing allocations needs the emulated kernel's pool\n");
        return;
    }
    outstanding = hooks_pool_outstanding();
    for (failing = 0; failing < 4; failing++)
    {
        winetest_push_context("after %lu allocations", (unsigned long)failing);
        hooks_pool_fail(failing, 1);
        ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG);
        hooks_pool_fail(0, 0);
        if (ref)
        {
            /* the allocation took fewer blocks than that */
            check_usable(ref);
            ExFreeCacheAwareRundownProtection(ref);
            winetest_pop_context();
            break;
        }
        ok(hooks_pool_outstanding() == outstanding, "%ld blocks leaked\n",
           (long)(hooks_pool_outstanding() - outstanding));
        winetest_pop_context();
    }
    ok(failing > 0, "an allocation that failed at once returned an object\n");
    ok(hooks_pool_outstanding() == outstanding, "%ld blocks leaked\n", (long)(hooks_pool_outstanding() - outstanding));
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
        if (!ExAcquireRundownProtectionCacheAware(ref)) InterlockedIncrement(&allocator->bad);
        else ExReleaseRundownProtectionCacheAware(ref);
        ExWaitForRundownProtectionReleaseCacheAware(ref);
        if (ExAcquireRundownProtectionCacheAware(ref)) InterlockedIncrement(&allocator->bad);
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
    /* the next allocation fails, over and over: 300 times, then on until
     * every allocator could have been refused once (a loaded machine can
     * keep them off the processors for all of the first 300) */
    for (round = 0; round < 300 || (read_long(&allocator->refused) < (LONG)ARRAY_SIZE(threads) &&
                                    round < 300 + TEST_TIMEOUT_MS); round++)
    {
        hooks_pool_fail(0, 1);
        sleep_ms(round % 10 && round < 300 ? 0 : 1);
    }
    hooks_pool_fail(0, 0);
    InterlockedExchange(&allocator->stop, 1);
    for (i = 0; i < ARRAY_SIZE(threads); i++)
        ok(thread_join(threads[i], TEST_TIMEOUT_MS), "allocator %lu did not stop\n", (unsigned long)i);
    hooks_processor_count(0);
    ok(allocator->bad == 0, "%ld of %ld objects did not work\n", (long)allocator->bad, (long)allocator->allocated);
    ok(allocator->allocated > 0 && allocator->refused > 0, "%ld allocated, %ld refused\n",
       (long)allocator->allocated, (long)allocator->refused);
    ok(hooks_pool_outstanding() == outstanding, "%ld blocks leaked\n",
       (long)(hooks_pool_outstanding() - outstanding));
    test_free(allocator);
}

/* ---- nf-wdm-exacquirerundownprotectioncacheaware(ex),
 *      nf-wdm-exreleaserundownprotectioncacheaware(ex) ----------------------
 * Acquire "Returns TRUE if rundown protection was acquired and FALSE if
 * rundown is currently active or completed"; the Ex routines "increment and
 * decrement this count by arbitrary amounts", "The count is incremented only
 * if the routine returns TRUE". */
static void test_acquire_release(void)
{
    static const ULONG counts[] = { 1, 2, 3, 7, 1000, 0x10000 };
    PEX_RUNDOWN_REF_CACHE_AWARE ref = alloc_in_buffer();
    unsigned int i;

    if (!ref) return;
    for (i = 0; i < ARRAY_SIZE(counts); i++)
    {
        winetest_push_context("count %lu", (unsigned long)counts[i]);
        ok(ExAcquireRundownProtectionCacheAwareEx(ref, counts[i]), "AcquireEx failed\n");
        ExReleaseRundownProtectionCacheAwareEx(ref, counts[i]);
        winetest_pop_context();
    }
    for (i = 0; i < 3; i++) ok(ExAcquireRundownProtectionCacheAware(ref), "acquire %u failed\n", i);
    for (i = 0; i < 3; i++) ExReleaseRundownProtectionCacheAware(ref);
    /* balanced: nothing to wait for */
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    ok(!ExAcquireRundownProtectionCacheAwareEx(ref, 4), "AcquireEx(4) after the wait succeeded\n");
    /* a refused AcquireEx added nothing: reinitialized, one release empties it */
    ExReInitializeRundownProtectionCacheAware(ref);
    ok(ExAcquireRundownProtectionCacheAware(ref), "acquire after ReInitialize failed\n");
    ExReleaseRundownProtectionCacheAware(ref);
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    test_free(ref);
}

/* ---- nf-wdm-exwaitforrundownprotectionreleasecacheaware ------------------
 * "If ... called when all drivers that were previously granted run-down
 * protection have already finished accessing the shared object, the routine
 * changes the object status to run down, and returns immediately"; "The
 * routine waits to return until all drivers that were previously granted
 * cache-aware run-down protection finish accessing the object", and once it
 * "is called, the ExAcquireRundownProtectionCacheAware routine grants no
 * further requests". */
static void test_wait(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG);

    ok(ref != NULL, "allocation failed\n");
    if (!ref) return;
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire after the wait succeeded\n");
    ok(!ExAcquireRundownProtectionCacheAwareEx(ref, 2), "AcquireEx(2) after the wait succeeded\n");
    ExFreeCacheAwareRundownProtection(ref);
}

/* Protections acquired on several threads and released on others: the wait
 * returns once they are all released, whichever thread releases (the pages
 * tie a protection to no thread or processor). */
struct holder
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    ULONG count;
    BOOLEAN acquire;            /* acquire `count`, else release it */
    KEVENT done;
    volatile LONG result;
};

static VOID NTAPI holder_thread(PVOID context)
{
    struct holder *holder = context;

    if (holder->acquire) InterlockedExchange(&holder->result, ExAcquireRundownProtectionCacheAwareEx(holder->ref, holder->count));
    else ExReleaseRundownProtectionCacheAwareEx(holder->ref, holder->count);
    KeSetEvent(&holder->done, IO_NO_INCREMENT, FALSE);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* Runs one acquire or release of `count` on a new thread; FALSE if it failed. */
static BOOLEAN on_other_thread(struct holder *holder, PEX_RUNDOWN_REF_CACHE_AWARE ref, BOOLEAN acquire, ULONG count)
{
    TEST_THREAD thread;

    holder->ref = ref;
    holder->count = count;
    holder->acquire = acquire;
    holder->result = -1;
    KeInitializeEvent(&holder->done, NotificationEvent, FALSE);
    if (!(thread = thread_start(holder_thread, holder))) return FALSE;
    ok(thread_join(thread, TEST_TIMEOUT_MS), "the thread did not finish\n");
    return !acquire || holder->result == TRUE;
}

static void test_cross_thread_release(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = alloc_in_buffer();
    struct holder *holder = test_alloc(sizeof(*holder));
    struct waiter *waiter;
    unsigned int i;

    if (!ref || !holder) return;
    /* acquired on four threads, released on the test thread */
    for (i = 0; i < 4; i++) ok(on_other_thread(holder, ref, TRUE, i + 1), "acquire on thread %u failed\n", i);
    ExReleaseRundownProtectionCacheAwareEx(ref, 10);
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;

    /* acquired on the test thread, released on others during the wait */
    ExReInitializeRundownProtectionCacheAware(ref);
    ok(ExAcquireRundownProtectionCacheAwareEx(ref, 6), "AcquireEx(6) failed\n");
    if (!(waiter = waiter_start(WAIT_CACHE_AWARE, ref, NULL))) return;
    for (i = 0; i < 3; i++)
    {
        ok(!waiter_returned(waiter, 20), "the wait returned with %u protections outstanding\n", 6 - 2 * i);
        on_other_thread(holder, ref, FALSE, 2);
    }
    if (!waiter_end(waiter)) return;
    test_free(holder);
    test_free(ref);
}

/* The last release comes from another thread, later. */
static void test_wait_last_release_by_other_thread(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = alloc_in_buffer();

    if (!ref || !blocking_wait(WAIT_CACHE_AWARE, ref, 5, 50)) return;
    ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire after the wait succeeded\n");
    test_free(ref);
}

/* "If ExWaitForRundownProtectionReleaseCacheAware is called to run down a
 * shared object, but the RunRef parameter indicates that this object is
 * already run down, the call has no effect but is not treated as an error."
 * A comment in Microsoft's xdp-for-windows driver (src/xdplwf/pktmon.c) says
 * instead that waiting again on a reference already run down "would
 * deadlock", so on Windows, where a hung wait keeps its thread for good,
 * this is not run. */
static void test_wait_repeated(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    unsigned int i;

    if (contested("a second cache-aware wait (xdp-for-windows, src/xdplwf/pktmon.c: \"would deadlock\")")) return;
    if (!(ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG))) return;
    /* started run down, as Microsoft's xdp drivers do */
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    for (i = 0; i < 3; i++)
    {
        winetest_push_context("wait %u", i + 2);
        if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
        ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire after a repeated wait succeeded\n");
        winetest_pop_context();
    }
    ExReInitializeRundownProtectionCacheAware(ref);
    if (!blocking_wait(WAIT_CACHE_AWARE, ref, 2, 50)) return;
    winetest_push_context("after a blocking wait");
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire after a repeated wait succeeded\n");
    winetest_pop_context();
    ExFreeCacheAwareRundownProtection(ref);
}

/* ---- nf-wdm-exrundowncompletedcacheaware ---------------------------------
 * "After an ExRundownCompletedCacheAware call, additional calls to
 * ExWaitForRundownProtectionReleaseCacheAware ... return immediately without
 * waiting.  However, calls to ExAcquireRundownProtectionCacheAware ... fail",
 * and the driver "can call the ExReInitializeRundownProtectionCacheAware
 * routine". */
static void test_rundown_completed(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = alloc_in_buffer();
    unsigned int cycle;

    if (!ref) return;
    for (cycle = 0; cycle < 3; cycle++)
    {
        winetest_push_context("cycle %u", cycle);
        if (cycle == 1 ? !blocking_wait(WAIT_CACHE_AWARE, ref, 2, 50) : !wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
        ExRundownCompletedCacheAware(ref);
        ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire after RundownCompleted succeeded\n");
        if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
        ok(!ExAcquireRundownProtectionCacheAwareEx(ref, 2), "AcquireEx(2) after RundownCompleted succeeded\n");
        ExReInitializeRundownProtectionCacheAware(ref);
        ok(acquirable(ref), "acquire after ReInitialize failed\n");
        winetest_pop_context();
    }
    test_free(ref);
}

/* ---- nf-wdm-exreinitializerundownprotectioncacheaware --------------------
 * It "enables a previously used EX_RUNDOWN_REF_CACHE_AWARE structure to be
 * associated with a new object"; the conceptual page's reuse steps: wait,
 * ExRundownCompletedCacheAware, ExReInitializeRundownProtectionCacheAware,
 * and "Now the driver can again call ExAcquireRundownProtectionCacheAware". */
static void test_reinitialize(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG);
    unsigned int cycle;

    ok(ref != NULL, "allocation failed\n");
    if (!ref) return;
    for (cycle = 0; cycle < 4; cycle++)
    {
        winetest_push_context("cycle %u", cycle);
        if (cycle % 2 ? !blocking_wait(WAIT_CACHE_AWARE, ref, 3, 50) : !wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
        if (cycle >= 2) ExRundownCompletedCacheAware(ref);
        ExReInitializeRundownProtectionCacheAware(ref);
        check_usable(ref);
        ExReInitializeRundownProtectionCacheAware(ref);
        winetest_pop_context();
    }
    ExFreeCacheAwareRundownProtection(ref);
}

/* ---- ntrundown: the layout, seen from outside ----------------------------
 * A thread ID selects a counter; the interlocked hook shows which word an
 * acquire changes.  Thread IDs here are 4 * (index | 0x10000), which select
 * counter `index` of up to 0x10000. */
static ULONG_PTR thread_for_counter(ULONG index)
{
    return (ULONG_PTR)(index | 0x10000) * 4;
}

struct recorder
{
    volatile LONG armed;
    const volatile void *first;
};

static VOID record_hook(const volatile void *address, PVOID context)
{
    struct recorder *recorder = context;

    if (read_long(&recorder->armed) && !recorder->first) recorder->first = address;
}

/* The word an acquire as the thread of counter `index` changes first. */
static const volatile void *counter_word(PEX_RUNDOWN_REF_CACHE_AWARE ref, ULONG index)
{
    struct recorder recorder = { 0, NULL };

    hooks_current_thread_id(thread_for_counter(index));
    hooks_interlocked(record_hook, &recorder);
    InterlockedExchange(&recorder.armed, 1);
    ok(ExAcquireRundownProtectionCacheAware(ref), "acquire as the thread of counter %lu failed\n", (unsigned long)index);
    InterlockedExchange(&recorder.armed, 0);
    hooks_interlocked(NULL, NULL);
    ExReleaseRundownProtectionCacheAware(ref);
    hooks_current_thread_id(0);
    return recorder.first;
}

/* The counters an object has: distinct words for consecutive indexes until
 * they repeat; each a line apart from the others and inside [start, end). */
static ULONG count_counters_(const char *file, int line, PEX_RUNDOWN_REF_CACHE_AWARE ref, const void *start,
                             const void *end)
{
    const volatile void *words[1024], *word;
    ULONG cache_line = KeGetRecommendedSharedDataAlignment(), counters, i, outside = 0, near = 0, misaligned = 0;

    words[0] = counter_word(ref, 0);
    for (counters = 0; counters < ARRAY_SIZE(words); counters++)
    {
        word = counters ? counter_word(ref, counters) : words[0];
        if (counters && word == words[0]) break;
        words[counters] = word;
        if ((const char *)word < (const char *)start || (const char *)word + sizeof(EX_RUNDOWN_REF) > (const char *)end)
            outside++;
        for (i = 0; i < counters; i++)
        {
            ULONG_PTR distance = (ULONG_PTR)word > (ULONG_PTR)words[i] ? (ULONG_PTR)word - (ULONG_PTR)words[i]
                                                                       : (ULONG_PTR)words[i] - (ULONG_PTR)word;
            if (distance < cache_line) near++;
        }
    }
    ok_(file, line)(!outside, "%lu of %lu counters are outside [%p, %p); the first at %p\n", (unsigned long)outside,
                    (unsigned long)counters, start, end, words[0]);
    ok_(file, line)(!near, "%lu pairs of %lu counters are less than a line (%lu bytes) apart\n", (unsigned long)near,
                    (unsigned long)counters, (unsigned long)cache_line);
    /* several counters have a line each */
    for (i = 0; counters > 1 && i < counters; i++)
        if ((ULONG_PTR)words[i] % cache_line) misaligned++;
    ok_(file, line)(!misaligned, "%lu of %lu counters are not line-aligned\n", (unsigned long)misaligned,
                    (unsigned long)counters);
    return counters;
}
#define count_counters(ref, start, end) count_counters_(__FILE__, __LINE__, ref, start, end)

static ULONG counters_for(ULONG processors)
{
    ULONG counters = 1;

    while (counters < processors) counters <<= 1;
    return counters;
}

/* One counter per processor, a power of two of them, a line each, in a
 * buffer of the documented size wherever it starts, and in an allocation. */
static void test_layout(void)
{
    static const ULONG processors[] = { 1, 2, 3, 4, 8, 13, 64, 65 };
    ULONG line = KeGetRecommendedSharedDataAlignment(), offset, i, counters;
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    SIZE_T size;
    PUCHAR buffer;

    if (!guarantee(design)) return;
    if (!hooks_available())
    {
        skip("seeing which words the routines change needs the emulated kernel\n");
        return;
    }
    for (i = 0; i < ARRAY_SIZE(processors); i++)
    {
        winetest_push_context("%lu processors", (unsigned long)processors[i]);
        hooks_processor_count(processors[i]);
        size = ExSizeOfRundownProtectionCacheAware();
        if (!(buffer = alloc_buffer(line, size, line)))
        {
            winetest_pop_context();
            break;
        }
        for (offset = 0; offset < line; offset += sizeof(void *))
        {
            winetest_push_context("offset %lu", (unsigned long)offset);
            RtlFillMemory(buffer, line + size + line, SENTINEL);
            ref = (PEX_RUNDOWN_REF_CACHE_AWARE)(buffer + offset);
            ExInitializeRundownProtectionCacheAware(ref, size);
            counters = count_counters(ref, ref, (PUCHAR)ref + size);
            ok(counters == counters_for(processors[i]), "%lu counters\n", (unsigned long)counters);
            ok(tail_intact((PUCHAR)ref, size, line), "the routines wrote past the buffer\n");
            winetest_pop_context();
        }
        test_free(buffer);
        if (processors[i] == 1)
            ok(size <= 8 * sizeof(void *), "%lu bytes for one processor\n", (unsigned long)size);

        /* a larger buffer gets no more counters */
        if ((buffer = alloc_buffer(0, 3 * size, 0)))
        {
            ref = (PEX_RUNDOWN_REF_CACHE_AWARE)buffer;
            ExInitializeRundownProtectionCacheAware(ref, 3 * size);
            counters = count_counters(ref, ref, buffer + 3 * size);
            ok(counters == counters_for(processors[i]), "%lu counters in a larger buffer\n", (unsigned long)counters);
            test_free(buffer);
        }

        ref = ExAllocateCacheAwareRundownProtection(PagedPool, TEST_TAG);
        ok(ref != NULL, "allocation failed\n");
        if (ref)
        {
            ok(hooks_pool_tag(ref) == TEST_TAG, "tag %#lx\n", (unsigned long)hooks_pool_tag(ref));
            ok(hooks_pool_type(ref) == PagedPool, "pool type %d\n", hooks_pool_type(ref));
            counters = count_counters(ref, ref, (PUCHAR)ref + hooks_pool_size(ref));
            ok(counters == counters_for(processors[i]), "%lu counters in an allocation\n", (unsigned long)counters);
            check_usable(ref);
            ExFreeCacheAwareRundownProtection(ref);
        }
        winetest_pop_context();
    }
    hooks_processor_count(0);
}

/* Other sizes: the routines write nothing past the buffer; a buffer too
 * small for the object is left alone; any other gets as many counters as fit
 * and works. */
static void test_odd_sizes(void)
{
    ULONG line = KeGetRecommendedSharedDataAlignment();
    SIZE_T size, largest, smallest_usable = 0, i;
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    PUCHAR buffer;

    if (!misuse_guarantee("a buffer smaller than ExSizeOfRundownProtectionCacheAware says",
                          "the page says the size \"should\" be the one ExSizeOfRundownProtectionCacheAware returns"))
        return;
    hooks_processor_count(8);
    largest = ExSizeOfRundownProtectionCacheAware() + 2 * line;
    if (!(buffer = alloc_buffer(0, largest, line))) return;
    ref = (PEX_RUNDOWN_REF_CACHE_AWARE)buffer;
    for (size = sizeof(void *); size <= largest; size += sizeof(void *))
    {
        BOOLEAN written = FALSE;

        winetest_push_context("size %lu", (unsigned long)size);
        RtlFillMemory(buffer, largest + line, SENTINEL);
        ExInitializeRundownProtectionCacheAware(ref, size);
        for (i = 0; i < size; i++) written |= buffer[i] != SENTINEL;
        ok(tail_intact(buffer, size, largest + line - size), "initialize wrote past the buffer\n");
        if (written)
        {
            if (!smallest_usable) smallest_usable = size;
            ok(ExAcquireRundownProtectionCacheAwareEx(ref, 2), "AcquireEx failed\n");
            ExReleaseRundownProtectionCacheAwareEx(ref, 2);
            if (!wait_in_thread(WAIT_CACHE_AWARE, ref))
            {
                hooks_processor_count(0);
                return;
            }
            ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire after the wait succeeded\n");
            ok(tail_intact(buffer, size, largest + line - size), "the routines wrote past the buffer\n");
        }
        else ok(!smallest_usable, "a %lu-byte buffer was left alone, a %lu-byte one was not\n",
                (unsigned long)size, (unsigned long)smallest_usable);
        winetest_pop_context();
    }
    ok(smallest_usable && smallest_usable <= 8 * sizeof(void *), "the smallest usable buffer has %lu bytes\n",
       (unsigned long)smallest_usable);
    test_free(buffer);
    hooks_processor_count(0);
}

/* Only the sum of the counters counts: a protection acquired by one thread
 * and released by another leaves one counter up and another down, for
 * counts up to the word's width. */
static void test_counter_sum(void)
{
    static const ULONG counts[] = { 1, 3, 0x3fffffff, 0x7fffffff, 0x80000000, 0xffffffff };
    const unsigned int count_max = sizeof(ULONG_PTR) == 8 ? ARRAY_SIZE(counts) : 3;
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    struct waiter *waiter;
    unsigned int i;

    if (!guarantee(design)) return;
    if (!hooks_available())
    {
        skip("other thread IDs need the emulated kernel\n");
        return;
    }
    ref = alloc_four_counters();
    if (!ref) return;
    for (i = 0; i < count_max; i++)
    {
        winetest_push_context("count %#lx", (unsigned long)counts[i]);
        hooks_current_thread_id(thread_for_counter(0));
        ok(ExAcquireRundownProtectionCacheAwareEx(ref, counts[i]), "AcquireEx failed\n");
        ok(ExAcquireRundownProtectionCacheAware(ref), "acquire failed\n");
        hooks_current_thread_id(thread_for_counter(1));
        ExReleaseRundownProtectionCacheAwareEx(ref, counts[i]);
        hooks_current_thread_id(0);
        /* one outstanding, counted on counter 0 and -count on counter 1 */
        if (!(waiter = waiter_start(WAIT_CACHE_AWARE, ref, NULL))) return;
        ok(!waiter_returned(waiter, 30), "the wait returned with one protection outstanding\n");
        hooks_current_thread_id(thread_for_counter(3));
        ExReleaseRundownProtectionCacheAware(ref);
        hooks_current_thread_id(0);
        if (!waiter_end(waiter)) return;
        ExReInitializeRundownProtectionCacheAware(ref);
        winetest_pop_context();
    }

    /* 3 * 2^30 up on counter 0, 2^30 down on counter 1: 2^31 outstanding */
    if (sizeof(ULONG_PTR) == 8)
    {
        hooks_current_thread_id(thread_for_counter(0));
        for (i = 0; i < 3; i++) ok(ExAcquireRundownProtectionCacheAwareEx(ref, 0x40000000), "AcquireEx failed\n");
        hooks_current_thread_id(thread_for_counter(1));
        ExReleaseRundownProtectionCacheAwareEx(ref, 0x40000000);
        hooks_current_thread_id(0);
        if (!(waiter = waiter_start(WAIT_CACHE_AWARE, ref, NULL))) return;
        ok(!waiter_returned(waiter, 30), "the wait returned with 2^31 protections outstanding\n");
        ExReleaseRundownProtectionCacheAwareEx(ref, 0x40000000);
        ok(!waiter_returned(waiter, 30), "the wait returned with 2^30 protections outstanding\n");
        ExReleaseRundownProtectionCacheAwareEx(ref, 0x40000000);
        if (!waiter_end(waiter)) return;
    }

    /* counts the pages give no meaning to: 0, and 2^31 or more on 32 bits */
    ExReInitializeRundownProtectionCacheAware(ref);
    ok(ExAcquireRundownProtectionCacheAwareEx(ref, 0), "AcquireEx(0) failed\n");
    ExReleaseRundownProtectionCacheAwareEx(ref, 0);
    if (sizeof(ULONG_PTR) == 4)
        ok(!ExAcquireRundownProtectionCacheAwareEx(ref, 0x80000000), "AcquireEx(0x80000000) succeeded on 32 bits\n");
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    test_free(ref);
}

/* An acquire whose counter another processor keeps changing moves on to the
 * next counter: just before the acquire's first two accesses to counter 0,
 * another acquire changes it. */
struct contention
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    const volatile void *counter0;
    LONG accesses;
    const volatile void *seen[8];
};

static VOID contention_hook(const volatile void *address, PVOID context)
{
    struct contention *contention = context;

    if (contention->accesses < (LONG)ARRAY_SIZE(contention->seen)) contention->seen[contention->accesses] = address;
    if (contention->accesses++ >= 2) return;
    hooks_current_thread_id(thread_for_counter(4));     /* counter 0 of 4 */
    ok(ExAcquireRundownProtectionCacheAware(contention->ref), "the other acquire failed\n");
    hooks_current_thread_id(thread_for_counter(0));
}

static void test_acquire_contention(void)
{
    struct contention contention;
    const volatile void *counter1;
    struct waiter *waiter;

    if (!guarantee(design)) return;
    if (!hooks_available())
    {
        skip("acting inside an acquire needs the emulated kernel's interlocked hook\n");
        return;
    }
    contention.ref = alloc_four_counters();
    if (!contention.ref) return;
    contention.counter0 = counter_word(contention.ref, 0);
    counter1 = counter_word(contention.ref, 1);
    contention.accesses = 0;
    hooks_current_thread_id(thread_for_counter(0));
    hooks_interlocked(contention_hook, &contention);
    ok(ExAcquireRundownProtectionCacheAware(contention.ref), "acquire under contention failed\n");
    hooks_interlocked(NULL, NULL);
    hooks_current_thread_id(0);
    ok(contention.accesses >= 3, "%ld accesses\n", (long)contention.accesses);
    ok(contention.seen[0] == contention.counter0 && contention.seen[1] == contention.counter0,
       "the acquire began at %p and %p, not at counter 0 %p\n", contention.seen[0], contention.seen[1],
       contention.counter0);
    ok(contention.seen[2] == counter1, "the acquire went on to %p, not to counter 1 %p\n", contention.seen[2],
       counter1);
    /* three outstanding, two on counter 0 and one on counter 1 */
    if (!(waiter = waiter_start(WAIT_CACHE_AWARE, contention.ref, NULL))) return;
    ok(!waiter_returned(waiter, 30), "the wait returned with three protections outstanding\n");
    ExReleaseRundownProtectionCacheAwareEx(contention.ref, 3);
    if (!waiter_end(waiter)) return;
    test_free(contention.ref);
}

/* ---- ntrundown: races inside the wait ------------------------------------
 * Four counters, one protection acquired on each; just before each of the
 * waiter's interlocked accesses in turn, as another processor: a
 * ReleaseEx(0) and a release on each counter in turn (while the wait takes
 * the counters over, it meets counters taken and not taken, and makes the
 * wait's compare-exchanges fail), or an acquire, which must fail once the
 * wait has made its first access.  The wait returns only once the test
 * thread has released the other protections.  Then with one protection
 * only, which the hook releases, on its counter or another. */
struct cache_aware_race
{
    ULONG counter;              /* the counter the hook acts on */
    BOOLEAN acquire;            /* acquire and release there, else release one */
    BOOLEAN single;             /* one protection only, on counter 0: the hook releases the last */
    volatile LONG acquired;
};

static BOOLEAN cache_aware_race_prepare(struct race *race)
{
    ULONG i;

    if (!hooks_available()) return FALSE;
    ExReInitializeRundownProtectionCacheAware(race->ref);
    for (i = 0; i < (((struct cache_aware_race *)race->context)->single ? 1 : 4); i++)
    {
        hooks_current_thread_id(thread_for_counter(i));
        ok(ExAcquireRundownProtectionCacheAware(race->ref), "acquire on counter %lu failed\n", (unsigned long)i);
    }
    hooks_current_thread_id(0);
    return TRUE;
}

static void cache_aware_race_act(struct race *race)
{
    struct cache_aware_race *action = race->context;

    hooks_current_thread_id(thread_for_counter(action->counter));
    if (action->acquire)
    {
        if (ExAcquireRundownProtectionCacheAware(race->ref))
        {
            InterlockedExchange(&action->acquired, 1);
            ExReleaseRundownProtectionCacheAware(race->ref);
        }
    }
    else
    {
        ExReleaseRundownProtectionCacheAwareEx(race->ref, 0);
        ExReleaseRundownProtectionCacheAware(race->ref);
    }
    hooks_current_thread_id(0);
}

static void cache_aware_race_finish(struct race *race)
{
    struct cache_aware_race *action = race->context;
    ULONG i, left = action->single ? 1 : 4;

    /* the protections the hook did not release, on other counters */
    if (race->claimed == 1 && !action->acquire) left--;
    for (i = 0; i < left; i++)
    {
        hooks_current_thread_id(thread_for_counter(3 - i));
        ExReleaseRundownProtectionCacheAware(race->ref);
    }
    hooks_current_thread_id(0);
}

static void cache_aware_race_check(struct race *race)
{
    struct cache_aware_race *action = race->context;

    /* before the wait's first access, the wait has not begun */
    ok(!action->acquired || race->act_at == 1, "an acquire during the wait succeeded\n");
    action->acquired = 0;
    ok(!ExAcquireRundownProtectionCacheAware(race->ref), "acquire after the wait succeeded\n");
}

static void test_wait_races(void)
{
    struct cache_aware_race action;
    struct race race;

    if (!guarantee(design)) return;
    if (!hooks_available())
    {
        skip("acting inside the wait needs the emulated kernel's interlocked hook\n");
        return;
    }
    race.ref = alloc_four_counters();
    if (!race.ref) return;
    if (!wait_in_thread(WAIT_CACHE_AWARE, race.ref)) return;
    race.kind = WAIT_CACHE_AWARE;
    race.blocks = TRUE;     /* three protections at least remain for finish */
    race.prepare = cache_aware_race_prepare;
    race.act = cache_aware_race_act;
    race.finish = cache_aware_race_finish;
    race.check = cache_aware_race_check;
    race.context = &action;
    action.acquired = 0;
    action.single = FALSE;
    for (action.acquire = 0; action.acquire < 2; action.acquire++)
    {
        for (action.counter = 0; action.counter < 4; action.counter++)
        {
            winetest_push_context("%s on counter %lu", action.acquire ? "acquire" : "release",
                                  (unsigned long)action.counter);
            if (!race_all(&race)) return;
            winetest_pop_context();
        }
    }
    /* the last protection released at each point: then nothing is left */
    action.single = TRUE;
    action.acquire = FALSE;
    race.blocks = FALSE;
    for (action.counter = 0; action.counter < 2; action.counter++)
    {
        winetest_push_context("the last release on counter %lu", (unsigned long)action.counter);
        if (!race_all(&race)) return;
        winetest_pop_context();
    }
    test_free(race.ref);
}

/* ReInitialize zeroes the counters one by one; an acquire before it has
 * finished fails, so a protection can never be released on a counter it has
 * not zeroed yet.  Just before each of ReInitialize's interlocked accesses:
 * an acquire on counter 0, released on counter 3 if granted; afterwards the
 * object has nothing outstanding. */
struct reinitialize_race
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    LONG act_at;
    volatile LONG accesses;
    BOOLEAN acquired;
};

static VOID reinitialize_race_hook(const volatile void *address, PVOID context)
{
    struct reinitialize_race *race = context;

    (void)address;
    if (InterlockedIncrement(&race->accesses) != race->act_at) return;
    hooks_current_thread_id(thread_for_counter(0));
    race->acquired = ExAcquireRundownProtectionCacheAware(race->ref);
    hooks_current_thread_id(thread_for_counter(3));
    if (race->acquired) ExReleaseRundownProtectionCacheAware(race->ref);
    hooks_current_thread_id(0);
}

static void test_reinitialize_races(void)
{
    struct reinitialize_race race;

    if (!guarantee(design)) return;
    if (!hooks_available())
    {
        skip("acting inside ReInitialize needs the emulated kernel's interlocked hook\n");
        return;
    }
    race.ref = alloc_four_counters();
    if (!race.ref) return;
    for (race.act_at = 1; race.act_at < 16; race.act_at++)
    {
        winetest_push_context("before access %ld", (long)race.act_at);
        if (!wait_in_thread(WAIT_CACHE_AWARE, race.ref)) return;
        race.accesses = 0;
        race.acquired = FALSE;
        hooks_interlocked(reinitialize_race_hook, &race);
        ExReInitializeRundownProtectionCacheAware(race.ref);
        hooks_interlocked(NULL, NULL);
        ok(!race.acquired || race.act_at > race.accesses, "an acquire during ReInitialize succeeded\n");
        ok(acquirable(race.ref), "acquire after ReInitialize failed\n");
        winetest_pop_context();
        if (race.act_at > race.accesses) break;
    }
    ok(race.act_at > 4, "ReInitialize made %ld interlocked accesses\n", (long)race.accesses);
    /* nothing left outstanding */
    if (!wait_in_thread(WAIT_CACHE_AWARE, race.ref)) return;
    test_free(race.ref);
}

/* ---- ntrundown: waits the pages say nothing of ---------------------------- */

/* A wait while another is in progress returns only with it. */
static void test_concurrent_waits(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    struct waiter *first, *second;

    if (!guarantee("the pages do not say what a wait does while another one is in progress") ||
        !(ref = alloc_in_buffer())) return;
    ok(ExAcquireRundownProtectionCacheAware(ref), "acquire failed\n");
    if (!(first = waiter_start(WAIT_CACHE_AWARE, ref, NULL))) return;
    ok(!waiter_returned(first, 20), "the first wait returned with a protection outstanding\n");
    if (!(second = waiter_start(WAIT_CACHE_AWARE, ref, NULL))) return;
    ok(!waiter_returned(second, 50), "the second wait returned with a protection outstanding\n");
    ExReleaseRundownProtectionCacheAware(ref);
    if (!waiter_end(first) || !waiter_end(second)) return;
    ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire after both waits succeeded\n");
    test_free(ref);
}

/* ---- ntrundown: misuse ----------------------------------------------------- */

/* Releases nobody acquired, and the wait after them. */
static void test_release_misuse(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;

    if (!misuse_guarantee("a release of protections nobody holds",
                          "Release \"releases run-down protection that the caller previously acquired\"") ||
        !(ref = alloc_in_buffer())) return;
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    /* after the rundown: ignored */
    ExReleaseRundownProtectionCacheAware(ref);
    ExReleaseRundownProtectionCacheAwareEx(ref, 3);
    ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire after the rundown succeeded\n");
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    /* more released than acquired: the wait does not wait for ever */
    ExReInitializeRundownProtectionCacheAware(ref);
    ok(ExAcquireRundownProtectionCacheAware(ref), "acquire failed\n");
    ExReleaseRundownProtectionCacheAwareEx(ref, 2);
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    test_free(ref);
}

/* ReInitialize or RundownCompleted of an object that is not run down: an
 * open object stays as it is, a waiter is left alone. */
static void test_reinitialize_misuse(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    struct waiter *waiter;

    if (!misuse_guarantee("a reinitialization of an object not run down",
                          "\"An ExReInitializeRundownProtectionCacheAware call must be preceded by a call to the "
                          "ExWaitForRundownProtectionReleaseCacheAware routine\"") ||
        !(ref = alloc_in_buffer())) return;
    ExReInitializeRundownProtectionCacheAware(ref);
    ok(ExAcquireRundownProtectionCacheAwareEx(ref, 2), "AcquireEx(2) failed\n");
    ExReInitializeRundownProtectionCacheAware(ref);
    if (!(waiter = waiter_start(WAIT_CACHE_AWARE, ref, NULL))) return;
    ok(!waiter_returned(waiter, 30), "ReInitialize dropped the protections outstanding\n");
    ExReInitializeRundownProtectionCacheAware(ref);
    ExRundownCompletedCacheAware(ref);
    ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire during the wait succeeded\n");
    ok(!waiter_returned(waiter, 20), "the wait returned with two protections outstanding\n");
    ExReleaseRundownProtectionCacheAwareEx(ref, 2);
    if (!waiter_end(waiter)) return;

    /* RundownCompleted of an open object runs it down: a wait has nothing
     * to wait for, and ReInitialize opens it again */
    ExReInitializeRundownProtectionCacheAware(ref);
    ExRundownCompletedCacheAware(ref);
    ok(!ExAcquireRundownProtectionCacheAware(ref), "acquire after RundownCompleted succeeded\n");
    ExReInitializeRundownProtectionCacheAware(ref);
    ok(acquirable(ref), "acquire after ReInitialize failed\n");
    ExRundownCompletedCacheAware(ref);
    if (!wait_in_thread(WAIT_CACHE_AWARE, ref)) return;
    ExReInitializeRundownProtectionCacheAware(ref);
    ok(acquirable(ref), "acquire after ReInitialize failed\n");
    test_free(ref);
}

/* Freeing an object laid out in the caller's buffer frees nothing. */
static void test_free_misuse(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref, allocated;
    LONG outstanding;

    if (!misuse_guarantee("freeing an object in the caller's buffer",
                          "Free takes \"a pointer to an opaque EX_RUNDOWN_REF_CACHE_AWARE structure returned from "
                          "a previous call to ExAllocateCacheAwareRundownProtection\"") ||
        !(ref = alloc_in_buffer())) return;
    outstanding = hooks_pool_outstanding();
    ExFreeCacheAwareRundownProtection(ref);
    ok(hooks_pool_outstanding() == outstanding, "%ld blocks freed\n", (long)(outstanding - hooks_pool_outstanding()));
    check_usable(ref);
    /* also when the buffer held an allocated object's bytes before */
    if ((allocated = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG)))
    {
        RtlCopyMemory(ref, allocated, ExSizeOfRundownProtectionCacheAware());
        ExFreeCacheAwareRundownProtection(allocated);
        ExInitializeRundownProtectionCacheAware(ref, ExSizeOfRundownProtectionCacheAware());
        outstanding = hooks_pool_outstanding();
        ExFreeCacheAwareRundownProtection(ref);
        ok(hooks_pool_outstanding() == outstanding, "%ld blocks freed\n", (long)(outstanding - hooks_pool_outstanding()));
    }
    test_free(ref);
}

START_TEST(rundown_cache_aware)
{
    if (!rundown_routines_available(TRUE)) return;
    test_initialize_in_buffer();
    test_allocate();
    test_allocate_failure();
    test_allocate_failure_concurrent();
    test_acquire_release();
    test_wait();
    test_cross_thread_release();
    test_wait_last_release_by_other_thread();
    test_wait_repeated();
    test_rundown_completed();
    test_reinitialize();
    test_layout();
    test_odd_sizes();
    test_counter_sum();
    test_acquire_contention();
    test_wait_races();
    test_reinitialize_races();
    test_concurrent_waits();
    test_release_misuse();
    test_reinitialize_misuse();
    test_free_misuse();
}
