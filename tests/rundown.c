/*
 * Conformance tests for the classic rundown protection routines
 *
 * Kernel code: builds into a Windows kernel driver or over the host kernel
 * services, and checks the raw EX_RUNDOWN_REF word after every operation.
 * The contract is tested everywhere; Windows leaves a stale tagged pointer in
 * the word after a wait that found protections outstanding, and counts
 * AcquireEx modulo 2^32, which broken() accepts.  ntrundown's guarantees
 * beyond that run only where guarantee() lets them (docs/behaviour.md).
 */

#include "support.h"
#include "kernel_hooks.h"
#include "winetest.h"

#define RUNDOWN_GARBAGE ((ULONG_PTR)0xdeadbeef)

static PEX_RUNDOWN_REF alloc_ref(void)
{
    PEX_RUNDOWN_REF ref = test_alloc(sizeof(*ref));

    if (ref) ExInitializeRundownProtection(ref);
    return ref;
}

/* After a wait that found protections outstanding, Windows leaves the
 * tagged pointer to the waiter's (dead) wait block in the word. */
static BOOLEAN run_down_word(ULONG_PTR word)
{
    return word == EX_RUNDOWN_ACTIVE || broken((word & EX_RUNDOWN_ACTIVE) != 0);
}

static void test_initialize(void)
{
    EX_RUNDOWN_REF ref;

    ref.Count = RUNDOWN_GARBAGE;
    ExInitializeRundownProtection(&ref);
    ok(ref.Count == 0, "got %p after initialize\n", (void *)ref.Count);
}

static void test_acquire_release(void)
{
    EX_RUNDOWN_REF ref;
    BOOLEAN ret;

    ExInitializeRundownProtection(&ref);
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == TRUE, "acquire returned %u\n", ret);
    ok(ref.Count == 2, "got %p after one acquire\n", (void *)ref.Count);
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == TRUE, "acquire returned %u\n", ret);
    ok(ref.Count == 4, "got %p after two acquires\n", (void *)ref.Count);
    ExReleaseRundownProtection(&ref);
    ok(ref.Count == 2, "got %p after one release\n", (void *)ref.Count);
    ExReleaseRundownProtection(&ref);
    ok(ref.Count == 0, "got %p after two releases\n", (void *)ref.Count);
}

static void test_acquire_release_ex(void)
{
    static const ULONG counts[] = { 0, 1, 2, 3, 7, 1000, 0x10000 };
    /* Large counts, one at a time; Windows x64 adds 2 * Count modulo 2^32. */
    static const ULONG large[] = { 0x3fffffff, 0x7fffffff, 0x80000000, 0xffffffff };
    const unsigned int large_max = sizeof(ULONG_PTR) == 8 ? ARRAY_SIZE(large) : 2;
    EX_RUNDOWN_REF ref;
    ULONG_PTR expect = 0, low;
    unsigned int i;
    BOOLEAN ret;

    ExInitializeRundownProtection(&ref);
    for (i = 0; i < ARRAY_SIZE(counts); i++)
    {
        winetest_push_context("count %#lx", (unsigned long)counts[i]);
        ret = ExAcquireRundownProtectionEx(&ref, counts[i]);
        ok(ret == TRUE, "AcquireEx returned %u\n", ret);
        expect += (ULONG_PTR)counts[i] * 2;
        ok(ref.Count == expect, "got %p, expected %p\n", (void *)ref.Count, (void *)expect);
        winetest_pop_context();
    }
    for (i = 0; i < ARRAY_SIZE(counts); i++)
    {
        winetest_push_context("count %#lx", (unsigned long)counts[i]);
        ExReleaseRundownProtectionEx(&ref, counts[i]);
        expect -= (ULONG_PTR)counts[i] * 2;
        ok(ref.Count == expect, "got %p, expected %p\n", (void *)ref.Count, (void *)expect);
        winetest_pop_context();
    }

    for (i = 0; i < large_max; i++)
    {
        winetest_push_context("count %#lx", (unsigned long)large[i]);
        expect = (ULONG_PTR)large[i] * 2;
        low = (ULONG)(large[i] * 2);
        ExInitializeRundownProtection(&ref);
        ret = ExAcquireRundownProtectionEx(&ref, large[i]);
        ok(ret == TRUE, "AcquireEx returned %u\n", ret);
        ok(ref.Count == expect || broken(ref.Count == low), "got %p, expected %p\n",
           (void *)ref.Count, (void *)expect);
        ExReleaseRundownProtectionEx(&ref, large[i]);
        ok(ref.Count == 0, "got %p after ReleaseEx\n", (void *)ref.Count);
        winetest_pop_context();
    }

    /* Ex with 1 is the plain routine; the two mix freely. */
    ExInitializeRundownProtection(&ref);
    ret = ExAcquireRundownProtectionEx(&ref, 1);
    ok(ret == TRUE && ref.Count == 2, "AcquireEx(1) returned %u, got %p\n", ret, (void *)ref.Count);
    ExReleaseRundownProtection(&ref);
    ok(ref.Count == 0, "got %p\n", (void *)ref.Count);
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == TRUE, "acquire returned %u\n", ret);
    ExReleaseRundownProtectionEx(&ref, 1);
    ok(ref.Count == 0, "got %p\n", (void *)ref.Count);
}

