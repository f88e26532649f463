/*
 * Kernel-mode helpers for the conformance suite
 */

#include "support.h"
#include "kernel_hooks.h"
#include "winetest.h"

static LARGE_INTEGER relative_ms(ULONG ms)
{
    LARGE_INTEGER interval;

    interval.QuadPart = -(LONGLONG)ms * 10000;
    return interval;
}

/* broken() accepts only on Windows, in every harness the suite runs in
 * (ours, and Wine's utils.h in the Wine series). */
BOOLEAN guarantee_(const char *file, int line, const char *reason)
{
    if (!broken(1)) return TRUE;
    skip_(file, line)("ntrundown guarantee, not run on Windows: %s\n", reason);
    return FALSE;
}

BOOLEAN contested_(const char *file, int line, const char *reason)
{
    if (!broken(1)) return FALSE;
    skip_(file, line)("documented, not run on Windows: %s\n", reason);
    return TRUE;
}

BOOLEAN misuse_guarantee_(const char *file, int line, const char *misuse, const char *reason)
{
#if defined(DBG) && DBG
    (void)reason;
    skip_(file, line)("%s stops a checked build\n", misuse);
    return FALSE;
#else
    (void)misuse;
    return guarantee_(file, line, reason);
#endif
}

PVOID test_alloc(SIZE_T size)
{
    PVOID p = ExAllocatePoolWithTag(NonPagedPool, size, TEST_TAG);

    ok(p != NULL, "could not allocate %lu bytes\n", (unsigned long)size);
    return p;
}

void test_free(PVOID p)
{
    if (p) ExFreePoolWithTag(p, TEST_TAG);
}

BOOLEAN poll_word(volatile ULONG_PTR *word, ULONG_PTR mask, ULONG timeout_ms)
{
    ULONG waited;

    for (waited = 0; !(read_word(word) & mask); waited++)
    {
        if (waited >= timeout_ms) return FALSE;
        sleep_ms(1);
    }
    return TRUE;
}

void sleep_ms(ULONG ms)
{
    LARGE_INTEGER interval = relative_ms(ms);

    KeDelayExecutionThread(KernelMode, FALSE, &interval);
}

BOOLEAN event_wait(PKEVENT event, ULONG timeout_ms)
{
    LARGE_INTEGER timeout = relative_ms(timeout_ms);

    return KeWaitForSingleObject(event, Executive, KernelMode, FALSE, &timeout) == STATUS_SUCCESS;
}

TEST_THREAD thread_start(PKSTART_ROUTINE routine, PVOID context)
{
    OBJECT_ATTRIBUTES attr;
    HANDLE handle;
    PVOID thread = NULL;

    InitializeObjectAttributes(&attr, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    if (!NT_SUCCESS(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, &attr, NULL, NULL, routine, context)))
        return NULL;
    if (!NT_SUCCESS(ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &thread, NULL)))
        thread = NULL;
    ZwClose(handle);
    return thread;
}

BOOLEAN thread_join(TEST_THREAD thread, ULONG timeout_ms)
{
    LARGE_INTEGER timeout = relative_ms(timeout_ms);

    if (!thread) return TRUE;
    if (KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, &timeout) != STATUS_SUCCESS) return FALSE;
    /* Nothing of a thread may outlive the wait for it: 32-bit Wine 8 kills
     * a program that ends while one of its threads is still exiting. */
    if (hooks_available())
        ok(!hooks_thread_running(thread), "thread %p still runs after the wait for it returned\n", thread);
    ObDereferenceObject(thread);
    return TRUE;
}

BOOLEAN either_acquire(struct either_ref *ref, ULONG count)
{
    if (ref->cache_aware) return ExAcquireRundownProtectionCacheAwareEx(ref->cache_aware, count);
    return ExAcquireRundownProtectionEx(&ref->classic, count);
}

void either_release(struct either_ref *ref, ULONG count)
{
    if (ref->cache_aware) ExReleaseRundownProtectionCacheAwareEx(ref->cache_aware, count);
    else ExReleaseRundownProtectionEx(&ref->classic, count);
}

void either_reinitialize(struct either_ref *ref)
{
    if (ref->cache_aware) ExReInitializeRundownProtectionCacheAware(ref->cache_aware);
    else ExReInitializeRundownProtection(&ref->classic);
}

/* The waiter's thread ends right after the wait, so the thread object's
 * state tells whether the wait returned. */
