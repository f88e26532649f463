/*
 * Conformance tests for the classic rundown protection routines
 *
 * Kernel code: builds into a Windows kernel driver or over the host kernel
 * services.  The contract tests use the routines only as the documentation
 * describes them, each group naming its page under
 * https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/wdm/ (or the
 * conceptual page kernel/run-down-protection); they run everywhere.
 * ntrundown's own guarantees (the word's encoding, misuse, what the pages
 * leave open) run where guarantee() lets them (docs/behaviour.md).
 */

#include "support.h"
#include "kernel_hooks.h"
#include "winetest.h"

#define GARBAGE ((ULONG_PTR)0xdeadbeef)

static const char opaque[] = "EX_RUNDOWN_REF is \"opaque to drivers\" (nf-wdm-exinitializerundownprotection); "
                             "ntrundown keeps the encoding wdm.h's EX_RUNDOWN_* constants name";

static PEX_RUNDOWN_REF alloc_ref(void)
{
    PEX_RUNDOWN_REF ref = test_alloc(sizeof(*ref));

    if (ref) ExInitializeRundownProtection(ref);
    return ref;
}

/* TRUE if an acquire succeeds now; the protection is given back. */
static BOOLEAN acquirable(PEX_RUNDOWN_REF ref)
{
    if (!ExAcquireRundownProtection(ref)) return FALSE;
    ExReleaseRundownProtection(ref);
    return TRUE;
}

/* ---- nf-wdm-exinitializerundownprotection ------------------------------
 * "ExInitializeRundownProtection initializes this count to zero", after
 * which "other drivers ... can call the ExAcquireRundownProtection and
 * ExReleaseRundownProtection routines". */
static void test_initialize(void)
{
    PEX_RUNDOWN_REF ref = test_alloc(sizeof(*ref));

    if (!ref) return;
    ref->Count = GARBAGE;
    ExInitializeRundownProtection(ref);
    ok(acquirable(ref), "acquire after initialize failed\n");
    /* a count of zero: the wait has nothing to wait for */
    ref->Count = GARBAGE;
    ExInitializeRundownProtection(ref);
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ok(!ExAcquireRundownProtection(ref), "acquire after the wait succeeded\n");
    test_free(ref);
}

/* ---- nf-wdm-exacquirerundownprotection, nf-wdm-exreleaserundownprotection
 * Acquire "returns TRUE if the routine successfully acquires run-down
 * protection"; Release "releases run-down protection that the caller
 * previously acquired".  Protections can be held many at a time: the wait
 * waits for all of them (nf-wdm-exwaitforrundownprotectionrelease). */
static void test_acquire_release(void)
{
    PEX_RUNDOWN_REF ref = alloc_ref();
    struct waiter *waiter;
    unsigned int i;

    if (!ref) return;
    for (i = 0; i < 3; i++) ok(ExAcquireRundownProtection(ref), "acquire %u failed\n", i);
    for (i = 0; i < 3; i++) ExReleaseRundownProtection(ref);
    ok(acquirable(ref), "acquire after balanced releases failed\n");
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;

    ExInitializeRundownProtection(ref);
    ok(ExAcquireRundownProtection(ref), "acquire failed\n");
    ok(ExAcquireRundownProtection(ref), "second acquire failed\n");
    ExReleaseRundownProtection(ref);
    if (!(waiter = waiter_start(WAIT_CLASSIC, ref, NULL))) return;
    ok(!waiter_returned(waiter, 50), "the wait returned with one protection outstanding\n");
    ExReleaseRundownProtection(ref);
    if (!waiter_end(waiter)) return;
    test_free(ref);
}

/* ---- nf-wdm-exacquirerundownprotectionex, nf-wdm-exreleaserundownprotectionex
 * The Ex routines "increment and decrement this count by arbitrary amounts";
 * the plain ones "by one".  "The count is incremented only if the routine
 * returns TRUE." */