/* An acquire that would not fit in the word fails and changes nothing. */
static void test_acquire_overflow(void)
{
    const ULONG_PTR top = ~(ULONG_PTR)1;   /* the largest count the word can hold, doubled */
    EX_RUNDOWN_REF ref;
    BOOLEAN ret;

    if (!misuse_guarantee("an acquire that overflows the word",
                          "an acquire past the top of the word wraps it to a small count there")) return;

    ref.Count = top;
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == FALSE, "acquire on a full word returned %u\n", ret);
    ok(ref.Count == top, "a failed acquire changed the word to %p\n", (void *)ref.Count);

    ref.Count = top - 2;
    ret = ExAcquireRundownProtectionEx(&ref, 2);
    ok(ret == FALSE, "AcquireEx(2) with room for one returned %u\n", ret);
    ok(ref.Count == top - 2, "a failed AcquireEx changed the word to %p\n", (void *)ref.Count);
    ret = ExAcquireRundownProtectionEx(&ref, 1);
    ok(ret == TRUE, "AcquireEx(1) with room for one returned %u\n", ret);
    ok(ref.Count == top, "got %p\n", (void *)ref.Count);

    if (sizeof(ULONG_PTR) == 4)
    {
        /* 2^31 protections do not fit in a 32-bit word at all. */
        ExInitializeRundownProtection(&ref);
        ret = ExAcquireRundownProtectionEx(&ref, 0x80000000);
        ok(ret == FALSE, "AcquireEx(0x80000000) returned %u\n", ret);
        ok(ref.Count == 0, "a failed AcquireEx changed the word to %p\n", (void *)ref.Count);
    }
}

static void test_wait_nothing_outstanding(void)
{
    PEX_RUNDOWN_REF ref = alloc_ref();
    BOOLEAN ret;

    if (!ref) return;
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after the wait\n", (void *)ref->Count);

    ret = ExAcquireRundownProtection(ref);
    ok(ret == FALSE, "acquire after the wait returned %u\n", ret);
    ret = ExAcquireRundownProtectionEx(ref, 3);
    ok(ret == FALSE, "AcquireEx(3) after the wait returned %u\n", ret);
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "a failed acquire changed the word to %p\n", (void *)ref->Count);

    /* Balanced acquires and releases leave nothing to wait for either. */
    ExInitializeRundownProtection(ref);
    ExAcquireRundownProtectionEx(ref, 5);
    ExReleaseRundownProtectionEx(ref, 2);
    ExReleaseRundownProtectionEx(ref, 3);
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after the wait\n", (void *)ref->Count);
    test_free(ref);
}