static VOID NTAPI waiter_thread(PVOID context)
{
    struct waiter *waiter = context;

    if (waiter->kind == WAIT_CLASSIC) ExWaitForRundownProtectionRelease(waiter->ref);
    else ExWaitForRundownProtectionReleaseCacheAware(waiter->ref);
    if (waiter->probe) waiter->probe_seen = read_long(waiter->probe);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

struct waiter *waiter_start(enum wait_kind kind, PVOID ref, volatile LONG *probe)
{
    struct waiter *waiter = test_alloc(sizeof(*waiter));

    if (!waiter) return NULL;
    waiter->kind = kind;
    waiter->ref = ref;
    waiter->probe = probe;
    waiter->probe_seen = -1;
    waiter->thread = thread_start(waiter_thread, waiter);
    ok(waiter->thread != NULL, "could not start a waiter thread\n");
    if (waiter->thread) return waiter;
    test_free(waiter);
    return NULL;
}

struct waiter *waiter_start_either(struct either_ref *ref, volatile LONG *probe)
{
    if (ref->cache_aware) return waiter_start(WAIT_CACHE_AWARE, ref->cache_aware, probe);
    return waiter_start(WAIT_CLASSIC, &ref->classic, probe);
}

BOOLEAN waiter_returned(struct waiter *waiter, ULONG timeout_ms)
{
    LARGE_INTEGER timeout = relative_ms(timeout_ms);

    return KeWaitForSingleObject(waiter->thread, Executive, KernelMode, FALSE, &timeout) == STATUS_SUCCESS;
}

BOOLEAN waiter_end_(const char *file, int line, struct waiter *waiter)
{
    if (thread_join(waiter->thread, TEST_TIMEOUT_MS))
    {
        test_free(waiter);
        return TRUE;
    }
    if (waiter->kind == WAIT_CLASSIC)
        ok_(file, line)(0, "the wait did not return within %u ms; word %p\n", TEST_TIMEOUT_MS,
                        (void *)read_word(&((PEX_RUNDOWN_REF)waiter->ref)->Count));
    else
        ok_(file, line)(0, "the cache-aware wait on %p did not return within %u ms\n", waiter->ref, TEST_TIMEOUT_MS);
    return FALSE;
}

BOOLEAN wait_in_thread_(const char *file, int line, enum wait_kind kind, PVOID ref)
{
    struct waiter *waiter = waiter_start(kind, ref, NULL);

    return waiter && waiter_end_(file, line, waiter);
}

struct releaser
{
    enum wait_kind kind;
    PVOID ref;
    ULONG count;
    ULONG delay_ms;
    volatile LONG holding;
};

static VOID NTAPI releaser_thread(PVOID context)
{
    struct releaser *releaser = context;

    sleep_ms(releaser->delay_ms);
    InterlockedExchange(&releaser->holding, 0);
    if (releaser->kind == WAIT_CLASSIC) ExReleaseRundownProtectionEx(releaser->ref, releaser->count);
    else ExReleaseRundownProtectionCacheAwareEx(releaser->ref, releaser->count);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

BOOLEAN blocking_wait_(const char *file, int line, enum wait_kind kind, PVOID ref, ULONG count, ULONG delay_ms)
{
    struct releaser *releaser = test_alloc(sizeof(*releaser));
    struct waiter *waiter;
    TEST_THREAD thread;
    BOOLEAN acquired;

    if (!releaser) return FALSE;
    acquired = kind == WAIT_CLASSIC ? ExAcquireRundownProtectionEx(ref, count)
                                    : ExAcquireRundownProtectionCacheAwareEx(ref, count);
    ok_(file, line)(acquired, "AcquireEx(%lu) failed\n", (unsigned long)count);
    releaser->kind = kind;
    releaser->ref = ref;
    releaser->count = count;
    releaser->delay_ms = delay_ms;
    releaser->holding = 1;
    if (!(thread = thread_start(releaser_thread, releaser))) return FALSE;
    if (!(waiter = waiter_start(kind, ref, &releaser->holding))) return FALSE;
    if (waiter_returned(waiter, TEST_TIMEOUT_MS))
        ok_(file, line)(waiter->probe_seen == 0, "the wait returned while the holder still held its protections\n");
    if (!waiter_end_(file, line, waiter)) return FALSE;
    ok_(file, line)(thread_join(thread, TEST_TIMEOUT_MS), "the releaser did not finish\n");
    test_free(releaser);
    return TRUE;
}

static VOID race_hook(const volatile void *address, PVOID context)
{
    struct race *race = context;

    (void)address;
    if (PsGetCurrentThreadId() != InterlockedCompareExchangePointer(&race->waiter_thread, NULL, NULL)) return;
    if (InterlockedIncrement(&race->accesses) != race->act_at) return;
    if (InterlockedCompareExchange(&race->claimed, 1, 0)) return;
    race->act(race);
    InterlockedExchange(&race->acted, 1);
}

static VOID NTAPI race_waiter(PVOID context)
{
    struct race *race = context;

    InterlockedExchangePointer(&race->waiter_thread, PsGetCurrentThreadId());
    if (race->kind == WAIT_CLASSIC) ExWaitForRundownProtectionRelease(race->ref);
    else ExWaitForRundownProtectionReleaseCacheAware(race->ref);
    InterlockedExchangePointer(&race->waiter_thread, NULL);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* One wait with the hook acting before access act_at; FALSE if it hung. */
static BOOLEAN race_once(struct race *race)
{
    TEST_THREAD thread;
    ULONG waited;

    race->accesses = race->acted = race->claimed = race->sets = 0;
    race->waiter_thread = NULL;
    hooks_interlocked(race_hook, race);
    thread = thread_start(race_waiter, race);
    ok(thread != NULL, "could not start the waiter\n");
    if (!thread)
    {
        hooks_interlocked(NULL, NULL);
        return FALSE;
    }
    for (waited = 0; waited < RACE_GRACE_MS && !read_long(&race->acted); waited++) sleep_ms(1);
    /* the hook acts no more once this is claimed */
    InterlockedCompareExchange(&race->claimed, 2, 0);
    if (race->blocks)
    {
        LARGE_INTEGER timeout = relative_ms(5);

        ok(KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, &timeout) == STATUS_TIMEOUT,
           "the wait returned with protections outstanding\n");
    }
    race->finish(race);
    if (!thread_join(thread, TEST_TIMEOUT_MS))
    {
        ok(0, "the wait did not return; %ld accesses, the hook %s\n", (long)race->accesses,
           race->acted ? "acted" : "did not act");
        return FALSE;
    }
    hooks_interlocked(NULL, NULL);
    return TRUE;
}

LONG race_all(struct race *race)
{
    LONG acted = 0;

    for (race->act_at = 1; race->act_at <= RACE_ACCESSES; race->act_at++)
    {
        winetest_push_context("before access %ld", (long)race->act_at);
        if (!race->prepare(race) || !race_once(race))
        {
            winetest_pop_context();
            return 0;
        }
        race->check(race);
        winetest_pop_context();
        if (!race->acted) break;
        acted++;
    }
    ok(acted >= 2, "the hook acted at %ld points only\n", (long)acted);
    return acted;
}

ULONG processor_count(void)
{
    return KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS);
}

ULONG current_processor(void)
{
    return KeGetCurrentProcessorNumberEx(NULL);
}

BOOLEAN pin_to_processor(ULONG index, KAFFINITY *previous)
{
    if (index >= sizeof(KAFFINITY) * 8 || index >= processor_count()) return FALSE;
    *previous = KeSetSystemAffinityThreadEx((KAFFINITY)1 << index);
    if (current_processor() == index) return TRUE;
    KeRevertToUserAffinityThreadEx(*previous);
    return FALSE;
}

void unpin(KAFFINITY previous)
{
    KeRevertToUserAffinityThreadEx(previous);
}

static ULONGLONG divide(ULONGLONG n, ULONGLONG d, ULONGLONG *remainder)
{
    ULONGLONG quotient = 0, rest = 0;
    int bit;

    for (bit = 63; bit >= 0; bit--)
    {
        rest = (rest << 1) | ((n >> bit) & 1);
        if (rest >= d)
        {
            rest -= d;
            quotient |= (ULONGLONG)1 << bit;
        }
    }
    *remainder = rest;
    return quotient;
}

ULONGLONG mul_div(ULONGLONG a, ULONGLONG b, ULONGLONG c)
{
    ULONGLONG rest, quotient = divide(a, c, &rest), low;

    return quotient * b + divide(rest * b, c, &low);
}

ULONG next_random(ULONG *state)
{
    *state = *state * 1103515245 + 12345;
    return *state >> 16;
}
