/*
 * Long stress test: many rundown cycles per family, with holders that never
 * stop and move between processors
 *
 * Holder threads acquire and release the same reference in a loop, now and
 * then on another processor, for the whole test.  The test thread runs
 * cycles: it has a waiter thread run the rundown, waits for it with a time
 * limit, checks the cycle, and re-initializes the reference for the next
 * one.  A holder refused by a run-down object waits for the next one on an
 * event that the test thread sets after the re-initialization and clears
 * before the next rundown (the generation counter decides; the event only
 * saves the holders from polling, and its waits are short, so that a set
 * that comes early or late costs a millisecond, never a hang).  A cycle
 * fails when the wait does not return in time (a lost wake-up: the test
 * stops there and leaves everything to the hung threads),
 * when a holder is still inside when the wait returns, or when a holder gets
 * a protection on a reference whose rundown has returned.  At the end the
 * pool must hold no more blocks than at the start, where the kernel is
 * emulated.  NTRUNDOWN_STRESS_CYCLES sets the number of cycles per family
 * (default 2000; tools/measure/soak.sh runs a million); the test prints the count,
 * the time taken and the longest wait.
 */

#include "support.h"
#include "kernel_hooks.h"
#include "winetest_backend.h"
#include "winetest.h"

#define LONG_STRESS_HOLDERS 3

struct long_stress
{
    struct either_ref ref;
    ULONG processors;
    volatile LONG stop;
    volatile LONG generation;       /* the current object, one per cycle */
    volatile LONG dead;             /* the generation whose rundown has returned */
    volatile LONG inside;
    volatile LONG acquired;
    volatile LONG violations;       /* protections granted on a dead object */
    volatile LONG moves;
    KEVENT run_wait;                /* the waiter thread's order to run a wait */
    KEVENT wait_done;
    KEVENT next_object;             /* set from a re-initialization to the next rundown */
    TEST_THREAD holders[LONG_STRESS_HOLDERS];
    ULONG seeds[LONG_STRESS_HOLDERS];
    TEST_THREAD waiter;
};

struct long_stress_holder
{
    struct long_stress *stress;
    ULONG index;
};