/* On a reference already run down (the word is exactly 1), a wait has no
 * effect and is not an error. */
static void test_wait_repeated(void)
{
    PEX_RUNDOWN_REF ref = alloc_ref();
    unsigned int i;

    if (!ref) return;
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after the first wait\n", (void *)ref->Count);
    for (i = 0; i < 3; i++)
    {
        winetest_push_context("wait %u", i + 2);
        if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
        ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p\n", (void *)ref->Count);
        ok(!ExAcquireRundownProtection(ref), "acquire succeeded after a repeated wait\n");
        winetest_pop_context();
    }
    test_free(ref);
}

/* The wait marks the reference at once and blocks until the last release,
 * made here by the test thread while a waiter thread waits. */
static void test_wait_blocks(void)
{
    PEX_RUNDOWN_REF ref = alloc_ref();
    struct waiter *waiter;
    ULONG_PTR word, *block;
    BOOLEAN ret;

    if (!ref) return;
    ret = ExAcquireRundownProtectionEx(ref, 3);
    ok(ret == TRUE, "AcquireEx(3) returned %u\n", ret);
    if (!(waiter = waiter_start(WAIT_CLASSIC, ref, NULL))) return;

    ok(poll_word(&ref->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS), "the wait did not mark the reference\n");
    word = read_word(&ref->Count);
    block = (ULONG_PTR *)(word & ~(ULONG_PTR)EX_RUNDOWN_ACTIVE);
    ok(word != EX_RUNDOWN_ACTIVE && block != NULL, "got %p, expected a wait block address\n", (void *)word);
    if (block) ok(block[0] == 3, "wait block counts %p protections\n", (void *)block[0]);

    ret = ExAcquireRundownProtection(ref);
    ok(ret == FALSE, "acquire during the wait returned %u\n", ret);
    ret = ExAcquireRundownProtectionEx(ref, 2);
    ok(ret == FALSE, "AcquireEx(2) during the wait returned %u\n", ret);
    ok(ref->Count == word, "a failed acquire changed the word from %p to %p\n", (void *)word, (void *)ref->Count);

    ExReleaseRundownProtection(ref);
    ok(ref->Count == word, "a release during the wait changed the word to %p\n", (void *)ref->Count);
    if (block) ok(block[0] == 2, "wait block counts %p protections\n", (void *)block[0]);
    ok(!waiter_returned(waiter, 50), "the wait returned with two protections outstanding\n");

    ExReleaseRundownProtectionEx(ref, 0);
    if (block) ok(block[0] == 2, "ReleaseEx(0) changed the wait block to %p\n", (void *)block[0]);
    ExReleaseRundownProtection(ref);
    if (block) ok(block[0] == 1, "wait block counts %p protections\n", (void *)block[0]);
    ok(!waiter_returned(waiter, 50), "the wait returned with one protection outstanding\n");

    ExReleaseRundownProtection(ref);
    if (!waiter_end(waiter)) return;
    ok(run_down_word(ref->Count), "got %p after the wait\n", (void *)ref->Count);
    ok(!ExAcquireRundownProtection(ref), "acquire succeeded after the wait\n");
    test_free(ref);
}

/* A release of 2^31 or more protections during a wait counts the wait down
 * by all of them, and the wait still waits for the rest. */
