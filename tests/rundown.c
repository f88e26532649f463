/*
 * Conformance tests for the classic rundown protection routines
 *
 * Kernel code: builds into a Windows kernel driver or over the host kernel
 * services, and checks the raw EX_RUNDOWN_REF word after every operation.
 */

#include "support.h"
#include "winetest.h"

#define RUNDOWN_GARBAGE ((ULONG_PTR)0xdeadbeef)

static VOID wait_classic(PVOID ref)
{
    ExWaitForRundownProtectionRelease(ref);
}

static void test_constants(void)
{
    ok(sizeof(EX_RUNDOWN_REF) == sizeof(void *), "sizeof(EX_RUNDOWN_REF) = %u\n", (unsigned)sizeof(EX_RUNDOWN_REF));
    ok(EX_RUNDOWN_ACTIVE == 1, "EX_RUNDOWN_ACTIVE = %d\n", EX_RUNDOWN_ACTIVE);
    ok(EX_RUNDOWN_COUNT_SHIFT == 1, "EX_RUNDOWN_COUNT_SHIFT = %d\n", EX_RUNDOWN_COUNT_SHIFT);
    ok(EX_RUNDOWN_COUNT_INC == 2, "EX_RUNDOWN_COUNT_INC = %d\n", EX_RUNDOWN_COUNT_INC);
}

static void test_initialize(void)
{
    EX_RUNDOWN_REF ref;

    ref.Count = RUNDOWN_GARBAGE;
    ExInitializeRundownProtection(&ref);
    ok(ref.Count == 0, "got %" WORDX " after initialize\n", (ULONG_PTR)ref.Count);
    ok(ref.Ptr == NULL, "got %p after initialize\n", ref.Ptr);
}

static void test_acquire_release(void)
{
    EX_RUNDOWN_REF ref;
    BOOLEAN ret;

    ExInitializeRundownProtection(&ref);
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == TRUE, "acquire returned %u\n", ret);
    ok(ref.Count == 2, "got %" WORDX " after one acquire\n", (ULONG_PTR)ref.Count);
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == TRUE, "acquire returned %u\n", ret);
    ok(ref.Count == 4, "got %" WORDX " after two acquires\n", (ULONG_PTR)ref.Count);
    ExReleaseRundownProtection(&ref);
    ok(ref.Count == 2, "got %" WORDX " after one release\n", (ULONG_PTR)ref.Count);
    ExReleaseRundownProtection(&ref);
    ok(ref.Count == 0, "got %" WORDX " after two releases\n", (ULONG_PTR)ref.Count);
}

static void test_acquire_release_ex(void)
{
    /* The last count fills most of the word: 31 bits of protections on i386. */
    static const ULONG counts[] = { 0, 1, 2, 3, 7, 1000, 0x10000, sizeof(void *) == 8 ? 0x7fffffff : 0x3ff00000 };
    EX_RUNDOWN_REF ref;
    ULONG_PTR expect = 0;
    unsigned int i;
    BOOLEAN ret;

    ExInitializeRundownProtection(&ref);
    for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
    {
        winetest_push_context("count %" WORDX "", (ULONG_PTR)counts[i]);
        ret = ExAcquireRundownProtectionEx(&ref, counts[i]);
        ok(ret == TRUE, "AcquireEx returned %u\n", ret);
        expect += (ULONG_PTR)counts[i] * 2;
        ok(ref.Count == expect, "got %" WORDX ", expected %" WORDX "\n", (ULONG_PTR)ref.Count, (ULONG_PTR)expect);
        winetest_pop_context();
    }
    for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
    {
        winetest_push_context("count %" WORDX "", (ULONG_PTR)counts[i]);
        ExReleaseRundownProtectionEx(&ref, counts[i]);
        expect -= (ULONG_PTR)counts[i] * 2;
        ok(ref.Count == expect, "got %" WORDX ", expected %" WORDX "\n", (ULONG_PTR)ref.Count, (ULONG_PTR)expect);
        winetest_pop_context();
    }
    ok(ref.Count == 0, "got %" WORDX " after releasing everything\n", (ULONG_PTR)ref.Count);

    /* Ex with 1 is the plain routine; the two mix freely. */
    ret = ExAcquireRundownProtectionEx(&ref, 1);
    ok(ret == TRUE && ref.Count == 2, "AcquireEx(1) returned %u, got %" WORDX "\n", ret, (ULONG_PTR)ref.Count);
    ExReleaseRundownProtection(&ref);
    ok(ref.Count == 0, "got %" WORDX "\n", (ULONG_PTR)ref.Count);
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == TRUE, "acquire returned %u\n", ret);
    ExReleaseRundownProtectionEx(&ref, 1);
    ok(ref.Count == 0, "got %" WORDX "\n", (ULONG_PTR)ref.Count);
}

