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
BOOLEAN guarantee_(const char *file, int line, const char *windows_behaviour)
{
    if (!broken(1)) return TRUE;
    skip_(file, line)("ntrundown guarantee, not run on Windows: %s\n", windows_behaviour);
    return FALSE;
}

BOOLEAN misuse_guarantee_(const char *file, int line, const char *misuse, const char *windows_behaviour)
{
#if defined(DBG) && DBG
    (void)windows_behaviour;
    skip_(file, line)("%s is an ASSERT in a checked build\n", misuse);
    return FALSE;
#else
    (void)misuse;
    return guarantee_(file, line, windows_behaviour);
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
    {
        PEX_RUNDOWN_REF ref = waiter->ref;

        ok_(file, line)(0, "the wait did not return within %u ms; word %p\n", TEST_TIMEOUT_MS,
                        (void *)read_word(&ref->Count));
    }
    else
    {
        PEX_RUNDOWN_REF_CACHE_AWARE ref = waiter->ref;
        ULONG number = view(ref)->Number;

        ok_(file, line)(0, "the wait did not return within %u ms; %lu slots, the first %p %p\n",
                        TEST_TIMEOUT_MS, (unsigned long)number,
                        number > 0 ? (void *)read_word(&cache_aware_slot(ref, 0)->Count) : NULL,
                        number > 1 ? (void *)read_word(&cache_aware_slot(ref, 1)->Count) : NULL);
    }
    return FALSE;
}

BOOLEAN wait_in_thread_(const char *file, int line, enum wait_kind kind, PVOID ref)
{
    struct waiter *waiter = waiter_start(kind, ref, NULL);

    return waiter && waiter_end_(file, line, waiter);
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

BOOLEAN run_on_processor(ULONG index, struct on_processor *saved)
{
    saved->pinned = pin_to_processor(index, &saved->previous);
    saved->simulated = !saved->pinned && hooks_available();
    if (saved->simulated) hooks_current_processor(index);
    return saved->pinned || saved->simulated;
}

void leave_processor(struct on_processor *saved)
{
    if (saved->pinned) unpin(saved->previous);
    if (saved->simulated) hooks_current_processor(HOOKS_REAL_PROCESSOR);
    saved->pinned = saved->simulated = FALSE;
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