static void test_wait_large_release(void)
{
    static const ULONG counts[] = { 0x80000001, 0xc0000000, 0xffffffff };
    PEX_RUNDOWN_REF ref;
    struct waiter *waiter;
    ULONG_PTR *block;
    unsigned int i;

    if (sizeof(ULONG_PTR) < 8)
    {
        skip("needs a 64-bit word\n");
        return;
    }
    if (!guarantee("AcquireEx counts 2 * Count modulo 2^32 there, and ReleaseEx then subtracts the whole Count "
                   "from the wait block")) return;
    if (!(ref = alloc_ref())) return;
    for (i = 0; i < ARRAY_SIZE(counts); i++)
    {
        winetest_push_context("count %#lx", (unsigned long)counts[i]);
        ExInitializeRundownProtection(ref);
        ok(ExAcquireRundownProtectionEx(ref, counts[i]), "AcquireEx failed\n");
        ok(ExAcquireRundownProtection(ref), "acquire failed\n");
        if (!(waiter = waiter_start(WAIT_CLASSIC, ref, NULL))) return;
        ok(poll_word(&ref->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS), "the wait did not mark the reference\n");
        block = (ULONG_PTR *)(read_word(&ref->Count) & ~(ULONG_PTR)EX_RUNDOWN_ACTIVE);
        ExReleaseRundownProtectionEx(ref, counts[i]);
        if (block) ok(block[0] == 1, "the wait block counts %p protections\n", (void *)block[0]);
        ok(!waiter_returned(waiter, 50), "the wait returned with one protection outstanding\n");
        ExReleaseRundownProtection(ref);
        if (!waiter_end(waiter)) return;
        ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after the wait\n", (void *)ref->Count);
        winetest_pop_context();
    }
    test_free(ref);
}

/* The last release comes from another thread, later. */
struct releaser
{
    PEX_RUNDOWN_REF ref;
    ULONG count;
    ULONG delay_ms;
    volatile LONG holding;
};