static void test_wait_nothing_outstanding(void)
{
    EX_RUNDOWN_REF ref;
    BOOLEAN ret;

    ExInitializeRundownProtection(&ref);
    ok(wait_returns(wait_classic, &ref), "wait with nothing outstanding did not return\n");
    ok(ref.Count == EX_RUNDOWN_ACTIVE, "got %" WORDX " after the wait\n", (ULONG_PTR)ref.Count);

    ret = ExAcquireRundownProtection(&ref);
    ok(ret == FALSE, "acquire after the wait returned %u\n", ret);
    ret = ExAcquireRundownProtectionEx(&ref, 3);
    ok(ret == FALSE, "AcquireEx(3) after the wait returned %u\n", ret);
    ok(ref.Count == EX_RUNDOWN_ACTIVE, "a failed acquire changed the word to %" WORDX "\n", (ULONG_PTR)ref.Count);

    /* Balanced acquires and releases leave nothing to wait for either. */
    ExInitializeRundownProtection(&ref);
    ExAcquireRundownProtectionEx(&ref, 5);
    ExReleaseRundownProtectionEx(&ref, 2);
    ExReleaseRundownProtectionEx(&ref, 3);
    ok(wait_returns(wait_classic, &ref), "wait after balanced releases did not return\n");
    ok(ref.Count == EX_RUNDOWN_ACTIVE, "got %" WORDX " after the wait\n", (ULONG_PTR)ref.Count);
}

static void test_wait_repeated(void)
{
    EX_RUNDOWN_REF ref;
    unsigned int i;

    ExInitializeRundownProtection(&ref);
    ExWaitForRundownProtectionRelease(&ref);
    ok(ref.Count == EX_RUNDOWN_ACTIVE, "got %" WORDX " after the first wait\n", (ULONG_PTR)ref.Count);
    for (i = 0; i < 3; i++)
    {
        winetest_push_context("wait %u", i + 2);
        ok(wait_returns(wait_classic, &ref), "repeated wait did not return\n");
        ok(ref.Count == EX_RUNDOWN_ACTIVE, "got %" WORDX "\n", (ULONG_PTR)ref.Count);
        ok(!ExAcquireRundownProtection(&ref), "acquire succeeded after a repeated wait\n");
        winetest_pop_context();
    }
}

/* The wait marks the reference at once and blocks until the last release,
 * made here by the test thread while a second thread waits. */
static void test_wait_blocks(void)
{
    struct waiter waiter;
    EX_RUNDOWN_REF ref;
    ULONG_PTR word, *block;
    BOOLEAN ret;

    ExInitializeRundownProtection(&ref);
    ret = ExAcquireRundownProtectionEx(&ref, 3);
    ok(ret == TRUE, "AcquireEx(3) returned %u\n", ret);
    ok(waiter_start(&waiter, wait_classic, &ref), "could not start a waiter thread\n");
    if (!waiter.thread) return;

    ok(poll_word(&ref.Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS), "the wait did not mark the reference\n");
    word = ref.Count;
    block = (ULONG_PTR *)(word & ~(ULONG_PTR)EX_RUNDOWN_ACTIVE);
    ok(word != EX_RUNDOWN_ACTIVE && block != NULL, "got %" WORDX ", expected a wait block address\n", (ULONG_PTR)word);
    if (block) ok(block[0] == 3, "wait block counts %" WORDU " protections\n", (ULONG_PTR)block[0]);

    ret = ExAcquireRundownProtection(&ref);
    ok(ret == FALSE, "acquire during the wait returned %u\n", ret);
    ret = ExAcquireRundownProtectionEx(&ref, 2);
    ok(ret == FALSE, "AcquireEx(2) during the wait returned %u\n", ret);
    ok(ref.Count == word, "a failed acquire changed the word from %" WORDX " to %" WORDX "\n",
       (ULONG_PTR)word, (ULONG_PTR)ref.Count);

    ExReleaseRundownProtection(&ref);
    ok(ref.Count == word, "a release during the wait changed the word to %" WORDX "\n", (ULONG_PTR)ref.Count);
    if (block) ok(block[0] == 2, "wait block counts %" WORDU " protections\n", (ULONG_PTR)block[0]);
    ok(!waiter_finished(&waiter, 50), "the wait returned with two protections outstanding\n");

    ExReleaseRundownProtectionEx(&ref, 0);
    if (block) ok(block[0] == 2, "ReleaseEx(0) changed the wait block to %" WORDU "\n", (ULONG_PTR)block[0]);
    ExReleaseRundownProtection(&ref);
    if (block) ok(block[0] == 1, "wait block counts %" WORDU " protections\n", (ULONG_PTR)block[0]);
    ok(!waiter_finished(&waiter, 50), "the wait returned with one protection outstanding\n");

    ExReleaseRundownProtection(&ref);
    ok(waiter_finished(&waiter, TEST_TIMEOUT_MS), "the wait did not return after the last release\n");
    waiter_close(&waiter);
    ok(ref.Count == EX_RUNDOWN_ACTIVE, "got %" WORDX " after the wait\n", (ULONG_PTR)ref.Count);
    ok(!ExAcquireRundownProtection(&ref), "acquire succeeded after the wait\n");
}

