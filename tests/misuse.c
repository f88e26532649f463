/*
 * Misuse of the routines, one case per run, for the checked build's
 * diagnostics: each case must stop the program with the module's WARN
 * message (or, for a wait above APC_LEVEL, the kernel's bug check).
 * check_misuse.py runs every case (each WARN of the module has one) and
 * checks what it printed.
 */

#include <ddk/wdm.h>
#include <stdio.h>
#include <string.h>

/* Room for an in-buffer cache-aware object with a few counters. */
static ULONG_PTR buffer[256];

static PEX_RUNDOWN_REF_CACHE_AWARE in_buffer(SIZE_T size)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = (PEX_RUNDOWN_REF_CACHE_AWARE)buffer;

    ExInitializeRundownProtectionCacheAware(ref, size);
    return ref;
}

static PEX_RUNDOWN_REF_CACHE_AWARE cache_aware(void)
{
    return in_buffer(sizeof(buffer));
}

static void release_unacquired(void)
{
    EX_RUNDOWN_REF ref;

    ExInitializeRundownProtection(&ref);
    ExReleaseRundownProtection(&ref);
}

static void release_after_rundown(void)
{
    EX_RUNDOWN_REF ref;

    ExInitializeRundownProtection(&ref);
    ExWaitForRundownProtectionRelease(&ref);
    ExReleaseRundownProtection(&ref);
}

static VOID NTAPI over_release_thread(PVOID context)
{
    PEX_RUNDOWN_REF ref = context;

    /* once the wait has begun */
    while (!((ULONG_PTR)InterlockedCompareExchangePointer(&ref->Ptr, NULL, NULL) & EX_RUNDOWN_ACTIVE))
        YieldProcessor();
    ExReleaseRundownProtectionEx(ref, 2);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void release_unacquired_during_wait(void)
{
    static EX_RUNDOWN_REF ref;
    OBJECT_ATTRIBUTES attr;
    HANDLE thread;

    ExInitializeRundownProtection(&ref);
    ExAcquireRundownProtection(&ref);
    InitializeObjectAttributes(&attr, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    PsCreateSystemThread(&thread, THREAD_ALL_ACCESS, &attr, NULL, NULL, over_release_thread, &ref);
    ExWaitForRundownProtectionRelease(&ref);
}

static void acquire_overflow(void)
{
    EX_RUNDOWN_REF ref;

    ref.Count = ~(ULONG_PTR)1;
    ExAcquireRundownProtection(&ref);
}

static void reinitialize_active(void)
{
    EX_RUNDOWN_REF ref;

    ExInitializeRundownProtection(&ref);
    ExReInitializeRundownProtection(&ref);
}

static void completed_active(void)
{
    EX_RUNDOWN_REF ref;

    ExInitializeRundownProtection(&ref);
    ExRundownCompleted(&ref);
}

static void wait_at_dispatch(void)
{
    EX_RUNDOWN_REF ref;
    KIRQL irql;

    ExInitializeRundownProtection(&ref);
    ExAcquireRundownProtection(&ref);
    KeRaiseIrql(DISPATCH_LEVEL, &irql);
    ExWaitForRundownProtectionRelease(&ref);
}

static void initialize_too_small(void)
{
    in_buffer(sizeof(void *));
}

static void free_in_buffer(void)
{
    ExFreeCacheAwareRundownProtection(cache_aware());
}

static void cache_aware_reinitialize_active(void)
{
    ExReInitializeRundownProtectionCacheAware(cache_aware());
}

static void cache_aware_completed_active(void)
{
    ExRundownCompletedCacheAware(cache_aware());
}

static void cache_aware_wait_at_dispatch(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = cache_aware();
    KIRQL irql;

    ExAcquireRundownProtectionCacheAware(ref);
    KeRaiseIrql(DISPATCH_LEVEL, &irql);
    ExWaitForRundownProtectionReleaseCacheAware(ref);
}

static void cache_aware_release_after_rundown(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = cache_aware();

    ExWaitForRundownProtectionReleaseCacheAware(ref);
    ExReleaseRundownProtectionCacheAware(ref);
}

static void cache_aware_release_unacquired(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = cache_aware();

    ExReleaseRundownProtectionCacheAware(ref);
    ExWaitForRundownProtectionReleaseCacheAware(ref);
}

static const struct { const char *name; void (*run)(void); } cases[] =
{
    { "release_unacquired", release_unacquired },
    { "release_after_rundown", release_after_rundown },
    { "release_unacquired_during_wait", release_unacquired_during_wait },
    { "acquire_overflow", acquire_overflow },
    { "reinitialize_active", reinitialize_active },
    { "completed_active", completed_active },
    { "wait_at_dispatch", wait_at_dispatch },
    { "initialize_too_small", initialize_too_small },
    { "free_in_buffer", free_in_buffer },
    { "cache_aware_reinitialize_active", cache_aware_reinitialize_active },
    { "cache_aware_completed_active", cache_aware_completed_active },
    { "cache_aware_wait_at_dispatch", cache_aware_wait_at_dispatch },
    { "cache_aware_release_after_rundown", cache_aware_release_after_rundown },
    { "cache_aware_release_unacquired", cache_aware_release_unacquired },
};

int main(int argc, char **argv)
{
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        if (argc == 1) printf("%s\n", cases[i].name);
        else if (!strcmp(argv[1], cases[i].name))
        {
            cases[i].run();
            printf("%s: no diagnostic\n", cases[i].name);
            return 0;
        }
    }
    return argc == 1 ? 0 : 2;
}
