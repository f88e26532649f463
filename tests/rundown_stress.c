/*
 * Stress test: holders acquire and release, and move between processors,
 * while a rundown starts
 *
 * Each round starts a few holder threads on a fresh reference, lets them
 * acquire and release in a loop, then runs the wait.  The holders mark the
 * time they spend inside the protected region; a holder that finds the
 * object destroyed while it holds a protection, an acquire that is refused
 * before the wait started, or one that succeeds after the wait returned, is
 * a failure.  Counts are checked per round, not per iteration.  The wait
 * runs in a waiter thread: one that does not return in time is reported,
 * and the round's state is then left to the hung threads.
 */

#include "support.h"
#include "winetest.h"

#define STRESS_HOLDERS 4
#define STRESS_ROUNDS  50
#define STRESS_WARMUP  200     /* acquires before the wait starts */

struct holder
{
    struct stress *stress;
    ULONG seed;
};

/* Pool memory: holders that hang keep using it. */
struct stress
{
    struct either_ref ref;
    ULONG processors;
    volatile LONG inside;           /* holders inside the protected region */
    volatile LONG acquired;         /* successful acquires */
    volatile LONG wait_started;
    volatile LONG object_dead;      /* set once the wait has returned */
    volatile LONG used_after_rundown;
    volatile LONG refused_early;
    volatile LONG moves;
    struct holder holders[STRESS_HOLDERS];
};

static VOID NTAPI holder_thread(PVOID context)
{
    struct holder *holder = context;
    struct stress *stress = holder->stress;
    KAFFINITY previous = 0;
    BOOLEAN moved = FALSE;
    ULONG r, count;

    for (;;)
    {
        r = next_random(&holder->seed);
        count = 1 + r % 3;
        if (!either_acquire(&stress->ref, count))
        {
            if (!read_long(&stress->wait_started)) InterlockedIncrement(&stress->refused_early);
            break;
        }
        InterlockedIncrement(&stress->inside);
        InterlockedIncrement(&stress->acquired);
        if (read_long(&stress->object_dead)) InterlockedIncrement(&stress->used_after_rundown);

        /* Release on another processor now and then. */
        if (stress->processors > 1 && r % 4 == 0)
        {
            KAFFINITY was = KeSetSystemAffinityThreadEx((KAFFINITY)1 << ((r >> 4) % stress->processors));

            if (!moved) previous = was;
            moved = TRUE;
            InterlockedIncrement(&stress->moves);
        }
        if (r % 32 == 1) sleep_ms(1);

        if (read_long(&stress->object_dead)) InterlockedIncrement(&stress->used_after_rundown);
        InterlockedDecrement(&stress->inside);
        either_release(&stress->ref, count);
    }
    if (moved) KeRevertToUserAffinityThreadEx(previous);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* FALSE when a thread hung: the stress state is then theirs for good. */
static BOOLEAN stress_round(struct stress *stress, ULONG round)
{
    struct holder *holders = stress->holders;
    TEST_THREAD threads[STRESS_HOLDERS];
    struct waiter *waiter;
    LONG inside, acquired;
    BOOLEAN hung = FALSE;
    ULONG i, waited;

    stress->inside = stress->acquired = stress->wait_started = stress->object_dead = 0;
    for (i = 0; i < STRESS_HOLDERS; i++)
    {
        holders[i].stress = stress;
        holders[i].seed = round * STRESS_HOLDERS + i + 1;
        threads[i] = thread_start(holder_thread, &holders[i]);
        ok(threads[i] != NULL, "could not start holder %lu\n", (unsigned long)i);
    }
    /* the warm-up ends early when an acquire is refused (a failure) */
    for (waited = 0; read_long(&stress->acquired) < STRESS_WARMUP && !read_long(&stress->refused_early) &&
                     waited < TEST_TIMEOUT_MS; waited++)
        sleep_ms(1);

    InterlockedExchange(&stress->wait_started, 1);
    if (!(waiter = waiter_start_either(&stress->ref, NULL)) || !waiter_end(waiter)) return FALSE;
    inside = read_long(&stress->inside);
    acquired = read_long(&stress->acquired);
    InterlockedExchange(&stress->object_dead, 1);

    for (i = 0; i < STRESS_HOLDERS; i++)
    {
        if (thread_join(threads[i], TEST_TIMEOUT_MS)) continue;
        ok(0, "holder %lu did not stop after the rundown\n", (unsigned long)i);
        hung = TRUE;
    }
    ok(inside == 0, "the wait returned with %ld holders inside\n", (long)inside);
    ok(read_long(&stress->acquired) == acquired, "%ld acquires succeeded after the wait returned\n",
       (long)(read_long(&stress->acquired) - acquired));
    return !hung;
}

static BOOLEAN run_stress(struct stress *stress)
{
    ULONG round;

    stress->processors = processor_count();
    stress->used_after_rundown = stress->refused_early = stress->moves = 0;
    for (round = 0; round < STRESS_ROUNDS; round++)
    {
        BOOLEAN finished;

        winetest_push_context("round %lu", (unsigned long)round);
        either_reinitialize(&stress->ref);
        finished = stress_round(stress, round);
        winetest_pop_context();
        if (!finished) return FALSE;
    }
    ok(stress->used_after_rundown == 0, "holders found the object destroyed %ld times\n",
       (long)stress->used_after_rundown);
    ok(stress->refused_early == 0, "%ld acquires were refused before the wait started\n",
       (long)stress->refused_early);
    if (stress->processors > 1)
        ok(stress->moves > 0, "holders never moved between processors\n");
    trace("%lu processors, %ld moves\n", (unsigned long)stress->processors, (long)stress->moves);
    return TRUE;
}

static void test_stress_classic(void)
{
    struct stress *stress = test_alloc(sizeof(*stress));

    if (!stress) return;
    stress->ref.cache_aware = NULL;
    ExInitializeRundownProtection(&stress->ref.classic);
    /* each round re-initializes a run-down reference */
    if (!wait_in_thread(WAIT_CLASSIC, &stress->ref.classic)) return;
    if (run_stress(stress)) test_free(stress);
}

static void test_stress_cache_aware(void)
{
    struct stress *stress = test_alloc(sizeof(*stress));

    if (!stress) return;
    stress->ref.cache_aware = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG);
    ok(stress->ref.cache_aware != NULL, "allocation failed\n");
    if (!stress->ref.cache_aware) return;
    if (!wait_in_thread(WAIT_CACHE_AWARE, stress->ref.cache_aware)) return;
    if (!run_stress(stress)) return;
    ExFreeCacheAwareRundownProtection(stress->ref.cache_aware);
    test_free(stress);
}

START_TEST(rundown_stress)
{
    if (!rundown_routines_available(TRUE)) return;
    test_stress_classic();
    test_stress_cache_aware();
}