static void test_acquire_release_ex(void)
{
    static const ULONG counts[] = { 1, 2, 3, 7, 1000, 0x10000 };
    PEX_RUNDOWN_REF ref = alloc_ref();
    struct waiter *waiter;
    unsigned int i;

    if (!ref) return;
    for (i = 0; i < ARRAY_SIZE(counts); i++)
    {
        winetest_push_context("count %lu", (unsigned long)counts[i]);
        ok(ExAcquireRundownProtectionEx(ref, counts[i]), "AcquireEx failed\n");
        ExReleaseRundownProtectionEx(ref, counts[i]);
        ok(acquirable(ref), "acquire after ReleaseEx failed\n");
        winetest_pop_context();
    }

    /* Ex amounts and single ones add up: 3 + 1 taken, given back 2 + 1 + 1 */
    ok(ExAcquireRundownProtectionEx(ref, 3), "AcquireEx(3) failed\n");
    ok(ExAcquireRundownProtection(ref), "acquire failed\n");
    ExReleaseRundownProtectionEx(ref, 2);
    ExReleaseRundownProtection(ref);
    if (!(waiter = waiter_start(WAIT_CLASSIC, ref, NULL))) return;
    ok(!waiter_returned(waiter, 50), "the wait returned with one protection outstanding\n");
    ok(!ExAcquireRundownProtectionEx(ref, 2), "AcquireEx(2) during the wait succeeded\n");
    ExReleaseRundownProtectionEx(ref, 1);
    if (!waiter_end(waiter)) return;

    /* a refused AcquireEx adds nothing: after a ReInitialize, one release
     * empties the reference again */
    ok(!ExAcquireRundownProtectionEx(ref, 5), "AcquireEx(5) after the wait succeeded\n");
    ExReInitializeRundownProtection(ref);
    ok(ExAcquireRundownProtection(ref), "acquire after ReInitialize failed\n");
    ExReleaseRundownProtection(ref);
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    test_free(ref);
}

/* ---- nf-wdm-exwaitforrundownprotectionrelease ---------------------------
 * "If ExWaitForRundownProtectionRelease is called when all drivers that were
 * previously granted run-down protection have already finished accessing
 * the shared object, the routine changes the object status to run down, and
 * returns immediately"; after it "the ExAcquireRundownProtection routine
 * grants no further requests". */
static void test_wait_nothing_outstanding(void)
{
    PEX_RUNDOWN_REF ref = alloc_ref();

    if (!ref) return;
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ok(!ExAcquireRundownProtection(ref), "acquire after the wait succeeded\n");
    ok(!ExAcquireRundownProtectionEx(ref, 3), "AcquireEx(3) after the wait succeeded\n");
    test_free(ref);
}

/* "The routine waits to return until all drivers that were previously
 * granted run-down protection finish accessing the object", and grants no
 * protection meanwhile. */
static void test_wait_blocks(void)
{
    PEX_RUNDOWN_REF ref = alloc_ref();
    struct waiter *waiter;

    if (!ref) return;
    ok(ExAcquireRundownProtectionEx(ref, 3), "AcquireEx(3) failed\n");
    if (!(waiter = waiter_start(WAIT_CLASSIC, ref, NULL))) return;
    ok(!waiter_returned(waiter, 50), "the wait returned with three protections outstanding\n");
    ok(!ExAcquireRundownProtection(ref), "acquire during the wait succeeded\n");
    ok(!ExAcquireRundownProtectionEx(ref, 2), "AcquireEx(2) during the wait succeeded\n");

    ExReleaseRundownProtection(ref);
    ok(!waiter_returned(waiter, 50), "the wait returned with two protections outstanding\n");
    ExReleaseRundownProtection(ref);
    ok(!waiter_returned(waiter, 50), "the wait returned with one protection outstanding\n");
    ExReleaseRundownProtection(ref);
    if (!waiter_end(waiter)) return;
    ok(!ExAcquireRundownProtection(ref), "acquire after the wait succeeded\n");
    test_free(ref);
}

/* The last release comes from another thread, later. */
static void test_wait_last_release_by_other_thread(void)
{
    PEX_RUNDOWN_REF ref = alloc_ref();

    if (!ref || !blocking_wait(WAIT_CLASSIC, ref, 4, 100)) return;
    ok(!ExAcquireRundownProtection(ref), "acquire after the wait succeeded\n");
    test_free(ref);
}

