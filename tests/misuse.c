/*
 * Misuse of the routines, one case per run, for the checked build's
 * diagnostics: each case must stop the program with ASSERT's message.
 * check_misuse.py runs every case (each ASSERT of the module has one) and
 * checks what it printed.
 */

#include <ddk/wdm.h>
#include <stdio.h>
#include <string.h>

/* Room for an in-buffer cache-aware object with a few slots. */
static ULONG_PTR buffer[64];

static PEX_RUNDOWN_REF_CACHE_AWARE in_buffer(SIZE_T size)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = (PEX_RUNDOWN_REF_CACHE_AWARE)buffer;

    ExInitializeRundownProtectionCacheAware(ref, size);
    return ref;
}

static SIZE_T one_slot_size(void)
{
    return 2 * sizeof(void *) + 8 + sizeof(EX_RUNDOWN_REF);
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
    KeRaiseIrql(DISPATCH_LEVEL, &irql);
    ExWaitForRundownProtectionRelease(&ref);
}

static void initialize_too_small(void)
{
    in_buffer(one_slot_size() - 1);
}

static void initialize_odd_size(void)
{
    in_buffer(one_slot_size() + sizeof(EX_RUNDOWN_REF));
}

static void free_in_buffer(void)
{
    ExFreeCacheAwareRundownProtection(in_buffer(one_slot_size()));
}

static void cache_aware_reinitialize_active(void)
{
    ExReInitializeRundownProtectionCacheAware(in_buffer(one_slot_size()));
}

static void cache_aware_completed_active(void)
{
    ExRundownCompletedCacheAware(in_buffer(one_slot_size()));
}

static void cache_aware_wait_at_dispatch(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = in_buffer(one_slot_size());
    KIRQL irql;

    KeRaiseIrql(DISPATCH_LEVEL, &irql);
    ExWaitForRundownProtectionReleaseCacheAware(ref);
}

static void cache_aware_release_after_rundown(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = in_buffer(one_slot_size());

    ExWaitForRundownProtectionReleaseCacheAware(ref);
    ExReleaseRundownProtectionCacheAware(ref);
}

static const struct { const char *name; void (*run)(void); } cases[] =
{
    { "release_unacquired", release_unacquired },
    { "release_after_rundown", release_after_rundown },
    { "acquire_overflow", acquire_overflow },
    { "reinitialize_active", reinitialize_active },
    { "completed_active", completed_active },
    { "wait_at_dispatch", wait_at_dispatch },
    { "initialize_too_small", initialize_too_small },
    { "initialize_odd_size", initialize_odd_size },
    { "free_in_buffer", free_in_buffer },
    { "cache_aware_reinitialize_active", cache_aware_reinitialize_active },
    { "cache_aware_completed_active", cache_aware_completed_active },
    { "cache_aware_wait_at_dispatch", cache_aware_wait_at_dispatch },
    { "cache_aware_release_after_rundown", cache_aware_release_after_rundown },
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