static VOID NTAPI releaser_thread(PVOID context)
{
    struct releaser *releaser = context;

    poll_word(&releaser->ref->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS);
    sleep_ms(releaser->delay_ms);
    InterlockedExchange(&releaser->holding, 0);
    ExReleaseRundownProtectionEx(releaser->ref, releaser->count);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* The wait returns only once the holder has let go: the waiter looks at the
 * holder's flag as soon as its wait returns. */
static void test_wait_last_release_by_other_thread(void)
{
    struct releaser *releaser = test_alloc(sizeof(*releaser));
    PEX_RUNDOWN_REF ref = alloc_ref();
    struct waiter *waiter;
    TEST_THREAD thread;

    if (!ref || !releaser) return;
    ok(ExAcquireRundownProtectionEx(ref, 4), "AcquireEx(4) failed\n");
    releaser->ref = ref;
    releaser->count = 4;
    releaser->delay_ms = 100;
    releaser->holding = 1;
    thread = thread_start(releaser_thread, releaser);
    ok(thread != NULL, "could not start the releaser\n");
    if (!thread) return;

    if (!(waiter = waiter_start(WAIT_CLASSIC, ref, &releaser->holding))) return;
    if (!waiter_returned(waiter, TEST_TIMEOUT_MS))
    {
        waiter_end(waiter);
        return;
    }
    ok(waiter->probe_seen == 0, "the wait returned while the holder still held its protections\n");
    if (!waiter_end(waiter)) return;
    ok(run_down_word(ref->Count), "got %p after the wait\n", (void *)ref->Count);
    ok(thread_join(thread, TEST_TIMEOUT_MS), "the releaser did not finish\n");
    test_free(ref);
    test_free(releaser);
}

/* A wait after a wait that blocked is a no-op here, as documented. */
static void test_wait_after_blocking_wait(void)
{
    struct releaser *releaser;
    PEX_RUNDOWN_REF ref;
    struct waiter *waiter;
    TEST_THREAD thread;

    if (!guarantee("a wait after a wait that found protections outstanding hangs there: the word keeps "
                   "the stale wait block, read as a count")) return;
    if (!(ref = alloc_ref()) || !(releaser = test_alloc(sizeof(*releaser)))) return;
    ok(ExAcquireRundownProtection(ref), "acquire failed\n");
    releaser->ref = ref;
    releaser->count = 1;
    releaser->delay_ms = 20;
    releaser->holding = 1;
    if (!(thread = thread_start(releaser_thread, releaser))) return;
    if (!(waiter = waiter_start(WAIT_CLASSIC, ref, NULL)) || !waiter_end(waiter)) return;
    ok(thread_join(thread, TEST_TIMEOUT_MS), "the releaser did not finish\n");
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after a blocking wait\n", (void *)ref->Count);

    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after a second wait\n", (void *)ref->Count);
    test_free(ref);
    test_free(releaser);
}

static void test_rundown_completed(void)
{
    PEX_RUNDOWN_REF ref = alloc_ref();
    struct waiter *waiter;
    unsigned int cycle;
    BOOLEAN ret;

    if (!ref) return;
    for (cycle = 0; cycle < 3; cycle++)
    {
        winetest_push_context("cycle %u", cycle);
        ret = ExAcquireRundownProtectionEx(ref, 2);
        ok(ret == TRUE, "AcquireEx returned %u\n", ret);
        ok(ref->Count == 4, "got %p\n", (void *)ref->Count);
        ExReleaseRundownProtectionEx(ref, 2);
        if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
        ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after the wait\n", (void *)ref->Count);

        ExRundownCompleted(ref);
        ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after RundownCompleted\n", (void *)ref->Count);
        ok(!ExAcquireRundownProtection(ref), "acquire succeeded after RundownCompleted\n");
        if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
        ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after a wait on a completed rundown\n", (void *)ref->Count);

        ExReInitializeRundownProtection(ref);
        ok(ref->Count == 0, "got %p after ReInitialize\n", (void *)ref->Count);
        winetest_pop_context();
    }
    ret = ExAcquireRundownProtection(ref);
    ok(ret == TRUE, "acquire after ReInitialize returned %u\n", ret);
    ok(ref->Count == 2, "got %p\n", (void *)ref->Count);

    /* After a wait that blocked, RundownCompleted leaves the word at 1 (as
     * Windows' own callers use it), and a wait is then a no-op. */
    if (!(waiter = waiter_start(WAIT_CLASSIC, ref, NULL))) return;
    ok(poll_word(&ref->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS), "the wait did not mark the reference\n");
    ExReleaseRundownProtection(ref);
    if (!waiter_end(waiter)) return;
    ExRundownCompleted(ref);
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after RundownCompleted\n", (void *)ref->Count);
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after a wait on a completed rundown\n", (void *)ref->Count);

    /* ReInitialize right after a wait, without RundownCompleted. */
    ExReInitializeRundownProtection(ref);
    ok(ref->Count == 0, "got %p after ReInitialize\n", (void *)ref->Count);
    ok(ExAcquireRundownProtection(ref), "acquire after ReInitialize failed\n");
    ExReleaseRundownProtection(ref);
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ExReInitializeRundownProtection(ref);
    ok(ref->Count == 0, "got %p after ReInitialize\n", (void *)ref->Count);
    test_free(ref);
}

/* A release on a reference run down with nothing outstanding changes
 * nothing (a checked build stops at an ASSERT instead). */
static void test_release_after_rundown(void)
{
    PEX_RUNDOWN_REF ref;

    if (!misuse_guarantee("a release after the rundown",
                          "a release on a word of 1 counts down a wait block at address 0 there (a bug check)")) return;
    if (!(ref = alloc_ref())) return;
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ExReleaseRundownProtection(ref);
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "a release after the rundown changed the word to %p\n", (void *)ref->Count);
    ExReleaseRundownProtectionEx(ref, 3);
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "ReleaseEx(3) after the rundown changed the word to %p\n",
       (void *)ref->Count);
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after a wait\n", (void *)ref->Count);
    test_free(ref);
}

/* Races inside the wait, acted out by the interlocked hook on the waiter's
 * own thread: one protection is outstanding, and the hook releases it at
 * the moment that the test picks. */
struct race
{
    PEX_RUNDOWN_REF ref;
    volatile LONG accesses;     /* interlocked accesses to the word so far */
    volatile LONG released;
    LONG sets;                  /* KeSetEvent calls of the hook's release */
};