/* "If ExWaitForRundownProtectionRelease is called to run down a shared
 * object, but the RunRef parameter indicates that this object is already run
 * down, the call has no effect but is not treated as an error."  Microsoft's
 * ebpf-for-windows driver relies on it too (it waits twice on one reference,
 * libs/execution_context/ebpf_maps.c), so this runs on Windows: after a wait
 * that had nothing to wait for, and after one that blocked. */
static void test_wait_repeated(void)
{
    PEX_RUNDOWN_REF ref = alloc_ref();
    unsigned int i;

    if (!ref) return;
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    for (i = 0; i < 3; i++)
    {
        winetest_push_context("wait %u", i + 2);
        if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
        ok(!ExAcquireRundownProtection(ref), "acquire after a repeated wait succeeded\n");
        winetest_pop_context();
    }

    ExInitializeRundownProtection(ref);
    if (!blocking_wait(WAIT_CLASSIC, ref, 1, 20)) return;
    winetest_push_context("after a blocking wait");
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ok(!ExAcquireRundownProtection(ref), "acquire after a repeated wait succeeded\n");
    winetest_pop_context();
    test_free(ref);
}

/* ---- nf-wdm-exrundowncompleted ------------------------------------------
 * "After an ExRundownCompleted call, additional calls to
 * ExWaitForRundownProtectionRelease ... return immediately without waiting.
 * However, calls to ExAcquireRundownProtection ... fail", and "the driver
 * can call the ExReInitializeRundownProtection routine". */
static void test_rundown_completed(void)
{
    PEX_RUNDOWN_REF ref = alloc_ref();
    unsigned int cycle;

    if (!ref) return;
    for (cycle = 0; cycle < 3; cycle++)
    {
        winetest_push_context("cycle %u", cycle);
        if (cycle == 1 ? !blocking_wait(WAIT_CLASSIC, ref, 2, 20) : !wait_in_thread(WAIT_CLASSIC, ref)) return;
        ExRundownCompleted(ref);
        ok(!ExAcquireRundownProtection(ref), "acquire after RundownCompleted succeeded\n");
        ok(!ExAcquireRundownProtectionEx(ref, 2), "AcquireEx(2) after RundownCompleted succeeded\n");
        if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
        ok(!ExAcquireRundownProtection(ref), "acquire after a wait on a completed rundown succeeded\n");
        ExReInitializeRundownProtection(ref);
        ok(acquirable(ref), "acquire after ReInitialize failed\n");
        winetest_pop_context();
    }
    test_free(ref);
}

/* ---- nf-wdm-exreinitializerundownprotection -----------------------------
 * "An ExReInitializeRundownProtection call must be preceded by a call to the
 * ExWaitForRundownProtectionRelease routine"; it "enables a previously used
 * EX_RUNDOWN_REF structure to be associated with a new object", and "drivers
 * can call ExAcquireRundownProtection" again. */
static void test_reinitialize(void)
{
    PEX_RUNDOWN_REF ref = alloc_ref();
    unsigned int cycle;

    if (!ref) return;
    for (cycle = 0; cycle < 4; cycle++)
    {
        winetest_push_context("cycle %u", cycle);
        if (cycle % 2 ? !blocking_wait(WAIT_CLASSIC, ref, 3, 20) : !wait_in_thread(WAIT_CLASSIC, ref)) return;
        ExReInitializeRundownProtection(ref);
        ok(ExAcquireRundownProtectionEx(ref, 2), "AcquireEx(2) after ReInitialize failed\n");
        ExReleaseRundownProtectionEx(ref, 2);
        winetest_pop_context();
    }
    /* Initialize, wait, reinitialize: a reference that starts disabled */
    ExInitializeRundownProtection(ref);
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ok(!ExAcquireRundownProtection(ref), "acquire on a disabled reference succeeded\n");
    ExReInitializeRundownProtection(ref);
    ok(acquirable(ref), "acquire after ReInitialize failed\n");
    test_free(ref);
}

/* ---- ntrundown: the word ------------------------------------------------ */