static VOID NTAPI long_stress_holder_thread(PVOID context)
{
    struct long_stress_holder *holder = context;
    struct long_stress *stress = holder->stress;
    ULONG *seed = &stress->seeds[holder->index], r, count;
    KAFFINITY previous = 0;
    BOOLEAN moved = FALSE;
    LONG generation;

    while (!read_long(&stress->stop))
    {
        r = next_random(seed);
        count = 1 + r % 3;
        generation = read_long(&stress->generation);
        if (!either_acquire(&stress->ref, count))
        {
            /* run down: wait for the next object */
            while (read_long(&stress->generation) == generation && !read_long(&stress->stop))
                event_wait(&stress->next_object, 1);
            continue;
        }
        InterlockedIncrement(&stress->inside);
        InterlockedIncrement(&stress->acquired);
        if (read_long(&stress->dead) == read_long(&stress->generation)) InterlockedIncrement(&stress->violations);
        if (stress->processors > 1 && r % 8 == 0)
        {
            KAFFINITY was = KeSetSystemAffinityThreadEx((KAFFINITY)1 << ((r >> 4) % stress->processors));

            if (!moved) previous = was;
            moved = TRUE;
            InterlockedIncrement(&stress->moves);
        }
        InterlockedDecrement(&stress->inside);
        either_release(&stress->ref, count);
    }
    if (moved) KeRevertToUserAffinityThreadEx(previous);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static VOID NTAPI long_stress_waiter_thread(PVOID context)
{
    struct long_stress *stress = context;

    for (;;)
    {
        KeWaitForSingleObject(&stress->run_wait, Executive, KernelMode, FALSE, NULL);
        if (read_long(&stress->stop)) break;
        if (stress->ref.cache_aware) ExWaitForRundownProtectionReleaseCacheAware(stress->ref.cache_aware);
        else ExWaitForRundownProtectionRelease(&stress->ref.classic);
        KeSetEvent(&stress->wait_done, IO_NO_INCREMENT, FALSE);
    }
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static ULONG cycles_wanted(void)
{
    const char *text = winetest_backend_getenv("NTRUNDOWN_STRESS_CYCLES");
    ULONG cycles = 0;

    if (!text || !*text) return 2000;
    for (; *text >= '0' && *text <= '9'; text++) cycles = cycles * 10 + (ULONG)(*text - '0');
    return cycles ? cycles : 1;
}

/* FALSE when a thread hung: the state is then the hung threads' for good. */
static BOOLEAN long_stress_run(struct long_stress *stress, const char *family)
{
    struct long_stress_holder holders[LONG_STRESS_HOLDERS];
    ULONG cycles = cycles_wanted(), cycle, i;
    LONGLONG start, before, longest = 0, elapsed;
    LARGE_INTEGER frequency;
    BOOLEAN hung = FALSE;
    LONG inside;

    stress->processors = processor_count();
    stress->stop = stress->dead = stress->inside = stress->acquired = stress->violations = stress->moves = 0;
    stress->generation = 1;
    KeInitializeEvent(&stress->run_wait, SynchronizationEvent, FALSE);
    KeInitializeEvent(&stress->wait_done, SynchronizationEvent, FALSE);
    KeInitializeEvent(&stress->next_object, NotificationEvent, TRUE);
    if (!(stress->waiter = thread_start(long_stress_waiter_thread, stress))) return TRUE;
    for (i = 0; i < LONG_STRESS_HOLDERS; i++)
    {
        holders[i].stress = stress;
        holders[i].index = i;
        stress->seeds[i] = i + 1;
        stress->holders[i] = thread_start(long_stress_holder_thread, &holders[i]);
        ok(stress->holders[i] != NULL, "could not start holder %lu\n", (unsigned long)i);
    }

    KeQueryPerformanceCounter(&frequency);
    start = KeQueryPerformanceCounter(NULL).QuadPart;
    for (cycle = 0; cycle < cycles; cycle++)
    {
        /* let the holders in on the new object first, for a while at most */
        LONG acquired = read_long(&stress->acquired);

        for (i = 0; read_long(&stress->acquired) - acquired < LONG_STRESS_HOLDERS && i < 20000; i++) YieldProcessor();
        KeClearEvent(&stress->next_object);
        before = KeQueryPerformanceCounter(NULL).QuadPart;
        KeSetEvent(&stress->run_wait, IO_NO_INCREMENT, FALSE);
        if (!event_wait(&stress->wait_done, TEST_TIMEOUT_MS))
        {
            ok(0, "%s cycle %lu: the wait did not return within %u ms (a lost wake-up?)\n", family,
               (unsigned long)cycle, TEST_TIMEOUT_MS);
            return FALSE;
        }
        elapsed = KeQueryPerformanceCounter(NULL).QuadPart - before;
        if (elapsed > longest) longest = elapsed;
        InterlockedExchange(&stress->dead, read_long(&stress->generation));
        if ((inside = read_long(&stress->inside)))
        {
            ok(0, "%s cycle %lu: the wait returned with %ld holders inside\n", family, (unsigned long)cycle,
               (long)inside);
            break;
        }
        InterlockedIncrement(&stress->generation);
        either_reinitialize(&stress->ref);
        KeSetEvent(&stress->next_object, IO_NO_INCREMENT, FALSE);
    }
    elapsed = KeQueryPerformanceCounter(NULL).QuadPart - start;

    InterlockedExchange(&stress->stop, 1);
    KeSetEvent(&stress->next_object, IO_NO_INCREMENT, FALSE);
    KeSetEvent(&stress->run_wait, IO_NO_INCREMENT, FALSE);
    for (i = 0; i < LONG_STRESS_HOLDERS; i++)
    {
        if (thread_join(stress->holders[i], TEST_TIMEOUT_MS)) continue;
        ok(0, "%s: holder %lu did not stop\n", family, (unsigned long)i);
        hung = TRUE;
    }
    if (!thread_join(stress->waiter, TEST_TIMEOUT_MS))
    {
        ok(0, "%s: the waiter thread did not stop\n", family);
        hung = TRUE;
    }
    ok(cycle == cycles, "%s: %lu of %lu cycles\n", family, (unsigned long)cycle, (unsigned long)cycles);
    ok(stress->violations == 0, "%s: %ld protections granted on an object whose rundown had returned\n", family,
       (long)stress->violations);
    ok(stress->acquired > 0, "%s: no holder ever got a protection\n", family);
    if (stress->processors > 1) ok(stress->moves > 0, "%s: holders never moved between processors\n", family);
    trace("%s: %lu cycles in %lu ms, longest wait %lu us, %ld protections, %ld moves, %lu processors\n", family,
          (unsigned long)cycle, (unsigned long)mul_div(elapsed, 1000, frequency.QuadPart),
          (unsigned long)mul_div(longest, 1000000, frequency.QuadPart), (long)stress->acquired, (long)stress->moves,
          (unsigned long)stress->processors);
    return !hung;
}

static void test_long_stress(BOOLEAN cache_aware)
{
    LONG outstanding = hooks_pool_outstanding();
    struct long_stress *stress = test_alloc(sizeof(*stress));

    if (!stress) return;
    stress->ref.cache_aware = NULL;
    ExInitializeRundownProtection(&stress->ref.classic);
    if (cache_aware && !(stress->ref.cache_aware = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG)))
    {
        ok(0, "allocation failed\n");
        return;
    }
    if (!long_stress_run(stress, cache_aware ? "cache-aware" : "classic")) return;
    if (stress->ref.cache_aware)
    {
        ExWaitForRundownProtectionReleaseCacheAware(stress->ref.cache_aware);
        ExFreeCacheAwareRundownProtection(stress->ref.cache_aware);
    }
    test_free(stress);
    if (hooks_available())
        ok(hooks_pool_outstanding() == outstanding, "%ld pool blocks leaked\n",
           (long)(hooks_pool_outstanding() - outstanding));
}

START_TEST(rundown_long_stress)
{
    if (!rundown_routines_available(TRUE)) return;
    test_long_stress(FALSE);
    test_long_stress(TRUE);
}