static void race_release(struct race *race)
{
    LONG before = hooks_event_sets();

    ExReleaseRundownProtection(race->ref);
    race->sets = hooks_event_sets() - before;
    InterlockedExchange(&race->released, 1);
}

/* The wait with `hook` in place: the race once it has returned, else NULL
 * (a hang, reported; the memory is the hung waiter's). */
static struct race *race_wait(INTERLOCKED_HOOK hook)
{
    struct race *race;
    struct waiter *waiter;

    if (!(race = test_alloc(sizeof(*race))) || !(race->ref = alloc_ref())) return NULL;
    race->accesses = race->released = race->sets = 0;
    ok(ExAcquireRundownProtection(race->ref), "acquire failed\n");
    hooks_interlocked(hook, race);
    waiter = waiter_start(WAIT_CLASSIC, race->ref, NULL);
    if (!waiter || !waiter_end(waiter)) race = NULL;
    hooks_interlocked(NULL, NULL);
    if (race) ok(race->released, "the hook did not run: %ld accesses, word %p\n", (long)race->accesses,
                 (void *)race->ref->Count);
    return race;
}

static void race_free(struct race *race)
{
    test_free(race->ref);
    test_free(race);
}

/* The last protection goes while the wait is between its first look at the
 * word and the exchange that would install its wait block: the wait must
 * neither sleep for ever nor leave the reference acquirable. */
static VOID last_release_hook(const volatile void *address, PVOID context)
{
    struct race *race = context;

    if (address != (const volatile void *)&race->ref->Count) return;
    /* the second access: the first one has seen the protection outstanding */
    if (InterlockedIncrement(&race->accesses) != 2) return;
    race_release(race);
}

/* The last protection goes while the waiter looks at its wait block for the
 * first time, before it has committed to sleep: it may then return at once,
 * and the frame that holds its block with it, so the release must not touch
 * the block's event (it sets it only for a waiter that sleeps). */
static VOID commit_hook(const volatile void *address, PVOID context)
{
    struct race *race = context;
    ULONG_PTR word = (ULONG_PTR)ReadPointerAcquire((PVOID volatile *)&race->ref->Ptr), block;

    if (read_long(&race->released) || !(word & EX_RUNDOWN_ACTIVE) || word == EX_RUNDOWN_ACTIVE) return;
    block = word & ~(ULONG_PTR)EX_RUNDOWN_ACTIVE;
    /* the block's count comes first; anything after it is the waiter's own */
    if ((ULONG_PTR)address <= block || (ULONG_PTR)address >= block + 64) return;
    race_release(race);
}

static void test_wait_races(void)
{
    struct race *race;

    if (!hooks_available())
    {
        skip("acting inside the wait needs the emulated kernel's interlocked hook\n");
        return;
    }
    if ((race = race_wait(last_release_hook)))
    {
        ok(run_down_word(race->ref->Count), "got %p after the wait\n", (void *)race->ref->Count);
        ok(!ExAcquireRundownProtection(race->ref), "acquire succeeded after the wait\n");
        race_free(race);
    }
    if ((race = race_wait(commit_hook)))
    {
        ok(race->sets == 0, "the release set the event of a waiter that had not gone to sleep (%ld KeSetEvent calls)\n",
           (long)race->sets);
        ok(run_down_word(race->ref->Count), "got %p after the wait\n", (void *)race->ref->Count);
        race_free(race);
    }
}

START_TEST(rundown)
{
    if (!rundown_routines_available(FALSE)) return;
    test_initialize();
    test_acquire_release();
    test_acquire_release_ex();
    test_acquire_overflow();
    test_wait_nothing_outstanding();
    test_wait_repeated();
    test_wait_blocks();
    test_wait_large_release();
    test_wait_last_release_by_other_thread();
    test_wait_after_blocking_wait();
    test_rundown_completed();
    test_release_after_rundown();
    test_wait_races();
}