static void test_word_encoding(void)
{
    PEX_RUNDOWN_REF ref;
    struct waiter *waiter;
    ULONG_PTR word;

    if (!guarantee(opaque) || !(ref = alloc_ref())) return;
    ok(ref->Count == 0, "got %p after initialize\n", (void *)ref->Count);
    ok(ExAcquireRundownProtection(ref), "acquire failed\n");
    ok(ref->Count == EX_RUNDOWN_COUNT_INC, "got %p after one acquire\n", (void *)ref->Count);
    ok(ExAcquireRundownProtectionEx(ref, 1000), "AcquireEx(1000) failed\n");
    ok(ref->Count == 1001 * EX_RUNDOWN_COUNT_INC, "got %p after AcquireEx(1000)\n", (void *)ref->Count);
    ExReleaseRundownProtectionEx(ref, 1000);
    ok(ref->Count == EX_RUNDOWN_COUNT_INC, "got %p after ReleaseEx(1000)\n", (void *)ref->Count);

    /* while protections are outstanding the word points to the waiter */
    if (!(waiter = waiter_start(WAIT_CLASSIC, ref, NULL))) return;
    ok(poll_word(&ref->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS), "the wait did not mark the word\n");
    word = read_word(&ref->Count);
    ok(word != EX_RUNDOWN_ACTIVE, "got %p during the wait, expected a waiter's address\n", (void *)word);
    ok(!ExAcquireRundownProtection(ref) && ref->Count == word, "a refused acquire changed the word to %p\n",
       (void *)ref->Count);
    ExReleaseRundownProtection(ref);
    if (!waiter_end(waiter)) return;
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after a blocking wait\n", (void *)ref->Count);
    ExRundownCompleted(ref);
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after RundownCompleted\n", (void *)ref->Count);
    ExReInitializeRundownProtection(ref);
    ok(ref->Count == 0, "got %p after ReInitialize\n", (void *)ref->Count);
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after a wait with nothing outstanding\n", (void *)ref->Count);

    /* a reference that starts run down, as { EX_RUNDOWN_ACTIVE } writes it */
    ref->Count = EX_RUNDOWN_ACTIVE;
    ok(!ExAcquireRundownProtection(ref), "acquire on { EX_RUNDOWN_ACTIVE } succeeded\n");
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ExReInitializeRundownProtection(ref);
    ok(ref->Count == 0 && acquirable(ref), "got %p after ReInitialize of { EX_RUNDOWN_ACTIVE }\n",
       (void *)ref->Count);
    test_free(ref);
}

/* ---- ntrundown: counts the pages leave open ------------------------------ */

/* Count 0 and counts of 2^31 and more: "arbitrary amounts", never defined. */
static void test_acquire_counts(void)
{
    static const ULONG large[] = { 0x3fffffff, 0x7fffffff, 0x80000000, 0xffffffff };
    /* on 32 bits, 0x7fffffff leaves no room for one more */
    const unsigned int large_max = sizeof(ULONG_PTR) == 8 ? ARRAY_SIZE(large) : 1;
    PEX_RUNDOWN_REF ref;
    struct waiter *waiter;
    unsigned int i;

    if (!guarantee("the pages give no limit to the Ex routines' \"arbitrary amounts\"") || !(ref = alloc_ref()))
        return;
    ok(ExAcquireRundownProtectionEx(ref, 0), "AcquireEx(0) failed\n");
    ok(ref->Count == 0, "AcquireEx(0) changed the word to %p\n", (void *)ref->Count);
    ExReleaseRundownProtectionEx(ref, 0);
    ok(ref->Count == 0, "ReleaseEx(0) changed the word to %p\n", (void *)ref->Count);

    for (i = 0; i < large_max; i++)
    {
        winetest_push_context("count %#lx", (unsigned long)large[i]);
        ExInitializeRundownProtection(ref);
        ok(ExAcquireRundownProtectionEx(ref, large[i]), "AcquireEx failed\n");
        ok(ref->Count == (ULONG_PTR)large[i] * 2, "got %p\n", (void *)ref->Count);
        ok(ExAcquireRundownProtection(ref), "acquire failed\n");
        if (!(waiter = waiter_start(WAIT_CLASSIC, ref, NULL))) return;
        ExReleaseRundownProtectionEx(ref, large[i]);
        ok(!waiter_returned(waiter, 50), "the wait returned with one protection outstanding\n");
        ExReleaseRundownProtectionEx(ref, 0);
        ok(!waiter_returned(waiter, 20), "the wait returned after ReleaseEx(0)\n");
        ExReleaseRundownProtection(ref);
        if (!waiter_end(waiter)) return;
        winetest_pop_context();
    }
    test_free(ref);
}