/* The last release comes from another thread while the test thread waits. */
struct releaser
{
    PEX_RUNDOWN_REF ref;
    ULONG count;
    ULONG delay_ms;
};

static VOID NTAPI releaser_thread(PVOID context)
{
    struct releaser *releaser = context;

    poll_word(&releaser->ref->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS);
    sleep_ms(releaser->delay_ms);
    ExReleaseRundownProtectionEx(releaser->ref, releaser->count);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void test_wait_last_release_by_other_thread(void)
{
    struct releaser releaser;
    EX_RUNDOWN_REF ref;
    TEST_THREAD thread;

    ExInitializeRundownProtection(&ref);
    ok(ExAcquireRundownProtectionEx(&ref, 4), "AcquireEx(4) failed\n");
    releaser.ref = &ref;
    releaser.count = 4;
    releaser.delay_ms = 20;
    thread = thread_start(releaser_thread, &releaser);
    ok(thread != NULL, "could not start the releaser\n");
    if (!thread) return;

    ExWaitForRundownProtectionRelease(&ref);
    ok(ref.Count == EX_RUNDOWN_ACTIVE, "got %" WORDX " after the wait\n", (ULONG_PTR)ref.Count);
    ok(thread_wait(thread, TEST_TIMEOUT_MS), "the releaser did not finish\n");
    thread_close(thread);
}

static void test_rundown_completed(void)
{
    EX_RUNDOWN_REF ref;
    unsigned int cycle;
    BOOLEAN ret;

    ExInitializeRundownProtection(&ref);
    for (cycle = 0; cycle < 3; cycle++)
    {
        winetest_push_context("cycle %u", cycle);
        ret = ExAcquireRundownProtectionEx(&ref, 2);
        ok(ret == TRUE, "AcquireEx returned %u\n", ret);
        ok(ref.Count == 4, "got %" WORDX "\n", (ULONG_PTR)ref.Count);
        ExReleaseRundownProtectionEx(&ref, 2);
        ExWaitForRundownProtectionRelease(&ref);
        ok(ref.Count == EX_RUNDOWN_ACTIVE, "got %" WORDX " after the wait\n", (ULONG_PTR)ref.Count);

        ExRundownCompleted(&ref);
        ok(ref.Count == EX_RUNDOWN_ACTIVE, "got %" WORDX " after RundownCompleted\n", (ULONG_PTR)ref.Count);
        ok(!ExAcquireRundownProtection(&ref), "acquire succeeded after RundownCompleted\n");
        ok(wait_returns(wait_classic, &ref), "wait after RundownCompleted did not return\n");
        ok(ref.Count == EX_RUNDOWN_ACTIVE, "got %" WORDX " after a wait on a completed rundown\n",
           (ULONG_PTR)ref.Count);

        ExReInitializeRundownProtection(&ref);
        ok(ref.Count == 0, "got %" WORDX " after ReInitialize\n", (ULONG_PTR)ref.Count);
        winetest_pop_context();
    }
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == TRUE, "acquire after ReInitialize returned %u\n", ret);
    ok(ref.Count == 2, "got %" WORDX "\n", (ULONG_PTR)ref.Count);
    ExReleaseRundownProtection(&ref);

    /* ReInitialize right after a wait, without RundownCompleted. */
    ExWaitForRundownProtectionRelease(&ref);
    ExReInitializeRundownProtection(&ref);
    ok(ref.Count == 0, "got %" WORDX " after ReInitialize\n", (ULONG_PTR)ref.Count);
    ok(ExAcquireRundownProtection(&ref), "acquire after ReInitialize failed\n");
    ExReleaseRundownProtection(&ref);
}

START_TEST(rundown)
{
    if (!rundown_routines_available(FALSE)) return;
    test_constants();
    test_initialize();
    test_acquire_release();
    test_acquire_release_ex();
    test_wait_nothing_outstanding();
    test_wait_repeated();
    test_wait_blocks();
    test_wait_last_release_by_other_thread();
    test_rundown_completed();
}