/* An acquire that would not fit in the word fails and changes nothing. */
static void test_acquire_overflow(void)
{
    const ULONG_PTR top = ~(ULONG_PTR)1;   /* the largest count the word holds */
    EX_RUNDOWN_REF ref;

    if (!misuse_guarantee("an acquire that overflows the word", "the pages give no limit to the count")) return;
    ref.Count = top;
    ok(!ExAcquireRundownProtection(&ref), "acquire on a full word succeeded\n");
    ok(ref.Count == top, "a failed acquire changed the word to %p\n", (void *)ref.Count);
    ref.Count = top - 2;
    ok(!ExAcquireRundownProtectionEx(&ref, 2), "AcquireEx(2) with room for one succeeded\n");
    ok(ref.Count == top - 2, "a failed AcquireEx changed the word to %p\n", (void *)ref.Count);
    ok(ExAcquireRundownProtectionEx(&ref, 1), "AcquireEx(1) with room for one failed\n");
    ok(ref.Count == top, "got %p\n", (void *)ref.Count);
    if (sizeof(ULONG_PTR) == 4)
    {
        ExInitializeRundownProtection(&ref);
        ok(!ExAcquireRundownProtectionEx(&ref, 0x80000000), "AcquireEx(0x80000000) succeeded on 32 bits\n");
        ok(ref.Count == 0, "a failed AcquireEx changed the word to %p\n", (void *)ref.Count);
    }
}

/* ---- ntrundown: misuse --------------------------------------------------- */

static const char release_rule[] = "\"A driver that calls ExAcquireRundownProtection ... is responsible for "
                                   "calling ExReleaseRundownProtection\" (nf-wdm-exreleaserundownprotection): "
                                   "releases beyond that are not defined";

/* A release of protections nobody holds changes nothing. */
static void test_release_misuse(void)
{
    PEX_RUNDOWN_REF ref;
    struct waiter *waiter;

    if (!misuse_guarantee("a release of protections nobody holds", release_rule) || !(ref = alloc_ref())) return;
    ExReleaseRundownProtection(ref);
    ok(ref->Count == 0, "a release of nothing changed the word to %p\n", (void *)ref->Count);
    ok(ExAcquireRundownProtection(ref), "acquire failed\n");
    ExReleaseRundownProtectionEx(ref, 2);
    ok(ref->Count == EX_RUNDOWN_COUNT_INC, "an over-release changed the word to %p\n", (void *)ref->Count);
    if (!(waiter = waiter_start(WAIT_CLASSIC, ref, NULL))) return;
    ok(!waiter_returned(waiter, 20), "the wait returned with one protection outstanding\n");
    ExReleaseRundownProtection(ref);
    if (!waiter_end(waiter)) return;

    ExReleaseRundownProtection(ref);
    ExReleaseRundownProtectionEx(ref, 3);
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "a release after the rundown changed the word to %p\n", (void *)ref->Count);
    if (!wait_in_thread(WAIT_CLASSIC, ref)) return;
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after a wait\n", (void *)ref->Count);
    test_free(ref);
}

/* ReInitialize or RundownCompleted of a reference that is not run down.
 * Drivers reinitialize a reference they only initialized; a free build
 * leaves an open reference as it is. */
static void test_reinitialize_misuse(void)
{
    PEX_RUNDOWN_REF ref;
    struct waiter *waiter;

    if (!misuse_guarantee("a reinitialization of a reference not run down",
                          "\"An ExReInitializeRundownProtection call must be preceded by a call to the "
                          "ExWaitForRundownProtectionRelease routine\"") || !(ref = alloc_ref())) return;
    ExReInitializeRundownProtection(ref);
    ok(ref->Count == 0, "got %p after ReInitialize of an initialized reference\n", (void *)ref->Count);
    ok(ExAcquireRundownProtectionEx(ref, 2), "AcquireEx(2) failed\n");
    ExReInitializeRundownProtection(ref);
    ok(ref->Count == 2 * EX_RUNDOWN_COUNT_INC, "ReInitialize dropped protections: %p\n", (void *)ref->Count);

    /* during a wait, ReInitialize and RundownCompleted leave the waiter alone */
    if (!(waiter = waiter_start(WAIT_CLASSIC, ref, NULL))) return;
    ok(poll_word(&ref->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS), "the wait did not mark the word\n");
    ExReInitializeRundownProtection(ref);
    ExRundownCompleted(ref);
    ok(!ExAcquireRundownProtection(ref), "acquire during the wait succeeded\n");
    ExReleaseRundownProtectionEx(ref, 2);
    if (!waiter_end(waiter)) return;

    /* RundownCompleted of an open reference runs it down */
    ExReInitializeRundownProtection(ref);
    ExRundownCompleted(ref);
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after RundownCompleted of an open reference\n", (void *)ref->Count);
    ok(!ExAcquireRundownProtection(ref), "acquire after RundownCompleted succeeded\n");
    test_free(ref);
}

/* ---- ntrundown: concurrent waits ----------------------------------------- */

/* Two waits on one reference: the pages say nothing of it.  The second
 * returns only with the first, once every protection is released. */
static void test_concurrent_waits(void)
{
    PEX_RUNDOWN_REF ref;
    struct waiter *first, *second;

    if (!guarantee("the pages do not say what a wait does while another one is in progress") ||
        !(ref = alloc_ref())) return;
    ok(ExAcquireRundownProtection(ref), "acquire failed\n");
    if (!(first = waiter_start(WAIT_CLASSIC, ref, NULL))) return;
    ok(poll_word(&ref->Count, EX_RUNDOWN_ACTIVE, TEST_TIMEOUT_MS), "the wait did not mark the word\n");
    if (!(second = waiter_start(WAIT_CLASSIC, ref, NULL))) return;
    ok(!waiter_returned(second, 50), "the second wait returned with a protection outstanding\n");
    ok(!waiter_returned(first, 0), "the first wait returned with a protection outstanding\n");
    ExReleaseRundownProtection(ref);
    if (!waiter_end(first) || !waiter_end(second)) return;
    ok(ref->Count == EX_RUNDOWN_ACTIVE, "got %p after both waits\n", (void *)ref->Count);
    test_free(ref);
}

/* ---- races inside the wait (the emulated kernel's interlocked hook) -------
 * One protection is outstanding, and it is released on the waiter's own
 * thread just before the waiter's n-th interlocked access, for every n
 * (support.h, race_all).  Whenever the release comes, the wait returns and
 * the reference stays run down. */
static BOOLEAN classic_race_prepare(struct race *race)
{
    ExInitializeRundownProtection(race->ref);
    return ExAcquireRundownProtection(race->ref);
}

static void classic_race_act(struct race *race)
{
    LONG before = hooks_event_sets();

    ExReleaseRundownProtection(race->ref);
    /* the waiter cannot be asleep while its own thread releases */
    race->sets = hooks_event_sets() - before;
}

static void classic_race_finish(struct race *race)
{
    if (race->claimed != 1) ExReleaseRundownProtection(race->ref);
}

static void classic_race_check(struct race *race)
{
    ok(!ExAcquireRundownProtection(race->ref), "acquire after the wait succeeded\n");
    if (race->acted) ok(race->sets == 0, "the release set the event %ld times\n", (long)race->sets);
}

static void test_wait_races(void)
{
    struct race race;

    if (!hooks_available())
    {
        skip("acting inside the wait needs the emulated kernel's interlocked hook\n");
        return;
    }
    race.kind = WAIT_CLASSIC;
    race.blocks = FALSE;
    race.prepare = classic_race_prepare;
    race.act = classic_race_act;
    race.finish = classic_race_finish;
    race.check = classic_race_check;
    if (!(race.ref = alloc_ref())) return;
    if (race_all(&race) > 0) test_free(race.ref);
}

START_TEST(rundown)
{
    if (!rundown_routines_available(FALSE)) return;
    test_initialize();
    test_acquire_release();
    test_acquire_release_ex();
    test_wait_nothing_outstanding();
    test_wait_blocks();
    test_wait_last_release_by_other_thread();
    test_wait_repeated();
    test_rundown_completed();
    test_reinitialize();
    test_word_encoding();
    test_acquire_counts();
    test_acquire_overflow();
    test_release_misuse();
    test_reinitialize_misuse();
    test_concurrent_waits();
    test_wait_races();
}
